import type { ActionCommandReplyV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { matrixIncident, type IncidentRow } from '../incidents/incident-row';
import { notFound } from '../ops/op-table';
import { matrixTaskGroup, type TaskGroupRow } from './task-group-row';
import type { TaskResult } from './tasks.repository';

/* What the task op groups share: the label of a task address, the answer of a change, the merged lists. */

export const taskLabel = (address: { taskId: string; shiftId: string }) =>
  `task ${address.taskId} of shift ${address.shiftId}`;

/** The answer of a task-group change: the task group, or NOT_FOUND / INVALID_TRANSITION naming the rule. */
export function changed(
  result: TaskResult,
  address: { taskId?: string; shiftId: string; seatId?: string },
  now: Date,
  message: string,
): ActionCommandReplyV1 {
  switch (result.kind) {
    case 'not-found':
      throw notFound(
        result.what === 'shift' || address.taskId === undefined
          ? `shift ${address.shiftId}${address.seatId ? ` of seat ${address.seatId}` : ''}`
          : taskLabel({ taskId: address.taskId, shiftId: address.shiftId }),
      );
    case 'refused':
      throw new CommandError(
        'INVALID_TRANSITION',
        `${address.taskId ? taskLabel({ taskId: address.taskId, shiftId: address.shiftId }) : `shift ${address.shiftId}`}: ${result.rule}`,
      );
    case 'done':
      return { message, data: matrixTaskGroup(result.row, Math.floor(now.getTime() / 1000)) };
  }
}

/** An entry of a merged list: a task group or an assigned incident, with its position. */
export interface ListEntry {
  start: number;
  taskId: string;
  pid: string;
  attr: string;
  answer: Record<string, unknown>;
}

export const taskGroupEntry = (row: TaskGroupRow, now: number): ListEntry => ({
  start: Number(row.start_at),
  taskId: row.task_id,
  pid: row.pid,
  attr: `attr#${row.pid}#${row.seat_id}#${row.shift_id}#${row.task_id}`,
  answer: matrixTaskGroup(row, now),
});

export const incidentEntry = (row: IncidentRow): ListEntry => ({
  start: Number(row.start_by),
  taskId: row.task_id,
  pid: row.pid,
  attr: `attr#${row.pid}#${row.zone_id}#${row.task_id}`,
  answer: matrixIncident(row),
});

/** Task groups and incidents as one list in `(Start, TaskId)` order, at most `limit`. */
export function merged(
  groups: readonly ListEntry[],
  incidents: readonly ListEntry[],
  limit: number,
): ListEntry[] {
  return [...groups, ...incidents]
    .sort((a, b) => a.start - b.start || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0))
    .slice(0, limit);
}
