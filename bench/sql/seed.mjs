// Seeds `matrix.sensor_data` straight in SQL (after sql-projector's migrations ran): exactly `rows` rows
// over DAYS whole UTC days, one INSERT … SELECT generate_series per day, rows in time order as the
// projector would have written them (so a building's day is spread over the day's pages among every other
// building's rows, as in a real table). Then the rollup `matrix.sensor_data_15m` is filled by the
// platform's own `matrix.rebuild_sensor_data_15m` (one GROUP BY insert, the same sums the projector's
// statement keeps), the tables are vacuumed and analysed (what autovacuum would have done by the time a
// customer queries them), and the unpartitioned, unindexed copy `bench.sensor_data_flat` is made.
//
// Values are deterministic (hashes of day, slot and reading number; no random()) and shaped like the
// documented values of each slot type (bench/ingest/points.mjs): people counters busy from 07:00 to 19:59
// local time and quiet at night, feedback mostly good, dispensers and bins emptying over the day, air
// quality and temperature steady with some noise. Row columns are those sql-projector writes
// (apps/sql-projector/src/sensor-data/sensor-data-row.ts): msg_id `data:` + 40 hex digits, `t` and the
// local fields in the slot's time zone, `stream_seq` increasing with time, `projected_at` a fraction of a
// second after `time`.
import { DAYS, rowsPerSlot } from './layout.mjs';

const DAY_MS = 86_400_000;

/** A float in [0, 1) from the reading's key `key` (a bigint expression) and a salt `n` (0–7). */
const unit = (key, n) => `((hashint8((${key}) * 8 + ${n}) & 2147483647)::float8 / 2147483648)`;

/**
 * One day's rows: `$1` the day's start (UTC), `$2` rows per slot (int[], by slot_no + 1), `$3` the day's
 * number (for the hashes), `$4` the stream sequence before the day's first row.
 */
const INSERT_DAY = `
  insert into matrix.sensor_data
         (msg_id, t, v, unixt, devid, region, time, devtype, pid, propid, insid, display,
          dow, month, hour, dom, minute, extra, stream_seq, projected_at)
  select 'data:' || md5(s.alias || ':' || r.ms) || left(md5(r.ms || ':' || s.alias), 8),
         to_char(r.loc, 'YYYYMMDDHH24MISS'),
         case s.devtype
           when 'SMARTCLEAN#PPLCTR' then jsonb_build_object(
             'count', floor(r.u1 * case when r.busy then 8 else 2 end)::int,
             'out_count', floor(r.u2 * case when r.busy then 6 else 2 end)::int)
           when 'SMARTCLEAN#UM' then jsonb_build_object(
             'count', floor(r.u1 * case when r.busy then 5 else 1 end)::int,
             'b', (3000 + floor(r.u2 * 300)::int)::text)
           when 'SMARTCLEAN#FD' then jsonb_build_object(
             'rating', r.rating, 's', 6 - r.rating, 'n', case when r.rating > 3 then 1 else 0 end)
           when 'SMARTCLEAN#TR' then jsonb_build_object('p', r.level, 'd', round(20 + 2.5 * (100 - r.level)))
           when 'SMARTCLEAN#BIN' then jsonb_build_object('p', r.level, 'd', round(20 + 2.5 * r.level))
           when 'SMARTCLEAN#ODRDTR_BATT_V1' then jsonb_build_object(
             'amm', 70 + floor(r.u1 * 40)::int, 'aqi', 50 + floor(r.u2 * 30)::int,
             'rh', 450 + floor(r.u1 * 100)::int, 'temp', 220 + floor(r.u2 * 20)::int)
           else jsonb_build_object('t', round((20 + r.u1 * 4)::numeric, 2), 'h', 40 + floor(r.u2 * 20)::int)
         end,
         r.ms, s.alias, s.region, r.time, s.devtype, s.pid, s.propid, s.insid, s.display,
         extract(dow from r.loc)::int::text, to_char(r.loc, 'MM'), to_char(r.loc, 'HH24'),
         to_char(r.loc, 'DD'), to_char(r.loc, 'MI'),
         null, $4::bigint + row_number() over (order by r.time, s.slot_no),
         r.time + (0.05 + r.u2 * 0.2) * interval '1 second'
    from bench.slots s
   cross join lateral generate_series(0, ($2::int[])[s.slot_no + 1] - 1) k
   cross join lateral (select (($3::bigint * 10000 + s.slot_no) * 1000000 + k) as key) h
   cross join lateral (
          select $1::timestamptz
                 + ((k + 0.9 * ${unit('h.key', 0)}) * 86400.0 / ($2::int[])[s.slot_no + 1]) * interval '1 second'
                 as time) t0
   cross join lateral (
          select date_trunc('milliseconds', t0.time) as time,
                 date_trunc('milliseconds', t0.time) at time zone s.region as loc,
                 floor(extract(epoch from t0.time) * 1000)::bigint as ms,
                 ${unit('h.key', 1)} as u1,
                 ${unit('h.key', 2)} as u2,
                 extract(hour from t0.time at time zone s.region) between 7 and 19 as busy,
                 (array[5, 5, 5, 4, 4, 4, 3, 2, 1, 5])[1 + floor(${unit('h.key', 3)} * 10)::int] as rating,
                 greatest(0, 100 - floor(extract(hour from t0.time at time zone s.region) * 4
                                         + ${unit('h.key', 4)} * 8)::int) as level) r
   order by r.time, s.slot_no`;

