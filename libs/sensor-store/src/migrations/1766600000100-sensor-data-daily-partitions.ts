import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.sensor_data` is partitioned by UTC day from now on (`sensor_data_YYYYMMDD`), not by month.
 *
 * Why (docs/architecture.md, ADR-27): PostgreSQL keeps statistics per partition, and the documented
 * people-per-zone query filters one local day three ways (`month`, `dom` and a `time` range) that the
 * planner multiplies as if they were independent. Within a month's partition that made its row estimate
 * ~25× too low (1,929 rows for 42,750), low enough that under a tenant's row-level security (which halves
 * it again) the plan sorted 42,750 rows to group them instead of hashing them — twice the time. Within a
 * day's partition `dom` and the `time` range select most rows, and the estimate is within 4×. Retention also
 * drops whole days instead of whole months.
 *
 * Monthly partitions that hold rows stay as they are (a day inside one is written there:
 * `ensure_sensor_data_partition` returns it); empty ones — all of them on a new database, the months created
 * ahead on an old one — are dropped, so those months are partitioned by day. Nothing is moved.
 */
export class SensorDataDailyPartitions1766600000100 implements MigrationInterface {
  name = 'SensorDataDailyPartitions1766600000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create or replace function matrix.ensure_sensor_data_partition(at timestamptz) returns text
      language plpgsql as $$
      declare
        day_start timestamptz := date_trunc('day', at, 'UTC');
        day_part text := format('sensor_data_%s', to_char(day_start at time zone 'UTC', 'YYYYMMDD'));
        -- A monthly partition (made before SensorDataDailyPartitions1766600000100) keeps taking its month.
        month_part text := format('sensor_data_%s', to_char(date_trunc('month', at, 'UTC') at time zone 'UTC', 'YYYYMM'));
      begin
        if to_regclass(format('matrix.%I', month_part)) is not null then
          return month_part;
        end if;
        if to_regclass(format('matrix.%I', day_part)) is null then
          perform pg_advisory_xact_lock(hashtext('matrix.sensor_data partitions'));
          begin
            -- Made as a table, then attached: ATTACH takes SHARE UPDATE EXCLUSIVE on matrix.sensor_data, which
            -- lets readers and writers go on, where CREATE … PARTITION OF takes ACCESS EXCLUSIVE — a new day's
            -- first write would wait for every query running on the table (a tenant's report) and make every
            -- query after it wait too. The indexes of matrix.sensor_data are made on it as it is attached.
            execute format('create table matrix.%I (like matrix.sensor_data including defaults)', day_part);
            execute format('alter table matrix.sensor_data attach partition matrix.%I for values from (%L) to (%L)',
                           day_part, day_start, day_start + interval '1 day');
          exception when duplicate_table or unique_violation then
            -- another writer made it between our check and ours (SensorDataPartitionRace1764547200000): it
            -- exists, attached in the same transaction as it was made, which is all we need
            null;
          end;
        end if;
        return day_part;
      end $$`);
    await runner.query(
      `comment on function matrix.ensure_sensor_data_partition(timestamptz) is 'Creates the partition of matrix.sensor_data that holds the time (a UTC day, or the month of an older monthly partition) if it is missing; answers its name'`,
    );
    // Empty monthly partitions go (under the partition lock, each checked empty while locked).
    await runner.query(`select pg_advisory_xact_lock(hashtext('matrix.sensor_data partitions'))`);
    const monthly = (await runner.query(`
      select c.relname as name
        from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_namespace n on n.oid = c.relnamespace
       where i.inhparent = 'matrix.sensor_data'::regclass and n.nspname = 'matrix'
         and c.relname ~ '^sensor_data_[0-9]{6}$'`)) as { name: string }[];
    for (const { name } of monthly) {
      await runner.query(`lock table matrix.${quoteIdent(name)} in access exclusive mode`);
      const [found] = (await runner.query(
        `select not exists (select 1 from matrix.${quoteIdent(name)}) as empty`,
      )) as { empty: boolean }[];
      if (found?.empty) await runner.query(`drop table matrix.${quoteIdent(name)}`);
    }
    await runner.query(`select matrix.ensure_sensor_data_partition(now())`);
    await runner.query(`select matrix.ensure_sensor_data_partition(now() + interval '1 day')`);
    await runner.query(
      `comment on table matrix.sensor_data is 'One row per sensor data point (general data format, Matrix docs §3.2); partitioned by UTC day (months partitioned by month before SensorDataDailyPartitions1766600000100 stay so)'`,
    );
  }

  async down(): Promise<void> {
    // Going back keeps the days: a monthly partition cannot be made over a month that has daily ones, and
    // the function above serves both kinds.
  }
}

/** The names here are our own (`sensor_data_YYYYMM`), but quoted all the same. */
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
