import { normaliseSlotPoint, normaliseSlotValue, SLOT_VALUE_NORMALISERS } from './slot-value';

describe('normaliseSlotValue', () => {
  it('validates every slot type of reference §3.3–3.4', () => {
    expect(Object.keys(SLOT_VALUE_NORMALISERS).sort()).toEqual(
      [
        'PPLCTR',
        'UM',
        'FD',
        'TR',
        'PT',
        'SS',
        'BIN',
        'WD',
        'ODRDTR_10_IN_1',
        'ODRDTR_BATT_V1',
        'ODRDTR',
        'OCCMINEW',
        'OCCSCM',
        'OCCDESK',
        'TILT',
        'TH',
      ]
        .map((type) => `SMARTCLEAN#${type}`)
        .sort(),
    );
  });

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

  it('picks the contract by DevType', () => {
    expect(normaliseSlotValue('SMARTCLEAN#TH', { t: '24.7' })).toEqual({ ok: true, value: { t: 24.7 } });
    expect(normaliseSlotValue('SMARTCLEAN#OCCDESK', { t: '24.7' })).toEqual({
      ok: false,
      errors: ['v.occ: is required'],
    });
  });

  it('passes the v of slot types it does not know through unchanged', () => {
    const v = { temp: '23.5', rh: 'n/a' };
    expect(normaliseSlotValue('OTHERVENDOR#TH', v)).toEqual({ ok: true, value: v });
    expect(normaliseSlotValue('SMARTCLEAN#AQGW', v)).toEqual({ ok: true, value: v });
    expect(normaliseSlotValue('constructor', v)).toEqual({ ok: true, value: v });
  });
});

describe('normaliseSlotPoint', () => {
  it('checks the stats of an ODRDTR point together with its v', () => {
    expect(
      normaliseSlotPoint({
        DevType: 'SMARTCLEAN#ODRDTR',
        v: { amm: -1 },
        stats: { 'sg.smartclean.thresholding': 3 },
      }),
    ).toEqual({
      ok: false,
      errors: [
        'v.amm: must be a non-negative number (number or numeric string)',
        'stats.sg.smartclean.thresholding: must be an object',
      ],
    });
  });

  it('returns the canonical v of a valid point', () => {
    expect(
      normaliseSlotPoint({ DevType: 'SMARTCLEAN#ODRDTR', v: { amm: '0.5' }, stats: { other: 1 } }),
    ).toEqual({ ok: true, value: { amm: 0.5 } });
  });

  it('leaves a stats field of another type unchecked', () => {
    expect(normaliseSlotPoint({ DevType: 'SMARTCLEAN#PPLCTR', v: { count: 1 }, stats: 'x' })).toEqual({
      ok: true,
      value: { count: 1 },
    });
  });
});
