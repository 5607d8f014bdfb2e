import { Client } from 'pg';
import { GatewayHarness, type Keys } from './gateway-harness';
import { createSensorDataTable } from './sensor-data-table';

/*
 * scmetrics.getEventLogs / scmetrics.getNLatestEventLogs on a real PostgreSQL, over rows of `matrix.events`
 * as sql-projector writes them: the documented bodies as the Python SDK sends them, paging across pages,
 * N-latest order, a property principal, another tenant refused, bad input naming the field.
 */

const gw = new GatewayHarness('event-logs');
let admin: Keys & { propid: string };
let foreign: Keys & { propid: string; org: string };
let pid: string;
let foreignPid: string;

const BASE = 1_766_000_000; // 2025-12-17T19:33:20Z

interface SeedEvent {
  msgId: string;
  pid: string;
  propId: string;
  module: string;
  event: string;
  unix: number;
}

async function insertEvents(url: string, events: SeedEvent[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`select matrix.ensure_events_partition(to_timestamp($1))`, [BASE]);
    for (const e of events) {
      await client.query(
        `insert into matrix.events (msg_id, principal, pid, prop_id, module, event_id, priority, routing_key, time,
                                    description, meta, payload, stream_seq)
         values ($1, $2, $2, $3, $4, $5, 'NORMAL', $6, to_timestamp($7), $8, '{}', '{}', 1)`,
        [
          e.msgId,
          e.pid,
          e.propId,
          e.module,
          e.event,
          `matrix.${e.pid}.${e.module}.${e.event}.NORMAL`,
          e.unix,
          `${e.event} ${e.msgId}`,
        ],
      );
    }
  } finally {
    await client.end();
  }
}

const call = (keys: Keys, op: string, body: unknown, propid = gw.tenant.propid, org?: string) =>
  gw.action(keys, { module: 'scmetrics', op, pid, propid, ...(org ? { org } : {}) }, body);

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  const building = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/buildings`, {
    name: 'Tower',
    levelsCount: 1,
    timeZone: 'UTC',
  });
  pid = building.body.pid;
  foreign = await gw.bootstrap('Globex', 'Globex Campus');
  const other = await gw.rest(foreign, 'POST', `/v1/properties/${foreign.propid}/buildings`, {
    name: 'Annex',
    levelsCount: 1,
    timeZone: 'UTC',
  });
  foreignPid = other.body.pid;
  await createSensorDataTable(gw.db.url);
  // 1,203 task events one second apart (3 pages of 500), some sharing a second; a grid event; another tenant's.
  const tasks = Array.from({ length: 1203 }, (_, i) => ({
    msgId: `outbox:incident_service.outbox:${String(i).padStart(5, '0')}`,
    pid,
    propId: admin.propid,
    module: 'sctasks',
    event: 'TASK_COMPLETED',
    unix: BASE + Math.floor(i / 3),
  }));
  await insertEvents(gw.db.url, [
    ...tasks,
    { msgId: 'outbox:g:1', pid, propId: admin.propid, module: 'scgrids', event: 'ZONE_CREATED', unix: BASE },
    {
      msgId: 'outbox:f:1',
      pid: foreignPid,
      propId: foreign.propid,
      module: 'sctasks',
      event: 'TASK_COMPLETED',
      unix: BASE,
    },
  ]);
});

afterAll(() => gw.stop());

describe('scmetrics.getEventLogs', () => {
  it('answers the documented record format and pages through a range with LastKey', async () => {
    const body = { Principal: pid, Module: 'sctasks', Start: String(BASE), End: String(BASE + 1000) };
    const first = await call(admin, 'scmetrics.getEventLogs', body);
    expect(first.status).toBe(200);
    expect(first.body.type).toBe('json');
    expect(first.body.queryType).toBe('eventsTSDB');
    expect(first.body.series.start).toBe(String(BASE));
    expect(first.body.series.end).toBe(String(BASE + 1000));
    expect(first.body.series.values[0]).toEqual({
      ATTR: `TASK_COMPLETED#${admin.propid}#${pid}#outbox:incident_service.outbox:00000`,
      Description: 'TASK_COMPLETED outbox:incident_service.outbox:00000',
      Event: 'TASK_COMPLETED',
      ID: 'sctasks',
      Principal: pid,
      Status: 'NORMAL',
      Time: String(BASE),
    });
    const seen: string[] = [];
    let page = first;
    for (;;) {
      seen.push(...page.body.series.values.map((v: { ATTR: string }) => v.ATTR.split('#')[3]));
      if (page.body.series.LastKey === '') break;
      expect(page.body.series.values).toHaveLength(500);
      // keys in other cases, as callers send them
      page = await call(admin, 'scmetrics.getEventLogs', {
        principal: pid,
        module: 'sctasks',
        start: BASE,
        end: BASE + 1000,
        lastKey: page.body.series.LastKey,
      });
      expect(page.status).toBe(200);
    }
    expect(seen).toHaveLength(1203);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(1203);
  });

  it('serves a property principal, and refuses another tenant as NOT_FOUND', async () => {
    const property = await call(admin, 'scmetrics.getEventLogs', {
      Principal: admin.propid,
      Module: 'scgrids',
      Start: String(BASE),
      End: String(BASE + 10),
    });
    expect(property.status).toBe(200);
    expect(property.body.series.values.map((v: { Event: string }) => v.Event)).toEqual(['ZONE_CREATED']);
    const stranger = await call(admin, 'scmetrics.getEventLogs', {
      Principal: foreignPid,
      Module: 'sctasks',
      Start: String(BASE),
      End: String(BASE + 10),
    });
    expect(stranger.status).toBe(404);
    expect(JSON.stringify(stranger.body)).toContain(foreignPid);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const cases: [unknown, RegExp][] = [
      [null, /Principal/],
      [{ Principal: pid, Module: 'sctasks', Start: 'yesterday', End: String(BASE) }, /Start/],
      [{ Principal: pid, Module: 'sctasks', Start: String(BASE + 5), End: String(BASE) }, /End/],
      [
        { Principal: pid, Module: 'sctasks', Start: String(BASE), End: String(BASE + 5), LastKey: 'nope!' },
        /LastKey/,
      ],
      [{ Principal: pid, Module: 'sctasks', Start: '0', End: String(BASE) }, /End/],
    ];
    for (const [body, field] of cases) {
      const answer = await call(admin, 'scmetrics.getEventLogs', body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(field);
    }
  });
});

