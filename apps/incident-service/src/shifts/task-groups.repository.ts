import type { Sql } from '@matrix/persistence';
import { newTaskIds } from '../ops/task-ids';

/*
 * `workforce.task_groups`, as far as shifts need it: the task groups a shift body names are written,
 * replaced and deleted in the shift's transaction (createShift `taskGroup[]`, copyShift
 * `IncludeTaskGroups`, updateShift `TaskGroups`/`AddTaskGroups`/`DeleteTaskGroupIds`) and listed in the
 * shift's `TaskGroups`. The task ops themselves (start, pause, end, queries) come later on this table.
 * Every function runs in the caller's transaction (`tx`).
 */

export const TASK_GROUP_PRIORITIES = ['H', 'M', 'N', 'L'] as const;
export type TaskGroupPriority = (typeof TASK_GROUP_PRIORITIES)[number];
export type TaskGroupStatus = 'UNPUBLISHED' | 'PUBLISHED' | 'STARTED' | 'PAUSED' | 'COMPLETED' | 'INCOMPLETE';

/** A work item of a task group (the Matrix documentation, §7.4): `T` the time it was done, −1 until then. */
export interface TaskItem {
  Name: string;
  Done: boolean;
  T: number;
  Comments: string;
  Attachments: string[];
}

export interface NewTaskGroup {
  name: string;
  priority: TaskGroupPriority;
  start: number;
  end: number;
  timeZone: string;
  type: 'TASK' | 'ADHOC';
  zoneId: string;
  zoneName: string;
  zoneCategoryId: string | null;
  tasks: TaskItem[];
}

/** A row of `workforce.task_groups` (bigint columns arrive as strings). */
export interface TaskGroupRow {
  task_id: string;
  shift_id: string;
  seat_id: string;
  org_id: string;
  prop_id: string;
  pid: string;
  zone_id: string;
  zone_name: string;
  zone_category_id: string | null;
  name: string;
  priority: TaskGroupPriority;
  time_zone: string;
  start_at: string;
  end_at: string;
  a_start: string;
  a_end: string;
  status: TaskGroupStatus;
  tasks: TaskItem[];
  type: 'TASK' | 'ADHOC';
  created_by: string;
  created_on: Date;
  modified_on: Date;
}

/** The shift a task group belongs to: its ids and tenancy, and the status its task groups take. */
export interface TaskGroupOwner {
  shift_id: string;
  seat_id: string;
  org_id: string;
  prop_id: string;
  pid: string;
  status: string;
}

/** The status of a shift's task groups that have not started: published with their shift. */
const plannedStatus = (owner: TaskGroupOwner): TaskGroupStatus =>
  owner.status === 'UNPUBLISHED' ? 'UNPUBLISHED' : 'PUBLISHED';

/** Inserts task groups of a shift (one statement); answers their TaskIds in order. */
export async function insertTaskGroups(
  tx: Sql,
  owner: TaskGroupOwner,
  groups: readonly NewTaskGroup[],
  by: string,
  now: Date,
): Promise<string[]> {
  if (groups.length === 0) return [];
  const ids = newTaskIds(now, groups.length);
  await tx.query(
    `insert into workforce.task_groups
       (task_id, shift_id, seat_id, org_id, prop_id, pid, zone_id, zone_name, zone_category_id, name, priority,
        time_zone, start_at, end_at, status, tasks, type, created_by, created_on, modified_on)
     select g.task_id, $1, $2, $3, $4, $5, g.zone_id, g.zone_name, g.zone_category_id, g.name, g.priority,
            g.time_zone, g.start_at, g.end_at, $6, g.tasks, g.type, $7, $8, $8
     from jsonb_to_recordset($9::jsonb) as g(task_id text, zone_id text, zone_name text, zone_category_id text,
          name text, priority text, time_zone text, start_at bigint, end_at bigint, tasks jsonb, type text)`,
    [
      owner.shift_id,
      owner.seat_id,
      owner.org_id,
      owner.prop_id,
      owner.pid,
      plannedStatus(owner),
      by,
      now,
      JSON.stringify(
        groups.map((g, i) => ({
          task_id: ids[i],
          zone_id: g.zoneId,
          zone_name: g.zoneName,
          zone_category_id: g.zoneCategoryId,
          name: g.name,
          priority: g.priority,
          time_zone: g.timeZone,
          start_at: g.start,
          end_at: g.end,
          tasks: g.tasks,
          type: g.type,
        })),
      ),
    ],
  );
  return ids;
}

