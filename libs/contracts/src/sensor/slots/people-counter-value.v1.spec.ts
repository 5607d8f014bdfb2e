import { normalisePeopleCounterValue, normaliseUsageMonitorValue } from './people-counter-value.v1';

describe('normalisePeopleCounterValue (SMARTCLEAN#PPLCTR)', () => {
  it.each([
    ['2021 string counts', { count: '2', out_count: '1' }],
    ['later float counts', { count: 2.0, out_count: 1.0 }],
  ])('canonicalises %s to integers', (_label, v) => {
    expect(normalisePeopleCounterValue(v)).toStrictEqual({ ok: true, value: { count: 2, out_count: 1 } });
  });

  it('makes out_count optional and keeps undocumented keys', () => {
    expect(normalisePeopleCounterValue({ count: 0, firmware: '4_0_0_r' })).toStrictEqual({
      ok: true,
      value: { count: 0, firmware: '4_0_0_r' },
    });
  });

  it('reports a missing count and a fractional out_count together', () => {
    expect(normalisePeopleCounterValue({ out_count: 1.5 })).toEqual({
      ok: false,
      errors: [
        'v.count: is required',
        'v.out_count: must be a non-negative whole number (number or numeric string)',
      ],
    });
  });
});

describe('normaliseUsageMonitorValue (SMARTCLEAN#UM, PC Lite)', () => {
  it('keeps the documented example, battery as the documented string and the undocumented u', () => {
    expect(normaliseUsageMonitorValue({ b: '3000', count: 1, u: '6167' })).toStrictEqual({
      ok: true,
      value: { b: '3000', count: 1, u: '6167' },
    });
  });

  it('canonicalises a string count to an integer and a numeric battery to its string', () => {
    expect(normaliseUsageMonitorValue({ b: 2950, count: '3' })).toStrictEqual({
      ok: true,
      value: { b: '2950', count: 3 },
    });
  });

  it('refuses a fractional count and a battery that is not a number', () => {
    expect(normaliseUsageMonitorValue({ b: 'low', count: 1.5 })).toEqual({
      ok: false,
      errors: [
        'v.count: must be a non-negative whole number (number or numeric string)',
        'v.b: must be a non-negative number (numeric string or number)',
      ],
    });
  });
});
