import { GatewayHarness, type Keys } from './gateway-harness';
import { createSensorDataTable, insertPoints, type SeedPoint } from './sensor-data-table';

/*
 * Past sensor data through both surfaces, on a real PostgreSQL: REST /v1/sensor-data(/aggregate) and
 * the scmetrics TSDB ops, over a building in Europe/Berlin with people counts and feedback ratings in
 * two zones, around both daylight-saving changes of 2026, and a building of another property.
 */

const gw = new GatewayHarness('sensor-data');
let admin: Keys;
let other: Keys & { propid: string };
let pid: string;
let otherPid: string;
let wash: string;
let lobby: string;

const at = (iso: string) => Date.parse(iso);
const hoursBetween = (start: string, end: string) => (Date.parse(end) - Date.parse(start)) / 3_600_000;

async function createBuilding(
  keys: Keys,
  propId: string,
  name: string,
): Promise<{ pid: string; zones: string[] }> {
  const building = await gw.rest(keys, 'POST', `/v1/properties/${propId}/buildings`, {
    name,
    levelsCount: 1,
    timeZone: 'Europe/Berlin',
  });
  expect(building.status).toBe(201);
  const level = await gw.rest(keys, 'POST', `/v1/buildings/${building.body.pid}/levels`, { name: 'Ground' });
  const zones = await gw.rest(keys, 'POST', `/v1/buildings/${building.body.pid}/zones`, {
    zones: [
      { name: 'Washroom', lid: level.body.lid },
      { name: 'Lobby', lid: level.body.lid },
    ],
  });
  expect(zones.status).toBe(201);
  return { pid: building.body.pid, zones: zones.body.items.map((z: { insId: string }) => z.insId) };
}

const PPLCTR = 'SMARTCLEAN#PPLCTR';
const count = (
  iso: string,
  devid: string,
  insid: string,
  value: number,
  extra: Partial<SeedPoint> = {},
): SeedPoint => ({
  unixT: at(iso),
  devid,
  devtype: PPLCTR,
  pid,
  insid,
  v: { count: value, out_count: 0 },
  propid: gw.tenant.propid,
  ...extra,
});

/** Washroom counter points around the spring change (2026-03-29 02:00 CET → 03:00 CEST); the comment is the Berlin day. */
const MARCH_WASH: [string, number][] = [
  ['2026-03-27T23:30:00Z', 1], // 28 (00:30+01:00)
  ['2026-03-28T22:59:59Z', 2], // 28 (23:59:59+01:00)
  ['2026-03-28T23:00:00Z', 3], // 29 (00:00+01:00, the day's first instant)
  ['2026-03-29T00:59:00Z', 4], // 29 (01:59+01:00)
  ['2026-03-29T01:00:00Z', 5], // 29 (03:00+02:00)
  ['2026-03-29T21:59:59Z', 6], // 29 (23:59:59+02:00)
  ['2026-03-29T22:00:00Z', 7], // 30 (00:00+02:00)
];

/** Around the autumn change (2026-10-25 03:00 CEST → 02:00 CET). */
const OCTOBER_WASH: [string, number][] = [
  ['2026-10-24T21:59:59Z', 2], // 24 (23:59:59+02:00)
  ['2026-10-24T22:00:00Z', 1], // 25 (00:00+02:00)
  ['2026-10-25T00:30:00Z', 3], // 25 (02:30+02:00, first time)
  ['2026-10-25T01:30:00Z', 4], // 25 (02:30+01:00, second time)
  ['2026-10-25T22:59:59Z', 5], // 25 (23:59:59+01:00)
  ['2026-10-25T23:00:00Z', 6], // 26 (00:00+01:00)
];

