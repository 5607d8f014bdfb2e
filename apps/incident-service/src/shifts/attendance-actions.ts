import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { object, optionalText, text, wrong } from '../ops/args';
import { allow, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import {
  breakId,
  coordinates,
  list,
  nextBreakId,
  objectAt,
  shiftAddress,
  type ShiftAddress,
} from './shift-args';
import type { ShiftTransition, TransitionContext } from './shift-lifecycle';
import { matrixShift, openBreakOf, type ShiftBreak, type ShiftRow } from './shift-row';
import type { ScheduleSettings } from './shift-settings';
import { ShiftSettings } from './shift-settings';
import { ShiftsRepository, shiftLabel, type ShiftChange } from './shifts.repository';

/** An open break closed at `at` (the shift ends, or the break is ended). */
const closeBreak = (b: ShiftBreak, at: number): ShiftBreak => {
  const end = Math.max(at, b.AStart);
  return { ...b, AEnd: end, DurationInSeconds: end - b.AStart };
};

/** The breaks with the open one, if any, closed at `at`. */
const closeOpenBreak = (breaks: readonly ShiftBreak[], at: number) =>
  breaks.map((b) => (b.AStart > 0 && b.AEnd === 0 ? closeBreak(b, at) : b));

/**
 * The working day of a shift (the Matrix documentation, §4.4 "Shift"): start and end by the seat and by an
 * admin (with clock-in/out coordinates), breaks, and marking a shift delayed, absent or on leave. Each is
 * a lifecycle transition (`shift-lifecycle.ts`) applied to the locked shift with its SHIFT_* event.
 * The seat's own ops (`shiftStart`, `shiftEnd`, `startBreak`, `endBreak`) need a `write` credential and
 * the body's `SeatId` (a seat works only its own shifts); the admin ops and the marks an `admin` one.
 */
@Injectable()
export class AttendanceActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.shiftStart': (c, now) => this.start(c, now, 'start'),
    'scteams.shiftStartAdmin': (c, now) => this.start(c, now, 'start-admin'),
    'scteams.shiftEnd': (c, now) => this.end(c, now, 'end'),
    'scteams.shiftEndAdmin': (c, now) => this.end(c, now, 'end-admin'),
    'scteams.startBreak': (c, now) => this.startBreak(c, now),
    'scteams.endBreak': (c, now) => this.endBreak(c, now),
    'scteams.markShiftDelayed': (c, now) =>
      this.mark(c, now, 'mark-delayed', () => ({ events: ['SHIFT_DELAYED'] })),
    'scteams.markShiftAbsent': (c, now) =>
      this.mark(c, now, 'mark-absent', () => ({ events: ['SHIFT_ABSENT'] })),
    'scteams.markOnLeave': (c, now) => this.mark(c, now, 'mark-on-leave', () => ({ events: [] })),
  };

  constructor(
    private readonly shifts: ShiftsRepository,
    private readonly settings: ShiftSettings,
  ) {}

  /** `{Shift{SeatId, ShiftId, Coordinates{ClockIn{Latitude, Longitude}}?}}`. */
  private async start(
    command: ActionCommandV1,
    now: Date,
    transition: 'start' | 'start-admin',
  ): Promise<ActionCommandReplyV1> {
    allow(command, transition === 'start' ? 'write' : 'admin');
    const address = this.address(command, transition === 'start');
    const clockIn = coordinates(object(command.args, 'Shift'), 'ClockIn', 'Shift');
    const at = seconds(now);
    return this.apply(command, address, transition, {}, now, (row, settings) => {
      // Started late and not flagged yet (the timer had not fired): Delayed now, with its event first.
      const late = !row.delayed && at >= Number(row.start_at) + settings.delayedShiftThreshold;
      return {
        aStart: at,
        clockIn,
        ...(late ? { delayed: true } : {}),
        events: late ? ['SHIFT_DELAYED', 'SHIFT_STARTED'] : ['SHIFT_STARTED'],
      };
    });
  }

  /** `{Shift{SeatId, ShiftId, Coordinates{ClockOut{Latitude, Longitude}}?}}`; an open break ends with the shift. */
  private async end(
    command: ActionCommandV1,
    now: Date,
    transition: 'end' | 'end-admin',
  ): Promise<ActionCommandReplyV1> {
    allow(command, transition === 'end' ? 'write' : 'admin');
    const address = this.address(command, transition === 'end');
    const clockOut = coordinates(object(command.args, 'Shift'), 'ClockOut', 'Shift');
    const at = seconds(now);
    const settings = await this.settings.of(address.pid);
    return this.apply(
      command,
      address,
      transition,
      {
        earlyCheckoutRefused:
          !settings.allowEarlyCheckout && transition === 'end' && (await this.endsEarly(address, at)),
      },
      now,
      (row) => ({ aEnd: at, clockOut, breaks: closeOpenBreak(row.breaks, at), events: ['SHIFT_COMPLETED'] }),
    );
  }

  private async endsEarly(address: ShiftAddress, at: number): Promise<boolean> {
    const view = await this.shifts.find({ pid: address.pid, shiftId: address.shiftId });
    return view !== undefined && at < Number(view.row.end_at);
  }

  /**
   * `{Shift{SeatId, ShiftId, Breaks[{ID?, Notes?, Type?}]}}` (one break): takes the scheduled break with
   * that ID, or a new one (the next free ID when none is given); one open break at a time.
   */
  private async startBreak(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, true);
    const named = this.breakOf(command, false);
    const at = seconds(now);
    return this.apply(command, address, 'start-break', {}, now, (row) => {
      const id = named.id ?? nextBreakId(row.breaks);
      const existing = row.breaks.find((b) => b.ID === id);
      if (existing && existing.AStart > 0) {
        throw new CommandError('INVALID_TRANSITION', `${shiftLabel(address)}: break ${id} was already taken`);
      }
      const taken: ShiftBreak = {
        ...(existing ?? {
          ID: id,
          Type: '',
          Notes: '',
          IsPlannedBreak: false,
          Scheduled: false,
          DurationInSeconds: 0,
          Start: 0,
          End: 0,
          AEnd: 0,
        }),
        ...(named.type !== undefined ? { Type: named.type } : {}),
        ...(named.notes !== undefined ? { Notes: named.notes } : {}),
        AStart: at,
      };
      const breaks = existing ? row.breaks.map((b) => (b.ID === id ? taken : b)) : [...row.breaks, taken];
      if (breaks.length > 50) {
        throw new CommandError('LIMIT_VIOLATED', `${shiftLabel(address)}: a shift has at most 50 breaks`);
      }
      return { breaks, events: [] };
    });
  }

  /** `{Shift{SeatId, ShiftId, Breaks[{ID, Notes?, Type?}]}}`: ends the open break, which must be `ID`. */
  private async endBreak(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = this.address(command, true);
    const named = this.breakOf(command, true);
    const at = seconds(now);
    return this.apply(command, address, 'end-break', { breakId: named.id! }, now, (row) => ({
      breaks: row.breaks.map((b) =>
        b.ID === named.id && b === openBreakOf(row.breaks)
          ? {
              ...closeBreak(b, at),
              ...(named.type !== undefined ? { Type: named.type } : {}),
              ...(named.notes !== undefined ? { Notes: named.notes } : {}),
            }
          : b,
      ),
      events: [],
    }));
  }

  /** `{Shift{ShiftId, SeatId?}}` (admin). */
  private async mark(
    command: ActionCommandV1,
    now: Date,
    transition: 'mark-delayed' | 'mark-absent' | 'mark-on-leave',
    change: () => ShiftChange,
  ): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    return this.apply(command, this.address(command, false), transition, {}, now, change);
  }

  /** `Shift{SeatId, ShiftId}`; the seat's own ops must name the seat. */
  private address(command: ActionCommandV1, seatRequired: boolean): ShiftAddress {
    if (seatRequired) text(object(command.args, 'Shift'), 'SeatId', 'Shift.SeatId');
    return shiftAddress(command, command.args);
  }

  /** The one break of `Shift.Breaks[]`. */
  private breakOf(command: ActionCommandV1, idRequired: boolean) {
    const breaks = list(object(command.args, 'Shift'), 'Breaks', 'Shift.Breaks', 1);
    if (breaks === undefined || breaks.length === 0) {
      if (idRequired) throw wrong('Shift.Breaks', 'must name the break (one, with its ID)');
      return {};
    }
    const b = objectAt(breaks[0], 'Shift.Breaks[0]');
    const id = breakId(b, 'Shift.Breaks[0].ID', idRequired);
    const type = optionalText(b, 'Type', 'Shift.Breaks[0].Type');
    const notes = optionalText(b, 'Notes', 'Shift.Breaks[0].Notes');
    return { id, type, notes };
  }

  private async apply(
    command: ActionCommandV1,
    address: ShiftAddress,
    transition: ShiftTransition,
    context: TransitionContext,
    now: Date,
    change: (row: ShiftRow, settings: ScheduleSettings) => ShiftChange,
  ): Promise<ActionCommandReplyV1> {
    const view = await this.shifts.transition(
      address,
      transition,
      context,
      change,
      command.caller.accessKey,
      now,
      // The building's wall clock: a seat coming on shift picks up waiting incidents it is available for.
      command.building?.timeZone,
    );
    return { data: matrixShift(view.row, view.taskGroups, seconds(now)) };
  }
}
