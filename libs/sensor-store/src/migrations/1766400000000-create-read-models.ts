import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The read models sql-projector keeps from MATRIX_EVENTS (event time + stream sequence = version). */
const EVENT_TABLES = ['zones', 'levels', 'incidents', 'tasks', 'shifts'] as const;
/** The read models it keeps from the gateway's KV buckets (KV revision = version). */
const KV_TABLES = ['device_slots', 'buildings', 'properties'] as const;

/**
 * The registry and the workforce in SQL (issue 15, part 3): read models in `matrix` that sql-projector
 * keeps current from the owners' events (grid `ZONE_*`/`LEVEL_*`, workforce `INCIDENT_*`/`TASK_*`/`SHIFT_*`)
 * and from the gateway's KV buckets (`DEVICE_SLOTS`, `PRINCIPALS`) — never from the owners' schemas.
 *
 * Each row keeps the version it is at (`event_time`, `event_seq`: the event's time and its MATRIX_EVENTS
 * sequence; `kv_revision` for the KV tables), and the projector applies a change only when it is newer,
 * so a redelivered, replayed or late (older) event never rolls a row back. Every table is under the
 * tenant policy on `prop_id` (TenantAccess1766200000100). Columns: docs/sql.md.
 */
export class CreateReadModels1766400000000 implements MigrationInterface {
  name = 'CreateReadModels1766400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table matrix.zones (
        pid text not null,
        insid text not null,
        prop_id text,
        lid text,
        name text not null,
        category text,
        status text,
        area double precision,
        floor_type text,
        created_on timestamptz,
        removed boolean not null default false,
        removed_at timestamptz,
        meta jsonb not null,
        event_time timestamptz not null,
        event_seq bigint not null,
        primary key (pid, insid)
      )`);
    await runner.query(`create index zones_prop_id on matrix.zones (prop_id)`);
    await runner.query(`
      create table matrix.levels (
        pid text not null,
        lid text not null,
        prop_id text,
        name text not null,
        level text,
        area double precision,
        meta jsonb not null,
        event_time timestamptz not null,
        event_seq bigint not null,
        primary key (pid, lid)
      )`);
    await runner.query(`create index levels_prop_id on matrix.levels (prop_id)`);
    await runner.query(`
      create table matrix.incidents (
        pid text not null,
        task_id text not null,
        prop_id text,
        zone text,
        zone_name text,
        name text,
        priority text,
        status text not null,
        escalation_level text,
        source text,
        source_devices jsonb,
        planned_start timestamptz,
        due timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        created_at timestamptz not null,
        last_event text not null,
        event_time timestamptz not null,
        event_seq bigint not null,
        primary key (pid, task_id)
      )`);
    await runner.query(`create index incidents_prop_id on matrix.incidents (prop_id, created_at)`);
    await runner.query(`create index incidents_zone on matrix.incidents (pid, zone, created_at)`);
    await runner.query(`
      create table matrix.tasks (
        pid text not null,
        task_id text not null,
        prop_id text,
        type text,
        shift_id text,
        seat_id text,
        zone text,
        zone_name text,
        zone_category text,
        name text,
        priority text,
        status text not null,
        planned_start timestamptz,
        due timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        tasks_done integer,
        task_count integer,
        last_event text not null,
        event_time timestamptz not null,
        event_seq bigint not null,
        primary key (pid, task_id)
      )`);
    await runner.query(`create index tasks_prop_id on matrix.tasks (prop_id)`);
    await runner.query(`
      create table matrix.shifts (
        pid text not null,
        shift_id text not null,
        prop_id text,
        seat_id text,
        status text not null,
        delayed boolean,
        adhoc boolean,
        planned_start timestamptz,
        planned_end timestamptz,
        started_at timestamptz,
        ended_at timestamptz,
        time_zone text,
        zones jsonb,
        task_groups jsonb,
        last_event text not null,
        event_time timestamptz not null,
        event_seq bigint not null,
        primary key (pid, shift_id)
      )`);
    await runner.query(`create index shifts_prop_id on matrix.shifts (prop_id)`);
    await runner.query(`
      create table matrix.device_slots (
        alias text primary key,
        devtype text,
        provider text,
        org_id text,
        prop_id text,
        pid text,
        lid text,
        insid text,
        display text,
        region text,
        devid text,
        updated_on timestamptz,
        removed boolean not null default false,
        kv_revision bigint not null
      )`);
    await runner.query(`create index device_slots_prop_id on matrix.device_slots (prop_id)`);
    await runner.query(`create index device_slots_zone on matrix.device_slots (pid, insid)`);
    await runner.query(`
      create table matrix.buildings (
        pid text primary key,
        prop_id text,
        org_id text,
        removed boolean not null default false,
        kv_revision bigint not null
      )`);
    await runner.query(`create index buildings_prop_id on matrix.buildings (prop_id)`);
    await runner.query(`
      create table matrix.properties (
        prop_id text primary key,
        org_id text,
        removed boolean not null default false,
        kv_revision bigint not null
      )`);
    for (const table of [...EVENT_TABLES, ...KV_TABLES]) {
      await runner.query(`select matrix.apply_tenant_policy('matrix.${table}', 'prop_id')`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [...EVENT_TABLES, ...KV_TABLES]) {
      await runner.query(`drop table if exists matrix.${table}`);
    }
  }
}
