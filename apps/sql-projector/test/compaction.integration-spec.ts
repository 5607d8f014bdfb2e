import { Client } from 'pg';
import { Database, runMigrations } from '@matrix/persistence';
import { JsonLogger, MetricsService } from '@matrix/platform';
import { createTestDatabase, expectEventually, type TestDatabase } from '@matrix/testing';
import { CompactionRepository, CompactionSession } from '../src/compaction/compaction.repository';
import { CompactionService, type CompactionOptions } from '../src/compaction/compaction.service';
import { loadConfig } from '../src/config/sql-projector.config';
import { persistenceOptions } from '../src/persistence-options';

/*
 * Compaction of closed partitions of matrix.sensor_data on a real PostgreSQL (a fresh clone of a migrated
 * template per test): a closed partition whose covering index was left half full by interleaved inserts is
 * rebuilt (smaller, recorded, not again), an open one is left alone, an INVALID `_ccnew` index left by an
 * interrupted rebuild is dropped, a partition dropped meanwhile is skipped, a partition a writer holds is
 * tried next run, and of two replicas only the leader compacts.
 */

/** A day long past: its partition (daily or monthly, whatever the schema makes) is closed. */
const CLOSED_DAY = '2024-03-10';
/** Rows of the closed partition: enough leaf pages for the split pattern to show. */
const ROWS = 20_000;

let template: TestDatabase;
let database: TestDatabase;
const open: Database[] = [];
const services: CompactionService[] = [];

const options = (overrides: Partial<CompactionOptions> = {}): CompactionOptions => ({
  enabled: true,
  everyMs: 3_600_000,
  graceMs: 3_600_000,
  maxPerRun: 4,
  lockTimeoutMs: 200,
  ...overrides,
});

function connect(): Database {
  const db = Database.create(persistenceOptions(loadConfig({ DATABASE_URL: database.url })));
  open.push(db);
  return db;
}

function compaction(db: Database, overrides: Partial<CompactionOptions> = {}) {
  const metrics = new MetricsService('sql-projector');
  const service = new CompactionService(
    new CompactionRepository(db),
    db,
    new JsonLogger('sql-projector', 'error'),
    metrics,
    options(overrides),
  );
  services.push(service);
  return { service, metrics };
}

/**
 * The partition holding `at`, made by the schema's own function; answers `matrix.<name>`. Autovacuum is off
 * on it: a worker analysing the fresh rows holds the lock a rebuild takes, longer than the tests' 200 ms
 * lock timeout (in service the timeout is 5 s, and a rebuild waiting past `deadlock_timeout` cancels it).
 */
async function partitionFor(db: Database, at: string): Promise<string> {
  const [row] = await db.query<{ name: string }>(`select matrix.ensure_sensor_data_partition($1) as name`, [
    at,
  ]);
  const partition = `matrix.${row!.name}`;
  await db.query(`alter table ${partition} set (autovacuum_enabled = false)`);
  return partition;
}

/**
 * `rows` points of one day in time order, every consecutive point of another building, slot type and zone
 * (as the projector writes them): each key range of the index grows at its own right end, so its leaf pages
 * split 50/50 and stay about half full.
 */
async function seedInterleaved(db: Database, day: string, rows = ROWS): Promise<void> {
  await db.query(
    `insert into matrix.sensor_data (msg_id, t, v, unixt, devid, region, time, devtype, pid, propid, insid,
                                     dow, month, hour, dom, minute, stream_seq)
     select 'm-' || i, 'PPLCTR', jsonb_build_object('count', i % 5), 0, 'dev-' || (i % 97), 'sg',
            $1::timestamptz + i * interval '4 seconds', 'SMARTCLEAN#' || (array['PPLCTR', 'FBK', 'ODOUR'])[1 + i % 3],
            'b-' || (i % 23), 'prop-' || (i % 5), 'zone-' || (i % 41), 'Sun', 'Mar', '10', '10', '00', i
       from generate_series(1, $2::int) i`,
    [`${day}T00:00:00Z`, rows],
  );
}

