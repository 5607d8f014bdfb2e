import {
  count,
  flag,
  normaliseFields,
  number,
  numericText,
  objectOf,
  readCount,
  readNumber,
  recordOf,
  text,
} from './value-fields';

describe('readCount', () => {
  it.each([
    [2, 2],
    [2.0, 2],
    [0, 0],
    ['2', 2],
    [' 12 ', 12],
    ['2.0', 2],
  ])('reads %p as %p', (raw, expected) => {
    expect(readCount(raw)).toBe(expected);
  });

  it.each([
    [-1],
    [2.5],
    ['2.5'],
    ['two'],
    [''],
    ['  '],
    [null],
    [undefined],
    [true],
    [Number.NaN],
    [Infinity],
    [[2]],
    [{}],
  ])('refuses %p', (raw) => {
    expect(readCount(raw)).toBeUndefined();
  });
});

describe('readNumber', () => {
  it.each([
    ['-87.51', -87.51],
    ['+3', 3],
    ['.5', 0.5],
    ['1e3', 1000],
    [-2.04, -2.04],
  ])('reads %p as %p', (raw, expected) => {
    expect(readNumber(raw)).toBe(expected);
  });

  it.each([['0x10'], ['Infinity'], ['1,5'], ['12abc'], ['-'], [false]])('refuses %p', (raw) => {
    expect(readNumber(raw)).toBeUndefined();
  });
});

describe('field readers', () => {
  it('describe the range they accept in their message', () => {
    expect(number({ min: 0, max: 100 })(101)).toEqual({
      ok: false,
      problems: [{ path: '', message: 'must be a number from 0 to 100 (number or numeric string)' }],
    });
    expect(number({ min: 1, whole: true })(0.5)).toEqual({
      ok: false,
      problems: [{ path: '', message: 'must be a whole number of at least 1 (number or numeric string)' }],
    });
    expect(number({ min: 0 })(-1)).toMatchObject({
      problems: [{ message: 'must be a non-negative number (number or numeric string)' }],
    });
    expect(count()('x')).toMatchObject({
      problems: [{ message: 'must be a non-negative whole number (number or numeric string)' }],
    });
  });

  it('canonicalise numbers sent as strings to JSON numbers', () => {
    expect(number()('24.7')).toEqual({ ok: true, value: 24.7 });
    expect(flag()('1')).toEqual({ ok: true, value: 1 });
  });

  it('accept only 0 and 1 as a flag', () => {
    expect(flag()(2)).toEqual({
      ok: false,
      problems: [{ path: '', message: 'must be 0 or 1 (number or numeric string)' }],
    });
    expect(flag()(true)).toMatchObject({ ok: false });
  });

  it('canonicalise a string-typed number to its decimal string', () => {
    expect(numericText()(-68)).toEqual({ ok: true, value: '-68' });
    expect(numericText()('3000.0')).toEqual({ ok: true, value: '3000' });
    expect(numericText({ min: 0 })('-1')).toMatchObject({
      problems: [{ message: 'must be a non-negative number (numeric string or number)' }],
    });
  });
});

describe('normaliseFields', () => {
  const specs = {
    n: { read: number(), required: true },
    reasons: { read: recordOf(objectOf({ Name: { read: text(), required: true } })) },
  };

  it('keeps undocumented keys as sent, in their place, and canonicalises documented ones', () => {
    const result = normaliseFields({ u: '6167', n: '2', x: { y: [1] } }, specs);
    expect(result).toStrictEqual({ ok: true, value: { u: '6167', n: 2, x: { y: [1] } } });
    expect(result.ok && Object.keys(result.value)).toEqual(['u', 'n', 'x']);
  });

  it('reports every problem with its path below v', () => {
    expect(normaliseFields({ reasons: { ID_1: { Name: 3 }, ID_2: 'Billing', ID_3: {} } }, specs)).toEqual({
      ok: false,
      errors: [
        'v.n: is required',
        'v.reasons.ID_1.Name: must be a string',
        'v.reasons.ID_2: must be an object',
        'v.reasons.ID_3.Name: is required',
      ],
    });
  });

  it('requires one of a group of optional readings', () => {
    const group = { t: { read: number() }, h: { read: number() } };
    expect(normaliseFields({ other: 1 }, group, { atLeastOneOf: ['t', 'h'] })).toEqual({
      ok: false,
      errors: ['v: must hold at least one of t, h'],
    });
    expect(normaliseFields({ h: '13.4' }, group, { atLeastOneOf: ['t', 'h'] })).toEqual({
      ok: true,
      value: { h: 13.4 },
    });
  });

  it('does not mistake inherited properties for fields', () => {
    expect(normaliseFields({}, { toString: { read: text(), required: true } })).toEqual({
      ok: false,
      errors: ['v.toString: is required'],
    });
  });
});
