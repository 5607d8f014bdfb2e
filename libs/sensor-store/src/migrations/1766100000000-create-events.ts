import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.events`: one row per Matrix event of every module (the MATRIX_EVENTS stream), projected by
 * sql-projector. Range-partitioned by month on the event time; the primary key (time, msg_id) — msg_id is
 * the message's `Nats-Msg-Id` (the outbox's `outbox:<table>:<row id>`) — makes every write idempotent.
 * `matrix.ensure_events_partition` follows `matrix.ensure_sensor_data_partition` as fixed by
 * SensorDataPartitionRace1764547200000 (a partition another writer created meanwhile counts as created).
 * Indexes serve the event-log queries: a building's events of a module by time, a property's likewise.
 */
export class CreateEvents1766100000000 implements MigrationInterface {
  name = 'CreateEvents1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists matrix`);
    await runner.query(`
      create table matrix.events (
        msg_id       text        not null,
        principal    text        not null,
        pid          text,
        prop_id      text,
        module       text        not null,
        event_id     text        not null,
        priority     text        not null,
        routing_key  text        not null,
        time         timestamptz not null,
        description  text        not null,
        meta         jsonb       not null,
        payload      jsonb       not null,
        stream_seq   bigint      not null,
        projected_at timestamptz not null default now(),
        primary key (time, msg_id)
      ) partition by range (time)`);
    await runner.query(`create index events_pid_module_time on matrix.events (pid, module, time, msg_id)`);
    await runner.query(
      `create index events_prop_module_time on matrix.events (prop_id, module, time, msg_id)`,
    );
    await runner.query(
      `comment on table matrix.events is 'One row per Matrix event (general data format, Matrix docs §2.4); partitioned by month'`,
    );
    await runner.query(`
      create function matrix.ensure_events_partition(at timestamptz) returns text
      language plpgsql as $$
      declare
        start_at timestamptz := date_trunc('month', at, 'UTC');
        part text := format('events_%s', to_char(start_at at time zone 'UTC', 'YYYYMM'));
      begin
        if to_regclass(format('matrix.%I', part)) is null then
          perform pg_advisory_xact_lock(hashtext('matrix.events partitions'));
          begin
            execute format('create table if not exists matrix.%I partition of matrix.events for values from (%L) to (%L)',
                           part, start_at, start_at + interval '1 month');
          exception when duplicate_table or unique_violation then
            -- another writer created it between our check and our CREATE: it exists, which is all we need
            null;
          end;
        end if;
        return part;
      end $$`);
    await runner.query(`select matrix.ensure_events_partition(now())`);
    await runner.query(`select matrix.ensure_events_partition(now() + interval '1 month')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table matrix.events`);
    await runner.query(`drop function matrix.ensure_events_partition(timestamptz)`);
  }
}
