import { Client } from 'pg';
import { Database, runMigrations } from '@matrix/persistence';
import { JsonLogger, MetricsService } from '@matrix/platform';
import { createTestDatabase, expectEventually, type TestDatabase } from '@matrix/testing';
import { loadConfig } from '../src/config/sql-projector.config';
import type { MatrixEventRow } from '../src/matrix-events/matrix-event-row';
import { MatrixEventsRepository } from '../src/matrix-events/matrix-events.repository';
import { persistenceOptions } from '../src/persistence-options';
import { RetentionRepository } from '../src/retention/retention.repository';
import { RetentionService, type RetentionOptions } from '../src/retention/retention.service';
import { sensorDataRow } from '../src/sensor-data/sensor-data-row';
import { SensorDataRepository } from '../src/sensor-data/sensor-data.repository';
import { seededPoint } from './projector-fixtures';

/*
 * Retention on a real PostgreSQL (a fresh clone of a migrated template per test): whole partitions of
 * matrix.sensor_data (daily) and matrix.events (monthly) older than the retention are detached and dropped,
 * the one holding the boundary and newer data are kept, 0 keeps everything, the rollup loses only whole quarter
 * hours past its retention, two replicas dropping at once is harmless and only one leads, a late point
 * older than the retention is written and dropped by the next round, and a busy table is skipped.
 */

/** The instant the rounds run at: cutoffs below are counted back from here. */
const NOW = new Date('2024-06-15T12:00:00Z');
/** 30 days before NOW: 2024-05-16T12:00Z, inside May. */
const DAYS_30 = 30;
/** 60 days before NOW: 2024-04-16T12:00Z, inside April. */
const DAYS_60 = 60;

let template: TestDatabase;
let database: TestDatabase;
const open: Database[] = [];
let seq = 0;

const options = (days: Partial<RetentionOptions> = {}): RetentionOptions => ({
  sensorDataDays: DAYS_30,
  eventsDays: DAYS_60,
  sensorData15mDays: 0,
  everyMs: 3_600_000,
  lockTimeoutMs: 200,
  ...days,
});

function connect(): Database {
  const db = Database.create(persistenceOptions(loadConfig({ DATABASE_URL: database.url })));
  open.push(db);
  return db;
}

function retention(db: Database, days: Partial<RetentionOptions> = {}) {
  const metrics = new MetricsService('sql-projector');
  const service = new RetentionService(
    new RetentionRepository(db),
    db,
    new JsonLogger('sql-projector', 'error'),
    metrics,
    options(days),
  );
  return { service, metrics };
}

const point = (at: string, zone = 'zone-1') => {
  const { msgId, point } = seededPoint({ pid: 'b-ret', zone, type: 'PPLCTR', at, v: { count: 2 } });
  return sensorDataRow(msgId, ++seq, point);
};

const event = (time: string): MatrixEventRow => ({
  msg_id: `outbox:test:${++seq}`,
  principal: 'b-ret',
  pid: 'b-ret',
  prop_id: 'prop-ret',
  module: 'scgrids',
  event_id: 'IncidentRaised',
  priority: 'info',
  routing_key: 'matrix.b-ret.scgrids.IncidentRaised.info',
  time,
  description: 'test event',
  meta: {},
  payload: {} as MatrixEventRow['payload'],
  stream_seq: seq,
});

