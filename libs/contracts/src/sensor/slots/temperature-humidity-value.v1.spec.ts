import { normaliseTemperatureHumidityValue } from './temperature-humidity-value.v1';

describe('normaliseTemperatureHumidityValue (SMARTCLEAN#TH)', () => {
  it('accepts the documented example unchanged', () => {
    expect(normaliseTemperatureHumidityValue({ t: 24.7, h: 13.4 })).toStrictEqual({
      ok: true,
      value: { t: 24.7, h: 13.4 },
    });
  });

  it('canonicalises readings sent as strings and accepts sub-zero temperatures', () => {
    expect(normaliseTemperatureHumidityValue({ t: '-4.5', h: '80' })).toStrictEqual({
      ok: true,
      value: { t: -4.5, h: 80 },
    });
  });

  it.each([
    [{ t: 24.7, h: 130 }, ['v.h: must be a number from 0 to 100 (number or numeric string)']],
    [{ t: '20220601135945Z', h: 13.4 }, ['v.t: must be a number (number or numeric string)']],
    [{}, ['v: must hold at least one of t, h']],
  ])('refuses %p', (v, errors) => {
    expect(normaliseTemperatureHumidityValue(v)).toEqual({ ok: false, errors });
  });
});
