import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the task ops (src/tasks/) and the task timer (src/task-timer/) need on `workforce.task_groups`
 * (issue 13; the Matrix documentation, §4.4 "Task groups / tasks / assigned incidents", §7.4
 * "TaskGroup / Task"):
 *
 * - `attachments` (scteams.updateAttachments: the task group's file URLs, replaced whole), `by_source`
 *   (`By` of an ad hoc task: who raised it), `paused_at` / `paused_seconds` (pauseTaskGroup: when the
 *   running pause began, 0 when none, and the seconds paused before it).
 * - `incomplete_at`: the durable TASK_INCOMPLETE deadline — `End` + the documented
 *   `END_SHIFT_OVERSHOOT` default (4200 s) while the task group is PUBLISHED, STARTED or PAUSED, null
 *   otherwise. A trigger keeps it on every insert and every change of `status` or `end_at`, whoever
 *   writes the row (the shift ops write task groups with their shift, the task ops change them), so no
 *   writer can forget it. The sweeper re-reads the building's `END_SHIFT_OVERSHOOT` before it fires and
 *   stores a later deadline when the building's value is larger.
 * - Indexes: the due deadlines (the sweeper's scan); a seat's task groups by start; a property's task
 *   groups by status and start (getTasksForPropertyByStatus's pages); and the COMPLETED task groups by
 *   `a_end` per zone, building, seat and property (getLastNTasks). "Last clean time of a zone" — the
 *   `AEnd` of its last COMPLETED task group — is `getLastNTasks {TasksFor: ZONE, Limit: 1}`: with
 *   `task_groups_zone_completed (pid, zone_id, a_end desc, task_id desc) where status = 'COMPLETED'` it
 *   is one index probe (the first entry at or below EndTime), whatever the zone's history.
 * - On `workforce.incidents`: assigned incidents by seat and by shift, in start order (the task range
 *   queries answer a seat's or a shift's incidents beside its task groups).
 */
export class TaskGroupTimer1766000000200 implements MigrationInterface {
  name = 'TaskGroupTimer1766000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table workforce.task_groups
        add column attachments    jsonb not null default '[]',
        add column by_source      text,
        add column paused_at      bigint not null default 0,
        add column paused_seconds bigint not null default 0,
        add column incomplete_at  timestamptz`);
    await runner.query(`
      create function workforce.task_group_incomplete_at() returns trigger language plpgsql as $$
      begin
        new.incomplete_at := case when new.status in ('PUBLISHED', 'STARTED', 'PAUSED')
                                  then to_timestamp(new.end_at + 4200) end;
        return new;
      end $$`);
    await runner.query(`
      create trigger task_groups_incomplete_at before insert or update of status, end_at on workforce.task_groups
        for each row execute function workforce.task_group_incomplete_at()`);
    await runner.query(`update workforce.task_groups set status = status`);
    await runner.query(
      `create index task_groups_incomplete_at on workforce.task_groups (incomplete_at) where incomplete_at is not null`,
    );
    await runner.query(`create index task_groups_seat on workforce.task_groups (seat_id, start_at, task_id)`);
    await runner.query(
      `create index task_groups_property_status on workforce.task_groups (prop_id, status, start_at, task_id)`,
    );
    for (const [name, key] of [
      ['zone', 'pid, zone_id'],
      ['building', 'pid'],
      ['seat', 'seat_id'],
      ['property', 'prop_id'],
    ] as const) {
      await runner.query(
        `create index task_groups_${name}_completed on workforce.task_groups (${key}, a_end desc, task_id desc)
         where status = 'COMPLETED'`,
      );
    }
    await runner.query(
      `create index incidents_by_seat_start on workforce.incidents (seat_id, start_by, task_id) where seat_id <> 'tbp'`,
    );
    await runner.query(
      `create index incidents_by_shift_start on workforce.incidents (shift_id, start_by, task_id) where shift_id <> 'tbp'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index workforce.incidents_by_shift_start`);
    await runner.query(`drop index workforce.incidents_by_seat_start`);
    for (const name of ['zone', 'building', 'seat', 'property']) {
      await runner.query(`drop index workforce.task_groups_${name}_completed`);
    }
    await runner.query(`drop index workforce.task_groups_property_status`);
    await runner.query(`drop index workforce.task_groups_seat`);
    await runner.query(`drop index workforce.task_groups_incomplete_at`);
    await runner.query(`drop trigger task_groups_incomplete_at on workforce.task_groups`);
    await runner.query(`drop function workforce.task_group_incomplete_at()`);
    await runner.query(`
      alter table workforce.task_groups
        drop column incomplete_at, drop column paused_seconds, drop column paused_at,
        drop column by_source, drop column attachments`);
  }
}
