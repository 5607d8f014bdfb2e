import {
  bool,
  fields,
  freeText,
  isObject,
  once,
  Problems,
  queryKeys,
  text,
  time,
  timeZone,
  type Body,
} from './inputs';

/* REST v1 task group and zone-read inputs (`…/shifts/{shiftId}/task-groups…`, `…/zones/{zoneId}/…`). */

/** REST priorities and the documented letters (the Matrix documentation, §7.4 "TaskGroup"). */
export const TASK_PRIORITIES = { high: 'H', medium: 'M', normal: 'N', low: 'L' } as const;
export type TaskPriority = keyof typeof TASK_PRIORITIES;
export const PRIORITY_NAMES = Object.keys(TASK_PRIORITIES) as TaskPriority[];

export const TASK_ACTIONS = ['start', 'pause', 'complete'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** At most 20 work items (the Matrix documentation, §7.4 "Limits"). */
const MAX_TASKS = 20;
const MAX_ATTACHMENTS = 20;
/** getLastNTasks' window for the last clean time: `days`, 30 by default, at most 366. */
export const LAST_CLEAN_DEFAULT_DAYS = 30;
export const LAST_CLEAN_MAX_DAYS = 366;

export interface TaskItemInput {
  name: string;
  done?: boolean;
  value?: number;
  comments?: string;
  attachments?: string[];
}

export interface AddTaskGroupInput {
  name: string;
  start: number;
  end: number;
  zoneId: string;
  priority?: TaskPriority;
  timeZone?: string;
  tasks: TaskItemInput[];
}

export interface TaskTransitionInput {
  action: TaskAction;
  seatId?: string;
}

function taskItem(value: unknown, at: string, problems: Problems): TaskItemInput | undefined {
  const before = problems.list.length;
  const t = fields(value, ['name', 'done', 'value', 'comments', 'attachments'], problems, at);
  const name = text(t, 'name', problems, true, at, 200);
  const done = bool(t, 'done', problems, at);
  const v = t['value'];
  if (v !== undefined && v !== null && (!Number.isSafeInteger(v) || (v as number) < 0)) {
    problems.add(`${at}.value: must be a non-negative whole number (null for none)`);
  }
  const comments = freeText(t, 'comments', problems, at);
  const attachments = t['attachments'];
  if (
    attachments !== undefined &&
    (!Array.isArray(attachments) ||
      attachments.length > MAX_ATTACHMENTS ||
      !attachments.every((a) => typeof a === 'string' && a !== '' && a.length <= 2048))
  ) {
    problems.add(
      `${at}.attachments: must be a list of at most ${MAX_ATTACHMENTS} URLs of at most 2048 characters`,
    );
  }
  if (problems.list.length > before) return undefined;
  return {
    name: name!,
    ...(done !== undefined ? { done } : {}),
    ...(typeof v === 'number' ? { value: v } : {}),
    ...(comments !== undefined ? { comments } : {}),
    ...(attachments !== undefined ? { attachments: attachments as string[] } : {}),
  };
}

/** `POST …/shifts/{shiftId}/task-groups`: `{name, start, end, zoneId, priority?, timeZone?, tasks}`. */
export function checkAddTaskGroup(body: unknown): AddTaskGroupInput {
  const problems = new Problems();
  const raw = fields(body, ['name', 'start', 'end', 'zoneId', 'priority', 'timeZone', 'tasks'], problems);
  const name = text(raw, 'name', problems, true, '', 200);
  const start = time(raw, 'start', problems, true);
  const end = time(raw, 'end', problems, true);
  if (start !== undefined && end !== undefined && end <= start) problems.add('end: must be after start');
  const zoneId = text(raw, 'zoneId', problems, true, '', 200);
  const priority = raw['priority'];
  if (priority !== undefined && !(PRIORITY_NAMES as unknown[]).includes(priority)) {
    problems.add(`priority: must be one of ${PRIORITY_NAMES.join(', ')}`);
  }
  const zone = timeZone(raw, 'timeZone', problems);
  const tasks = raw['tasks'];
  let items: TaskItemInput[] | undefined;
  if (tasks === undefined || tasks === null) problems.add('tasks: is required');
  else if (!Array.isArray(tasks) || tasks.length === 0 || tasks.length > MAX_TASKS) {
    problems.add(`tasks: must be a list of 1 to ${MAX_TASKS} work items`);
  } else {
    const read = tasks.map((t, i) => taskItem(t, `tasks[${i}]`, problems));
    items = read.every((t) => t !== undefined) ? (read as TaskItemInput[]) : undefined;
  }
  problems.throwIfAny('task group');
  return {
    name: name!,
    start: start!,
    end: end!,
    zoneId: zoneId!,
    tasks: items!,
    ...(priority !== undefined ? { priority: priority as TaskPriority } : {}),
    ...(zone !== undefined ? { timeZone: zone } : {}),
  };
}

/** `POST …/task-groups/{taskId}/transitions`: `{action, seatId?}`. */
export function checkTaskTransition(body: unknown): TaskTransitionInput {
  const problems = new Problems();
  const raw = fields(body, ['action', 'seatId'], problems);
  const action = raw['action'];
  if (action === undefined || action === null) problems.add('action: is required');
  else if (!(TASK_ACTIONS as readonly unknown[]).includes(action)) {
    problems.add(`action: must be one of ${TASK_ACTIONS.join(', ')}`);
  }
  const seatId = text(raw, 'seatId', problems, false);
  problems.throwIfAny('transition');
  return { action: action as TaskAction, ...(seatId !== undefined ? { seatId } : {}) };
}

/** `GET …/zones/{zoneId}/last-clean?days=`: whole days, 1 to 366, 30 by default. */
export function parseLastCleanQuery(raw: Body): { days: number } {
  const problems = new Problems();
  queryKeys(raw, ['days'], problems);
  const value = once(raw, 'days', problems);
  let days = LAST_CLEAN_DEFAULT_DAYS;
  if (value !== undefined) {
    const n = /^[0-9]{1,4}$/.test(value) ? Number(value) : NaN;
    if (!(n >= 1 && n <= LAST_CLEAN_MAX_DAYS)) {
      problems.add(`days: must be a whole number from 1 to ${LAST_CLEAN_MAX_DAYS}`);
    } else days = n;
  }
  problems.throwIfAny('query');
  return { days };
}

/** A read without query parameters (`GET …/zones/{zoneId}/on-shift`). */
export function noQuery(raw: Body): void {
  const problems = new Problems();
  if (isObject(raw)) {
    for (const key of Object.keys(raw)) {
      problems.add(`${key}: is not a known query parameter (none is taken)`);
    }
  }
  problems.throwIfAny('query');
}