/** Bytes of every index of `partition`, and of its covering index alone. */
async function indexBytes(db: Database, partition: string): Promise<{ all: number; covering: number }> {
  const [row] = await db.query<{ all: string; covering: string }>(
    `select pg_indexes_size($1::regclass) as all,
            (select pg_relation_size(x.indexrelid) from pg_index x
              where x.indrelid = $1::regclass and x.indnatts > x.indnkeyatts) as covering`,
    [partition],
  );
  return { all: Number(row!.all), covering: Number(row!.covering) };
}

async function records(db: Database) {
  return db.query<{ partition_name: string; range_to: Date; bytes_before: string; bytes_after: string }>(
    `select partition_name, range_to, bytes_before, bytes_after from matrix.partition_compactions order by 1`,
  );
}

async function invalidIndexes(db: Database, partition: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `select c.relname as name from pg_index x join pg_class c on c.oid = x.indexrelid
      where x.indrelid = $1::regclass and not x.indisvalid order by 1`,
    [partition],
  );
  return rows.map((row) => row.name);
}

const counter = async (metrics: MetricsService, name: string) =>
  (await metrics.registry.getSingleMetric(name)!.get()).values.map((v) => [v.labels, v.value]);

beforeAll(async () => {
  template = await createTestDatabase('projector_compaction_template');
  await runMigrations(persistenceOptions(loadConfig({ DATABASE_URL: template.url })));
});

beforeEach(async () => {
  database = await createTestDatabase('projector_compaction', { template: template.name });
});

afterEach(async () => {
  jest.restoreAllMocks();
  for (const service of services.splice(0)) await service.beforeApplicationShutdown();
  for (const db of open.splice(0)) await db.close();
  await database?.drop();
});

afterAll(async () => {
  await template?.drop();
});

