import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { Database, runMigrations } from '@matrix/persistence';
import { SensorDataDailyPartitions1766600000100 } from '@matrix/sensor-store';
import { createTestDatabase, type TestDatabase } from '@matrix/testing';
import { loadConfig } from '../src/config/sql-projector.config';
import { persistenceOptions } from '../src/persistence-options';
import { sensorDataRow } from '../src/sensor-data/sensor-data-row';
import { SensorDataRepository, type RowResult } from '../src/sensor-data/sensor-data.repository';
import { hhmm, rollups, seededPoint, type PointSpec } from './projector-fixtures';

/*
 * SensorDataRepository on a real PostgreSQL: one statement per batch, idempotent, the 15-minute rollup
 * counting only rows actually inserted, and rows PostgreSQL refuses singled out.
 */

let database: TestDatabase;
let sql: Database;
let repository: SensorDataRepository;
let seq = 0;

const row = (spec: PointSpec) => {
  const { msgId, point } = seededPoint(spec);
  return sensorDataRow(msgId, ++seq, point);
};
const count = async (pid: string) =>
  (await sql.query(`select count(*)::int as n from matrix.sensor_data where pid = $1`, [pid]))[0].n as number;
/** People counted and points rolled up in `matrix.sensor_data_15m` for building `pid`, over all its buckets. */
const rollupTotals = async (pid: string) =>
  (
    await sql.query(
      `select sum(count_sum)::int as people, sum(points)::int as points from matrix.sensor_data_15m where pid = $1`,
      [pid],
    )
  )[0] as { people: number; points: number };
const kinds = (results: RowResult[]) => results.map((result) => result.kind);

beforeAll(async () => {
  database = await createTestDatabase('projector_repo');
  const options = persistenceOptions(loadConfig({ DATABASE_URL: database.url }));
  await runMigrations(options);
  sql = Database.create(options);
  repository = new SensorDataRepository(sql);
});

afterAll(async () => {
  await sql?.close();
  await database?.drop();
});

describe('matrix.ensure_sensor_data_partition', () => {
  it('creates a day once when many sessions ask for it at the same moment, failing none of them', async () => {
    const pool = repository.pool;
    for (let year = 2031; year < 2036; year += 1) {
      const at = `${year}-03-15T00:00:00Z`;
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          pool.query('select matrix.ensure_sensor_data_partition($1) as part', [at]),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const parts = results.map(
        (r) => (r as PromiseFulfilledResult<{ rows: { part: string }[] }>).value.rows[0]!.part,
      );
      expect(new Set(parts)).toEqual(new Set([`sensor_data_${year}0315`]));
    }
  });
});

