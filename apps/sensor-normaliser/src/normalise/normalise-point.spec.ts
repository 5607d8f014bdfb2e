import type { DeviceSlotEntry, SensorDataPointV1 } from '@matrix/contracts';
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

describe('normalisePoint with the device-slot directory', () => {
  const alias = '0f81b252335c4961991595cebe4b4ecd';
  /** The DEVICE_SLOTS value the gateway writes for the slot (directoryEntry()). */
  const entry: DeviceSlotEntry = {
    Alias: alias,
    DevType: 'SMARTCLEAN#PPLCTR',
    Provider: 'SMARTCLEAN',
    Org: 'ACME',
    PropId: 'b1a0c2e3f4a5b6c7d8e9f0a1b2c3d4e5',
    PID: 'a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f',
    LID: 'level-1',
    InsID: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    Display: 'Entrance people counter',
    Region: 'Europe/Berlin',
    Devid: '2BC35B402C',
    UpdatedOn: '2026-11-26T08:00:00.000Z',
  };
  const aliasOnly = (overrides: Partial<SensorDataPointV1> = {}): SensorDataPointV1 => ({
    DEVID: alias,
    DevType: 'SMARTCLEAN#PPLCTR',
    unixT: 1654063185904,
    v: { count: 2.0, out_count: 1.0 },
    ...overrides,
  });

  it('fills building, property, zone, display name and time zone of a point that carries only its alias', () => {
    const result = normalisePoint(aliasOnly({ DASSOC: '2BC35B402C' }), entry);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.subject).toBe('sensor.data.a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f.SMARTCLEAN.PPLCTR');
    expect(result.point).toStrictEqual({
      DEVID: alias,
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: 1654063185904,
      v: { count: 2, out_count: 1 },
      DASSOC: '2BC35B402C',
      PID: 'a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f',
      PropId: 'b1a0c2e3f4a5b6c7d8e9f0a1b2c3d4e5',
      InsID: 'c0ffee00c0ffee00c0ffee00c0ffee00',
      Display: 'Entrance people counter',
      Region: 'Europe/Berlin',
      // 05:59:45 UTC is 07:59:45 in Berlin summer time (CEST, +0200).
      t: '20220601075945',
      time: '2022-06-01T07:59:45+0200',
      dow: '3',
      month: '06',
      dom: '01',
      hour: '07',
      minute: '59',
    });
  });

  it('attributes a reading to where the registry says the slot is now, not where the point says it was', () => {
    const stale = {
      PID: '45ea1d38775046dbbdc955362b8834b1',
      PropId: 'd2ff1cc0ee104abba3a8ba030c72cd06',
      InsID: '726a401e5005453d9b44d65d808a85f3',
      Display: 'Usage Monitor',
      Region: 'Asia/Singapore',
    };
    const result = normalisePoint(aliasOnly(stale), entry);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.subject).toBe('sensor.data.a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f.SMARTCLEAN.PPLCTR');
    expect(result.point).toMatchObject({
      PID: entry.PID,
      PropId: entry.PropId,
      InsID: entry.InsID,
      Display: entry.Display,
      Region: 'Europe/Berlin',
      time: '2022-06-01T07:59:45+0200',
    });
  });

  it("keeps the point's display name and property when the registry entry has none", () => {
    const { Display: _display, PropId: _propId, ...bare } = entry;
    const result = normalisePoint(aliasOnly({ Display: 'Gate 3', PropId: 'prop-from-point' }), bare);
    expect(result.ok && [result.point.Display, result.point.PropId, result.point.InsID]).toEqual([
      'Gate 3',
      'prop-from-point',
      entry.InsID,
    ]);
  });

  it('refuses a reading whose type is not the slot type as invalid_point (a wiring error)', () => {
    expect(normalisePoint(aliasOnly(), { ...entry, DevType: 'SMARTCLEAN#FD' })).toEqual({
      ok: false,
      reason: 'invalid_point',
      errors: [
        `DevType: the reading is SMARTCLEAN#PPLCTR but device slot ${alias} is a SMARTCLEAN#FD slot in the registry`,
      ],
    });
  });

  it('refuses a registry time zone that is not an IANA zone, naming the registry', () => {
    expect(normalisePoint(aliasOnly(), { ...entry, Region: 'Mars/Olympus' })).toEqual({
      ok: false,
      reason: 'invalid_time_zone',
      errors: [`Region: "Mars/Olympus" (device slot ${alias} in the registry) is not an IANA time zone`],
    });
  });

  it('accepts a device without registry entry when the point carries its own location', () => {
    const result = normalisePoint(raw({ DEVID: 'not-in-registry' }), undefined);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.point).toMatchObject({
      DEVID: 'not-in-registry',
      PID: '45ea1d38775046dbbdc955362b8834b1',
      InsID: '726a401e5005453d9b44d65d808a85f3',
      Region: 'Asia/Singapore',
      time: '2022-06-01T13:59:45+0800',
    });
  });

  it('rejects a device without registry entry and without location as unknown_device', () => {
    expect(normalisePoint(aliasOnly(), undefined)).toEqual({
      ok: false,
      reason: 'unknown_device',
      errors: ['PID', 'InsID', 'Region'].map(
        (field) => `${field}: missing, and device ${alias} has no registry entry to fill it in`,
      ),
    });
  });

  // Berlin: 2026-03-29 02:00 CET → 03:00 CEST (a 23-hour day); 2026-10-25 03:00 CEST → 02:00 CET (25 hours).
  it.each([
    [
      'last second of winter time',
      '2026-03-29T00:59:59Z',
      '20260329015959',
      '2026-03-29T01:59:59+0100',
      '01',
    ],
    [
      'first second of summer time',
      '2026-03-29T01:00:00Z',
      '20260329030000',
      '2026-03-29T03:00:00+0200',
      '03',
    ],
    [
      '02:30 before the clocks go back',
      '2026-10-25T00:30:00Z',
      '20261025023000',
      '2026-10-25T02:30:00+0200',
      '02',
    ],
    [
      '02:30 after the clocks go back',
      '2026-10-25T01:30:00Z',
      '20261025023000',
      '2026-10-25T02:30:00+0100',
      '02',
    ],
  ])('computes local time across the Europe/Berlin DST change: %s', (_case, utc, t, time, hour) => {
    const result = normalisePoint(aliasOnly({ unixT: Date.parse(utc) }), entry);
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect([result.point.t, result.point.time, result.point.hour, result.point.dow]).toEqual([
      t,
      time,
      hour,
      '0',
    ]);
  });
});
