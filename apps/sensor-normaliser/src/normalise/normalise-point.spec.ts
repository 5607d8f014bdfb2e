import type { SensorDataPointV1 } from '@matrix/contracts';
import { normalisePoint } from './normalise-point';

const raw = (overrides: Partial<SensorDataPointV1> = {}): SensorDataPointV1 =>
  ({
    DEVID: '0f81b252335c4961991595cebe4b4ecd',
    DevType: 'SMARTCLEAN#PPLCTR',
    unixT: 1654063185904,
    v: { count: 2.0, out_count: 1.0 },
    PID: '45ea1d38775046dbbdc955362b8834b1',
    PropId: 'd2ff1cc0ee104abba3a8ba030c72cd06',
    InsID: '726a401e5005453d9b44d65d808a85f3',
    Region: 'Asia/Singapore',
    Display: 'Usage Monitor',
    ...overrides,
  }) as SensorDataPointV1;

describe('normalisePoint', () => {
  it('produces the documented general data format with local-time fields in the slot time zone', () => {
    const result = normalisePoint(raw({ DASSOC: '2BC35B402C' }));
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.subject).toBe('sensor.data.45ea1d38775046dbbdc955362b8834b1.SMARTCLEAN.PPLCTR');
    expect(result.point).toEqual({
      t: '20220601135945',
      v: { count: 2, out_count: 1 },
      unixT: 1654063185904,
      DEVID: '0f81b252335c4961991595cebe4b4ecd',
      Region: 'Asia/Singapore',
      time: '2022-06-01T13:59:45+0800',
      DevType: 'SMARTCLEAN#PPLCTR',
      PID: '45ea1d38775046dbbdc955362b8834b1',
      PropId: 'd2ff1cc0ee104abba3a8ba030c72cd06',
      InsID: '726a401e5005453d9b44d65d808a85f3',
      Display: 'Usage Monitor',
      dow: '3',
      month: '06',
      hour: '13',
      dom: '01',
      minute: '59',
      DASSOC: '2BC35B402C',
    });
  });

  it('reads 2021-style unixT in seconds and string counts', () => {
    const result = normalisePoint(raw({ unixT: 1639120892, v: { count: '2' } }));
    expect(result.ok && result.point.unixT).toBe(1639120892000);
    expect(result.ok && result.point.v).toEqual({ count: 2 });
  });

  it('recomputes local-time fields a device sent wrongly', () => {
    const result = normalisePoint(raw({ t: '19700101000000', hour: '99' }));
    expect(result.ok && [result.point.t, result.point.hour]).toEqual(['20220601135945', '13']);
  });

  it('rejects a point without location as unknown_device', () => {
    expect(normalisePoint(raw({ PID: undefined, Region: '' }))).toEqual({
      ok: false,
      reason: 'unknown_device',
      errors: [
        'PID: missing, and device 0f81b252335c4961991595cebe4b4ecd has no registry entry to fill it in',
        'Region: missing, and device 0f81b252335c4961991595cebe4b4ecd has no registry entry to fill it in',
      ],
    });
  });

  it('rejects an unknown time zone and an invalid people count', () => {
    expect(normalisePoint(raw({ Region: 'Mars/Olympus' }))).toMatchObject({
      ok: false,
      reason: 'invalid_time_zone',
    });
    expect(normalisePoint(raw({ v: { count: 2.5 } }))).toMatchObject({ ok: false, reason: 'invalid_value' });
  });

  // One documented example per slot-type family (reference §3.4), as a device sends it → the `v`
  // every consumer sees. ODRDTR has no documented `v`; its rssi "-68" and stats are the example's.
  it.each<[string, string, Record<string, unknown>, Record<string, unknown>]>([
    ['UM (PC Lite)', 'SMARTCLEAN#UM', { b: '3000', count: 1, u: '6167' }, { b: '3000', count: 1, u: '6167' }],
    [
      'FD',
      'SMARTCLEAN#FD',
      {
        c: '4eccb645302e4d9c85cbace69b92d058',
        n: 1,
        nm: 'Excellent',
        rating: 1,
        reasons: { ID_1: { ID: '1', Name: 'Billing', selector: 1 } },
        s: 3,
        type: 'DEFECT',
      },
      {
        c: '4eccb645302e4d9c85cbace69b92d058',
        n: 1,
        nm: 'Excellent',
        rating: 1,
        reasons: { ID_1: { ID: '1', Name: 'Billing', selector: 1 } },
        s: 3,
        type: 'DEFECT',
      },
    ],
    ['TR/PT/SS/BIN fill level', 'SMARTCLEAN#BIN', { p: 46, d: 159 }, { p: 46, d: 159 }],
    ['WD', 'SMARTCLEAN#WD', { value: 1, AreaP: 5.5 }, { value: 1, AreaP: 5.5 }],
    [
      'ODRDTR_10_IN_1 with the schema key pm_2.5',
      'SMARTCLEAN#ODRDTR_10_IN_1',
      {
        temperature: 27.4,
        humidity: 69.5,
        light_level: 3,
        co2: 918,
        pir_trigger: 0,
        tvoc: 0.64,
        pressure: 1004,
        hcho: 0.04,
        'pm_2.5': 18,
        pm_10: 19,
      },
      {
        temperature: 27.4,
        humidity: 69.5,
        light_level: 3,
        co2: 918,
        pir_trigger: 0,
        tvoc: 0.64,
        pressure: 1004,
        hcho: 0.04,
        'pm_2.5': 18,
        pm_10: 19,
        pm_25: 18,
      },
    ],
    [
      'ODRDTR_BATT_V1 (rh and temp stay ×10)',
      'SMARTCLEAN#ODRDTR_BATT_V1',
      { amm: 88, aqi: 103, rh: 730, temp: 304 },
      { amm: 88, aqi: 103, rh: 730, temp: 304 },
    ],
    [
      'ODRDTR',
      'SMARTCLEAN#ODRDTR',
      { amm: '0.12', alc: 0.35, no2: 0.02, amm_zscore: 0.41, rssi: -68 },
      { amm: 0.12, alc: 0.35, no2: 0.02, amm_zscore: 0.41, rssi: '-68' },
    ],
    [
      'OCCMINEW/OCCSCM/OCCDESK',
      'SMARTCLEAN#OCCMINEW',
      { C: '1', Disass: '0', Src: 'x750:hz3a30e', batt: 95, rssi: -78, occ: 1 },
      { C: '1', Disass: '0', Src: 'x750:hz3a30e', batt: 95, rssi: -78, occ: 1 },
    ],
    [
      'TILT',
      'SMARTCLEAN#TILT',
      { Tb: 'none', Xt: -87.51, Yt: -2.04, Zt: 1.42, v: 100 },
      { Tb: 'none', Xt: -87.51, Yt: -2.04, Zt: 1.42, v: 100 },
    ],
    ['TH', 'SMARTCLEAN#TH', { t: 24.7, h: 13.4 }, { t: 24.7, h: 13.4 }],
  ])('publishes the canonical v of a documented %s reading', (_family, devType, v, expected) => {
    const result = normalisePoint(raw({ DevType: devType, v }));
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.subject).toBe(
      `sensor.data.45ea1d38775046dbbdc955362b8834b1.SMARTCLEAN.${devType.split('#')[1]}`,
    );
    expect(result.point.v).toStrictEqual(expected);
    expect(result.point.t).toBe('20220601135945');
  });

  it('keeps the top-level stats of an ODRDTR point as sent', () => {
    const stats = {
      'sg.smartclean.thresholding': { aggregatedModelOutput: false, aggregatedModelThreshold: 3 },
    };
    const result = normalisePoint(raw({ DevType: 'SMARTCLEAN#ODRDTR', v: { amm: 0.1 }, stats }));
    expect(result.ok && result.point['stats']).toStrictEqual(stats);
  });

  it('rejects an invalid value of a newly validated type as invalid_value with the field named', () => {
    expect(normalisePoint(raw({ DevType: 'SMARTCLEAN#FD', v: { rating: 4.5 } }))).toEqual({
      ok: false,
      reason: 'invalid_value',
      errors: ['v.rating: must be a whole number of at least 1 (number or numeric string)'],
    });
  });

  it('passes a type it does not know through as a generic data point', () => {
    const result = normalisePoint(raw({ DevType: 'ACME#LUX', v: { lux: 300 } }));
    expect(result.ok && result.subject).toBe('sensor.data.45ea1d38775046dbbdc955362b8834b1.ACME.LUX');
    expect(result.ok && result.point.v).toEqual({ lux: 300 });
  });
});
