import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { Database } from '@matrix/persistence';
import {
  IncidentsRepository,
  type IncidentAddress,
  type TransitionChanges,
  type TransitionRules,
} from './incidents.repository';
import { shiftOfSeat, shiftRefusal } from './assignable-shift';
import type { EscalationType } from './next-deadline';
import { SeatsRepository } from '../seats/seats.repository';
import { text } from '../ops/args';
import { activeSeat } from '../seats/active-seat';
import { addressOf, transitioned } from './incident-ops';
import { allow, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';

/** `EscalationType` (§7.4: `unassigned`, `startTime`, due time). */
export const ESCALATION_TYPES: readonly EscalationType[] = ['unassigned', 'startTime', 'dueTime'];

/** The lifecycle transitions: assign, start, end, escalate (open or assigned). */
@Injectable()
export class TransitionActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.escalateIncidentStatusForType': (c, now) => this.escalateAssigned(c, now),
    'scteams.assignIncident': (c, now) => this.assign(c, now),
    'scteams.startUnassignedIncident': (c, now) => this.start(c, now),
    'scteams.endUnassignedIncident': (c, now) => this.end(c, now),
    'scteams.escalateUnassignedIncident': (c, now) => this.escalate(c, now),
  };

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly seats: SeatsRepository,
    private readonly db: Database,
  ) {}

  private async assign(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = addressOf(command, 'IncidentId', true);
    const seatId = await activeSeat(this.seats, command);
    const shiftId = text(command.args, 'ShiftID');
    // The documented special case ShiftID == SeatId assigns to the seat directly.
    if (shiftId === seatId) return this.apply(command, address, 'assign', { seatId, shiftId }, now);
    // Else a shift of that seat in the call's building (the Matrix documentation, §4.4: "shift id to which
    // the incident is being assigned"), PUBLISHED or STARTED.
    const shift = { pid: address.pid, seatId, shiftId };
    if (!(await shiftOfSeat(this.db, shift))) throw notFound(`shift ${shiftId}`);
    return this.apply(command, address, 'assign', { seatId, shiftId }, now, {
      // In the assignment's transaction, after the incident row (`for update`) and before the seat and the
      // outbox: the shift held `for share`, so it is not ended or deleted until the assignment commits.
      // Shift transitions lock the shift then the outbox and never an incident: no cycle.
      guard: async (_incident, tx) => {
        const held = await shiftOfSeat(tx, shift, true);
        if (!held) throw notFound(`shift ${shiftId}`);
        return shiftRefusal(shiftId, held.status);
      },
    });
  }

  private async start(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = addressOf(command, 'IncidentId', true);
    const seatId = await activeSeat(this.seats, command);
    return this.apply(command, address, 'start', { seatId, shiftId: seatId, aStart: seconds(now) }, now);
  }

  private async end(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = addressOf(command, 'IncidentId', true);
    return this.apply(command, address, 'end', { aEnd: seconds(now) }, now);
  }

  private async escalate(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = addressOf(command, 'IncidentId', true);
    return this.apply(command, address, 'escalate', { escalationType: 'unassigned' }, now);
  }

  /** `scteams.escalateIncidentStatusForType`: an assigned incident, addressed by `SeatId` + `ShiftID`. */
  private async escalateAssigned(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = addressOf(command, 'IncidentId', false);
    const seatId = text(command.args, 'SeatId');
    const shiftId = text(command.args, 'ShiftID');
    const type = text(command.args, 'EscalationType') as EscalationType;
    if (!ESCALATION_TYPES.includes(type)) {
      throw new CommandError(
        'WRONG_PARAMETERS',
        `EscalationType: must be one of ${ESCALATION_TYPES.join(', ')}`,
      );
    }
    return this.apply(command, { ...address, seatId, shiftId }, 'escalate', { escalationType: type }, now);
  }

  private async apply(
    command: ActionCommandV1,
    address: IncidentAddress,
    transition: 'assign' | 'start' | 'end' | 'escalate',
    changes: TransitionChanges,
    now: Date,
    rules: TransitionRules = {},
  ): Promise<ActionCommandReplyV1> {
    const result = await this.incidents.transition(
      address,
      transition,
      changes,
      command.caller.accessKey,
      now,
      rules,
    );
    return transitioned(result, address);
  }
}
