import { localTimeFields, type TaskEventMetaV1 } from '@matrix/contracts';
import type { TaskGroupStatus, TaskGroupType } from './task-lifecycle';

/** A work item of a task group (§7.4): `T` the epoch second it was done, −1 until then. */
export interface TaskItem {
  Name: string;
  Done: boolean;
  T: number;
  Comments: string;
  Attachments: string[];
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
  priority: 'H' | 'M' | 'N' | 'L';
  time_zone: string;
  start_at: string;
  end_at: string;
  a_start: string;
  a_end: string;
  status: TaskGroupStatus;
  tasks: Partial<TaskItem>[];
  type: TaskGroupType;
  attachments: string[];
  by_source: string | null;
  paused_at: string;
  paused_seconds: string;
  incomplete_at: Date | null;
  created_by: string;
  created_on: Date;
  modified_on: Date;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The work items as answered: every documented field present (rows the shift ops wrote may lack some). */
export const taskItemsOf = (row: Pick<TaskGroupRow, 'tasks'>): TaskItem[] =>
  row.tasks.map((task) => ({
    Name: task.Name ?? '',
    Done: task.Done ?? false,
    T: task.T ?? -1,
    Comments: task.Comments ?? '',
    Attachments: task.Attachments ?? [],
  }));

/** `YYYYMMDDHHMMSS` of the planned start on the task group's wall clock (the documented `LocalTime`). */
export const localTimeOf = (row: Pick<TaskGroupRow, 'start_at' | 'time_zone'>): string =>
  localTimeFields(Number(row.start_at) * 1000, row.time_zone).t;

/**
 * `Delayed`: started after its planned `Start`, or — not started yet — still not started by it while it
 * could be (PUBLISHED).
 */
export function isDelayed(row: TaskGroupRow, now: number): boolean {
  const start = Number(row.start_at);
  const aStart = Number(row.a_start);
  return aStart > 0 ? aStart > start : row.status === 'PUBLISHED' && now > start;
}

/** Seconds paused so far: the ended pauses and, while PAUSED, the running one up to `now`. */
export function pausedSecondsOf(row: TaskGroupRow, now: number): number {
  const running = Number(row.paused_at) > 0 ? Math.max(0, now - Number(row.paused_at)) : 0;
  return Number(row.paused_seconds) + running;
}

/**
 * A task group in its documented shape (the Matrix documentation, §7.4 "TaskGroup / Task"): `ID` the
 * building, `ATTR` `attr#<building>#<SeatId>#<ShiftId>#<TaskId>`, times epoch seconds, `LocalTime` the
 * planned start on its wall clock (`TimeZone`), `Type` `TASK` or `ADHOC`.
 */
export function matrixTaskGroup(row: TaskGroupRow, now: number): Record<string, unknown> {
  const tasks = taskItemsOf(row);
  return {
    ID: row.pid,
    ATTR: `attr#${row.pid}#${row.seat_id}#${row.shift_id}#${row.task_id}`,
    TaskId: row.task_id,
    Type: row.type,
    Name: row.name,
    Priority: row.priority,
    Start: Number(row.start_at),
    End: Number(row.end_at),
    AStart: Number(row.a_start),
    AEnd: Number(row.a_end),
    LocalTime: localTimeOf(row),
    TimeZone: row.time_zone,
    Status: row.status,
    Delayed: isDelayed(row, now),
    PausedInSeconds: pausedSecondsOf(row, now),
    SeatId: row.seat_id,
    ShiftId: row.shift_id,
    Org: row.org_id,
    PropID: row.prop_id,
    Zone: row.zone_id,
    ZoneName: row.zone_name,
    ZoneCatId: row.zone_category_id ?? '',
    taskCount: tasks.length,
    Tasks: tasks,
    Attachments: row.attachments,
    By: row.by_source ?? '',
    CreatedOn: seconds(row.created_on),
    ModifiedOn: seconds(row.modified_on),
  };
}

/** The task group's event `Meta` (`TaskEventMetaV1` of @matrix/contracts). */
export function taskMeta(row: TaskGroupRow, by: string): TaskEventMetaV1 {
  const tasks = taskItemsOf(row);
  return {
    Type: row.type,
    TaskId: row.task_id,
    ShiftId: row.shift_id,
    SeatId: row.seat_id,
    ID: row.pid,
    PropID: row.prop_id,
    Zone: row.zone_id,
    ZoneName: row.zone_name,
    ZoneCatId: row.zone_category_id ?? '',
    Name: row.name,
    Priority: row.priority,
    Start: Number(row.start_at),
    End: Number(row.end_at),
    AStart: Number(row.a_start),
    AEnd: Number(row.a_end),
    Status: row.status,
    TasksDone: tasks.filter((task) => task.Done).length,
    taskCount: tasks.length,
    By: by,
  };
}
