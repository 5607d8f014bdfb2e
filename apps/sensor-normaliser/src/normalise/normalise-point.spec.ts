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

  it('passes a type it does not know through as a generic data point', () => {
    const result = normalisePoint(raw({ DevType: 'ACME#LUX', v: { lux: 300 } }));
    expect(result.ok && result.subject).toBe('sensor.data.45ea1d38775046dbbdc955362b8834b1.ACME.LUX');
    expect(result.ok && result.point.v).toEqual({ lux: 300 });
  });
});
