import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.sensor_data`: one row per data point, the general-format fields lower-cased as columns so
 * the documented example queries run verbatim. Range-partitioned by month on `time`; the primary key
 * (time, msg_id) makes every write idempotent.
 */
export class CreateSensorData1764115200000 implements MigrationInterface {
  name = 'CreateSensorData1764115200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists matrix`);
    await runner.query(`
      create table matrix.sensor_data (
        msg_id       text        not null,
        t            text        not null,
        v            jsonb       not null,
        unixt        bigint      not null,
        devid        text        not null,
        region       text        not null,
        time         timestamptz not null,
        devtype      text        not null,
        pid          text        not null,
        propid       text,
        insid        text        not null,
        display      text,
        dow          text        not null,
        month        text        not null,
        hour         text        not null,
        dom          text        not null,
        minute       text        not null,
        extra        jsonb,
        stream_seq   bigint      not null,
        projected_at timestamptz not null default now(),
        primary key (time, msg_id)
      ) partition by range (time)`);
    await runner.query(
      `create index sensor_data_pid_devtype_time on matrix.sensor_data (pid, devtype, time)`,
    );
    await runner.query(
      `comment on table matrix.sensor_data is 'One row per sensor data point (general data format, Matrix docs §3.2); partitioned by month'`,
    );
    await runner.query(`
      create function matrix.ensure_sensor_data_partition(at timestamptz) returns text
      language plpgsql as $$
      declare
        start_at timestamptz := date_trunc('month', at, 'UTC');
        part text := format('sensor_data_%s', to_char(start_at at time zone 'UTC', 'YYYYMM'));
      begin
        if to_regclass(format('matrix.%I', part)) is null then
          perform pg_advisory_xact_lock(hashtext('matrix.sensor_data partitions'));
          if to_regclass(format('matrix.%I', part)) is null then
            execute format('create table matrix.%I partition of matrix.sensor_data for values from (%L) to (%L)',
                           part, start_at, start_at + interval '1 month');
          end if;
        end if;
        return part;
      end $$`);
    await runner.query(`select matrix.ensure_sensor_data_partition(now())`);
    await runner.query(`select matrix.ensure_sensor_data_partition(now() + interval '1 month')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table matrix.sensor_data`);
    await runner.query(`drop function matrix.ensure_sensor_data_partition(timestamptz)`);
  }
}
