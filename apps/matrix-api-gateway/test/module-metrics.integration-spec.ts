import { Client } from 'pg';
import { localTimeFields } from '@matrix/contracts';
import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { GatewayHarness } from './gateway-harness';
import { createSensorDataTable, insertPoints } from './sensor-data-table';

/*
 * scmetrics module metrics and named queries (reference §4.5, Appendix A) on a real PostgreSQL: the
 * documented bodies and envelopes, BUILDING_METRICS from the registry, VCS_WO_DAILY_COUNT_BY_TYPE from
 * `matrix.incidents` and `matrix.device_slots` (seeded as sql-projector writes them) bucketed by the
 * building's local day, the two documented named queries over `matrix.sensor_data`, another tenant's
 * principals refused as NOT_FOUND, bad arguments named.
 */

const gw = new GatewayHarness('module-metrics');
let admin: BootstrapResult;
let stranger: BootstrapResult;
let tower: string;
let annex: string;
let washroom: string;
let lobby: string;
let foreignPid: string;

const call = (op: string, body: unknown, keys: BootstrapResult = admin, pid = tower) =>
  gw.action(
    keys,
    { module: 'scmetrics', op: `scmetrics.${op}`, pid, propid: keys.propid, org: keys.org },
    body,
  );

const building = (keys: BootstrapResult, name: string, timeZone: string) =>
  gw.building(keys, name, 2, timeZone);

async function level(keys: BootstrapResult, pid: string, name: string): Promise<string> {
  const created = await gw.action(
    keys,
    { op: 'scgrids.createLevel', pid, propid: keys.propid, org: keys.org },
    {
      Name: name,
    },
  );
  expect(created.status).toBe(201);
  return created.body.data.LID;
}

async function zones(
  keys: BootstrapResult,
  pid: string,
  list: { name: string; lid: string; area?: number }[],
) {
  const created = await gw.rest(keys, 'POST', `/v1/buildings/${pid}/zones`, { zones: list });
  expect(created.status).toBe(201);
  return created.body.items.map((z: { insId: string }) => z.insId) as string[];
}

interface SeedIncident {
  pid: string;
  propId: string;
  taskId: string;
  zone: string | null;
  createdAt: string;
  sources: string[] | null;
}

async function seed(incidents: SeedIncident[], slots: { alias: string; devtype: string; pid: string }[]) {
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  try {
    for (const [i, s] of slots.entries()) {
      await client.query(
        `insert into matrix.device_slots (alias, devtype, provider, pid, removed, kv_revision)
         values ($1, $2, split_part($2, '#', 1), $3, $4, $5)`,
        [s.alias, s.devtype, s.pid, i === 1, i + 1], // a removed slot still names its type
      );
    }
    for (const [i, x] of incidents.entries()) {
      await client.query(
        `insert into matrix.incidents (pid, task_id, prop_id, zone, status, source_devices, created_at,
                                       last_event, event_time, event_seq)
         values ($1, $2, $3, $4, 'NOT_ASSIGNED', $5, $6, 'INCIDENT_CREATED', $6, $7)`,
        [x.pid, x.taskId, x.propId, x.zone, x.sources ? JSON.stringify(x.sources) : null, x.createdAt, i + 1],
      );
    }
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
  tower = await building(admin, 'Tower', 'Asia/Singapore');
  const [ground, first] = [await level(admin, tower, 'G'), await level(admin, tower, '1')];
  const ids = await zones(admin, tower, [
    { name: 'Washroom', lid: ground, area: 12.5 },
    { name: 'Lobby', lid: first, area: 7.5 },
    { name: 'Store', lid: first },
  ]);
  [washroom, lobby] = [ids[0]!, ids[1]!];
  annex = await building(admin, 'Annex', 'UTC');
  await zones(admin, annex, [{ name: 'Hall', lid: await level(admin, annex, 'G') }]);
  foreignPid = await building(stranger, 'Far', 'UTC');

  await createSensorDataTable(gw.db.url);
  await seed(
    [
      // 23:30 on 5 Jan in Singapore (UTC+8), raised by a PT slot
      {
        pid: tower,
        propId: admin.propid,
        taskId: 't1',
        zone: washroom,
        createdAt: '2021-01-05T15:30:00Z',
        sources: ['pt-1'],
      },
      {
        pid: tower,
        propId: admin.propid,
        taskId: 't2',
        zone: washroom,
        createdAt: '2021-01-05T02:00:00Z',
        sources: ['pt-1', 'wd-1'],
      },
      // 00:30 on 6 Jan in Singapore though still 5 Jan in UTC
      {
        pid: tower,
        propId: admin.propid,
        taskId: 't3',
        zone: lobby,
        createdAt: '2021-01-05T16:30:00Z',
        sources: ['wd-1'],
      },
      {
        pid: tower,
        propId: admin.propid,
        taskId: 't4',
        zone: lobby,
        createdAt: '2021-01-06T03:00:00Z',
        sources: null,
      },
      {
        pid: tower,
        propId: admin.propid,
        taskId: 't5',
        zone: lobby,
        createdAt: '2021-01-06T04:00:00Z',
        sources: ['gone'],
      },
      {
        pid: annex,
        propId: admin.propid,
        taskId: 'a1',
        zone: null,
        createdAt: '2021-01-05T23:30:00Z',
        sources: ['pt-2'],
      },
      {
        pid: foreignPid,
        propId: stranger.propid,
        taskId: 'f1',
        zone: null,
        createdAt: '2021-01-05T10:00:00Z',
        sources: [],
      },
    ],
    [
      { alias: 'pt-1', devtype: 'SMARTCLEAN#PT', pid: tower },
      { alias: 'wd-1', devtype: 'SMARTCLEAN#WD', pid: tower },
      { alias: 'pt-2', devtype: 'SMARTCLEAN#PT', pid: annex },
    ],
  );
});