async function partitions(db: Database, parent: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = $1::regclass order by 1`,
    [parent],
  );
  return rows.map((row) => row.name);
}

/** Rows per UTC month of `table`'s `column`. */
async function monthCounts(db: Database, table: string, column = 'time'): Promise<Record<string, number>> {
  const rows = await db.query<{ month: string; n: number }>(
    `select to_char(${column} at time zone 'UTC', 'YYYY-MM') as month, count(*)::int as n
       from ${table} group by 1 order by 1`,
  );
  return Object.fromEntries(rows.map((row) => [row.month, row.n]));
}

const counter = async (metrics: MetricsService, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values.map((v) => [v.labels, v.value]);

/** Sensor points and events in March to June 2024 (the cutoffs fall inside May and April). */
async function seed(db: Database): Promise<void> {
  const sensor = new SensorDataRepository(db);
  const results = await sensor.write([
    point('2024-03-10T10:00+00:00'),
    point('2024-04-30T23:59+00:00'),
    point('2024-05-01T00:00+00:00'),
    point('2024-05-16T11:00+00:00'),
    point('2024-06-01T08:00+00:00'),
  ]);
  expect(results.map((r) => r.kind)).toEqual(Array(5).fill('inserted'));
  const events = new MatrixEventsRepository(db);
  const written = await events.write([
    event('2024-03-31T23:59:59Z'),
    event('2024-04-01T00:00:00Z'),
    event('2024-04-20T00:00:00Z'),
    event('2024-06-10T00:00:00Z'),
  ]);
  expect(written.map((r) => r.kind)).toEqual(Array(4).fill('inserted'));
}

beforeAll(async () => {
  template = await createTestDatabase('projector_retention_template');
  await runMigrations(persistenceOptions(loadConfig({ DATABASE_URL: template.url })));
});

beforeEach(async () => {
  database = await createTestDatabase('projector_retention', { template: template.name });
});

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  await database?.drop();
});

afterAll(async () => {
  await template?.drop();
});

describe('retention of the dedicated database', () => {
  it('drops the partitions wholly older than the retention and keeps the boundary day (month) and newer data', async () => {
    const db = connect();
    await seed(db);
    const { service, metrics } = retention(db);

    const rounds = await service.runOnce(NOW);

    expect(
      rounds.map(({ table, dropped, deleted, busy, error }) => [table, dropped, deleted, busy, error]),
    ).toEqual([
      [
        'matrix.sensor_data',
        ['matrix.sensor_data_20240310', 'matrix.sensor_data_20240430', 'matrix.sensor_data_20240501'],
        0,
        0,
        undefined,
      ],
      ['matrix.events', ['matrix.events_202403'], 0, 0, undefined],
      ['matrix.sensor_data_15m', [], 0, 0, undefined],
    ]);
    expect(await partitions(db, 'matrix.sensor_data')).not.toEqual(
      expect.arrayContaining(['sensor_data_20240310']),
    );
    expect(await partitions(db, 'matrix.sensor_data')).toEqual(
      expect.arrayContaining(['sensor_data_20240516', 'sensor_data_20240601']),
    );
    // 16 May holds the cutoff (12:00): its point of 11:00, past the retention, stays with its day; events
    // are partitioned by month, and April holds their cutoff.
    expect(await monthCounts(db, 'matrix.sensor_data')).toEqual({ '2024-05': 1, '2024-06': 1 });
    expect(await monthCounts(db, 'matrix.events')).toEqual({ '2024-04': 2, '2024-06': 1 });
    // The rollup keeps forever by default: March and April's buckets outlive their points.
    expect(await monthCounts(db, 'matrix.sensor_data_15m', 'bucket')).toEqual({
      '2024-03': 1,
      '2024-04': 1,
      '2024-05': 2,
      '2024-06': 1,
    });
    expect(await counter(metrics, 'matrix_projector_retention_partitions_dropped_total')).toEqual([
      [{ table: 'matrix.sensor_data' }, 3],
      [{ table: 'matrix.events' }, 1],
    ]);

    // A second round finds nothing more to drop.
    const again = await service.runOnce(NOW);
    expect(again.map((round) => round.dropped)).toEqual([[], [], []]);
  });

  it('keeps everything with retention 0, and does not contend for leadership', async () => {
    const db = connect();
    await seed(db);
    const { service } = retention(db, { sensorDataDays: 0, eventsDays: 0, sensorData15mDays: 0 });
    const before = [
      await partitions(db, 'matrix.sensor_data'),
      await partitions(db, 'matrix.events'),
      await monthCounts(db, 'matrix.sensor_data_15m', 'bucket'),
    ];

    const rounds = await service.runOnce(NOW);

    expect(rounds.map(({ cutoff, dropped, deleted }) => [cutoff, dropped, deleted])).toEqual([
      [undefined, [], 0],
      [undefined, [], 0],
      [undefined, [], 0],
    ]);
    expect([
      await partitions(db, 'matrix.sensor_data'),
      await partitions(db, 'matrix.events'),
      await monthCounts(db, 'matrix.sensor_data_15m', 'bucket'),
    ]).toEqual(before);
    expect(await monthCounts(db, 'matrix.sensor_data')).toEqual({
      '2024-03': 1,
      '2024-04': 1,
      '2024-05': 2,
      '2024-06': 1,
    });
    expect(service.enabled).toBe(false);
    service.onApplicationBootstrap();
    expect(service.leader.isLeader).toBe(false);
    await service.beforeApplicationShutdown();
  });

  it('deletes rollup buckets whose whole quarter hour is older than the retention, in bounded batches', async () => {
    const db = connect();
    const sensor = new SensorDataRepository(db);
    // Cutoff 16 May 12:00: the bucket 11:45–12:00 is wholly older, 12:00–12:15 is not.
    await sensor.write([
      point('2024-05-16T11:50+00:00', 'zone-1'),
      point('2024-05-16T11:55+00:00', 'zone-2'),
      point('2024-05-16T11:10+00:00', 'zone-3'),
      point('2024-05-16T12:00+00:00', 'zone-1'),
      point('2024-05-16T12:14+00:00', 'zone-2'),
    ]);
    const buckets = async () =>
      (
        await db.query<{ bucket: Date; insid: string }>(
          `select bucket, insid from matrix.sensor_data_15m order by bucket, insid`,
        )
      ).map((row) => `${row.bucket.toISOString().slice(11, 16)} ${row.insid}`);
    expect(await buckets()).toEqual([
      '11:00 zone-3',
      '11:45 zone-1',
      '11:45 zone-2',
      '12:00 zone-1',
      '12:00 zone-2',
    ]);

    // One bounded batch takes the oldest first.
    const repository = new RetentionRepository(db);
    expect(await repository.deleteBuckets(new Date('2024-05-16T11:45:00Z'), 2, 200)).toBe(2);
    expect(await buckets()).toEqual(['11:45 zone-2', '12:00 zone-1', '12:00 zone-2']);

    const { service, metrics } = retention(db, {
      sensorDataDays: 0,
      eventsDays: 0,
      sensorData15mDays: DAYS_30,
    });
    const rounds = await service.runOnce(NOW);
    expect(rounds[2]).toMatchObject({ table: 'matrix.sensor_data_15m', deleted: 1, busy: 0 });
    expect(await buckets()).toEqual(['12:00 zone-1', '12:00 zone-2']);
    expect(await counter(metrics, 'matrix_projector_retention_rows_deleted_total')).toEqual([
      [{ table: 'matrix.sensor_data_15m' }, 1],
    ]);
    // The raw points are untouched (their retention is 0).
    expect(await monthCounts(db, 'matrix.sensor_data')).toEqual({ '2024-05': 5 });
  });

  it('drops each partition once when two replicas run a round at the same moment', async () => {
    const a = connect();
    const b = connect();
    await seed(a);
    const [roundsA, roundsB] = await Promise.all([
      retention(a).service.runOnce(NOW),
      retention(b).service.runOnce(NOW),
    ]);

    const dropped = [...roundsA, ...roundsB].flatMap((round) => round.dropped).sort();
    expect(dropped).toEqual([
      'matrix.events_202403',
      'matrix.sensor_data_20240310',
      'matrix.sensor_data_20240430',
      'matrix.sensor_data_20240501',
    ]);
    expect([...roundsA, ...roundsB].map((round) => round.error)).toEqual(Array(6).fill(undefined));
    expect(await monthCounts(a, 'matrix.sensor_data')).toEqual({ '2024-05': 1, '2024-06': 1 });
  });

  it('writes a late point older than the retention, and the next round drops it again', async () => {
    const db = connect();
    await seed(db);
    // The projector's repositories have seen (and cached) 11 March's and March's partitions before retention
    // drops them.
    const sensor = new SensorDataRepository(db);
    const events = new MatrixEventsRepository(db);
    await sensor.write([point('2024-03-11T10:00+00:00')]);
    await events.write([event('2024-03-02T00:00:00Z')]);
    const { service } = retention(db);
    await service.runOnce(NOW);
    expect(await partitions(db, 'matrix.sensor_data')).not.toContain('sensor_data_20240311');

    const late = await sensor.write([point('2024-03-11T12:00+00:00'), point('2024-06-02T10:00+00:00')]);
    const lateEvent = await events.write([event('2024-03-03T00:00:00Z')]);

    expect(late.map((r) => r.kind)).toEqual(['inserted', 'inserted']);
    expect(lateEvent.map((r) => r.kind)).toEqual(['inserted']);
    expect(await monthCounts(db, 'matrix.sensor_data')).toEqual({ '2024-03': 1, '2024-05': 1, '2024-06': 2 });
    expect(await monthCounts(db, 'matrix.events')).toEqual({ '2024-03': 1, '2024-04': 2, '2024-06': 1 });

    const next = await service.runOnce(NOW);
    expect(next.map((round) => round.dropped)).toEqual([
      ['matrix.sensor_data_20240311'],
      ['matrix.events_202403'],
      [],
    ]);
    expect(await monthCounts(db, 'matrix.sensor_data')).toEqual({ '2024-05': 1, '2024-06': 2 });
    expect(await monthCounts(db, 'matrix.events')).toEqual({ '2024-04': 2, '2024-06': 1 });
  });

  it('skips a partition whose table a reader holds, within the lock timeout, while the projector keeps writing', async () => {
    const db = connect();
    await seed(db);
    const reader = new Client({ connectionString: database.url });
    await reader.connect();
    try {
      // A long tenant query: ACCESS SHARE on matrix.sensor_data until it ends.
      await reader.query('begin');
      await reader.query('select count(*) from matrix.sensor_data');
      const { service, metrics } = retention(db);

      const rounds = await service.runOnce(NOW);

      expect(rounds[0]).toMatchObject({ table: 'matrix.sensor_data', dropped: [], busy: 3 });
      expect(rounds[1]).toMatchObject({ table: 'matrix.events', dropped: ['matrix.events_202403'] });
      expect(await partitions(db, 'matrix.sensor_data')).toEqual(
        expect.arrayContaining(['sensor_data_20240310', 'sensor_data_20240430']),
      );
      expect(await counter(metrics, 'matrix_projector_retention_failures_total')).toEqual([
        [{ table: 'matrix.sensor_data', reason: 'busy' }, 3],
      ]);
      // The projector writes meanwhile (its ROW EXCLUSIVE lock does not conflict with the reader's).
      const written = await new SensorDataRepository(db).write([point('2024-06-03T10:00+00:00')]);
      expect(written.map((r) => r.kind)).toEqual(['inserted']);

      await reader.query('commit');
      const next = await service.runOnce(NOW);
      expect(next[0]!.dropped).toEqual([
        'matrix.sensor_data_20240310',
        'matrix.sensor_data_20240430',
        'matrix.sensor_data_20240501',
      ]);
    } finally {
      await reader.end();
    }
  });

  it('runs on one replica at a time: the leader rounds at start, the other takes over when it stops', async () => {
    const a = connect();
    const b = connect();
    await seed(a);
    // The leader's rounds run at the real now, long after 2024: every partition of the seed is past 30 days.
    const first = retention(a);
    const second = retention(b);
    first.service.onApplicationBootstrap();
    second.service.onApplicationBootstrap();
    try {
      const droppedBy = async (m: MetricsService) =>
        (await counter(m, 'matrix_projector_retention_partitions_dropped_total')).reduce(
          (sum, [, value]) => sum + (value as number),
          0,
        );
      // Every partition of the seed: sensor data's five days, events' March, April and June (3).
      await expectEventually(async () =>
        expect(await Promise.all([droppedBy(first.metrics), droppedBy(second.metrics)])).toEqual(
          expect.arrayContaining([8, 0]),
        ),
      );
      expect(await monthCounts(a, 'matrix.sensor_data')).toEqual({});
      expect(await monthCounts(a, 'matrix.events')).toEqual({});
      const leaders = [first.service.leader.isLeader, second.service.leader.isLeader];
      expect(leaders.filter(Boolean)).toHaveLength(1);
      const [leading, standby] = leaders[0] ? [first, second] : [second, first];
      expect(await droppedBy(leading.metrics)).toBe(8);
      expect(await droppedBy(standby.metrics)).toBe(0);

      // A late point makes a day past retention while the leader waits for its next round (an hour);
      // the leader stops, and the standby leads and rounds at once.
      await new SensorDataRepository(a).write([point('2023-01-05T10:00+00:00')]);
      expect(await partitions(a, 'matrix.sensor_data')).toContain('sensor_data_20230105');
      await leading.service.beforeApplicationShutdown();
      await expectEventually(async () => {
        expect(standby.service.leader.isLeader).toBe(true);
        expect(await partitions(a, 'matrix.sensor_data')).not.toContain('sensor_data_20230105');
        expect(await droppedBy(standby.metrics)).toBe(1);
      });
    } finally {
      await first.service.beforeApplicationShutdown();
      await second.service.beforeApplicationShutdown();
    }
  });
});
