import { Injectable } from '@nestjs/common';
import { notFound } from '../registry/registry-error';
import {
  checkAddTaskGroup,
  checkTaskTransition,
  noQuery,
  parseLastCleanQuery,
  TASK_PRIORITIES,
  type TaskAction,
} from './task-group-inputs';
import { onShiftView, taskGroupView } from './task-group-views';
import { WorkforceClient, type WorkforceCaller, type WorkforceTarget, UUID } from './workforce-client';

type Matrix = Record<string, unknown>;

const TRANSITION_OPS: Record<TaskAction, string> = {
  start: 'scteams.taskStart',
  pause: 'scteams.pauseTaskGroup',
  complete: 'scteams.taskEnd',
};

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * REST v1 task groups of a shift (`/v1/buildings/{pid}/shifts/{shiftId}/task-groups…`) and the zone reads
 * (`/v1/buildings/{pid}/zones/{zoneId}/last-clean`, `…/on-shift`): each request one documented op (the
 * Matrix documentation, §4.4 "Task groups / tasks / assigned incidents", "Auto-assignment") sent through
 * {@link WorkforceClient}, so REST obeys the task lifecycle, its TASK_* events and the assignment rules of
 * incident-service. Assigned incidents are not task groups here: the incidents resource serves them.
 */
@Injectable()
export class TaskGroupsService {
  constructor(private readonly workforce: WorkforceClient) {}

  /** The shift, which must hold the task group `taskId` (NOT_FOUND otherwise: an unknown id, an incident). */
  private async shiftOf(caller: WorkforceCaller, target: WorkforceTarget, shiftId: string, taskId: string) {
    const shift = await this.workforce.shift(caller, target, shiftId);
    if (!((shift['TaskGroups'] as string[]) ?? []).includes(taskId)) throw notFound('task group', taskId);
    return shift;
  }

  /** The shift's task groups, in start order (getTasksForShiftById, its assigned incidents left out). */
  async list(caller: WorkforceCaller, pid: string, shiftId: string) {
    const target = await this.workforce.building(caller, pid, 'read');
    if (!UUID.test(shiftId)) throw notFound('shift', shiftId);
    const data = (await this.workforce.op(caller, target, 'scteams.getTasksForShiftById', {
      ShiftID: shiftId,
    })) as Matrix[];
    return { items: data.filter((m) => m['Type'] !== 'INCIDENT').map(taskGroupView) };
  }

  /** A planned task group on the shift, for the shift's seat (addTaskgroupToShift). */
  async add(caller: WorkforceCaller, pid: string, shiftId: string, body: unknown) {
    const input = checkAddTaskGroup(body);
    const target = await this.workforce.building(caller, pid, 'write', [input.zoneId]);
    const shift = await this.workforce.shift(caller, target, shiftId);
    const data = await this.workforce.op(caller, target, 'scteams.addTaskgroupToShift', {
      SeatId: shift['SeatId'],
      ShiftID: shiftId,
      Taskgroup: {
        Start: input.start,
        End: input.end,
        Name: input.name,
        Zone: input.zoneId,
        Priority: TASK_PRIORITIES[input.priority ?? 'normal'],
        ...(input.timeZone !== undefined ? { TimeZone: input.timeZone } : {}),
        Tasks: input.tasks.map((t) => ({
          Name: t.name,
          Done: t.done ?? false,
          T: t.value ?? -1,
          Comments: t.comments ?? '',
          Attachments: t.attachments ?? [],
        })),
      },
    });
    return taskGroupView(data as Matrix);
  }

  async get(caller: WorkforceCaller, pid: string, shiftId: string, taskId: string) {
    const target = await this.workforce.building(caller, pid, 'read');
    const shift = await this.shiftOf(caller, target, shiftId, taskId);
    const data = await this.workforce.op(caller, target, 'scteams.getTaskDetailsById', {
      Taskgroup: { SeatId: shift['SeatId'], ShiftId: shiftId, TaskId: taskId },
    });
    return taskGroupView(data as Matrix);
  }

  /** A task group not started leaves its shift (removeTaskgroupFromShift); 409 for a started or resolved one. */
  async remove(caller: WorkforceCaller, pid: string, shiftId: string, taskId: string): Promise<void> {
    const target = await this.workforce.building(caller, pid, 'write');
    const shift = await this.shiftOf(caller, target, shiftId, taskId);
    await this.workforce.op(caller, target, 'scteams.removeTaskgroupFromShift', {
      Taskgroup: { SeatId: shift['SeatId'], ShiftId: shiftId, TaskId: taskId },
    });
  }

  /** start (or resume), pause, complete: taskStart, pauseTaskGroup, taskEnd; the seat the shift's by default. */
  async transition(caller: WorkforceCaller, pid: string, shiftId: string, taskId: string, body: unknown) {
    const input = checkTaskTransition(body);
    const target = await this.workforce.building(caller, pid, 'write');
    const shift = await this.shiftOf(caller, target, shiftId, taskId);
    const data = await this.workforce.op(caller, target, TRANSITION_OPS[input.action], {
      Taskgroup: { SeatId: input.seatId ?? shift['SeatId'], ShiftId: shiftId, TaskId: taskId },
    });
    return taskGroupView(data as Matrix);
  }

  /** The zone's last completed task group over the last `days` (getLastNTasks, ZONE, Limit 1). */
  async lastClean(caller: WorkforceCaller, pid: string, zoneId: string, rawQuery: Record<string, unknown>) {
    const { days } = parseLastCleanQuery(rawQuery);
    const target = await this.workforce.building(caller, pid, 'read', [zoneId]);
    const data = (await this.workforce.op(caller, target, 'scteams.getLastNTasks', {
      TasksFor: 'ZONE',
      zoneId,
      Limit: 1,
      StartTime: seconds(Date.now()) - days * 86_400,
    })) as Matrix[];
    const last = data[0];
    return {
      zoneId,
      lastCleanedAt: last ? taskGroupView(last).completedAt : null,
      taskGroup: last ? taskGroupView(last) : null,
    };
  }

  /** Who would get an auto-assigned incident of the zone now (getAvailabilityForIncident, End now). */
  async onShift(caller: WorkforceCaller, pid: string, zoneId: string, rawQuery: Record<string, unknown>) {
    noQuery(rawQuery);
    const target = await this.workforce.building(caller, pid, 'read', [zoneId]);
    const data = await this.workforce.op(caller, target, 'scteams.getAvailabilityForIncident', {
      Incident: { Zone: zoneId, End: seconds(Date.now()) },
    });
    return onShiftView(data as Matrix);
  }
}