describe('compaction of closed partitions of matrix.sensor_data', () => {
  it('rebuilds a closed partition once: its half-full covering index packed, recorded, then left alone', async () => {
    const db = connect();
    const closed = await partitionFor(db, `${CLOSED_DAY}T12:00:00Z`);
    await seedInterleaved(db, CLOSED_DAY);
    const open = await partitionFor(db, new Date().toISOString());
    const before = await indexBytes(db, closed);
    const openBefore = await indexBytes(db, open);
    const { service, metrics } = compaction(db);

    const run = await service.runOnce();

    expect(run.error).toBeUndefined();
    expect(run.partitions.map((p) => [p.partition, p.outcome])).toEqual([[closed, 'compacted']]);
    const after = await indexBytes(db, closed);
    // Packed leaves: the covering index loses at least a quarter of its pages.
    expect(after.covering).toBeLessThan(before.covering * 0.75);
    expect(after.all).toBeLessThan(before.all);
    const [record] = await records(db);
    expect(record).toMatchObject({
      partition_name: closed,
      bytes_before: String(before.all),
      bytes_after: String(after.all),
    });
    expect(record!.range_to.getTime()).toBeLessThanOrEqual(new Date('2024-04-01T00:00:00Z').getTime());
    expect(await counter(metrics, 'matrix_projector_compactions_total')).toEqual([
      [{ outcome: 'compacted' }, 1],
    ]);
    expect(await counter(metrics, 'matrix_projector_compaction_bytes_saved_total')).toEqual([
      [{}, before.all - after.all],
    ]);
    // The open partition (its range has not ended) is untouched.
    expect(await indexBytes(db, open)).toEqual(openBefore);
    expect((await records(db)).map((r) => r.partition_name)).not.toContain(open);
    // The rebuilt indexes still serve the documented query's index-only scan, attached to the parent's.
    expect(await invalidIndexes(db, closed)).toEqual([]);
    const [attached] = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_inherits i join pg_index x on x.indexrelid = i.inhrelid
        where x.indrelid = $1::regclass`,
      [closed],
    );
    expect(attached!.n).toBeGreaterThan(0);

    // A second run finds nothing left to do.
    const again = await service.runOnce();
    expect(again).toEqual({ leftoversDropped: [], partitions: [] });
    expect(await indexBytes(db, closed)).toEqual(after);
  });

  it('leaves a partition closed less than the grace ago for a later run', async () => {
    const db = connect();
    const closed = await partitionFor(db, `${CLOSED_DAY}T12:00:00Z`);
    const [range] = await db.query<{ upper: Date }>(
      `select (regexp_match(pg_get_expr(relpartbound, oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz as upper
         from pg_class where oid = $1::regclass`,
      [closed],
    );
    const { service } = compaction(db);

    // Half an hour after the range ended (the grace is an hour): not yet.
    const early = await service.runOnce(new Date(range!.upper.getTime() + 30 * 60_000));
    expect(early.partitions).toEqual([]);
    // An hour after: taken.
    const later = await service.runOnce(new Date(range!.upper.getTime() + 60 * 60_000));
    expect(later.partitions.map((p) => [p.partition, p.outcome])).toEqual([[closed, 'compacted']]);
  });

  it('drops the INVALID _ccnew index an interrupted rebuild left, then compacts', async () => {
    const db = connect();
    const closed = await partitionFor(db, `${CLOSED_DAY}T12:00:00Z`);
    await seedInterleaved(db, CLOSED_DAY, 2000);
    const [pkey] = await db.query<{ name: string }>(
      `select c.relname as name from pg_index x join pg_class c on c.oid = x.indexrelid
        where x.indrelid = $1::regclass and x.indisprimary`,
      [closed],
    );
    // A rebuild interrupted the real way: a writer's open transaction holds the partition, the rebuild's
    // wait for it times out after the copy `_ccnew` was made.
    const writer = new Client({ connectionString: database.url });
    const rebuild = new Client({ connectionString: database.url });
    await writer.connect();
    await rebuild.connect();
    try {
      await writer.query('begin');
      await writer.query(`delete from ${closed} where msg_id = 'm-1'`);
      await rebuild.query(`set lock_timeout = 100`);
      await expect(rebuild.query(`reindex index concurrently matrix.${pkey!.name}`)).rejects.toMatchObject({
        code: '55P03',
      });
      await writer.query('rollback');
    } finally {
      await writer.end();
      await rebuild.end();
    }
    expect(await invalidIndexes(db, closed)).toEqual([`${pkey!.name}_ccnew`]);
    const { service, metrics } = compaction(db);

    const run = await service.runOnce();

    expect(run.leftoversDropped).toEqual([`matrix.${pkey!.name}_ccnew`]);
    expect(run.partitions.map((p) => [p.partition, p.outcome])).toEqual([[closed, 'compacted']]);
    expect(await invalidIndexes(db, closed)).toEqual([]);
    expect(await counter(metrics, 'matrix_projector_compaction_leftovers_dropped_total')).toEqual([[{}, 1]]);
  });

  it('tries a partition a writer holds again next run, and skips one dropped meanwhile without an error', async () => {
    const db = connect();
    const first = await partitionFor(db, `${CLOSED_DAY}T12:00:00Z`);
    const second = await partitionFor(db, '2024-05-20T12:00:00Z');
    await seedInterleaved(db, CLOSED_DAY, 500);
    const { service, metrics } = compaction(db);
    const writer = new Client({ connectionString: database.url });
    await writer.connect();
    try {
      // A writer's open transaction on the older partition: its rebuild cannot wait it out in 200 ms.
      await writer.query('begin');
      await writer.query(`delete from ${first} where msg_id = 'm-1'`);
      // Retention drops the newer one between the listing and its rebuild.
      const list = CompactionSession.prototype.partitions;
      jest.spyOn(CompactionSession.prototype, 'partitions').mockImplementation(async function (
        this: CompactionSession,
      ) {
        const listed = await list.call(this);
        await db.query(`drop table ${second}`);
        return listed;
      });

      const run = await service.runOnce();

      expect(run.error).toBeUndefined();
      expect(run.partitions.map((p) => [p.partition, p.outcome])).toEqual([
        [first, 'busy'],
        [second, 'gone'],
      ]);
      expect(await records(db)).toEqual([]);
      jest.restoreAllMocks();
      await writer.query('rollback');
    } finally {
      await writer.end();
    }

    const next = await service.runOnce();
    expect(next.partitions.map((p) => [p.partition, p.outcome])).toEqual([[first, 'compacted']]);
    expect((await records(db)).map((r) => r.partition_name)).toEqual([first]);
    expect(await invalidIndexes(db, first)).toEqual([]);
    expect(await counter(metrics, 'matrix_projector_compactions_total')).toEqual([
      [{ outcome: 'busy' }, 1],
      [{ outcome: 'gone' }, 1],
      [{ outcome: 'compacted' }, 1],
    ]);
  });

  it('cancels a rebuild in progress at shutdown; the next run drops the _ccnew it left and compacts', async () => {
    const db = connect();
    const closed = await partitionFor(db, `${CLOSED_DAY}T12:00:00Z`);
    await seedInterleaved(db, CLOSED_DAY, 500);
    // A writer's open transaction holds the rebuild at its first wait; the lock timeout is far away.
    const writer = new Client({ connectionString: database.url });
    await writer.connect();
    const { service } = compaction(db, { lockTimeoutMs: 600_000 });
    try {
      await writer.query('begin');
      await writer.query(`delete from ${closed} where msg_id = 'm-1'`);
      service.onApplicationBootstrap();
      const rebuilding = () =>
        db.query<{ query: string }>(
          `select query from pg_stat_activity
            where datname = current_database() and state = 'active' and query ilike 'reindex index concurrently%'`,
        );
      await expectEventually(async () => expect(await rebuilding()).toHaveLength(1));

      await service.beforeApplicationShutdown();

      expect(await rebuilding()).toEqual([]);
      expect(service.leader.isLeader).toBe(false);
      await writer.query('rollback');
    } finally {
      await writer.end();
    }
    expect((await invalidIndexes(db, closed)).every((name) => /_ccnew$/.test(name))).toBe(true);
    expect(await invalidIndexes(db, closed)).toHaveLength(1);
    expect(await records(db)).toEqual([]);

    const next = await compaction(db).service.runOnce();
    expect(next.leftoversDropped).toHaveLength(1);
    expect(next.partitions.map((p) => [p.partition, p.outcome])).toEqual([[closed, 'compacted']]);
    expect(await invalidIndexes(db, closed)).toEqual([]);
  });

  it('compacts on one replica at a time: of two started at once, only the leader compacts', async () => {
    const a = connect();
    const b = connect();
    const closed = await partitionFor(a, `${CLOSED_DAY}T12:00:00Z`);
    await seedInterleaved(a, CLOSED_DAY, 2000);
    const first = compaction(a);
    const second = compaction(b);
    first.service.onApplicationBootstrap();
    second.service.onApplicationBootstrap();
    const compacted = async (m: MetricsService) =>
      (await counter(m, 'matrix_projector_compactions_total'))
        .filter(([labels]) => (labels as { outcome: string }).outcome === 'compacted')
        .reduce((sum, [, value]) => sum + (value as number), 0);

    await expectEventually(async () =>
      expect((await records(a)).map((r) => r.partition_name)).toContain(closed),
    );
    const recorded = (await records(a)).length;
    const leaders = [first.service.leader.isLeader, second.service.leader.isLeader];
    expect(leaders.filter(Boolean)).toHaveLength(1);
    const [leading, standby] = leaders[0] ? [first, second] : [second, first];
    await expectEventually(async () => expect(await compacted(leading.metrics)).toBe(recorded));
    expect(await compacted(standby.metrics)).toBe(0);
  });
});
