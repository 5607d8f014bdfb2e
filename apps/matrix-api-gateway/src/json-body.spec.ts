import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { parseFormBody, parseJsonBody } from './json-body';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const bytes = (text: string) => Buffer.from(text, 'utf8');

function statusOf(read: () => unknown): number | string {
  try {
    read();
    return 'no error';
  } catch (error) {
    return error instanceof HttpException ? error.getStatus() : (error as Error).name;
  }
}

describe('parseJsonBody', () => {
  it('reads objects, arrays and the literal null (the SDKs post it for an op without arguments)', () => {
    expect(parseJsonBody(bytes('{"Name":"x"}'), JSON_TYPE)).toEqual({ Name: 'x' });
    expect(parseJsonBody(bytes('[1]'), `${JSON_TYPE}; charset=UTF-8`)).toEqual([1]);
    expect(parseJsonBody(bytes('null'), JSON_TYPE)).toBeNull();
  });

  it('reads an empty body as {} and drops a BOM, as body-parser did', () => {
    expect(parseJsonBody(Buffer.alloc(0), JSON_TYPE)).toEqual({});
    expect(parseJsonBody(bytes('\uFEFF{"a":1}'), JSON_TYPE)).toEqual({ a: 1 });
  });

  it('refuses malformed JSON and top-level values other than objects, arrays and null with 400', () => {
    for (const text of ['{a', '42', '"text"', 'true', ' ']) {
      expect({ text, status: statusOf(() => parseJsonBody(bytes(text), JSON_TYPE)) }).toEqual({
        text,
        status: 400,
      });
    }
  });

  it('refuses a charset that is not UTF-* with 415 naming it', () => {
    expect(() => parseJsonBody(bytes('{}'), `${JSON_TYPE}; charset=latin1`)).toThrow(
      'unsupported charset "LATIN1"',
    );
    expect(statusOf(() => parseJsonBody(bytes('{}'), `${JSON_TYPE}; charset=latin1`))).toBe(415);
  });

  it('refuses prototype keys naming the field', () => {
    const read = () => parseJsonBody(bytes('{"Tags":{"constructor":{"prototype":{}}}}'), JSON_TYPE);
    expect(read).toThrow(DomainError);
    expect(read).toThrow(/constructor: is not an allowed field name/);
  });
});

describe('parseFormBody', () => {
  it("reads nested keys as Express's extended parser did, and an empty body as {}", () => {
    expect(parseFormBody(bytes('a[b]=1&c=2&d[]=x&d[]=y'), FORM_TYPE)).toEqual({
      a: { b: '1' },
      c: '2',
      d: ['x', 'y'],
    });
    expect(parseFormBody(Buffer.alloc(0), FORM_TYPE)).toEqual({});
    expect(parseFormBody(Buffer.from('name=Caf\xe9', 'latin1'), `${FORM_TYPE}; charset=iso-8859-1`)).toEqual({
      name: 'Café',
    });
  });

  it('refuses more than 1000 fields (413), nesting past 32 levels (400) and other charsets (415)', () => {
    expect(statusOf(() => parseFormBody(bytes(Array(1001).fill('a=1').join('&')), FORM_TYPE))).toBe(413);
    expect(statusOf(() => parseFormBody(bytes(`a${'[b]'.repeat(40)}=1`), FORM_TYPE))).toBe(400);
    expect(statusOf(() => parseFormBody(bytes('a=1'), `${FORM_TYPE}; charset=utf-16`))).toBe(415);
  });

  it('refuses prototype keys naming the field (qs itself drops `__proto__`, as on Express)', () => {
    expect(() => parseFormBody(bytes('constructor[x]=1'), FORM_TYPE)).toThrow(
      /constructor: is not an allowed field name/,
    );
    expect(parseFormBody(bytes('__proto__[x]=1&a=2'), FORM_TYPE)).toEqual({ a: '2' });
  });
});
