import { isValidTimeZone, type ActionCommandV1 } from '@matrix/contracts';
import { epochSeconds, field, missing, object, optionalText, text, wrong, type Args } from '../ops/args';
import type { TaskItem } from './task-group-row';
import type { TaskGroupType } from './task-lifecycle';

/* The request values the task ops read (the Matrix documentation, §4.4 and Appendix A); keys of any case. */

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A task (or incident) id: the documented epoch-ms based digits, as a string or — endAdhocTask's example — a number. */
export function taskIdOf(args: Args, name: string, path = name): string {
  const value = field(args, name);
  if (value === undefined) throw missing(path);
  const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof id !== 'string' || !/^[0-9]{13,19}$/.test(id)) {
    throw wrong(path, 'must be a task id (13 to 19 digits)');
  }
  return id;
}

/** `Taskgroup{SeatId, ShiftId, TaskId}`: the address of a task group (or assigned incident) of a shift. */
export function taskgroupAddress(command: ActionCommandV1): {
  seatId: string;
  shiftId: string;
  taskId: string;
} {
  const group = object(command.args, 'Taskgroup');
  return {
    seatId: text(group, 'SeatId', 'Taskgroup.SeatId'),
    shiftId: text(group, 'ShiftId', 'Taskgroup.ShiftId'),
    taskId: taskIdOf(group, 'TaskId', 'Taskgroup.TaskId'),
  };
}

/** `StartTime`/`EndTime` of the range ops (both required, EndTime not before StartTime). */
export function timeRange(args: Args): [number, number] {
  const from = epochSeconds(args, 'StartTime');
  const to = epochSeconds(args, 'EndTime');
  if (to < from) throw wrong('EndTime', 'must not be before StartTime');
  return [from, to];
}

/** `Type` of the range ops: `TASK` (planned and ad hoc task groups), `ADHOC`, `INCIDENT`; absent = all. */
export type TypeFilter = { taskGroups: readonly TaskGroupType[]; incidents: boolean };

export function typeFilter(args: Args): TypeFilter {
  const type = optionalText(args, 'Type');
  switch (type) {
    case undefined:
    case '':
      return { taskGroups: ['TASK', 'ADHOC'], incidents: true };
    case 'TASK':
      return { taskGroups: ['TASK', 'ADHOC'], incidents: false };
    case 'ADHOC':
      return { taskGroups: ['ADHOC'], incidents: false };
    case 'INCIDENT':
      return { taskGroups: [], incidents: true };
    default:
      throw wrong('Type', 'must be TASK, ADHOC or INCIDENT');
  }
}

export const TASK_PRIORITIES = ['H', 'M', 'N', 'L'] as const;

export function optionalPriority(args: Args, path: string): (typeof TASK_PRIORITIES)[number] | undefined {
  const value = optionalText(args, 'Priority', path);
  if (value === undefined) return undefined;
  if (!(TASK_PRIORITIES as readonly string[]).includes(value)) {
    throw wrong(path, `must be one of ${TASK_PRIORITIES.join(', ')}`);
  }
  return value as (typeof TASK_PRIORITIES)[number];
}

export function optionalTimeZone(args: Args, path: string): string | undefined {
  const value = optionalText(args, 'TimeZone', path);
  if (value !== undefined && !isValidTimeZone(value)) throw wrong(path, 'must be an IANA time zone');
  return value;
}

/** At most 20 work items (the Matrix documentation, §7.4 "Limits"). */
export const MAX_TASKS = 20;

/**
 * `Tasks[{Name, Done?, T?, Comments?, Attachments?}]` (1 to 20): `Done` false, `T` −1 (the documented
 * "task value"; −1 = none), `Comments` '' and `Attachments` [] when absent.
 */
export function taskItems(args: Args, path: string, options: { required: boolean }): TaskItem[] | undefined {
  const value = field(args, 'Tasks');
  if (value === undefined) {
    if (options.required) throw missing(path);
    return undefined;
  }
  if (!Array.isArray(value)) throw wrong(path, 'must be a list');
  if (value.length === 0) throw wrong(path, 'must list at least one work item');
  if (value.length > MAX_TASKS) throw wrong(path, `must hold at most ${MAX_TASKS} work items`);
  return value.map((item, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(item)) throw wrong(at, 'must be an object');
    const done = field(item, 'Done');
    if (done !== undefined && typeof done !== 'boolean') throw wrong(`${at}.Done`, 'must be true or false');
    const t = field(item, 'T');
    if (t !== undefined && (typeof t !== 'number' || !Number.isSafeInteger(t) || t < -1)) {
      throw wrong(`${at}.T`, 'must be an integer, -1 for none');
    }
    const attachments = field(item, 'Attachments') ?? [];
    if (!Array.isArray(attachments) || attachments.length > MAX_TASKS) {
      throw wrong(`${at}.Attachments`, `must be a list of at most ${MAX_TASKS} URLs`);
    }
    attachments.forEach((a, j) => {
      if (typeof a !== 'string' || a === '' || a.length > 2048) {
        throw wrong(`${at}.Attachments[${j}]`, 'must be a URL of at most 2048 characters');
      }
    });
    return {
      Name: text(item, 'Name', `${at}.Name`),
      Done: (done as boolean | undefined) ?? false,
      T: (t as number | undefined) ?? -1,
      Comments: optionalText(item, 'Comments', `${at}.Comments`) ?? '',
      Attachments: attachments as string[],
    };
  });
}

/** `Attachments`: a list of at most 20 URLs (each ≤ 2,048 characters), as the incident attachments op takes them. */
export function attachmentList(args: Args): string[] {
  const list = field(args, 'Attachments');
  if (list === undefined) throw missing('Attachments');
  if (!Array.isArray(list) || list.length > MAX_TASKS) {
    throw wrong('Attachments', `must be a list of at most ${MAX_TASKS} URLs`);
  }
  list.forEach((item, i) => {
    if (typeof item !== 'string' || item === '' || item.length > 2048) {
      throw wrong(`Attachments[${i}]`, 'must be a URL of at most 2048 characters');
    }
  });
  return list as string[];
}

/** `Limit` of getLastNTasks: |Limit| (the documented example sends −5), 1 when absent, at most 100. */
export const MAX_LAST_N = 100;

export function lastNLimit(args: Args): number {
  const value = field(args, 'Limit');
  if (value === undefined) return 1;
  const n = typeof value === 'string' && /^-?[0-9]{1,6}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n === 0 || Math.abs(n) > MAX_LAST_N) {
    throw wrong('Limit', `must be a non-zero integer of at most ${MAX_LAST_N} (its sign is ignored)`);
  }
  return Math.abs(n);
}