describe('daily partitions (SensorDataDailyPartitions1766600000100)', () => {
  const partitionOf = async (at: string) =>
    (await sql.query(`select matrix.ensure_sensor_data_partition($1) as part`, [at]))[0].part as string;
  const exists = async (name: string) =>
    (await sql.query(`select to_regclass($1) is not null as found`, [`matrix.${name}`]))[0].found as boolean;

  it('a new database has days only: today and tomorrow made ahead, a month made before the migration dropped when empty', async () => {
    const months = await sql.query(
      `select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'matrix.sensor_data'::regclass and c.relname ~ '^sensor_data_[0-9]{6}$'`,
    );
    expect(months).toEqual([]);
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(await exists(`sensor_data_${today}`)).toBe(true);
  });

  it('keeps a monthly partition that holds rows (its month keeps being written there) and drops an empty one', async () => {
    // Partitions as the monthly function made them before the migration: January 2040 with a row, March empty.
    await sql.query(
      `create table matrix.sensor_data_204001 partition of matrix.sensor_data for values from ('2040-01-01 00:00+00') to ('2040-02-01 00:00+00')`,
    );
    await sql.query(
      `create table matrix.sensor_data_204003 partition of matrix.sensor_data for values from ('2040-03-01 00:00+00') to ('2040-04-01 00:00+00')`,
    );
    expect(
      await repository.write([
        row({ pid: 'b-legacy', zone: 'z', type: 'PPLCTR', at: '2040-01-20T10:00+00:00', v: { count: 1 } }),
      ]),
    ).toHaveLength(1);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const runner = {
        query: async (text: string) => (await client.query(text)).rows,
      } as unknown as QueryRunner;
      // In one transaction, as the migrations run (runMigrations: transaction 'each').
      await client.query('begin');
      await new SensorDataDailyPartitions1766600000100().up(runner);
      await client.query('commit');
    } finally {
      await client.end();
    }
    expect(await exists('sensor_data_204001')).toBe(true);
    expect(await exists('sensor_data_204003')).toBe(false);
    expect(await partitionOf('2040-01-31T23:59:59Z')).toBe('sensor_data_204001');
    expect(await partitionOf('2040-03-02T00:00:00Z')).toBe('sensor_data_20400302');
    expect(await partitionOf('2040-02-29T23:59:59.999Z')).toBe('sensor_data_20400229');
    // A day's partition holds exactly its UTC day.
    const written = await repository.write([
      row({ pid: 'b-days', zone: 'z', type: 'PPLCTR', at: '2040-03-02T00:00+00:00', v: { count: 2 } }),
      row({ pid: 'b-days', zone: 'z', type: 'PPLCTR', at: '2040-03-02T23:59+00:00', v: { count: 3 } }),
      row({ pid: 'b-days', zone: 'z', type: 'PPLCTR', at: '2040-03-03T00:00+00:00', v: { count: 4 } }),
      row({ pid: 'b-legacy', zone: 'z', type: 'PPLCTR', at: '2040-01-21T10:00+00:00', v: { count: 5 } }),
    ]);
    expect(kinds(written)).toEqual(['inserted', 'inserted', 'inserted', 'inserted']);
    const placed = await sql.query(
      `select tableoid::regclass::text as part, count(*)::int as n from matrix.sensor_data
        where pid in ('b-days', 'b-legacy') group by 1 order by 1`,
    );
    expect(placed).toEqual([
      { part: 'matrix.sensor_data_204001', n: 2 },
      { part: 'matrix.sensor_data_20400302', n: 2 },
      { part: 'matrix.sensor_data_20400303', n: 1 },
    ]);
  });
});

