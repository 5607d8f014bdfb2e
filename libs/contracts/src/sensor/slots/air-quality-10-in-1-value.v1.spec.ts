import { normaliseAirQuality10In1Value } from './air-quality-10-in-1-value.v1';

const DOCUMENTED = {
  temperature: 27.4,
  humidity: 69.5,
  light_level: 3,
  co2: 918,
  pir_trigger: 0,
  tvoc: 0.64,
  pressure: 1004,
  hcho: 0.04,
  pm_25: 18,
  pm_10: 19,
};

describe('normaliseAirQuality10In1Value (SMARTCLEAN#ODRDTR_10_IN_1)', () => {
  it('accepts the documented example (key pm_25) unchanged', () => {
    expect(normaliseAirQuality10In1Value({ ...DOCUMENTED })).toStrictEqual({ ok: true, value: DOCUMENTED });
  });

  it('adds the canonical pm_25 to a reading with the schema key pm_2.5, which it keeps', () => {
    const { pm_25: _pm, ...rest } = DOCUMENTED;
    expect(normaliseAirQuality10In1Value({ ...rest, 'pm_2.5': '18' })).toStrictEqual({
      ok: true,
      value: { ...rest, 'pm_2.5': 18, pm_25: 18 },
    });
  });

  it('accepts both keys when they agree', () => {
    expect(normaliseAirQuality10In1Value({ pm_25: 18, 'pm_2.5': 18.0 })).toStrictEqual({
      ok: true,
      value: { pm_25: 18, 'pm_2.5': 18 },
    });
  });

  it('refuses both keys when they disagree, alongside other problems', () => {
    expect(normaliseAirQuality10In1Value({ pm_25: 18, 'pm_2.5': 20, light_level: 4 })).toEqual({
      ok: false,
      errors: [
        'v.light_level: must be a whole number from 0 to 3 (number or numeric string)',
        'v.pm_2.5: must equal v.pm_25 when both are sent (got 20 and 18)',
      ],
    });
  });

  it.each([
    [{ pir_trigger: 2 }, ['v.pir_trigger: must be 0 or 1 (number or numeric string)']],
    [{ humidity: 101 }, ['v.humidity: must be a number from 0 to 100 (number or numeric string)']],
    [{ co2: -1 }, ['v.co2: must be a non-negative number (number or numeric string)']],
    [
      { DevSubType: '1' },
      [
        'v: must hold at least one of co2, hcho, humidity, light_level, tvoc, pm_10, pm_25, pm_2.5, pressure, temperature, pir_trigger',
      ],
    ],
  ])('refuses %p', (v, errors) => {
    expect(normaliseAirQuality10In1Value(v)).toEqual({ ok: false, errors });
  });
});
