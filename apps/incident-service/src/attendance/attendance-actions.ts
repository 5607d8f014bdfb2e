import { Injectable } from '@nestjs/common';
import {
  actionCommandV1,
  ATTENDANCE_ACTIONS_SUBJECT,
  type ActionBuildingV1,
  type ActionCommandReplyV1,
  type ActionCommandV1,
  type AttendanceEventOutputV1,
} from '@matrix/contracts';
import { CommandError, HandleCommand } from '@matrix/messaging';
import { answerOf } from '../actions/workforce-actions';
import { Clock } from '../clock/clock';
import { allow, notFound, seconds, type OpTable } from '../ops/op-table';
import { SeatsRepository } from '../seats/seats.repository';
import { AttendanceActions as ShiftAttendanceActions } from '../shifts/attendance-actions';
import { localTimeOf } from '../shifts/shift-times';
import {
  attendanceEventOf,
  clockTarget,
  integrationIdOf,
  type AttendanceEvent,
  type ClockShift,
} from './attendance-event';
import {
  AttendanceIntegrationsRepository,
  matrixIntegration,
  type AttendanceIntegrationRow,
} from './attendance-integrations.repository';

/** The module path of the attendance ops' URLs (`/prod/v2/attendance/v1/actions`). */
export const ATTENDANCE_MODULE = 'attendance';

/**
 * The attendance module of the Matrix actions API (`attendance`, ops `scattendance.*`; the Matrix
 * documentation, §4.7), served on the command the gateway forwards (`attendance.action.call.v1`): a
 * property's third-party integration (kiosk, fingerprint or face-recognition terminal) reads its settings
 * and sends CLOCK_IN / CLOCK_OUT for the people of its `UserMap`. A clock event starts or ends the seat's
 * shift through the workforce module's own `scteams.shiftStart` / `scteams.shiftEnd` (shifts/), so the
 * lifecycle rules, the schedule settings, the SHIFT_* events and what timesheets derive from them are
 * exactly theirs. The gateway has authenticated the caller and resolved the building (`pid`) or the
 * property (`pid=scnoop`), tenancy checked.
 */
@Injectable()
export class AttendanceActions {
  private readonly ops: OpTable = {
    'scattendance.readIntegration': (c) => this.readIntegration(c),
    'scattendance.attendanceEvent': (c, now) => this.attendanceEvent(c, now),
  };

  constructor(
    private readonly integrations: AttendanceIntegrationsRepository,
    private readonly seats: SeatsRepository,
    private readonly shifts: ShiftAttendanceActions,
    private readonly clock: Clock,
  ) {}

  /** The ops served here, by name. */
  get operations(): string[] {
    return Object.keys(this.ops).sort();
  }

  @HandleCommand(actionCommandV1(ATTENDANCE_ACTIONS_SUBJECT))
  async call(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const handler = this.ops[command.op];
    if (!handler) {
      throw new CommandError(
        'UNKNOWN_OPERATION',
        `${command.op} is not an operation of module ${ATTENDANCE_MODULE}; see GET /prod/v2/operations`,
      );
    }
    try {
      return await handler(command, this.clock.now());
    } catch (error) {
      throw answerOf(error, command.op);
    }
  }

  /** `{IntegrationId}` → the integration itself, as the whole answer (reference §4.7 shows no envelope). */
  private async readIntegration(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const integration = await this.integration(command, integrationIdOf(command.args));
    return { envelope: { ...matrixIntegration(integration) } };
  }