afterAll(() => gw.stop());

describe('scmetrics.getModuleMetrics and getModuleMetricsBatchPrincipals (BUILDING_METRICS)', () => {
  it('answers the documented envelope for a building: its levels, zones and the sum of their areas', async () => {
    const answer = await call('getModuleMetrics', { Principal: tower, NS: 'BUILDING_METRICS' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      type: 'json',
      queryType: 'module',
      metrics: [{ data: { LevelsCount: 2, TotalArea: 20, ZonesCount: 3 }, principal: tower }],
    });
  });

  it('sums a property over its buildings, counts a zone alone and leaves out TotalArea without areas', async () => {
    const answer = await call('getModuleMetricsBatchPrincipals', {
      Principal: [admin.propid, washroom, annex],
      NS: 'BUILDING_METRICS',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.metrics).toEqual([
      { data: { LevelsCount: 3, TotalArea: 20, ZonesCount: 4 }, principal: admin.propid },
      { data: { LevelsCount: 1, TotalArea: 12.5, ZonesCount: 1 }, principal: washroom },
      { data: { LevelsCount: 1, ZonesCount: 1 }, principal: annex },
    ]);
  });

  it("answers another tenant's principal as not found, also inside a batch", async () => {
    const single = await call('getModuleMetrics', { Principal: foreignPid, NS: 'BUILDING_METRICS' });
    expect(single.status).toBe(404);
    expect(JSON.stringify(single.body)).toContain(foreignPid);
    const batch = await call('getModuleMetricsBatchPrincipals', {
      Principal: [tower, foreignPid],
      NS: 'BUILDING_METRICS',
    });
    expect(batch.status).toBe(404);
    const theirs = await call(
      'getModuleMetrics',
      { Principal: foreignPid, NS: 'BUILDING_METRICS' },
      stranger,
      foreignPid,
    );
    expect(theirs.status).toBe(200);
  });

  it('names the field of a bad argument', async () => {
    const ns = await call('getModuleMetrics', { Principal: tower, NS: 'VCS_WO_DAILY_COUNT_BY_TYPE' });
    expect(ns.status).toBe(400);
    expect(JSON.stringify(ns.body)).toContain('NS: \\"VCS_WO_DAILY_COUNT_BY_TYPE\\" is not a namespace');
    const absent = await call('getModuleMetrics', { NS: 'BUILDING_METRICS' });
    expect(absent.status).toBe(400);
    expect(JSON.stringify(absent.body)).toContain('Missing Principal');
    const notList = await call('getModuleMetricsBatchPrincipals', {
      Principal: tower,
      NS: 'BUILDING_METRICS',
    });
    expect(notList.status).toBe(400);
    expect(JSON.stringify(notList.body)).toContain('Principal: must be a list');
  });
});

describe('scmetrics.getModuleTSMetrics (VCS_WO_DAILY_COUNT_BY_TYPE)', () => {
  const TOWER_DAYS = [
    { Bucket: '20210105', Data: { 'WorkOrderCount:PT': 2 } },
    {
      Bucket: '20210106',
      Data: { 'WorkOrderCount:MANUAL': 1, 'WorkOrderCount:UNKNOWN': 1, 'WorkOrderCount:WD': 1 },
    },
    { Bucket: '20210107', Data: {} },
  ];

  it('counts work orders by slot type per local day of the building, as documented', async () => {
    const body = { Principal: tower, NS: 'VCS_WO_DAILY_COUNT_BY_TYPE', Start: '20210105', End: '20210107' };
    const answer = await call('getModuleTSMetrics', body);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ type: 'json', queryType: 'moduleTSDB', series: { values: TOWER_DAYS } });
    const hidden = await call('getModuleTSMetrics', { ...body, HideEmptyBuckets: true });
    expect(hidden.body.series.values).toEqual(TOWER_DAYS.slice(0, 2));
  });

  it('reads Start and End as unix seconds too, in the building time zone', async () => {
    const start = Date.parse('2021-01-04T16:00:00Z') / 1000; // 5 Jan 00:00 in Singapore
    const answer = await call('getModuleTSMetrics', {
      Principal: tower,
      NS: 'VCS_WO_DAILY_COUNT_BY_TYPE',
      Start: String(start),
      End: start + 2 * 86_400,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.series.values).toEqual(TOWER_DAYS);
  });

  it('counts a zone and a property', async () => {
    const answer = await call('getModuleTSMetricsBatchPrincipals', {
      Principals: [washroom, admin.propid],
      NS: 'VCS_WO_DAILY_COUNT_BY_TYPE',
      Start: '20210105',
      End: '20210106',
      HideEmptyBuckets: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      type: 'json',
      queryType: 'moduleTSDB',
      series: [
        { data: [{ Bucket: '20210105', Data: { 'WorkOrderCount:PT': 2 } }], principal: washroom },
        {
          data: [{ Bucket: '20210105', Data: { 'WorkOrderCount:PT': 3 } }, TOWER_DAYS[1]],
          principal: admin.propid,
        },
      ],
    });
  });

  it('answers the documented list body of getModuleTSMetricsBatch with one series per request', async () => {
    const one = {
      Principal: tower,
      NS: 'VCS_WO_DAILY_COUNT_BY_TYPE',
      Start: '20210105',
      End: '20210106',
      HideEmptyBuckets: true,
    };
    const answer = await call('getModuleTSMetricsBatch', [one, { ...one, End: '20210107' }]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      type: 'json',
      queryType: 'moduleTSDB',
      series: [TOWER_DAYS.slice(0, 2), TOWER_DAYS.slice(0, 2)],
    });
    const bad = await call('getModuleTSMetricsBatch', [one, { ...one, NS: 'BUILDING_METRICS' }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('[1].NS');
    const object = await call('getModuleTSMetricsBatch', one);
    expect(object.status).toBe(400);
    expect(JSON.stringify(object.body)).toContain('must be a list');
  });

  it('refuses a list body for an op that takes an object', async () => {
    const answer = await call('getModuleTSMetrics', [{ Principal: tower }]);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('must be a JSON object');
  });

  it("refuses another tenant's principal and bad ranges, naming the field", async () => {
    const body = { Principal: tower, NS: 'VCS_WO_DAILY_COUNT_BY_TYPE', Start: '20210105', End: '20210107' };
    expect((await call('getModuleTSMetrics', { ...body, Principal: foreignPid })).status).toBe(404);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...body, Start: undefined }, 'Missing Start'],
      [{ ...body, End: '20210104' }, 'End: 20210104 is before Start 20210105'],
      [{ ...body, End: '20220201' }, 'at most 366'],
      [{ ...body, Start: '20210230' }, 'Start: 20210230 is not a calendar day'],
      [{ ...body, Start: 'yesterday' }, 'Start: must be a day YYYYMMDD'],
      [{ ...body, HideEmptyBuckets: 'yes' }, 'HideEmptyBuckets: must be true or false'],
      [{ ...body, NS: 'OTHER' }, 'NS: \\"OTHER\\" is not a namespace'],
    ];
    for (const [bad, message] of cases) {
      const answer = await call('getModuleTSMetrics', bad);
      expect({ status: answer.status, message: JSON.stringify(answer.body).includes(message) }).toEqual({
        status: 400,
        message: true,
      });
    }
  });
});