/** The task groups of a shift, in start order, locked for the rest of the transaction. */
export async function lockTaskGroups(tx: Sql, shiftId: string): Promise<TaskGroupRow[]> {
  return tx.query<TaskGroupRow>(
    'select * from workforce.task_groups where shift_id = $1 order by start_at, task_id for update',
    [shiftId],
  );
}

/** Replaces the given fields of one task group of a shift. */
export async function updateTaskGroup(
  tx: Sql,
  shiftId: string,
  taskId: string,
  changes: Partial<
    Pick<NewTaskGroup, 'name' | 'priority' | 'start' | 'end' | 'zoneId' | 'zoneName' | 'tasks'>
  > & {
    zoneCategoryId?: string | null;
  },
  now: Date,
): Promise<void> {
  await tx.query(
    `update workforce.task_groups
     set name = coalesce($3, name), priority = coalesce($4, priority), start_at = coalesce($5, start_at),
         end_at = coalesce($6, end_at), zone_id = coalesce($7, zone_id), zone_name = coalesce($8, zone_name),
         zone_category_id = case when $9 then $10 else zone_category_id end,
         tasks = coalesce($11::jsonb, tasks), modified_on = $12
     where shift_id = $1 and task_id = $2`,
    [
      shiftId,
      taskId,
      changes.name ?? null,
      changes.priority ?? null,
      changes.start ?? null,
      changes.end ?? null,
      changes.zoneId ?? null,
      changes.zoneName ?? null,
      changes.zoneCategoryId !== undefined,
      changes.zoneCategoryId ?? null,
      changes.tasks ? JSON.stringify(changes.tasks) : null,
      now,
    ],
  );
}

export async function deleteTaskGroups(tx: Sql, shiftId: string, taskIds: readonly string[]): Promise<void> {
  if (taskIds.length === 0) return;
  await tx.query('delete from workforce.task_groups where shift_id = $1 and task_id = any($2::text[])', [
    shiftId,
    taskIds,
  ]);
}

/** Publishes the not yet published task groups of these shifts (their shifts were published). */
export async function publishTaskGroups(tx: Sql, shiftIds: readonly string[], now: Date): Promise<void> {
  await tx.query(
    `update workforce.task_groups set status = 'PUBLISHED', modified_on = $2
     where shift_id = any($1::uuid[]) and status = 'UNPUBLISHED'`,
    [shiftIds, now],
  );
}

/** The TaskIds of the task groups of each shift, in start order. */
export async function taskGroupIdsOf(sql: Sql, shiftIds: readonly string[]): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>(shiftIds.map((id) => [id, []]));
  if (shiftIds.length === 0) return ids;
  const rows = await sql.query<{ shift_id: string; task_id: string }>(
    `select shift_id, task_id from workforce.task_groups where shift_id = any($1::uuid[])
     order by shift_id, start_at, task_id`,
    [shiftIds],
  );
  for (const row of rows) ids.get(row.shift_id)?.push(row.task_id);
  return ids;
}

/** The task groups of a shift, in start order. */
export async function taskGroupsOf(sql: Sql, shiftId: string): Promise<TaskGroupRow[]> {
  return sql.query<TaskGroupRow>(
    'select * from workforce.task_groups where shift_id = $1 order by start_at, task_id',
    [shiftId],
  );
}
