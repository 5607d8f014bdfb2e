import { SensorDataPointV1 } from '../sensor/sensor-data-point.v1';
import { MAX_INPUT_DEPTH, unsafeParts, validateContract } from './validation';

describe('validateContract', () => {
  it.each([[null], ['text'], [42], [[]]])('refuses %p as a body', (input) => {
    expect(validateContract(SensorDataPointV1, input)).toEqual({
      ok: false,
      errors: ['body: must be a JSON object'],
    });
  });

  it('returns an instance of the contract class', () => {
    const result = validateContract(SensorDataPointV1, { DEVID: 'd', DevType: 'A#B', unixT: 1, v: {} });
    expect(result.ok && result.value instanceof SensorDataPointV1).toBe(true);
  });

  it('names the path of every failing field', () => {
    const result = validateContract(SensorDataPointV1, { DevType: 'nohash', unixT: 'x', v: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const paths = new Set(result.errors.map((error) => error.split(':')[0]));
      expect(paths).toEqual(new Set(['DEVID', 'DevType', 'unixT']));
    }
  });
});

describe('unsafeParts', () => {
  it('names every prototype key at any depth, inside arrays too, without descending into them', () => {
    const input = JSON.parse(
      '{"__proto__": {"x": 1}, "v": {"constructor": {"prototype": 1}, "list": [{"prototype": 2}]}}',
    );
    expect(unsafeParts(input)).toEqual([
      '__proto__: is not an allowed field name',
      'v.constructor: is not an allowed field name',
      'v.list.0.prototype: is not an allowed field name',
    ]);
  });

  it('names nesting deeper than MAX_INPUT_DEPTH once, where it starts', () => {
    const deep = JSON.parse(`{"a": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    expect(unsafeParts(deep)).toEqual([
      `a${'.0'.repeat(MAX_INPUT_DEPTH)}: is nested more than ${MAX_INPUT_DEPTH} levels deep`,
    ]);
    let fits: unknown = {};
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) fits = { d: fits };
    expect(unsafeParts(fits)).toEqual([]);
  });

  it('refuses NUL characters only when asked', () => {
    const input = { name: 'a\u0000b', list: ['ok', '\u0000'] };
    expect(unsafeParts(input)).toEqual([]);
    expect(unsafeParts(input, { refuseNul: true })).toEqual([
      'name: must not contain NUL characters',
      'list.1: must not contain NUL characters',
    ]);
    expect(unsafeParts('\u0000', { refuseNul: true })).toEqual(['body: must not contain NUL characters']);
  });

  it('keeps validateContract from handing class-transformer an object under constructor (it threw)', () => {
    const input = JSON.parse(
      '{"DEVID": "d", "DevType": "A#B", "v": {"out": {"constructor": {"prototype": {}}}}}',
    );
    expect(validateContract(SensorDataPointV1, input)).toEqual({
      ok: false,
      errors: ['v.out.constructor: is not an allowed field name'],
    });
  });
});