describe('scmetrics.getNLatestEventLogs', () => {
  it('answers the N latest, newest first', async () => {
    const latest = await call(admin, 'scmetrics.getNLatestEventLogs', {
      Principal: pid,
      Module: 'sctasks',
      N: 4,
    });
    expect(latest.status).toBe(200);
    expect(latest.body.series.n).toBe(4);
    expect(
      latest.body.series.values.map((v: { ATTR: string; Time: string }) => [v.Time, v.ATTR.split('#')[3]]),
    ).toEqual([
      [String(BASE + 400), 'outbox:incident_service.outbox:01202'],
      [String(BASE + 400), 'outbox:incident_service.outbox:01201'],
      [String(BASE + 400), 'outbox:incident_service.outbox:01200'],
      [String(BASE + 399), 'outbox:incident_service.outbox:01199'],
    ]);
  });

  it('refuses N out of range and a missing N, naming it', async () => {
    for (const body of [
      null,
      { Principal: pid, Module: 'sctasks' },
      { Principal: pid, Module: 'sctasks', N: 0 },
      { Principal: pid, Module: 'sctasks', N: 1001 },
    ]) {
      const answer = await call(admin, 'scmetrics.getNLatestEventLogs', body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(body === null ? /Principal/ : /\bN\b/);
    }
  });
});

describe('REST v1 event log', () => {
  const iso = (unix: number) => new Date(unix * 1000).toISOString();
  const events = (path: string, query: Record<string, string>, keys: Keys = admin) =>
    gw.rest(keys, 'GET', `${path}?${new URLSearchParams(query)}`);

  it('pages a building’s events in [from, to) oldest first by nextCursor, in the REST shape', async () => {
    const query = { module: 'sctasks', from: iso(BASE), to: iso(BASE + 401), limit: '500' };
    const seen: string[] = [];
    let page = await events(`/v1/buildings/${pid}/events`, query);
    expect(page.status).toBe(200);
    expect(page.body.items[0]).toEqual({
      id: 'outbox:incident_service.outbox:00000',
      time: '2025-12-17T19:33:20.000000Z',
      module: 'sctasks',
      event: 'TASK_COMPLETED',
      priority: 'NORMAL',
      principal: pid,
      pid,
      propId: admin.propid,
      description: 'TASK_COMPLETED outbox:incident_service.outbox:00000',
      meta: {},
    });
    const sizes: number[] = [];
    for (;;) {
      sizes.push(page.body.items.length);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      if (page.body.nextCursor === null) break;
      page = await events(`/v1/buildings/${pid}/events`, { ...query, cursor: page.body.nextCursor });
      expect(page.status).toBe(200);
    }
    expect(sizes).toEqual([500, 500, 203]);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(1203);
    // `to` is exclusive: the three events of BASE + 400 are left out; the default page is 100
    const before = await events(`/v1/buildings/${pid}/events`, {
      module: 'sctasks',
      from: iso(BASE + 399),
      to: iso(BASE + 400),
    });
    expect(before.body.items.map((item: { id: string }) => item.id)).toEqual([
      'outbox:incident_service.outbox:01197',
      'outbox:incident_service.outbox:01198',
      'outbox:incident_service.outbox:01199',
    ]);
    expect(before.body.nextCursor).toBeNull();
  });

  it('answers the latest events newest first, for a building and for its property', async () => {
    const latest = await events(`/v1/buildings/${pid}/events/latest`, { module: 'sctasks', limit: '4' });
    expect(latest.status).toBe(200);
    expect(latest.body.items.map((item: { id: string }) => item.id)).toEqual([
      'outbox:incident_service.outbox:01202',
      'outbox:incident_service.outbox:01201',
      'outbox:incident_service.outbox:01200',
      'outbox:incident_service.outbox:01199',
    ]);
    const property = await events(`/v1/properties/${admin.propid}/events/latest`, { module: 'scgrids' });
    expect(property.status).toBe(200);
    expect(property.body.items.map((item: { event: string }) => item.event)).toEqual(['ZONE_CREATED']);
    const range = await events(`/v1/properties/${admin.propid}/events`, {
      module: 'scgrids',
      from: iso(BASE),
      to: iso(BASE + 1),
    });
    expect(range.body).toMatchObject({ items: [{ event: 'ZONE_CREATED', pid }], nextCursor: null });
  });

  it('answers 404 for another tenant’s building or property, and for a property on the building route', async () => {
    const query = { module: 'sctasks', from: iso(BASE), to: iso(BASE + 10) };
    for (const path of [
      `/v1/buildings/${foreignPid}/events`,
      `/v1/buildings/${foreignPid}/events/latest`,
      `/v1/properties/${foreign.propid}/events`,
      `/v1/buildings/${admin.propid}/events`,
      `/v1/properties/${pid}/events/latest`,
    ]) {
      const answer = await events(path, path.endsWith('latest') ? { module: 'sctasks' } : query);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses bad parameters with 400 naming each', async () => {
    const path = `/v1/buildings/${pid}/events`;
    const good = { module: 'sctasks', from: iso(BASE), to: iso(BASE + 10) };
    const cases: [string, Record<string, string>, RegExp][] = [
      [path, { from: good.from, to: good.to }, /^module: is required/],
      [path, { ...good, from: 'yesterday' }, /^from: must be an ISO 8601 time/],
      [path, { ...good, from: '2025-12-17T19:33:20' }, /^from: must be an ISO 8601 time/],
      [path, { module: 'sctasks', from: good.from }, /^to: is required/],
      [path, { ...good, to: good.from }, /^to: must be after from/],
      [path, { ...good, to: iso(BASE + 367 * 86_400) }, /^to: at most 366 days/],
      [path, { ...good, cursor: 'nope!' }, /^cursor: is not one this API returned/],
      [path, { ...good, limit: '0' }, /^limit: must be a whole number from 1 to 1000/],
      [path, { ...good, limit: '1001' }, /^limit: must be a whole number from 1 to 1000/],
      [path, { ...good, modul: 'x' }, /^modul: is not a known query parameter/],
      [`${path}/latest`, { module: 'sctasks', limit: 'ten' }, /^limit: must be a whole number/],
      [`${path}/latest`, { module: 'sctasks', from: good.from }, /^from: is not a known query parameter/],
    ];
    for (const [route, query, problem] of cases) {
      const answer = await events(route, query);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
    }
  });
});
