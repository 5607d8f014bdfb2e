import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { buildMatrixEvent, TENANT_ROLE_COMMANDS, type TenantRoleCredentialsV1 } from '@matrix/contracts';
import type { CommandBus } from '@matrix/messaging';
import type { Database } from '@matrix/persistence';
import { deviceSlotRows, principalRows } from '../src/read-models/kv-rows';
import { newestChanges, readModelChanges } from '../src/read-models/read-model-change';
import { ReadModelsRepository } from '../src/read-models/read-models.repository';
import { sensorDataRow } from '../src/sensor-data/sensor-data-row';
import { SensorDataRepository } from '../src/sensor-data/sensor-data.repository';
import { hhmm, seededPoint } from './projector-fixtures';
import { ProjectorHarness } from './projector-harness';

/*
 * docs/sql.md's worked queries, read out of the document (every ```sql block after a `<!-- query: name -->`
 * line) and run verbatim as a tenant role against seeded data; and the read models' tenant isolation: a
 * tenant sees its own rows of every read-model table and none of another property's.
 */

const DOC = readFileSync(path.resolve(__dirname, '../../../docs/sql.md'), 'utf8');
const QUERIES = new Map(
  [...DOC.matchAll(/<!-- query: ([a-z0-9-]+) -->\n```sql\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]),
);

const harness = new ProjectorHarness('sql_docs');
let app: INestApplication;
let bus: CommandBus;
let sql: Database;
const tenants: Client[] = [];
const created: TenantRoleCredentialsV1[] = [];

const BUILDINGS = { 'b-a1': 'prop-a', 'b-b1': 'prop-b' } as const;
const SGT = (local: string) => new Date(`${local}+08:00`);
let seq = 0;

/** A grid or workforce event of a building, applied through the projector's own read-model path. */
const apply = async (
  pid: keyof typeof BUILDINGS,
  eventId: string,
  at: Date,
  meta: Record<string, unknown>,
) => {
  const event = buildMatrixEvent({
    principal: pid,
    principalType: 'building',
    entity: BUILDINGS[pid],
    entityType: 'property',
    module: eventId.startsWith('ZONE') || eventId.startsWith('LEVEL') ? 'scgrids' : 'scworkforcemanagement',
    eventId,
    priority: 'NORMAL',
    description: eventId,
    occurredAt: at,
    meta,
  });
  const result = readModelChanges(event, ++seq, { pid, propId: BUILDINGS[pid] });
  if (!result.ok) throw new Error(result.error);
  await app.get(ReadModelsRepository).applyEvents(newestChanges(result.changes));
};

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);
const incident = (id: string, zone: string, zoneName: string, status: string, end?: Date) => ({
  TaskId: id,
  Type: 'INCIDENT',
  Zone: zone,
  ZoneName: zoneName,
  Name: 'Spill',
  Priority: 'H',
  Status: status,
  EscalationLevel: 'L0',
  By: 'WD',
  SourceDeviceIdentifier: ['wd-1'],
  Start: 0,
  End: 0,
  AStart: 0,
  AEnd: end ? epoch(end) : 0,
});

const create = async (propId: string) => {
  const credentials = await bus.request(TENANT_ROLE_COMMANDS.create, { propId });
  created.push(credentials);
  const client = new Client({ connectionString: credentials.connectionString });
  client.on('error', () => undefined);
  await client.connect();
  tenants.push(client);
  return client;
};

beforeAll(async () => {
  ({ app, sql, commands: bus } = await harness.start());

  // 1 June 2022 in Singapore: hourly people counts (b-a1: 2 in z-1, 1 in z-2; b-b1: 5 in z-1) and
  // feedback (b-a1 z-1: 4 and 5, z-2: 3; b-b1 z-1: 1).
  const counts = { 'b-a1': { 'z-1': 2, 'z-2': 1 }, 'b-b1': { 'z-1': 5 } } as const;
  const ratings = { 'b-a1': { 'z-1': [4, 5], 'z-2': [3] }, 'b-b1': { 'z-1': [1] } } as const;
  const points = Object.entries(counts).flatMap(([pid, zones]) =>
    Object.entries(zones).flatMap(([zone, count]) => [
      ...Array.from({ length: 24 }, (_, h) =>
        seededPoint({
          pid,
          propId: BUILDINGS[pid as keyof typeof BUILDINGS],
          zone,
          type: 'PPLCTR',
          at: `2022-06-01T${hhmm(h * 60 + 5)}+08:00`,
          v: { count, out_count: 0 },
        }),
      ),
      ...(ratings[pid as keyof typeof ratings] as Record<string, readonly number[]>)[zone]!.map((rating, i) =>
        seededPoint({
          pid,
          propId: BUILDINGS[pid as keyof typeof BUILDINGS],
          zone,
          type: 'FD',
          at: `2022-06-01T${hhmm(600 + i)}+08:00`,
          v: { rating },
        }),
      ),
    ]),
  );
  const written = await app
    .get(SensorDataRepository)
    .write(points.map(({ msgId, point }) => sensorDataRow(msgId, ++seq, point)));
  expect(written.every((result) => result.kind === 'inserted')).toBe(true);

  // The registry: two zones in b-a1 (one renamed), one in b-b1, and a removed one.
  const zone = (insid: string, name: string) => ({ InsID: insid, LID: 'l-1', Name: name, Status: 'ACTIVE' });
  await apply('b-a1', 'ZONE_CREATED', SGT('2022-05-01T00:00:00'), zone('z-1', 'Washroom'));
  await apply('b-a1', 'ZONE_NAME_MODIFIED', SGT('2022-05-02T00:00:00'), zone('z-1', 'Washroom L1'));
  await apply('b-a1', 'ZONE_CREATED', SGT('2022-05-01T00:00:00'), zone('z-2', 'Pantry'));
  await apply('b-a1', 'ZONE_CREATED', SGT('2022-05-01T00:00:00'), zone('z-9', 'Old store'));
  await apply('b-a1', 'ZONE_REMOVED', SGT('2022-05-03T00:00:00'), zone('z-9', 'Old store'));
  await apply('b-b1', 'ZONE_CREATED', SGT('2022-05-01T00:00:00'), zone('z-1', 'Lobby'));
  await apply('b-a1', 'LEVEL_CREATED', SGT('2022-05-01T00:00:00'), { LID: 'l-1', Name: 'Ground' });
  await apply('b-b1', 'LEVEL_CREATED', SGT('2022-05-01T00:00:00'), { LID: 'l-1', Name: 'Ground' });

  // Incidents: i-1 in z-1 created 09:00 and completed 09:30; i-2 in z-1 created 14:00, started; i-3 in
  // z-2 created the next day, open; i-4 in b-b1, open.
  await apply(
    'b-a1',
    'INCIDENT_CREATED_OPEN',
    SGT('2022-06-01T09:00:00'),
    incident('i-1', 'z-1', 'Washroom L1', 'NOT_ASSIGNED'),
  );
  await apply(
    'b-a1',
    'INCIDENT_STARTED',
    SGT('2022-06-01T09:10:00'),
    incident('i-1', 'z-1', 'Washroom L1', 'STARTED'),
  );
  await apply(
    'b-a1',
    'INCIDENT_COMPLETED',
    SGT('2022-06-01T09:30:00'),
    incident('i-1', 'z-1', 'Washroom L1', 'COMPLETED', SGT('2022-06-01T09:30:00')),
  );
  await apply(
    'b-a1',
    'INCIDENT_CREATED_OPEN',
    SGT('2022-06-01T14:00:00'),
    incident('i-2', 'z-1', 'Washroom L1', 'NOT_ASSIGNED'),
  );
  await apply(
    'b-a1',
    'INCIDENT_STARTED',
    SGT('2022-06-01T14:05:00'),
    incident('i-2', 'z-1', 'Washroom L1', 'STARTED'),
  );
  await apply(
    'b-a1',
    'INCIDENT_CREATED_OPEN',
    SGT('2022-06-02T10:00:00'),
    incident('i-3', 'z-2', 'Pantry', 'NOT_ASSIGNED'),
  );
  await apply(
    'b-b1',
    'INCIDENT_CREATED_OPEN',
    SGT('2022-06-01T11:00:00'),
    incident('i-4', 'z-1', 'Lobby', 'NOT_ASSIGNED'),
  );

  // A task group cleaned z-2 until 18:00; shifts in both buildings.
  for (const [pid, zoneId, taskId] of [
    ['b-a1', 'z-2', 't-1'],
    ['b-b1', 'z-1', 't-2'],
  ] as const) {
    await apply(pid, 'TASK_COMPLETED', SGT('2022-06-01T18:00:00'), {
      Type: 'TASK',
      TaskId: taskId,
      ShiftId: `s-${pid}`,
      SeatId: `${BUILDINGS[pid]}_001`,
      Zone: zoneId,
      ZoneName: 'x',
      Name: 'Clean',
      Priority: 'N',
      Status: 'COMPLETED',
      AStart: epoch(SGT('2022-06-01T17:00:00')),
      AEnd: epoch(SGT('2022-06-01T18:00:00')),
      TasksDone: 1,
      taskCount: 1,
    });
    await apply(pid, 'SHIFT_STARTED', SGT('2022-06-01T08:00:00'), {
      ShiftId: `s-${pid}`,
      SeatId: `${BUILDINGS[pid]}_001`,
      Status: 'STARTED',
    });
  }

  // The KV-fed tables.
  const kvRows = Object.entries(BUILDINGS).flatMap(([pid, propId], i) => [
    ...deviceSlotRows({
      key: `pc-${pid}`,
      revision: 10 + i,
      value: {
        DevType: 'SMARTCLEAN#PPLCTR',
        PID: pid,
        PropId: propId,
        InsID: 'z-1',
        Region: 'Asia/Singapore',
      },
    }).rows,
    ...principalRows({
      key: pid,
      revision: 20 + i,
      value: { type: 'building', org: 'org-1', property: propId },
    }).rows,
    ...principalRows({
      key: propId,
      revision: 30 + i,
      value: { type: 'property', org: 'org-1', property: propId },
    }).rows,
  ]);
  await app.get(ReadModelsRepository).applyKv(kvRows);
});

afterAll(async () => {
  await Promise.all(tenants.map((client) => client.end().catch(() => undefined)));
  for (const { propId } of created) {
    await bus?.request(TENANT_ROLE_COMMANDS.revoke, { propId }).catch(() => undefined);
  }
  await harness.stop();
});

describe('docs/sql.md', () => {
  let a: Client;
  let b: Client;
  const run = async (client: Client, name: string) => {
    const text = QUERIES.get(name);
    if (text === undefined) throw new Error(`docs/sql.md has no query "${name}"`);
    return (await client.query(text)).rows;
  };

  beforeAll(async () => {
    a = await create('prop-a');
    b = await create('prop-b');
  });

  it('holds the worked queries this test runs, and no other', () => {
    expect([...QUERIES.keys()].sort()).toEqual([
      'average-rating-per-zone',
      'incidents-per-zone-per-day',
      'last-clean-per-zone',
      'open-incidents',
      'people-per-zone',
      'people-per-zone-named',
    ]);
  });

  it('people per zone: the documented query and the named one give the tenant its numbers', async () => {
    const byZone = (rows: { zone: string; totalpeople: string }[]) =>
      Object.fromEntries(rows.map((row) => [row.zone, Number(row.totalpeople)]));
    expect(byZone(await run(a, 'people-per-zone'))).toEqual({ 'z-1': 48, 'z-2': 24 });
    expect(await run(b, 'people-per-zone')).toEqual([]); // b-a1 is not prop-b's
    expect(await run(a, 'people-per-zone-named')).toEqual([
      { zone: 'Pantry', total_people: '24' },
      { zone: 'Washroom L1', total_people: '48' },
    ]);
  });

  it('average feedback rating per zone', async () => {
    expect(await run(a, 'average-rating-per-zone')).toEqual([
      { zone: 'Pantry', average_rating: '3.00' },
      { zone: 'Washroom L1', average_rating: '4.50' },
    ]);
  });

  it('incidents per zone per day', async () => {
    const rows = await run(a, 'incidents-per-zone-per-day');
    expect(rows.map((row) => ({ ...row, day: (row.day as Date).toISOString().slice(0, 10) }))).toEqual([
      { day: '2022-06-01', zone: 'Washroom L1', incidents: '2' },
      { day: '2022-06-02', zone: 'Pantry', incidents: '1' },
    ]);
  });

  it('last clean time per zone', async () => {
    expect(await run(a, 'last-clean-per-zone')).toEqual([
      { zone: 'Pantry', last_clean: '2022-06-01 18:00' },
      { zone: 'Washroom L1', last_clean: '2022-06-01 09:30' },
    ]);
  });

  it('open incidents now: only the tenant’s', async () => {
    const ids = (rows: { task_id: string; status: string }[]) => rows.map((row) => [row.task_id, row.status]);
    expect(ids(await run(a, 'open-incidents'))).toEqual([
      ['i-2', 'STARTED'],
      ['i-3', 'NOT_ASSIGNED'],
    ]);
    expect(ids(await run(b, 'open-incidents'))).toEqual([['i-4', 'NOT_ASSIGNED']]);
  });

  it('read models: each tenant sees its own rows of every table and none of the other property', async () => {
    const tables = [
      'zones',
      'levels',
      'incidents',
      'tasks',
      'shifts',
      'device_slots',
      'buildings',
      'properties',
    ];
    for (const table of tables) {
      const all = await sql.query(
        `select prop_id as prop, count(*)::int as n from matrix.${table} group by 1 order by 1`,
      );
      expect(all.map((row) => row.prop)).toEqual(['prop-a', 'prop-b']);
      for (const [client, prop] of [
        [a, 'prop-a'],
        [b, 'prop-b'],
      ] as const) {
        const seen = (
          await client.query(
            `select prop_id as prop, count(*)::int as n from matrix.${table} group by 1 order by 1`,
          )
        ).rows;
        expect({ table, seen }).toEqual({ table, seen: all.filter((row) => row.prop === prop) });
      }
    }
    expect(
      await Promise.all(
        [
          "insert into matrix.zones (pid, insid, name, meta, event_time, event_seq) values (1, 1, 1, '{}', now(), 1)",
          'delete from matrix.incidents',
        ].map((text) =>
          a.query(text).then(
            () => 'ok',
            (error: { code?: string }) => error.code,
          ),
        ),
      ),
    ).toEqual(['42501', '42501']);
  });
});