describe('scmetrics.executeNamedQuery and tsdbNamedQuery', () => {
  const now = Date.now();
  const yesterday = localTimeFields(now - 86_400_000, 'Asia/Singapore');
  // 09:10 and 09:40 on that local day in Singapore, and 10:05 (outside the hour)
  const at = (hh: number, mm: number) =>
    Date.parse(
      `${yesterday.t.slice(0, 4)}-${yesterday.month}-${yesterday.dom}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`,
    );

  beforeAll(async () => {
    const point = (unixT: number, devid: string, insid: string, count: number | string) => ({
      unixT,
      devid,
      devtype: 'SMARTCLEAN#PPLCTR',
      pid: tower,
      insid,
      region: 'Asia/Singapore',
      v: { count },
    });
    await insertPoints(gw.db.url, [
      point(at(9, 10), 'pc-w', washroom, 3),
      point(at(9, 40), 'pc-w', washroom, '2'),
      point(at(9, 40), 'pc-l', lobby, 5),
      point(at(10, 5), 'pc-l', lobby, 100),
      point(now - 2 * 3_600_000, 'pc-w', washroom, 4),
      point(now - 2 * 3_600_000 + 60_000, 'pc-w', washroom, 6),
    ]);
    // the 15-minute rollup sql-projector keeps in the statement that inserts the rows
    const client = new Client({ connectionString: gw.db.url });
    await client.connect();
    try {
      await client.query(`select matrix.rebuild_sensor_data_15m($1, $2)`, [
        new Date(at(0, 0)).toISOString(),
        new Date(now).toISOString(),
      ]);
    } finally {
      await client.end();
    }
  });

  it('answers people per zone in one hour of a day of the month for the documented body', async () => {
    const answer = await call('executeNamedQuery', {
      id: 'total_people_count_by_location_by_hour_for_dom_v2',
      params: [
        { key: '$month', value: yesterday.month },
        { key: '$dom', value: yesterday.dom },
        { key: '$hour', value: '09' },
        { key: 'expid', value: 'randomexpid' },
      ],
      qcontext: 'scglobal',
      qtype: 'ml',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      type: 'json',
      queryType: 'namedQuery',
      id: 'total_people_count_by_location_by_hour_for_dom_v2',
      params: { $month: yesterday.month, $dom: yesterday.dom, $hour: '09' },
      series: {
        values: [
          { Zone: lobby, TotalPeople: 5 },
          { Zone: washroom, TotalPeople: 5 },
        ].sort((a, b) => (a.Zone < b.Zone ? -1 : 1)),
      },
    });
  });

  it('answers the documented tsdb named query in the tsdbQuery envelope, per zone in 30T buckets', async () => {
    const answer = await call('tsdbNamedQuery', {
      id: 'pc_count_sum_30t_nh_tsdb',
      params: [{ key: '$start', value: '-3h' }],
      qcontext: 'scglobal',
      qtype: 'tsdb',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.type).toBe('keyval');
    expect(answer.body.queryType).toBe('tsdb');
    const [series] = answer.body.series;
    expect(series.aggregationInterval).toBe('30T');
    const values = series.values as Record<string, string>[];
    expect(values.every((v) => v['L0CLASS'] === tower && v['_field'] === 'sum' && !('L2CLASS' in v))).toBe(
      true,
    );
    const total = values
      .filter((v) => v['L1CLASS'] === washroom)
      .reduce((sum, v) => sum + Number(v['_value']), 0);
    expect(total).toBe(10);
    // executeNamedQuery serves the same id
    expect((await call('executeNamedQuery', { id: 'pc_count_sum_30t_nh_tsdb', params: [] })).status).toBe(
      200,
    );
  });

  it('names an unknown id, a wrong qtype and a bad param', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'executeNamedQuery',
        { id: 'no_such_query', params: [] },
        'id: \\"no_such_query\\" is not a named query',
      ],
      [
        'tsdbNamedQuery',
        { id: 'total_people_count_by_location_by_hour_for_dom_v2', params: [] },
        'call scmetrics.executeNamedQuery',
      ],
      [
        'executeNamedQuery',
        { id: 'pc_count_sum_30t_nh_tsdb', params: [], qtype: 'ml' },
        'qtype: pc_count_sum_30t_nh_tsdb is a tsdb query',
      ],
      [
        'executeNamedQuery',
        { id: 'total_people_count_by_location_by_hour_for_dom_v2', params: [{ key: '$hour', value: '25' }] },
        'params $hour',
      ],
      [
        'tsdbNamedQuery',
        { id: 'pc_count_sum_30t_nh_tsdb', params: [{ key: '$start', value: 'yesterday' }] },
        'params $start',
      ],
      ['tsdbNamedQuery', { id: 'pc_count_sum_30t_nh_tsdb', params: {} }, 'params: must be a list'],
      ['tsdbNamedQuery', { params: [] }, 'Missing id'],
    ];
    for (const [op, body, message] of cases) {
      const answer = await call(op, body);
      expect({ op, status: answer.status, named: JSON.stringify(answer.body).includes(message) }).toEqual({
        op,
        status: 400,
        named: true,
      });
    }
  });

  it("refuses another tenant's building in pid", async () => {
    const answer = await call(
      'executeNamedQuery',
      { id: 'total_people_count_by_location_by_hour_for_dom_v2', params: [] },
      admin,
      foreignPid,
    );
    expect(answer.status).toBe(404);
    const tsdb = await call(
      'tsdbNamedQuery',
      { id: 'pc_count_sum_30t_nh_tsdb', params: [] },
      admin,
      foreignPid,
    );
    expect(tsdb.status).toBe(404);
  });
});
