import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workforce.task_groups` (issue 13): the scheduled work of a shift, one zone each (the Matrix
 * documentation, §7.4 "TaskGroup / Task"). Written with their shift (createShift, copyShift, updateShift)
 * and deleted with it; the task ops (start, pause, end, queries) come later on this table. `task_id` is
 * the documented epoch-ms based id (epoch ms + 6 digits); times epoch seconds; `tasks` the work items
 * `[{Name, Done, T, Comments, Attachments}]`.
 */
export class CreateTaskGroups1766000000001 implements MigrationInterface {
  name = 'CreateTaskGroups1766000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.task_groups (
        task_id          text primary key check (task_id ~ '^[0-9]{13,19}$'),
        shift_id         uuid not null references workforce.shifts (shift_id) on delete cascade,
        seat_id          text not null,
        org_id           text not null,
        prop_id          text not null,
        pid              text not null,
        zone_id          text not null,
        zone_name        text not null,
        zone_category_id text,
        name             text not null,
        priority         text not null check (priority in ('H', 'M', 'N', 'L')),
        time_zone        text not null,
        start_at         bigint not null,
        end_at           bigint not null,
        a_start          bigint not null default 0,
        a_end            bigint not null default 0,
        status           text not null
                         check (status in ('UNPUBLISHED', 'PUBLISHED', 'STARTED', 'PAUSED', 'COMPLETED', 'INCOMPLETE')),
        tasks            jsonb not null default '[]',
        type             text not null check (type in ('TASK', 'ADHOC')),
        created_by       text not null,
        created_on       timestamptz not null default now(),
        modified_on      timestamptz not null default now(),
        check (end_at > start_at)
      )`);
    await runner.query(
      `create index task_groups_shift on workforce.task_groups (shift_id, start_at, task_id)`,
    );
    await runner.query(`create index task_groups_zone on workforce.task_groups (pid, zone_id, start_at)`);
    await runner.query(`create index task_groups_building on workforce.task_groups (pid, start_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.task_groups`);
  }
}
