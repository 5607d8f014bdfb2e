import { airQualityLiteInUnits, normaliseAirQualityLiteValue } from './air-quality-lite-value.v1';

describe('normaliseAirQualityLiteValue (SMARTCLEAN#ODRDTR_BATT_V1)', () => {
  it('keeps the documented example as sent: rh and temp stay ×10', () => {
    expect(normaliseAirQualityLiteValue({ amm: 88, aqi: 103, rh: 730, temp: 304 })).toStrictEqual({
      ok: true,
      value: { amm: 88, aqi: 103, rh: 730, temp: 304 },
    });
  });

  it('canonicalises numeric strings and accepts a sub-zero temperature', () => {
    expect(normaliseAirQualityLiteValue({ rh: '455', temp: '-15' })).toStrictEqual({
      ok: true,
      value: { rh: 455, temp: -15 },
    });
  });

  it.each([
    [{ rh: 1001 }, ['v.rh: must be a number from 0 to 1000 (number or numeric string)']],
    [{ aqi: 501 }, ['v.aqi: must be a number from 0 to 500 (number or numeric string)']],
    [{ amm: 'n/a', temp: 304 }, ['v.amm: must be a non-negative number (number or numeric string)']],
    [{}, ['v: must hold at least one of amm, aqi, rh, temp']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseAirQualityLiteValue(v)).toEqual({ ok: false, errors });
  });
});

describe('airQualityLiteInUnits', () => {
  it('reads the documented example as 73.0 %RH and 30.4 °C', () => {
    expect(airQualityLiteInUnits({ amm: 88, aqi: 103, rh: 730, temp: 304 })).toStrictEqual({
      ammoniaPpb: 88,
      iaq: 103,
      relativeHumidityPercent: 73,
      temperatureCelsius: 30.4,
    });
  });

  it('leaves out what was not sent and divides without binary noise', () => {
    expect(airQualityLiteInUnits({ temp: -7 })).toStrictEqual({ temperatureCelsius: -0.7 });
    expect(airQualityLiteInUnits({ rh: 3 })).toStrictEqual({ relativeHumidityPercent: 0.3 });
  });
});
