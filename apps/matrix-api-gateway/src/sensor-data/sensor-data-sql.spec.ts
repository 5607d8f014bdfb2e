import { listSql, statsSql } from './sensor-data-sql';
import { decodePointCursor, encodePointCursor, generalFormatPoint } from './sensor-data-query.service';
import { RegistryError } from '../registry/registry-error';

const base = { pid: 'b1', from: Date.UTC(2026, 2, 28), to: Date.UTC(2026, 2, 30) };

describe('statsSql', () => {
  it('binds every value, the field name of v included; nothing the caller sent is in the SQL text', () => {
    const field = "count') or true; drop table matrix.sensor_data; --";
    const { sql, params } = statsSql({
      ...base,
      field,
      zones: ["z'1"],
      devices: ['d1'],
      type: 'SMARTCLEAN#PPLCTR',
      bucketing: { kind: 'calendar', unit: 'day', tz: 'Europe/Berlin' },
      groupBy: ['insid'],
      maxRows: 10,
    });
    for (const value of [field, "z'1", 'd1', 'SMARTCLEAN#PPLCTR', 'Europe/Berlin', 'b1']) {
      expect(sql).not.toContain(value);
    }
    expect(params).toEqual(
      expect.arrayContaining([
        field,
        ["z'1"],
        ['d1'],
        'SMARTCLEAN#PPLCTR',
        'Europe/Berlin',
        'day',
        '1 day',
        11,
      ]),
    );
    expect(sql).toMatch(/date_trunc\(\$\d+, time, \$\d+\)/);
    expect(sql).toContain('v -> $');
    expect(sql).toContain('devtype = $');
  });

  it('cuts fixed intervals with date_bin from the epoch and filters a bare slot type by its suffix', () => {
    const { sql, params } = statsSql({
      ...base,
      field: 'count',
      type: 'PPLCTR',
      bucketing: { kind: 'fixed', seconds: 900 },
      groupBy: [],
      maxRows: 5,
    });
    expect(sql).toContain("date_bin($1::interval, time, timestamptz '1970-01-01 00:00:00+00')");
    expect(sql).toContain("split_part(devtype, '#', 2) = $");
    expect(params[0]).toBe('900 seconds');
  });
});

describe('listSql and its cursor', () => {
  it('pages by (time, msg_id) after the cursor and asks for one row more than the limit', () => {
    const cursor = encodePointCursor('2026-03-29T00:00:00.123456', 'data:abc');
    const after = decodePointCursor(cursor);
    expect(after).toEqual({ at: '2026-03-29T00:00:00.123456', msgId: 'data:abc' });
    const { sql, params } = listSql({ ...base, limit: 100 }, after);
    expect(sql).toMatch(/\(time, msg_id\) > \(\$4::timestamptz, \$5\) order by time, msg_id limit \$6$/);
    expect(params.slice(3)).toEqual(['2026-03-29T00:00:00.123456Z', 'data:abc', 101]);
  });

  it('refuses a cursor it did not hand out', () => {
    for (const cursor of [
      '%%%',
      Buffer.from('2026-03-29|x').toString('base64url'),
      Buffer.from('nobar').toString('base64url'),
    ]) {
      expect(() => decodePointCursor(cursor)).toThrow(RegistryError);
    }
    expect(decodePointCursor(undefined)).toBeUndefined();
  });
});

describe('generalFormatPoint', () => {
  it('rebuilds the documented object: documented order, time in Region, optional fields only when stored, extras last', () => {
    const point = generalFormatPoint({
      msg_id: 'data:1',
      t: '20260329003000',
      v: { count: 2 },
      unixt: String(Date.UTC(2026, 2, 28, 23, 30)),
      devid: 'pc-1',
      region: 'Europe/Berlin',
      devtype: 'SMARTCLEAN#PPLCTR',
      pid: 'b1',
      propid: 'p1',
      insid: 'z1',
      display: null,
      dow: '0',
      month: '03',
      hour: '00',
      dom: '29',
      minute: '30',
      extra: { AGG: '20260329003000', PID: 'not-this' },
      at: '2026-03-28T23:30:00.000000',
    });
    expect(Object.keys(point)).toEqual([
      't',
      'v',
      'unixT',
      'DEVID',
      'Region',
      'time',
      'DevType',
      'PID',
      'PropId',
      'InsID',
      'dow',
      'month',
      'hour',
      'dom',
      'minute',
      'AGG',
    ]);
    expect(point).toMatchObject({
      unixT: Date.UTC(2026, 2, 28, 23, 30),
      time: '2026-03-29T00:30:00+0100',
      PID: 'b1',
    });
  });
});
