import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the rollup sums, per (pid, insid, devtype, 15-minute UTC bucket) of `matrix.sensor_data` rows. */
const AGGREGATE = `
  select pid, insid, devtype,
         date_bin('15 minutes', time, timestamptz '2000-01-01 00:00:00+00') as bucket,
         coalesce(sum(case when devtype in ('SMARTCLEAN#PPLCTR', 'SMARTCLEAN#UM')
                           then cast(v->>'count' as integer) end), 0) as count_sum,
         coalesce(sum(case when devtype = 'SMARTCLEAN#PPLCTR'
                           then cast(v->>'out_count' as integer) end), 0) as out_count_sum,
         coalesce(sum(case when devtype = 'SMARTCLEAN#FD'
                           then cast(v->>'rating' as integer) end), 0) as rating_sum,
         count(case when devtype = 'SMARTCLEAN#FD' then cast(v->>'rating' as integer) end) as rating_count,
         count(*) as points
    from matrix.sensor_data
   where devtype in ('SMARTCLEAN#PPLCTR', 'SMARTCLEAN#UM', 'SMARTCLEAN#FD')`;

const COLUMNS = 'pid, insid, devtype, bucket, count_sum, out_count_sum, rating_sum, rating_count, points';

/**
 * `matrix.sensor_data_15m`: people counts (`SMARTCLEAN#PPLCTR`, `SMARTCLEAN#UM`) and feedback ratings
 * (`SMARTCLEAN#FD`) per building, zone, slot type and 15-minute UTC bucket, kept current by sql-projector
 * in the statement that inserts the rows (counting only rows actually inserted). Every time zone in use
 * has an offset that is a whole number of quarter hours, so a local day in any zone is a whole number of
 * buckets. Filled from the rows already there; `matrix.rebuild_sensor_data_15m(from, to)` recomputes a
 * range from `matrix.sensor_data` (e.g. after rows were written by a projector that predates the rollup).
 */
export class CreateSensorData15m1764374400000 implements MigrationInterface {
  name = 'CreateSensorData15m1764374400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table matrix.sensor_data_15m (
        pid           text        not null,
        insid         text        not null,
        devtype       text        not null,
        bucket        timestamptz not null,
        count_sum     bigint      not null default 0,
        out_count_sum bigint      not null default 0,
        rating_sum    bigint      not null default 0,
        rating_count  integer     not null default 0,
        points        integer     not null default 0,
        primary key (pid, insid, devtype, bucket)
      )`);
    await runner.query(
      `create index sensor_data_15m_pid_devtype_bucket on matrix.sensor_data_15m (pid, devtype, bucket)`,
    );
    await runner.query(
      `comment on table matrix.sensor_data_15m is 'Per building (pid), zone (insid), slot type and 15-minute UTC bucket: sums of v.count and v.out_count (SMARTCLEAN#PPLCTR, SMARTCLEAN#UM) and of v.rating (SMARTCLEAN#FD) over matrix.sensor_data; kept current by sql-projector'`,
    );
    await runner.query(`
      create function matrix.rebuild_sensor_data_15m(from_at timestamptz, to_at timestamptz) returns bigint
      language plpgsql as $$
      declare
        origin constant timestamptz := timestamptz '2000-01-01 00:00:00+00';
        lo timestamptz := date_bin('15 minutes', from_at, origin);
        hi timestamptz := date_bin('15 minutes', to_at, origin);
        written bigint;
      begin
        if hi < to_at then
          hi := hi + interval '15 minutes';
        end if;
        -- Writers wait until the range is rebuilt, so no row is missed or counted twice.
        lock table matrix.sensor_data in share mode;
        lock table matrix.sensor_data_15m in exclusive mode;
        delete from matrix.sensor_data_15m where bucket >= lo and bucket < hi;
        insert into matrix.sensor_data_15m (${COLUMNS})
        ${AGGREGATE} and time >= lo and time < hi
        group by 1, 2, 3, 4;
        get diagnostics written = row_count;
        return written;
      end $$`);
    await runner.query(
      `comment on function matrix.rebuild_sensor_data_15m(timestamptz, timestamptz) is 'Recomputes matrix.sensor_data_15m from matrix.sensor_data for the 15-minute buckets overlapping [from_at, to_at); returns the buckets written'`,
    );
    await runner.query(`select matrix.rebuild_sensor_data_15m('-infinity', 'infinity')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop function matrix.rebuild_sensor_data_15m(timestamptz, timestamptz)`);
    await runner.query(`drop table matrix.sensor_data_15m`);
  }
}
