import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { matrixIncident } from '../incidents/incident-row';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { epochSeconds, object, optionalText, text, wrong } from '../ops/args';
import { allow, building, notFound, seconds, zoneOf, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import {
  attachmentList,
  optionalPriority,
  optionalTimeZone,
  taskgroupAddress,
  taskIdOf,
  taskItems,
} from './task-args';
import { matrixTaskGroup } from './task-group-row';
import { changed, taskLabel } from './task-ops';
import { TasksRepository } from './tasks.repository';

/** Name of an ad hoc task whose body names none (the documented body has no `Name`). */
export const ADHOC_TASK_NAME = 'Ad hoc task';

/**
 * The task groups of a shift, changed: addTaskgroupToShift (a planned task group added to a shift not
 * ended), removeTaskgroupFromShift (one not started yet), startAdhocTask (an ad hoc task group started
 * now on the running shift, TASK_STARTED) and updateAttachments (a task group's — or an assigned
 * incident's — attachment URLs).
 */
@Injectable()
export class TaskChangeActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.addTaskgroupToShift': (c, now) => this.add(c, now),
    'scteams.removeTaskgroupFromShift': (c, now) => this.remove(c, now),
    'scteams.startAdhocTask': (c, now) => this.startAdhoc(c, now),
    'scteams.updateAttachments': (c, now) => this.setAttachments(c, now),
  };

  constructor(
    private readonly tasks: TasksRepository,
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
  ) {}

  /** `{SeatId, ShiftID, Taskgroup{Start, End, Name, Zone, ZoneName?, ZoneCatId?, Priority?, Tasks, TimeZone?}}`. */
  private async add(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const { pid } = building(command);
    const shiftId = text(command.args, 'ShiftID');
    const group = object(command.args, 'Taskgroup');
    const start = epochSeconds(group, 'Start', 'Taskgroup.Start');
    const end = epochSeconds(group, 'End', 'Taskgroup.End');
    if (end <= start) throw wrong('Taskgroup.End', 'must be after Taskgroup.Start');
    const name = text(group, 'Name', 'Taskgroup.Name');
    const zoneId = text(group, 'Zone', 'Taskgroup.Zone');
    const zone = zoneOf(command, zoneId);
    optionalText(group, 'ZoneName', 'Taskgroup.ZoneName');
    const bodyCategory = optionalText(group, 'ZoneCatId', 'Taskgroup.ZoneCatId');
    const priority = optionalPriority(group, 'Taskgroup.Priority') ?? 'N';
    const timeZone = optionalTimeZone(group, 'Taskgroup.TimeZone');
    const tasks = taskItems(group, 'Taskgroup.Tasks', { required: true })!;
    const seatId = await activeSeat(this.seats, command);
    const result = await this.tasks.add(
      pid,
      shiftId,
      seatId,
      {
        name,
        priority,
        start,
        end,
        ...(timeZone !== undefined ? { timeZone } : {}),
        zoneId,
        zoneName: zone.name,
        zoneCategoryId: zone.categoryId ?? bodyCategory ?? null,
        tasks,
      },
      command.caller.accessKey,
      now,
    );
    return changed(result, { shiftId, seatId }, now, 'Task group added to the shift');
  }

  /** `Taskgroup{SeatId, ShiftId, TaskId}`: a task group not started yet leaves its shift; answers it as it was. */
  private async remove(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const { pid } = building(command);
    const { seatId, shiftId, taskId } = taskgroupAddress(command);
    const result = await this.tasks.transition(
      { pid, shiftId, taskId, seatId },
      'remove',
      undefined,
      command.caller.accessKey,
      now,
    );
    if (result.kind === 'not-found' && (await this.incidents.find({ pid, taskId, seatId, shiftId }))) {
      throw new CommandError(
        'INVALID_TRANSITION',
        `${taskLabel({ taskId, shiftId })}: an assigned incident is not removed from its shift (adminReassignIncident or adminDeleteIncident)`,
      );
    }
    return changed(result, { taskId, shiftId }, now, 'Task group removed from the shift');
  }

  /**
   * `{EndTime, ZoneName?, By?, ShiftID, zoneId, ZoneCategoryId?}` (+ `Name`, `Priority`, `Tasks`, `SeatId`
   * when given): an ad hoc task group in the zone, on the shift — which must be STARTED — started now and
   * due at `EndTime`.
   */
  private async startAdhoc(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const { pid } = building(command);
    const shiftId = text(command.args, 'ShiftID');
    const end = epochSeconds(command.args, 'EndTime');
    if (end <= seconds(now)) throw wrong('EndTime', 'must be after the current time');
    const zoneId = text(command.args, 'zoneId');
    const zone = zoneOf(command, zoneId);
    optionalText(command.args, 'ZoneName');
    const bodyCategory = optionalText(command.args, 'ZoneCategoryId');
    const bySource = optionalText(command.args, 'By');
    const name = optionalText(command.args, 'Name') ?? ADHOC_TASK_NAME;
    const priority = optionalPriority(command.args, 'Priority') ?? 'N';
    const tasks = taskItems(command.args, 'Tasks', { required: false }) ?? [];
    const seatId = optionalText(command.args, 'SeatId');
    if (seatId !== undefined) await activeSeat(this.seats, command);
    const shift = await this.tasks.findShift(pid, shiftId);
    if (!shift || (seatId !== undefined && shift.seat_id !== seatId)) {
      throw notFound(`shift ${shiftId}${seatId ? ` of seat ${seatId}` : ''}`);
    }
    const result = await this.tasks.startAdhoc(
      pid,
      shiftId,
      {
        name,
        priority,
        start: seconds(now),
        end,
        zoneId,
        zoneName: zone.name,
        zoneCategoryId: zone.categoryId ?? bodyCategory ?? null,
        tasks,
        ...(bySource !== undefined ? { bySource } : {}),
      },
      command.caller.accessKey,
      now,
    );
    return changed(result, { shiftId }, now, 'Ad hoc task started');
  }

  /**
   * `{ShiftID, SeatId, IncidentId, Attachments}`: the attachment URLs of a task group of the shift — or of
   * an incident assigned to that seat and shift — replaced whole (at most 20, each ≤ 2,048 characters).
   */
  private async setAttachments(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const { pid } = building(command);
    const shiftId = text(command.args, 'ShiftID');
    const seatId = text(command.args, 'SeatId');
    const taskId = taskIdOf(command.args, 'IncidentId');
    const attachments = attachmentList(command.args);
    const row = await this.tasks.setAttachments({ pid, shiftId, taskId, seatId }, attachments, now);
    if (row) return { message: 'Attachments updated', data: matrixTaskGroup(row, seconds(now)) };
    const incident = await this.incidents.setAttachments({ pid, taskId, seatId, shiftId }, attachments, now);
    if (!incident) throw notFound(taskLabel({ taskId, shiftId }));
    return { message: 'Attachments updated', data: matrixIncident(incident) };
  }
}