describe('SensorDataRepository on PostgreSQL', () => {
  it('writes a batch once: written again, every row is a duplicate and the rollup does not move', async () => {
    const rows = Array.from({ length: 500 }, (_, i) =>
      row({
        pid: 'b-once',
        zone: `zone-${i % 3}`,
        type: ['PPLCTR', 'UM', 'FD', 'TH'][i % 4]!,
        at: `2022-06-01T${hhmm(i * 2)}+08:00`,
        v:
          i % 4 === 2
            ? { rating: 1 + (i % 5) }
            : i % 4 === 3
              ? { t: 21.5, h: 40 }
              : { count: i % 6, out_count: 1 },
      }),
    );
    const first = await repository.write(rows);
    expect(kinds(first)).toEqual(rows.map(() => 'inserted'));
    const afterFirst = await rollups(sql);
    expect(afterFirst.actual).toEqual(afterFirst.expected);
    expect(afterFirst.actual.length).toBeGreaterThan(10);

    const again = await repository.write([...rows].reverse());
    expect(kinds(again)).toEqual(rows.map(() => 'duplicate'));
    expect(await count('b-once')).toBe(500);
    const afterAgain = await rollups(sql);
    expect(afterAgain.actual).toEqual(afterFirst.actual);
  });

  it('writes new rows with the plain insert, and batches after one that met stored rows with on conflict until one has none', async () => {
    const batch = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) =>
        row({
          pid: 'b-mode',
          zone: 'z',
          type: 'PPLCTR',
          at: `2022-06-02T${hhmm(from + k)}+08:00`,
          v: { count: 1 },
        }),
      );
    const rows = batch(0, 60);
    const queries = jest.spyOn(repository.pool, 'query');
    const statements = () => {
      const names = queries.mock.calls
        .map(([statement]) => (statement as { name?: string }).name)
        .filter((name) => name?.startsWith('matrix.sensor_data'));
      queries.mockClear();
      return names;
    };
    try {
      // Whatever the batches before did, a batch without stored rows leaves the plain insert next.
      expect(kinds(await repository.write(rows.slice(0, 10)))).toEqual(Array(10).fill('inserted'));
      statements();
      expect(kinds(await repository.write(rows.slice(10, 30)))).toEqual(Array(20).fill('inserted'));
      expect(statements()).toEqual(['matrix.sensor_data new batch']);

      // 10 rows stored, 10 new: the plain insert fails whole, the batch is written with on conflict.
      expect(kinds(await repository.write(rows.slice(20, 40)))).toEqual([
        ...Array(10).fill('duplicate'),
        ...Array(10).fill('inserted'),
      ]);
      expect(statements()).toEqual(['matrix.sensor_data new batch', 'matrix.sensor_data batch']);

      // The next batch goes to on conflict at once; it had no stored row, so the one after is plain again.
      expect(kinds(await repository.write(rows.slice(40, 50)))).toEqual(Array(10).fill('inserted'));
      expect(statements()).toEqual(['matrix.sensor_data batch']);
      expect(kinds(await repository.write(rows.slice(50, 60)))).toEqual(Array(10).fill('inserted'));
      expect(statements()).toEqual(['matrix.sensor_data new batch']);
    } finally {
      queries.mockRestore();
    }
    expect(await count('b-mode')).toBe(60);
    expect(await rollupTotals('b-mode')).toEqual({ people: 60, points: 60 });
  });

  it('lets two writers holding the same new rows in opposite orders both finish, each row stored and counted once', async () => {
    const rows = Array.from({ length: 400 }, (_, i) =>
      row({
        pid: 'b-opposite',
        zone: `z${i % 4}`,
        type: 'PPLCTR',
        at: `2022-06-03T${hhmm(i)}+08:00`,
        v: { count: 1 },
      }),
    );
    const other = new SensorDataRepository(sql);
    for (let round = 0; round < 3; round += 1) {
      const part = rows.slice(round * 120, round * 120 + 160);
      // Plain inserts of the same keys in opposite orders wait on each other (or deadlock); either way
      // the loser falls back to on conflict and finds the winner's rows.
      const [a, b] = await Promise.all([repository.write(part), other.write([...part].reverse())]);
      const inserted = [...kinds(a), ...kinds(b)].filter((kind) => kind === 'inserted').length;
      expect([...kinds(a), ...kinds(b)].every((kind) => kind === 'inserted' || kind === 'duplicate')).toBe(
        true,
      );
      // Each new row is reported inserted by exactly one writer (the first 40 of a later round are stored).
      expect(inserted).toBe(round === 0 ? 160 : 120);
    }
    expect(await count('b-opposite')).toBe(400);
    expect(await rollupTotals('b-opposite')).toEqual({ people: 400, points: 400 });
  });

  it('runs the on conflict statement again when PostgreSQL aborted it to break a deadlock, and reports every row once', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      row({
        pid: 'b-deadlock',
        zone: 'z',
        type: 'PPLCTR',
        at: `2022-06-04T${hhmm(i)}+08:00`,
        v: { count: 1 },
      }),
    );
    const writer = new SensorDataRepository(sql);
    const pool = writer.pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });
    // The plain insert and the first two on conflict runs are aborted as deadlock victims (nothing written).
    const aborts = new Map([
      ['matrix.sensor_data new batch', 1],
      ['matrix.sensor_data batch', 2],
    ]);
    const queries = jest.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) => {
      const name = (args[0] as { name?: string }).name ?? '';
      const left = aborts.get(name) ?? 0;
      if (left > 0) {
        aborts.set(name, left - 1);
        return Promise.reject(deadlock());
      }
      return query(...args);
    }) as never);
    try {
      expect(kinds(await writer.write(rows))).toEqual(Array(30).fill('inserted'));
    } finally {
      queries.mockRestore();
    }
    expect([...aborts.values()]).toEqual([0, 0]);
    expect(await count('b-deadlock')).toBe(30);
    expect(await rollupTotals('b-deadlock')).toEqual({ people: 30, points: 30 });
  });

  it('writes a row that appears twice in one batch once, and counts it once', async () => {
    const a = row({
      pid: 'b-twice',
      zone: 'z',
      type: 'PPLCTR',
      at: '2022-06-01T09:00+08:00',
      v: { count: 3 },
    });
    const b = row({
      pid: 'b-twice',
      zone: 'z',
      type: 'PPLCTR',
      at: '2022-06-01T09:01+08:00',
      v: { count: 4 },
    });
    expect(kinds(await repository.write([a, a, b, a]))).toEqual([
      'inserted',
      'duplicate',
      'inserted',
      'duplicate',
    ]);
    const [bucket] = await sql.query(
      `select count_sum::int, points from matrix.sensor_data_15m where pid = 'b-twice'`,
    );
    expect(bucket).toEqual({ count_sum: 7, points: 2 });
  });

  it('refuses only the rows PostgreSQL refuses and writes the rest of the batch', async () => {
    const rows = Array.from({ length: 40 }, (_, i) =>
      row({
        pid: 'b-poison',
        zone: 'z',
        type: 'PPLCTR',
        at: `2022-06-01T${hhmm(600 + i)}+08:00`,
        v: { count: 1 },
      }),
    );
    rows[7] = row({
      pid: 'b-poison',
      zone: 'z',
      type: 'PPLCTR',
      at: '2022-06-01T08:00+08:00',
      v: { count: 1 },
      display: 'nul \u0000 inside',
    });
    rows[23] = row({
      pid: 'b-poison',
      zone: 'z',
      type: 'FD',
      at: '2022-06-01T08:00+08:00',
      v: { rating: 4.5 },
    });
    rows[31] = row({
      pid: 'b-poison',
      zone: 'z',
      type: 'UM',
      at: '2022-06-01T08:00+08:00',
      v: { count: 1, note: 'nul \u0000 in jsonb' },
    });
    const results = await repository.write(rows);

    expect(results[7]).toEqual({
      kind: 'refused',
      reason: 'PostgreSQL refused the row: unsupported Unicode escape sequence (SQLSTATE 22P05)',
    });
    expect(results[23]).toEqual({
      kind: 'refused',
      reason: 'PostgreSQL refused the row: invalid input syntax for type integer: "4.5" (SQLSTATE 22P02)',
    });
    expect(results[31]).toEqual({
      kind: 'refused',
      reason: expect.stringMatching(
        /^PostgreSQL refused the row: unsupported Unicode escape sequence \(SQLSTATE 22P05\)/,
      ),
    });
    expect(results.filter((r) => r.kind === 'inserted')).toHaveLength(37);
    expect(await count('b-poison')).toBe(37);
    expect(await rollupTotals('b-poison')).toEqual({ people: 37, points: 37 });
  });

  it('finds one bad row among 64 by splitting the batch, not by writing 64 rows one by one', async () => {
    const rows = Array.from({ length: 64 }, (_, i) =>
      row({
        pid: 'b-split',
        zone: 'z',
        type: 'PPLCTR',
        at: `2022-06-01T${hhmm(i)}+08:00`,
        v: { count: i === 41 ? 'many' : 1 },
      }),
    );
    const queries = jest.spyOn(repository.pool, 'query');
    try {
      const results = await repository.write(rows);
      expect(results.map((r, i) => [i, r.kind]).filter(([, kind]) => kind !== 'inserted')).toEqual([
        [41, 'refused'],
      ]);
      const inserts = queries.mock.calls.filter(([statement]) =>
        (statement as { text?: string }).text?.includes('insert into matrix.sensor_data'),
      );
      // The plain insert first, then the batch with `on conflict`, then two halves per level down to the row.
      expect(inserts.length).toBeLessThanOrEqual(2 + 2 * 6);
    } finally {
      queries.mockRestore();
    }
    expect(await count('b-split')).toBe(63);
  });

  it('throws, writing and refusing nothing, when the database cannot take the batch at all', async () => {
    // Another session holds the rollup; our statement gives up after 300 ms (a database that is down,
    // overloaded or locked: not the rows' fault).
    const locker = await sql.pool.connect();
    await locker.query('begin');
    await locker.query('lock table matrix.sensor_data_15m in access exclusive mode');
    const url = new URL(database.url);
    url.searchParams.set('options', '-c statement_timeout=300');
    const impatient = Database.create(persistenceOptions(loadConfig({ DATABASE_URL: url.toString() })));
    try {
      const rows = [
        row({ pid: 'b-down', zone: 'z', type: 'PPLCTR', at: '2022-06-01T09:00+08:00', v: { count: 1 } }),
      ];
      await expect(new SensorDataRepository(impatient).write(rows)).rejects.toThrow(/statement timeout/);
    } finally {
      await locker.query('rollback');
      locker.release();
      await impatient.close();
    }
    // The rows and the rollup are one statement: the row was not written either.
    expect(await count('b-down')).toBe(0);
  });

  it('creates the partition again when one it had cached was dropped', async () => {
    const at = (minute: number) => `2031-03-05T${hhmm(minute)}+00:00`;
    const first = row({ pid: 'b-part', zone: 'z', type: 'PPLCTR', at: at(60), v: { count: 1 } });
    expect(kinds(await repository.write([first]))).toEqual(['inserted']);
    await sql.query(`drop table matrix.sensor_data_20310305`);

    const second = row({ pid: 'b-part', zone: 'z', type: 'PPLCTR', at: at(61), v: { count: 1 } });
    expect(kinds(await repository.write([second]))).toEqual(['inserted']);
    expect(await count('b-part')).toBe(1);

    // The rollup outlives a dropped partition (retention); a rebuild makes it match the rows again.
    const points = async () =>
      (await sql.query(`select sum(points)::int as n from matrix.sensor_data_15m where pid = 'b-part'`))[0].n;
    expect(await points()).toBe(2);
    await sql.query(`select matrix.rebuild_sensor_data_15m('2031-03-01T00:00:00Z', '2031-04-01T00:00:00Z')`);
    expect(await points()).toBe(1);
  });

  it('lets two writers reach a new day at the same moment', async () => {
    const other = Database.create(persistenceOptions(loadConfig({ DATABASE_URL: database.url })));
    try {
      const writers = [repository, new SensorDataRepository(other)];
      for (let month = 1; month <= 12; month++) {
        const at = (minute: number) => `2035-${String(month).padStart(2, '0')}-10T${hhmm(minute)}+00:00`;
        const results = await Promise.all(
          writers.map((writer, w) =>
            writer.write([row({ pid: 'b-race', zone: 'z', type: 'UM', at: at(w), v: { count: 1 } })]),
          ),
        );
        expect(results.flat().map((result) => result.kind)).toEqual(['inserted', 'inserted']);
      }
    } finally {
      await other.close();
    }
    expect(await count('b-race')).toBe(24);
  });

  it('rebuilds a range of the rollup from matrix.sensor_data', async () => {
    await sql.query(
      `update matrix.sensor_data_15m set count_sum = count_sum + 1000 where pid = 'b-once' and bucket < '2022-06-01T04:00:00Z'`,
    );
    await sql.query(
      `delete from matrix.sensor_data_15m where pid = 'b-once' and bucket >= '2022-06-01T08:00:00Z'`,
    );
    const broken = await rollups(sql);
    expect(broken.actual).not.toEqual(broken.expected);

    await sql.query(`select matrix.rebuild_sensor_data_15m('2022-05-31T16:00:00Z', '2022-06-01T16:00:00Z')`);
    const rebuilt = await rollups(sql);
    expect(rebuilt.actual).toEqual(rebuilt.expected);
  });
});
