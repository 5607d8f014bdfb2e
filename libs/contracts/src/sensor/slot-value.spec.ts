import { normaliseSlotValue } from './slot-value';

describe('normaliseSlotValue', () => {
  it('canonicalises people-counter counts to integers and keeps other fields', () => {
    expect(
      normaliseSlotValue('SMARTCLEAN#PPLCTR', { count: '3', out_count: 1.0, firmware: '4_0_0_r' }),
    ).toEqual({
      ok: true,
      value: { count: 3, out_count: 1, firmware: '4_0_0_r' },
    });
  });

  it('reports every bad count at once', () => {
    expect(normaliseSlotValue('SMARTCLEAN#PPLCTR', { count: 'x', out_count: -2 })).toEqual({
      ok: false,
      errors: [
        'v.count: must be a non-negative whole number (number or numeric string)',
        'v.out_count: must be a non-negative whole number (number or numeric string)',
      ],
    });
  });

  it('passes the v of slot types it does not know through unchanged', () => {
    const v = { temp: '23.5', rh: 'n/a' };
    expect(normaliseSlotValue('OTHERVENDOR#TH', v)).toEqual({ ok: true, value: v });
  });
});