const march = { from: '2026-03-28T00:00:00+01:00', to: '2026-03-31T00:00:00+02:00' };
const qs = (params: Record<string, string | string[]>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, item);
  }
  return search.toString();
};
const recent = Date.now() - 10 * 60_000;

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  other = await gw.bootstrap('ACME', 'Other Campus');
  const tower = await createBuilding(admin, gw.tenant.propid, 'Tower A');
  pid = tower.pid;
  [wash, lobby] = tower.zones as [string, string];
  const foreign = await createBuilding(other, other.propid, 'Annex');
  otherPid = foreign.pid;
  await createSensorDataTable(gw.db.url);
  await insertPoints(gw.db.url, [
    ...MARCH_WASH.map(([iso, n]) =>
      count(iso, 'pc-wash', wash, n, {
        display: 'Washroom counter',
        extra: { AGG: '20260329000000', DASSOC: '2BC35B402C' },
      }),
    ),
    count('2026-03-29T10:00:00Z', 'pc-lobby', lobby, 10),
    count('2026-03-30T10:00:00Z', 'pc-lobby', lobby, 20),
    {
      ...count('2026-03-29T11:00:00Z', 'um-lobby', lobby, 100),
      devtype: 'SMARTCLEAN#UM',
      v: { count: 100, b: '3000' },
    },
    {
      ...count('2026-03-29T08:00:00Z', 'fd-wash', wash, 0),
      devtype: 'SMARTCLEAN#FD',
      v: { rating: 1, nm: 'Excellent' },
    },
    {
      ...count('2026-03-29T09:00:00Z', 'fd-wash', wash, 0),
      devtype: 'SMARTCLEAN#FD',
      v: { rating: 4, nm: 'Bad' },
    },
    ...OCTOBER_WASH.map(([iso, n]) => count(iso, 'pc-wash', wash, n)),
    count(new Date(recent).toISOString(), 'pc-wash', wash, 42),
    // another property's building, same times and device names
    ...MARCH_WASH.map(([iso]) =>
      count(iso, 'pc-wash', foreign.zones[0]!, 1000, { pid: otherPid, propid: other.propid }),
    ),
  ]);
});
afterAll(() => gw.stop());

