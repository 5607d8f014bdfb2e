import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { transitioned } from '../incidents/incident-ops';
import {
  IncidentsRepository,
  type IncidentAddress,
  type TransitionResult,
} from '../incidents/incidents.repository';
import { text } from '../ops/args';
import { allow, building, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import { taskgroupAddress, taskIdOf, taskItems } from './task-args';
import { changed, taskLabel } from './task-ops';
import { isShiftId, TasksRepository, type TaskAddress, type TaskResult } from './tasks.repository';
import type { Sql } from '@matrix/persistence';

/**
 * The task-group transitions of a seat at work: taskStart (start, or resume a paused one), pauseTaskGroup,
 * taskEnd, endAdhocTask. A `TaskId` that is not a task group of the shift but an incident assigned to
 * that seat and shift (the seat-direct `ShiftId == SeatId` too) is started or ended through the incident
 * lifecycle, with its INCIDENT_STARTED / INCIDENT_COMPLETED.
 */
@Injectable()
export class TaskTransitionActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.taskStart': (c, now) => this.start(c, now),
    'scteams.pauseTaskGroup': (c, now) => this.pause(c, now),
    'scteams.taskEnd': (c, now) => this.end(c, now),
    'scteams.endAdhocTask': (c, now) => this.endAdhoc(c, now),
  };

  constructor(
    private readonly tasks: TasksRepository,
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
  ) {}

  /** The address `Taskgroup{SeatId, ShiftId, TaskId}` names, its seat an active seat of the property. */
  private async addressed(command: ActionCommandV1) {
    allow(command, 'write');
    const { pid, propId } = building(command);
    const { seatId, shiftId, taskId } = taskgroupAddress(command);
    if (!(await this.seats.findActive(propId, seatId))) throw notFound(`seat ${seatId}`);
    return { pid, seatId, shiftId, taskId };
  }

  private async start(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid, seatId, shiftId, taskId } = await this.addressed(command);
    const result = await this.taskGroup({ pid, shiftId, taskId }, 'start', seatId, command, now);
    if (result.kind !== 'not-found') return changed(result, { taskId, shiftId }, now, 'Task started');
    const address: IncidentAddress = { pid, taskId, seatId, shiftId };
    return incidentAnswer(
      await this.incidents.transition(
        address,
        'start',
        { aStart: seconds(now) },
        command.caller.accessKey,
        now,
        {
          guard: (incident, tx) => shiftRunning(tx, incident.shift_id),
        },
      ),
      address,
    );
  }

  private async end(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid, seatId, shiftId, taskId } = await this.addressed(command);
    const result = await this.taskGroup({ pid, shiftId, taskId }, 'end', seatId, command, now);
    if (result.kind !== 'not-found') return changed(result, { taskId, shiftId }, now, 'Task completed');
    const address: IncidentAddress = { pid, taskId, seatId, shiftId };
    return incidentAnswer(
      await this.incidents.transition(address, 'end', { aEnd: seconds(now) }, command.caller.accessKey, now),
      address,
    );
  }

  private async pause(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid, seatId, shiftId, taskId } = await this.addressed(command);
    const result = await this.taskGroup({ pid, shiftId, taskId }, 'pause', seatId, command, now);
    if (result.kind !== 'not-found') return changed(result, { taskId, shiftId }, now, 'Task paused');
    if (await this.incidents.find({ pid, taskId, seatId, shiftId })) {
      throw new CommandError(
        'INVALID_TRANSITION',
        `${taskLabel({ taskId, shiftId })}: an incident is not paused (only task groups pause)`,
      );
    }
    throw notFound(taskLabel({ taskId, shiftId }));
  }

  /** `{ShiftID, SeatId, TaskId, Tasks[{Comments, Name, Done, T}]}`: completes an ad hoc task group with its work items. */
  private async endAdhoc(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const { pid } = building(command);
    const shiftId = text(command.args, 'ShiftID');
    const seatId = await activeSeat(this.seats, command);
    const taskId = taskIdOf(command.args, 'TaskId');
    const items = taskItems(command.args, 'Tasks', { required: true })!;
    const result = await this.tasks.transition(
      { pid, shiftId, taskId },
      'end-adhoc',
      seatId,
      command.caller.accessKey,
      now,
      items,
    );
    return changed(result, { taskId, shiftId }, now, 'Ad hoc task completed');
  }

  /** The transition of a task group of the shift; `not-found` (also for a seat-direct ShiftId) lets the caller try an incident. */
  private taskGroup(
    address: TaskAddress,
    transition: 'start' | 'pause' | 'end',
    seatId: string,
    command: ActionCommandV1,
    now: Date,
  ): Promise<TaskResult> {
    if (!isShiftId(address.shiftId)) return Promise.resolve({ kind: 'not-found', what: 'shift' });
    return this.tasks.transition(address, transition, seatId, command.caller.accessKey, now);
  }
}

/** An assigned incident's transition, answered as the incident ops answer it; not found is the task address's. */
function incidentAnswer(result: TransitionResult, address: IncidentAddress): ActionCommandReplyV1 {
  if (result.kind === 'not-found') {
    throw notFound(taskLabel({ taskId: address.taskId, shiftId: address.shiftId! }));
  }
  return transitioned(result, address);
}

/**
 * An incident assigned to a shift (its `ShiftId` a shift's UUID) is started only while that shift is
 * STARTED, as a task group is; a seat-direct one (`ShiftId == SeatId`) has no shift to wait for.
 */
async function shiftRunning(tx: Sql, shiftId: string): Promise<string | undefined> {
  if (!isShiftId(shiftId)) return undefined;
  const [shift] = await tx.query<{ status: string }>(
    'select status from workforce.shifts where shift_id = $1 for share',
    [shiftId],
  );
  if (!shift) return `its shift ${shiftId} does not exist`;
  return shift.status === 'STARTED'
    ? undefined
    : `an incident of a shift is started only while the shift is STARTED (the shift is ${shift.status})`;
}