  /**
   * `{IntegrationId, Event, Time?, ID}` → `{input, output, status: "OK"}`: the person `ID` is the seat
   * `UserMap[ID]`; CLOCK_IN starts the seat's shift of that time, CLOCK_OUT ends its started one (see
   * `clockTarget`). A repeated event is answered again without changing anything.
   */
  private async attendanceEvent(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const event = attendanceEventOf(command.args, seconds(now));
    const integration = await this.integration(command, event.integrationId);
    const seatId = integration.user_map[event.sourceId];
    if (typeof seatId !== 'string' || seatId === '') {
      throw notFound(
        `ID ${event.sourceId} in the UserMap of attendance integration ${integration.integration_id}`,
      );
    }
    if (!(await this.seats.findActive(integration.prop_id, seatId))) {
      throw notFound(`seat ${seatId} (UserMap of attendance integration ${integration.integration_id})`);
    }
    const pid = command.building?.pid ?? integration.default_pid;
    const shifts = await this.integrations.shiftsAround(integration.prop_id, pid, seatId, event.time);
    const target = clockTarget(event.event, event.time, shifts);
    const when = `${new Date(event.time * 1000).toISOString()} (${event.time})`;
    if (target.kind === 'none') {
      throw event.event === 'CLOCK_IN'
        ? notFound(`a shift of seat ${seatId} in building ${pid} to clock into at ${when}`)
        : new CommandError(
            'INVALID_TRANSITION',
            `CLOCK_OUT of seat ${seatId} at ${when}: the seat has no STARTED shift in building ${pid} (clock in first)`,
          );
    }
    const { shift } = target;
    if (target.kind === 'apply') {
      if (event.event === 'CLOCK_OUT' && event.time < shift.aStart) {
        throw new CommandError(
          'INVALID_TRANSITION',
          `CLOCK_OUT of seat ${seatId} at ${when}: before shift ${shift.shiftId}'s clock-in at ` +
            `${localTimeOf(shift.aStart, shift.timeZone)} (${shift.timeZone})`,
        );
      }
      try {
        await this.applyToShift(command, integration, pid, seatId, event, shift);
      } catch (error) {
        // The same event sent twice at once: the other one applied it between our read and the shift's
        // lock, so this one is a repeat after all (answered the same), not a lifecycle refusal.
        const again = clockTarget(
          event.event,
          event.time,
          await this.integrations.shiftsAround(integration.prop_id, pid, seatId, event.time),
        );
        const raced = again.kind === 'repeat' && again.shift.shiftId === shift.shiftId;
        if (!(error instanceof CommandError && error.code === 'INVALID_TRANSITION' && raced)) throw error;
      }
    }
    const output: AttendanceEventOutputV1 = {
      ID: seatId,
      Event: event.event,
      Time: event.time,
      IntegrationId: integration.integration_id,
      PropId: integration.prop_id,
      Org: integration.org_id,
      PID: pid,
      SourceSeatId: event.sourceId,
      MatrixSeatId: seatId,
      ShiftId: shift.shiftId,
    };
    return { envelope: { input: command.args, output, status: 'OK' } };
  }

  /**
   * The seat's own `scteams.shiftStart` / `scteams.shiftEnd` on the shift, at the event's time (the
   * shift's AStart / AEnd), with the caller's credential: the same transaction, rules and SHIFT_* events.
   */
  private async applyToShift(
    command: ActionCommandV1,
    integration: AttendanceIntegrationRow,
    pid: string,
    seatId: string,
    event: AttendanceEvent,
    shift: ClockShift,
  ): Promise<void> {
    // Without a pid the gateway resolved no building: the integration's DefaultPID, on the shift's clock.
    const building: ActionBuildingV1 = command.building ?? {
      pid,
      org: integration.org_id,
      propId: integration.prop_id,
      name: pid,
      timeZone: shift.timeZone,
    };
    const op = event.event === 'CLOCK_IN' ? 'scteams.shiftStart' : 'scteams.shiftEnd';
    await this.shifts.ops[op]!(
      {
        ...command,
        module: 'scworkforcemanagement',
        op,
        pid,
        args: { Shift: { SeatId: seatId, ShiftId: shift.shiftId } },
        building,
        zones: {},
      },
      new Date(event.time * 1000),
    );
  }

  /**
   * The integration, if it is the caller's: of the organisation and of the property the call names (the
   * building's, or `propid` / the credential's); NOT_FOUND otherwise, as for one that does not exist.
   */
  private async integration(
    command: ActionCommandV1,
    integrationId: string,
  ): Promise<AttendanceIntegrationRow> {
    const row = await this.integrations.find(integrationId);
    const propId = command.building?.propId ?? command.property?.propId ?? command.caller.property;
    if (
      !row ||
      row.org_id !== command.org ||
      (propId !== null && propId !== undefined && row.prop_id !== propId)
    ) {
      throw notFound(`attendance integration ${integrationId}`);
    }
    return row;
  }
}
