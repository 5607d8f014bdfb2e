import { checkAirQualityWiredStats, normaliseAirQualityWiredValue } from './air-quality-wired-value.v1';

const DOCUMENTED_STATS = {
  'sg.smartclean.thresholding': {
    AMM: {
      HEALTH_OP_LOWER: 'GE',
      HEALTH_OP_UPPER: 'LT',
      HEALTH_THRESH_UPPER: 0.2,
      HEALTH_THRESH_LOWER: 0,
      HEALTH_STATUS: 'INVALID',
      HEALTH_VALUE: 0,
    },
    aggregatedModelOutput: false,
    aggregatedModelThreshold: 3,
    aggregatedModelOp: 'GE',
  },
};

describe('normaliseAirQualityWiredValue (SMARTCLEAN#ODRDTR)', () => {
  it('accepts every documented field', () => {
    const v = {
      amm: 0.12,
      alc: 0.35,
      no2: 0.02,
      amm_zscore: 0.41,
      alc_zscore: -0.83,
      no2_zscore: 2.1,
      amm_expected: 0.11,
      alc_expected: 0.37,
      no2_expected: 0.02,
      rssi: '-68',
    };
    expect(normaliseAirQualityWiredValue({ ...v })).toStrictEqual({ ok: true, value: v });
  });

  it('canonicalises gas readings sent as strings and an rssi sent as a number to its documented string', () => {
    expect(normaliseAirQualityWiredValue({ amm: '0.5', rssi: -71 })).toStrictEqual({
      ok: true,
      value: { amm: 0.5, rssi: '-71' },
    });
  });

  it.each([
    [{ amm: -0.1 }, ['v.amm: must be a non-negative number (number or numeric string)']],
    [{ no2: 0.02, no2_zscore: 'high' }, ['v.no2_zscore: must be a number (number or numeric string)']],
    [{ alc: 0.3, rssi: 'weak' }, ['v.rssi: must be a number (numeric string or number)']],
    [{ rssi: '-68', amm_zscore: 0.4 }, ['v: must hold at least one of amm, alc, no2']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseAirQualityWiredValue(v)).toEqual({ ok: false, errors });
  });
});

describe('checkAirQualityWiredStats', () => {
  it('accepts the documented stats and a point without stats', () => {
    expect(checkAirQualityWiredStats({ stats: DOCUMENTED_STATS })).toEqual([]);
    expect(checkAirQualityWiredStats({ v: { amm: 0.1 } })).toEqual([]);
  });

  it('keeps models and gases it does not know', () => {
    expect(
      checkAirQualityWiredStats({
        stats: { 'sg.smartclean.thresholding': { NO2: { HEALTH_STATUS: 'OK' } }, 'other.model': [1] },
      }),
    ).toEqual([]);
  });

  it('names every field of the model output that has the wrong type', () => {
    expect(
      checkAirQualityWiredStats({
        stats: {
          'sg.smartclean.thresholding': {
            AMM: { HEALTH_VALUE: '0', HEALTH_STATUS: 1 },
            ALC: 'INVALID',
            aggregatedModelOutput: 'false',
          },
        },
      }),
    ).toEqual([
      'stats.sg.smartclean.thresholding.aggregatedModelOutput: must be true or false',
      'stats.sg.smartclean.thresholding.AMM.HEALTH_STATUS: must be a string',
      'stats.sg.smartclean.thresholding.AMM.HEALTH_VALUE: must be a number',
      'stats.sg.smartclean.thresholding.ALC: must be an object',
    ]);
  });

  it('refuses stats that is not an object', () => {
    expect(checkAirQualityWiredStats({ stats: 'GE' })).toEqual(['stats: must be an object']);
  });
});
