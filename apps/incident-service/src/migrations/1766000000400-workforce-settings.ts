import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `new.status in ('PUBLISHED', 'STARTED', 'PAUSED')`;

/**
 * The workforce settings (issue 14; the Matrix documentation, §4.4 "Settings and shift hours", §7.4
 * "Settings" and "Shift hours"):
 * - `schedule_settings`: a building's schedule settings (`ABSENT_SHIFT_THRESHOLD`, `DELAYED_SHIFT_THRESHOLD`,
 *   `END_SHIFT_OVERSHOOT`, …), one row per key the building has (`updateSettings`, `addNewSystemSettings`);
 *   a key without a row has the system default. Read per shift transition by its primary key.
 * - `property_shift_hours`: a property's default named shifts `ShiftHours[{ShiftName, Start, End, NextDay,
 *   ColorCode}]` (`Start`/`End` epoch seconds, as documented), one row per property.
 * - The TASK_INCOMPLETE trigger of 1766000000200 takes the building's `END_SHIFT_OVERSHOOT` (4200 s without
 *   a row) instead of the constant.
 */
export class WorkforceSettings1766000000400 implements MigrationInterface {
  name = 'WorkforceSettings1766000000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.schedule_settings (
        pid           text not null,
        key           text not null,
        long_value    bigint,
        boolean_value boolean,
        modified_by   text not null,
        modified_on   timestamptz not null default now(),
        primary key (pid, key),
        check ((long_value is null) <> (boolean_value is null))
      )`);
    await runner.query(`
      create table workforce.property_shift_hours (
        prop_id     text primary key,
        shift_hours jsonb not null check (jsonb_typeof(shift_hours) = 'array'),
        created_by  text not null,
        created_on  timestamptz not null default now(),
        modified_by text not null,
        modified_on timestamptz not null default now()
      )`);
    await runner.query(`
      create or replace function workforce.task_group_incomplete_at() returns trigger language plpgsql as $$
      begin
        new.incomplete_at := case when ${OPEN} then to_timestamp(new.end_at + coalesce(
          (select s.long_value from workforce.schedule_settings s
           where s.pid = new.pid and s.key = 'END_SHIFT_OVERSHOOT'), 4200)) end;
        return new;
      end $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create or replace function workforce.task_group_incomplete_at() returns trigger language plpgsql as $$
      begin
        new.incomplete_at := case when ${OPEN} then to_timestamp(new.end_at + 4200) end;
        return new;
      end $$`);
    await runner.query(`drop table workforce.property_shift_hours`);
    await runner.query(`drop table workforce.schedule_settings`);
  }
}