describe('GET /v1/sensor-data', () => {
  it('lists the points of a zone and type in the range, oldest first, in pages that join up', async () => {
    const seen: number[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | undefined;
    do {
      const page = await gw.rest(
        admin,
        'GET',
        `/v1/sensor-data?${qs({ pid, ...march, zone: wash, type: PPLCTR, limit: '3', ...(cursor ? { cursor } : {}) })}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((p: { v: { count: number } }) => p.v.count));
      cursors.push(page.body.nextCursor);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(cursors.map((c) => c === null)).toEqual([false, false, true]);
  });

  it('answers each point as the documented general-format object it was stored as', async () => {
    const page = await gw.rest(
      admin,
      'GET',
      `/v1/sensor-data?${qs({ pid, ...march, device: 'pc-wash', limit: '1' })}`,
    );
    expect(page.body.items).toEqual([
      {
        t: '20260328003000',
        v: { count: 1, out_count: 0 },
        unixT: at('2026-03-27T23:30:00Z'),
        DEVID: 'pc-wash',
        Region: 'Europe/Berlin',
        time: '2026-03-28T00:30:00+0100',
        DevType: PPLCTR,
        PID: pid,
        PropId: gw.tenant.propid,
        InsID: wash,
        Display: 'Washroom counter',
        dow: '6',
        month: '03',
        hour: '00',
        dom: '28',
        minute: '30',
        AGG: '20260329000000',
        DASSOC: '2BC35B402C',
      },
    ]);
  });

  it('filters by device, zones (repeated), and by a bare slot type of any provider', async () => {
    const list = async (params: Record<string, string | string[]>) =>
      (await gw.rest(admin, 'GET', `/v1/sensor-data?${qs({ pid, ...march, ...params })}`)).body.items.map(
        (p: { DEVID: string }) => p.DEVID,
      );
    expect(await list({ device: 'fd-wash' })).toEqual(['fd-wash', 'fd-wash']);
    expect(await list({ type: 'UM' })).toEqual(['um-lobby']);
    expect(await list({ zone: lobby })).toEqual(['pc-lobby', 'um-lobby', 'pc-lobby']);
    expect((await list({ zone: [lobby, wash] })).length).toBe(MARCH_WASH.length + 3 + 2);
    // to is exclusive: the washroom point at 2026-03-29T22:00:00Z is left out
    expect(
      await list({ device: 'pc-wash', from: '2026-03-29T21:59:59Z', to: '2026-03-29T22:00:00Z' }),
    ).toEqual(['pc-wash']);
  });

  it('refuses bad input with a problem+json 400 listing every problem', async () => {
    const bad = await gw.rest(
      admin,
      'GET',
      `/v1/sensor-data?${qs({ pid, from: march.to, to: march.from, limit: '9999', zones: 'x' })}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([
      'zones: is not a known query parameter (known: pid, from, to, zone, device, type, cursor, limit)',
      'from: must be before to',
      'limit: must be a whole number from 1 to 5000',
    ]);
    expect(
      (await gw.rest(admin, 'GET', `/v1/sensor-data?${qs({ pid, ...march, cursor: 'bm90LWEtY3Vyc29y' })}`))
        .body,
    ).toMatchObject({
      status: 400,
      errors: ['cursor: is not one this API returned'],
    });
    expect((await gw.rest(admin, 'GET', `/v1/sensor-data?${qs({ ...march })}`)).status).toBe(400);
  });
});

describe('GET /v1/sensor-data/aggregate', () => {
  const aggregate = (keys: Keys, params: Record<string, string>) =>
    gw.rest(keys, 'GET', `/v1/sensor-data/aggregate?${qs(params)}`);

  it('sums people per zone per local day', async () => {
    const result = await aggregate(admin, {
      pid,
      ...march,
      field: 'count',
      agg: 'sum',
      interval: 'day',
      groupBy: 'zone',
      type: PPLCTR,
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      pid,
      from: '2026-03-28T00:00:00+01:00',
      to: '2026-03-31T00:00:00+02:00',
      interval: 'day',
      tz: 'Europe/Berlin',
      agg: 'sum',
      field: 'count',
      groupBy: 'zone',
      buckets: [
        {
          start: '2026-03-28T00:00:00+01:00',
          end: '2026-03-29T00:00:00+01:00',
          group: wash,
          value: 3,
          points: 2,
        },
        {
          start: '2026-03-29T00:00:00+01:00',
          end: '2026-03-30T00:00:00+02:00',
          group: lobby,
          value: 10,
          points: 1,
        },
        {
          start: '2026-03-29T00:00:00+01:00',
          end: '2026-03-30T00:00:00+02:00',
          group: wash,
          value: 18,
          points: 4,
        },
        {
          start: '2026-03-30T00:00:00+02:00',
          end: '2026-03-31T00:00:00+02:00',
          group: lobby,
          value: 20,
          points: 1,
        },
        {
          start: '2026-03-30T00:00:00+02:00',
          end: '2026-03-31T00:00:00+02:00',
          group: wash,
          value: 7,
          points: 1,
        },
      ].sort((a, b) => (a.start === b.start ? (a.group! < b.group! ? -1 : 1) : a.start < b.start ? -1 : 1)),
    });
  });

  it('a day across the spring change is 23 hours and one across the autumn change 25, with points near midnight on the right local day', async () => {
    const spring = await aggregate(admin, {
      pid,
      ...march,
      field: 'count',
      interval: 'day',
      device: 'pc-wash',
      tz: 'Europe/Berlin',
    });
    expect(
      spring.body.buckets.map((b: { start: string; end: string; value: number }) => [
        b.start,
        hoursBetween(b.start, b.end),
        b.value,
      ]),
    ).toEqual([
      ['2026-03-28T00:00:00+01:00', 24, 1 + 2],
      ['2026-03-29T00:00:00+01:00', 23, 3 + 4 + 5 + 6],
      ['2026-03-30T00:00:00+02:00', 24, 7],
    ]);

    const autumn = await aggregate(admin, {
      pid,
      from: '2026-10-24T00:00:00+02:00',
      to: '2026-10-27T00:00:00+01:00',
      field: 'count',
      interval: 'day',
      device: 'pc-wash',
    });
    expect(autumn.body.buckets).toEqual([
      { start: '2026-10-24T00:00:00+02:00', end: '2026-10-25T00:00:00+02:00', value: 2, points: 1 },
      {
        start: '2026-10-25T00:00:00+02:00',
        end: '2026-10-26T00:00:00+01:00',
        value: 1 + 3 + 4 + 5,
        points: 4,
      },
      { start: '2026-10-26T00:00:00+01:00', end: '2026-10-27T00:00:00+01:00', value: 6, points: 1 },
    ]);
    expect(hoursBetween(autumn.body.buckets[1].start, autumn.body.buckets[1].end)).toBe(25);

    // The same points in UTC days fall differently.
    const utc = await aggregate(admin, {
      pid,
      from: '2026-10-24T00:00:00Z',
      to: '2026-10-27T00:00:00Z',
      field: 'count',
      interval: 'day',
      device: 'pc-wash',
      tz: 'UTC',
    });
    expect(utc.body.buckets.map((b: { start: string; value: number }) => [b.start, b.value])).toEqual([
      ['2026-10-24T00:00:00+00:00', 2 + 1],
      ['2026-10-25T00:00:00+00:00', 3 + 4 + 5 + 6],
    ]);
  });

  it('fixed 1h buckets stay one hour long through the repeated hour; calendar months span the change', async () => {
    const hourly = await aggregate(admin, {
      pid,
      from: '2026-10-25T01:00:00+02:00',
      to: '2026-10-25T04:00:00+01:00',
      field: 'count',
      interval: '1h',
      device: 'pc-wash',
    });
    expect(hourly.body.buckets).toEqual([
      { start: '2026-10-25T02:00:00+02:00', end: '2026-10-25T02:00:00+01:00', value: 3, points: 1 },
      { start: '2026-10-25T02:00:00+01:00', end: '2026-10-25T03:00:00+01:00', value: 4, points: 1 },
    ]);
    const monthly = await aggregate(admin, {
      pid,
      from: '2026-03-01T00:00:00+01:00',
      to: '2026-05-01T00:00:00+02:00',
      field: 'count',
      agg: 'count',
      interval: 'month',
      type: PPLCTR,
    });
    expect(monthly.body.buckets).toEqual([
      {
        start: '2026-03-01T00:00:00+01:00',
        end: '2026-04-01T00:00:00+02:00',
        value: MARCH_WASH.length + 2,
        points: MARCH_WASH.length + 2,
      },
    ]);
  });

  it('averages feedback ratings per zone, and min/max', async () => {
    const avg = await aggregate(admin, {
      pid,
      ...march,
      field: 'rating',
      agg: 'avg',
      interval: 'day',
      groupBy: 'zone',
      type: 'SMARTCLEAN#FD',
    });
    expect(avg.body.buckets).toEqual([
      {
        start: '2026-03-29T00:00:00+01:00',
        end: '2026-03-30T00:00:00+02:00',
        group: wash,
        value: 2.5,
        points: 2,
      },
    ]);
    const max = await aggregate(admin, {
      pid,
      ...march,
      field: 'rating',
      agg: 'max',
      interval: 'week',
      type: 'FD',
    });
    expect(max.body.buckets).toEqual([
      { start: '2026-03-23T00:00:00+01:00', end: '2026-03-30T00:00:00+02:00', value: 4, points: 2 },
    ]);
  });

  it('refuses unknown fields, time zones and intervals with a clear 400', async () => {
    const bad = await aggregate(admin, {
      pid,
      ...march,
      field: 'rating',
      agg: 'median',
      interval: 'fortnight',
      tz: 'Mars/Base',
      type: PPLCTR,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      'field: rating is not a numeric field of SMARTCLEAN#PPLCTR (known: count, out_count)',
      'agg: must be one of sum, avg, min, max, count',
      'interval: must be one of 1m, 5m, 15m, 30m, 1h, day, week, month',
      'tz: must be an IANA time zone name, e.g. Europe/Berlin',
    ]);
    const injection = await aggregate(admin, {
      pid,
      ...march,
      field: "count')::int; drop table matrix.sensor_data; --",
      interval: 'day',
      type: 'ACME#X',
    });
    expect(injection.status).toBe(400);
    // A well-formed field of another provider's type is a bind parameter: no rows, no error.
    const foreignType = await aggregate(admin, {
      pid,
      ...march,
      field: 'count',
      interval: 'day',
      type: 'ACME#X',
    });
    expect(foreignType).toMatchObject({ status: 200, body: { buckets: [] } });
  });
});

describe('scmetrics.tsdbQuery / scmetrics.tsdbQueryAuto', () => {
  const tsdb = (keys: Keys, op: string, body: unknown, propid = gw.tenant.propid, target = pid) =>
    gw.action(keys, { module: 'scmetrics', op, pid: target, propid }, body);

  it('answers the documented alias scmetrics.tsdb.query exactly as scmetrics.tsdbQuery', async () => {
    const body = {
      time: { start: '2026-03-29T07:00:00+00:00', end: '2026-03-29T12:00:00+00:00' },
      metrics: ['sg.smartclean.pplctr.raw.count'],
      aggregations: ['sum'],
      aggregationInterval: '30T',
    };
    const alias = await tsdb(admin, 'scmetrics.tsdb.query', body);
    expect(alias.status).toBe(200);
    expect(alias.body.series[0].values.length).toBeGreaterThan(0);
    expect(alias.body).toEqual((await tsdb(admin, 'scmetrics.tsdbQuery', body)).body);
  });

  it('answers the documented keyval shape, one series per metric, per device and 30T bucket', async () => {
    const result = await tsdb(admin, 'scmetrics.tsdbQuery', {
      time: { start: '2026-03-29T07:00:00+00:00', end: '2026-03-29T12:00:00+00:00' },
      metrics: ['sg.smartclean.fd.raw.rating', 'sg.smartclean.pplctr.raw.count'],
      aggregations: ['sum', 'count'],
      aggregationInterval: '30T',
      filter: [],
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      type: 'keyval',
      series: [
        {
          values: [
            {
              L0CLASS: pid,
              L1CLASS: wash,
              L2CLASS: 'fd-wash',
              _field: 'sum',
              _time: '2026-03-29T08:30:00Z',
              _value: '1',
            },
            {
              L0CLASS: pid,
              L1CLASS: wash,
              L2CLASS: 'fd-wash',
              _field: 'count',
              _time: '2026-03-29T08:30:00Z',
              _value: '1',
            },
            {
              L0CLASS: pid,
              L1CLASS: wash,
              L2CLASS: 'fd-wash',
              _field: 'sum',
              _time: '2026-03-29T09:30:00Z',
              _value: '4',
            },
            {
              L0CLASS: pid,
              L1CLASS: wash,
              L2CLASS: 'fd-wash',
              _field: 'count',
              _time: '2026-03-29T09:30:00Z',
              _value: '1',
            },
          ],
          id: '0',
          _start: '2026-03-29T07:00:00Z',
          _end: '2026-03-29T12:00:00Z',
          aggregationInterval: '30T',
        },
        {
          values: [
            {
              L0CLASS: pid,
              L1CLASS: lobby,
              L2CLASS: 'pc-lobby',
              _field: 'sum',
              _time: '2026-03-29T10:30:00Z',
              _value: '10',
            },
            {
              L0CLASS: pid,
              L1CLASS: lobby,
              L2CLASS: 'pc-lobby',
              _field: 'count',
              _time: '2026-03-29T10:30:00Z',
              _value: '1',
            },
          ],
          id: '1',
          _start: '2026-03-29T07:00:00Z',
          _end: '2026-03-29T12:00:00Z',
          aggregationInterval: '30T',
        },
      ],
      queryType: 'tsdb',
    });
  });

  it('filters by tag, and groups/sums per zone with postQueryOps', async () => {
    const body = {
      time: { start: '2026-03-28T23:00:00Z', end: '2026-03-29T22:00:00Z' },
      metrics: ['sg.smartclean.pplctr.raw.count'],
      aggregations: ['sum'],
      aggregationInterval: '1D',
    };
    const filtered = await tsdb(admin, 'scmetrics.tsdbQuery', {
      ...body,
      filter: [{ tagk: 'l1class', tagv: lobby }],
    });
    expect(filtered.body.series[0].values.map((v: { L2CLASS: string }) => v.L2CLASS)).toEqual(['pc-lobby']);
    const perZone = await tsdb(admin, 'scmetrics.tsdbQuery', {
      ...body,
      postQueryOps: [
        { type: 'group by', op: 'group', args: [{ key: 'columns', value: ['L1CLASS'] }] },
        { type: 'aggregation', op: 'sum', args: [] },
      ],
    });
    expect(
      perZone.body.series[0].values
        .map((v: Record<string, string>) => [v['L1CLASS'], v['_time'], v['_value']])
        .sort(),
    ).toEqual(
      [
        // 1D buckets are UTC days, each stamped with its end (the last cut at the range end)
        [wash, '2026-03-29T00:00:00Z', '3'],
        [wash, '2026-03-29T22:00:00Z', String(4 + 5 + 6)],
        [lobby, '2026-03-29T22:00:00Z', '10'],
      ].sort(),
    );
  });

  it('tsdbQueryAuto reads a relative range against now and picks the interval', async () => {
    const result = await tsdb(admin, 'scmetrics.tsdbQueryAuto', {
      time: { start: '-1h' },
      metrics: ['sg.smartclean.pplctr.raw.count'],
      aggregations: ['max'],
    });
    expect(result.status).toBe(200);
    const [series] = result.body.series;
    expect(series.aggregationInterval).toBe('1T');
    expect(Date.parse(series._end) - Date.parse(series._start)).toBe(3_600_000);
    expect(series.values).toEqual([
      {
        L0CLASS: pid,
        L1CLASS: wash,
        L2CLASS: 'pc-wash',
        _field: 'max',
        _time: new Date(Math.floor(recent / 60_000) * 60_000 + 60_000).toISOString().replace('.000Z', 'Z'),
        _value: '42',
      },
    ]);
    const older = await tsdb(admin, 'scmetrics.tsdbQueryAuto', {
      time: { start: '-2h', end: '-1h' },
      metrics: ['sg.smartclean.pplctr.raw.count'],
      aggregations: ['max'],
    });
    expect(older.body.series[0].values).toEqual([]);
  });

  it('answers the documented error envelope for a bad metric and a missing interval', async () => {
    expect(
      await tsdb(admin, 'scmetrics.tsdbQuery', {
        time: { start: '-1h' },
        metrics: ['sg.smartclean.pplctr.raw.rating'],
        aggregations: ['sum'],
        aggregationInterval: '5T',
      }),
    ).toMatchObject({ status: 400, body: { status: 400, code: 'WRONG_PARAMETERS' } });
    expect(
      await tsdb(admin, 'scmetrics.tsdbQuery', {
        time: { start: '-1h' },
        metrics: ['sg.smartclean.pplctr.raw.count'],
        aggregations: ['sum'],
      }),
    ).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Missing aggregationInterval in the body' },
    });
  });
});

describe('tenancy', () => {
  it("another property's credential sees nothing of the building: 404 on both surfaces", async () => {
    const rest = await gw.rest(other, 'GET', `/v1/sensor-data?${qs({ pid, ...march })}`);
    expect(rest).toMatchObject({ status: 404, body: { status: 404, detail: `building ${pid} not found` } });
    expect(
      (
        await gw.rest(
          other,
          'GET',
          `/v1/sensor-data/aggregate?${qs({ pid, ...march, field: 'count', interval: 'day' })}`,
        )
      ).status,
    ).toBe(404);
    const matrix = await gw.action(
      other,
      { module: 'scmetrics', op: 'scmetrics.tsdbQuery', pid, propid: other.propid },
      {
        time: { start: '-1h' },
        metrics: ['sg.smartclean.pplctr.raw.count'],
        aggregations: ['sum'],
        aggregationInterval: '5T',
      },
    );
    expect(matrix).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: `building ${pid} not found` },
    });
    // and the tenant sees nothing of the other property's building
    expect((await gw.rest(admin, 'GET', `/v1/sensor-data?${qs({ pid: otherPid, ...march })}`)).status).toBe(
      404,
    );
  });

  it('each building answers only its own points', async () => {
    const theirs = await gw.rest(
      other,
      'GET',
      `/v1/sensor-data/aggregate?${qs({ pid: otherPid, ...march, field: 'count', interval: 'day', type: PPLCTR })}`,
    );
    expect(theirs.body.buckets.map((b: { value: number; points: number }) => [b.value, b.points])).toEqual([
      [2000, 2],
      [4000, 4],
      [1000, 1],
    ]);
    const ours = await gw.rest(admin, 'GET', `/v1/sensor-data?${qs({ pid, ...march, limit: '5000' })}`);
    expect(new Set(ours.body.items.map((p: { PID: string }) => p.PID))).toEqual(new Set([pid]));
  });
});