/**
 * Seeds the rows, the rollup and the flat copy; answers what was seeded and how long each step took.
 * @param {{ db: import('pg').Client, layout: ReturnType<import('./layout.mjs').benchLayout>, rows: number,
 *   startMs: number, log: (message: string) => void }} options
 */
export async function seedSensorData({ db, layout, rows, startMs, log }) {
  const timings = {};
  const step = async (name, run) => {
    const started = Date.now();
    const result = await run();
    timings[name] = (Date.now() - started) / 1000;
    log(`${name}: ${timings[name].toFixed(1)} s`);
    return result;
  };

  await db.query('create schema if not exists bench');
  await db.query(`
    create table bench.slots (
      slot_no int primary key, pid text not null, propid text not null, region text not null,
      insid text not null, devtype text not null, alias text not null, display text not null)`);
  const { slots } = layout;
  await db.query(
    `insert into bench.slots
     select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
    [
      slots.map((s) => s.slotNo),
      slots.map((s) => s.pid),
      slots.map((s) => s.propId),
      slots.map((s) => s.region),
      slots.map((s) => s.insid),
      slots.map((s) => s.devtype),
      slots.map((s) => s.alias),
      slots.map((s) => s.display),
    ],
  );

  await step('insert matrix.sensor_data', async () => {
    // The planner guesses 1,000 readings per slot and would JIT-compile each day's statement (~0.7 s of
    // the ~1 s a small day takes); the measured queries later run with the server's own setting.
    await db.query('set jit = off');
    // A day's rows are sorted into time order (a third of a million at the full size): in memory.
    await db.query(`set work_mem = '256MB'`);
    let seq = 0;
    for (let day = 0; day < DAYS; day++) {
      const dayStart = new Date(startMs + day * DAY_MS).toISOString();
      const counts = rowsPerSlot(slots, rows, day);
      await db.query('select matrix.ensure_sensor_data_partition($1)', [dayStart]);
      const { rowCount } = await db.query(INSERT_DAY, [dayStart, counts, day, seq]);
      seq += rowCount;
      if (day % 5 === 4 || day === DAYS - 1) log(`  ${seq} rows (day ${day + 1} of ${DAYS})`);
    }
    await db.query('reset jit');
    await db.query('reset work_mem');
  });
  const rollupRows = await step('fill matrix.sensor_data_15m (matrix.rebuild_sensor_data_15m)', async () => {
    const { rows: out } = await db.query(
      `select matrix.rebuild_sensor_data_15m('-infinity', 'infinity')::bigint as written`,
    );
    return Number(out[0].written);
  });
  await step('vacuum analyze the matrix tables', async () => {
    for (const table of [
      'sensor_data',
      'sensor_data_15m',
      'zones',
      'levels',
      'incidents',
      'tasks',
      'events',
    ]) {
      await db.query(`vacuum (analyze) matrix.${table}`);
    }
  });
  await step('create bench.sensor_data_flat (unpartitioned, unindexed copy)', async () => {
    await db.query('create table bench.sensor_data_flat as select * from matrix.sensor_data');
    await db.query('vacuum (analyze) bench.sensor_data_flat');
  });

  const { rows: counted } = await db.query(
    `select (select count(*) from matrix.sensor_data)::bigint as rows,
            (select count(*) from bench.sensor_data_flat)::bigint as flat,
            (select count(*) from pg_inherits where inhparent = 'matrix.sensor_data'::regclass)::int as partitions,
            pg_total_relation_size('bench.sensor_data_flat')::bigint as flat_bytes,
            (select sum(pg_total_relation_size(inhrelid))
               from pg_inherits where inhparent = 'matrix.sensor_data'::regclass)::bigint as bytes`,
  );
  const c = counted[0];
  if (Number(c.rows) !== rows || Number(c.flat) !== rows) {
    throw new Error(
      `seeding: ${c.rows} rows in matrix.sensor_data and ${c.flat} in the flat copy, not ${rows}`,
    );
  }
  return {
    rows,
    days: DAYS,
    from: new Date(startMs).toISOString(),
    to: new Date(startMs + DAYS * DAY_MS).toISOString(),
    slots: slots.length,
    rollupRows,
    partitions: c.partitions,
    tableMiB: Math.round(Number(c.bytes) / 2 ** 20),
    flatMiB: Math.round(Number(c.flat_bytes) / 2 ** 20),
    timings,
  };
}
