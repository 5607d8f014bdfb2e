import type { ActionCommandV1 } from '@matrix/contracts';
import { epochSeconds, field, optionalEpochSeconds, optionalText, text, wrong, type Args } from '../ops/args';
import { zoneOf } from '../ops/op-table';
import { list, objectAt, optionalBoolean } from './shift-args';
import { isValidTimeZone } from './shift-times';
import {
  TASK_GROUP_PRIORITIES,
  type NewTaskGroup,
  type TaskGroupPriority,
  type TaskItem,
} from './task-groups.repository';

/*
 * The task groups inside shift bodies: createShift `Schedule[].taskGroup[]`, updateShift
 * `AddTaskGroups[]` (new ones) and `TaskGroups[]` (changes of existing ones, by `TaskId`).
 */

/** `Tasks[{Name, Done?, T?, Comments?, Attachments?}]`, 1 to 20 work items (the Matrix documentation, §7.4). */
export function taskItems(args: Args, path: string, required: boolean): TaskItem[] | undefined {
  const items = list(args, 'Tasks', path, 20);
  if (items === undefined) {
    if (required) throw wrong(path, 'must list the work items (at least one)');
    return undefined;
  }
  if (items.length === 0) throw wrong(path, 'must list at least one work item');
  return items.map((item, i) => {
    const at = `${path}[${i}]`;
    const task = objectAt(item, at);
    const t = field(task, 'T');
    if (t !== undefined && (!Number.isSafeInteger(t) || (t as number) < -1)) {
      throw wrong(`${at}.T`, 'must be epoch seconds, or -1 when not done');
    }
    const attachments = list(task, 'Attachments', `${at}.Attachments`, 20) ?? [];
    attachments.forEach((a, j) => {
      if (typeof a !== 'string' || a.length > 1024) throw wrong(`${at}.Attachments[${j}]`, 'must be a URL');
    });
    return {
      Name: text(task, 'Name', `${at}.Name`),
      Done: optionalBoolean(task, 'Done', `${at}.Done`) ?? false,
      T: (t as number | undefined) ?? -1,
      Comments: optionalText(task, 'Comments', `${at}.Comments`) ?? '',
      Attachments: attachments as string[],
    };
  });
}

function priorityOf(args: Args, path: string): TaskGroupPriority | undefined {
  const value = optionalText(args, 'Priority', path);
  if (value === undefined) return undefined;
  if (!(TASK_GROUP_PRIORITIES as readonly string[]).includes(value)) {
    throw wrong(path, `must be one of ${TASK_GROUP_PRIORITIES.join(', ')}`);
  }
  return value as TaskGroupPriority;
}

/** The zone a task group names: of the building (the registry's name and category win over the body's). */
function zoneOfGroup(command: ActionCommandV1, group: Args, at: string) {
  const zoneId = text(group, 'Zone', `${at}.Zone`);
  const zone = zoneOf(command, zoneId);
  const bodyCategory = optionalText(group, 'ZoneCatId', `${at}.ZoneCatId`);
  optionalText(group, 'ZoneName', `${at}.ZoneName`);
  return { zoneId, zoneName: zone.name, zoneCategoryId: zone.categoryId ?? bodyCategory ?? null };
}

/**
 * A new task group (`{Name, Priority?, Start, End, Tasks, TimeZone?, Type?, Zone, ZoneName?, ZoneCatId?}`):
 * `Priority` `N` and `Type` `TASK` when absent, `TimeZone` the shift's.
 */
export function newTaskGroup(
  command: ActionCommandV1,
  item: unknown,
  at: string,
  shiftTimeZone: string,
): NewTaskGroup {
  const group = objectAt(item, at);
  const start = epochSeconds(group, 'Start', `${at}.Start`);
  const end = epochSeconds(group, 'End', `${at}.End`);
  if (end <= start) throw wrong(`${at}.End`, `must be after ${at}.Start`);
  const type = optionalText(group, 'Type', `${at}.Type`) ?? 'TASK';
  if (type !== 'TASK' && type !== 'ADHOC') throw wrong(`${at}.Type`, 'must be TASK or ADHOC');
  const timeZone = optionalText(group, 'TimeZone', `${at}.TimeZone`) ?? shiftTimeZone;
  if (!isValidTimeZone(timeZone)) throw wrong(`${at}.TimeZone`, 'must be an IANA time zone');
  return {
    name: text(group, 'Name', `${at}.Name`),
    priority: priorityOf(group, `${at}.Priority`) ?? 'N',
    start,
    end,
    timeZone,
    type,
    ...zoneOfGroup(command, group, at),
    tasks: taskItems(group, `${at}.Tasks`, true)!,
  };
}

/** A change of an existing task group (updateShift `TaskGroups[]`): `TaskId` and the fields to replace. */
export interface TaskGroupChange {
  taskId: string;
  name?: string;
  priority?: TaskGroupPriority;
  start?: number;
  end?: number;
  zoneId?: string;
  zoneName?: string;
  zoneCategoryId?: string | null;
  tasks?: TaskItem[];
}

export function taskGroupChange(command: ActionCommandV1, item: unknown, at: string): TaskGroupChange {
  const group = objectAt(item, at);
  const taskId = text(group, 'TaskId', `${at}.TaskId`);
  if (!/^[0-9]{13,19}$/.test(taskId)) throw wrong(`${at}.TaskId`, 'must be a task id (13 to 19 digits)');
  const start = optionalEpochSeconds(group, 'Start', `${at}.Start`);
  const end = optionalEpochSeconds(group, 'End', `${at}.End`);
  const name = optionalText(group, 'Name', `${at}.Name`);
  const priority = priorityOf(group, `${at}.Priority`);
  const tasks = taskItems(group, `${at}.Tasks`, false);
  return {
    taskId,
    ...(name !== undefined ? { name } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(field(group, 'Zone') !== undefined ? zoneOfGroup(command, group, at) : {}),
    ...(tasks !== undefined ? { tasks } : {}),
  };
}
