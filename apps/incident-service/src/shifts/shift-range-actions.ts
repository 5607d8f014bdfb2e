import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { epochSeconds, field, object, optionalText, text, wrong, type Args } from '../ops/args';
import { allow, building, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import { SHIFT_STATUSES } from './shift-lifecycle';
import { decodeShiftPageKey, encodeShiftPageKey } from './shift-page-key';
import { ShiftQueriesRepository, type ShiftScope } from './shift-queries.repository';
import { matrixShift } from './shift-row';
import type { ShiftView } from './shifts.repository';

/** Most shifts one page of a range list holds. */
export const SHIFT_PAGE_SIZE = 500;

/** A page also ends once its shifts' JSON passes this many bytes (a reply stays well under NATS's 1 MB). */
export const SHIFT_PAGE_BYTES = 512 * 1024;

/** `getNextShifts` answers this many shifts unless `Limit` (1–{@link MAX_NEXT_SHIFTS}) says otherwise. */
export const NEXT_SHIFTS = 10;
export const MAX_NEXT_SHIFTS = 100;

/** `StartTime`/`EndTime` (or the object's `Start`/`End`): both required, the end not before the start. */
export function timeRange(
  args: Args,
  names: [string, string] = ['StartTime', 'EndTime'],
  parent = '',
): [number, number] {
  const [fromName, toName] = names;
  const from = epochSeconds(args, fromName, `${parent}${fromName}`);
  const to = epochSeconds(args, toName, `${parent}${toName}`);
  if (to < from) throw wrong(`${parent}${toName}`, `must not be before ${parent}${fromName}`);
  return [from, to];
}

/**
 * The shift lists of the Matrix documentation, §4.4 "Shift": a seat's current shift and next shifts, and
 * the shifts of a seat, a building (of one status), or a property that overlap a time range — in the
 * documented shift shape, `(Start, ShiftId)` order, paged with `LastEvaluatedKey`.
 */
@Injectable()
export class ShiftRangeActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getCurrentShiftForSeat': (c, now) => this.current(c, now),
    'scteams.getNextShifts': (c, now) => this.next(c, now),
    'scteams.getShiftsForSeatInTRange': (c, now) => this.ofSeat(c, now),
    'scteams.getShiftsForProjectInTRange': (c, now) => this.ofBuilding(c, now),
    'scteams.getShiftForPropertyInTRange': (c, now) => this.ofProperty(c, now),
    'scteams.getShiftsInTRangeForIDonStatus': (c, now) => this.onStatus(c, now),
  };

  constructor(
    private readonly queries: ShiftQueriesRepository,
    private readonly seats: SeatsRepository,
  ) {}

  /**
   * `{StartTime, SeatId}`: the seat's shift covering `StartTime` (any building of the property), or
   * `data: null` when none does.
   */
  private async current(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { propId } = building(command);
    const at = epochSeconds(command.args, 'StartTime');
    const seatId = await activeSeat(this.seats, command);
    const view = await this.queries.current(propId, seatId, at, seconds(now));
    if (!view) return { message: `No shift of seat ${seatId} covers ${at}`, data: null };
    return { data: matrixShift(view.row, view.taskGroups, seconds(now)) };
  }

  /** `{SeatId, StartTime, Limit?}`: the seat's next shifts starting after `StartTime` (any building of the property). */
  private async next(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { propId } = building(command);
    const at = epochSeconds(command.args, 'StartTime');
    const limit = field(command.args, 'Limit');
    if (
      limit !== undefined &&
      (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_NEXT_SHIFTS)
    ) {
      throw wrong('Limit', `must be an integer from 1 to ${MAX_NEXT_SHIFTS}`);
    }
    const seatId = await activeSeat(this.seats, command);
    const views = await this.queries.next(propId, seatId, at, (limit as number | undefined) ?? NEXT_SHIFTS);
    return { data: views.map((v) => matrixShift(v.row, v.taskGroups, seconds(now))) };
  }

  /** `{SeatId, StartTime, EndTime, ID?, LastEvaluatedKey?}`: the seat's, in every building of the property or in `ID`. */
  private async ofSeat(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { propId } = building(command);
    const range = timeRange(command.args);
    const only = optionalText(command.args, 'ID');
    const seatId = await activeSeat(this.seats, command);
    const pid = only !== undefined && only.trim() !== '' ? only : undefined;
    return this.page(command, { seatId, propId, ...(pid !== undefined ? { pid } : {}) }, range, now);
  }

  /** `{StartTime, EndTime, LastEvaluatedKey?}`: the building's (`pid`). */
  private async ofBuilding(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { pid } = building(command);
    return this.page(command, { pid }, timeRange(command.args), now);
  }

  /**
   * `{StartTime, EndTime, LastEvaluatedKey?}`: every building's of the property — the building's (`pid`)
   * property, or with `pid=scnoop` the one the gateway resolved.
   */
  private async ofProperty(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const propId = command.building?.propId ?? command.property?.propId;
    if (!propId) throw new CommandError('MISSING_PARAMETERS', `${command.op} needs propid`);
    return this.page(command, { propId }, timeRange(command.args), now);
  }

  /** `{Shift{Start, End, Status}, LastEvaluatedKey?}`: the building's of that status. */
  private async onStatus(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { pid } = building(command);
    const shift = object(command.args, 'Shift');
    const range = timeRange(shift, ['Start', 'End'], 'Shift.');
    const status = text(shift, 'Status', 'Shift.Status').toUpperCase();
    if (!(SHIFT_STATUSES as readonly string[]).includes(status)) {
      throw wrong('Shift.Status', `must be one of ${SHIFT_STATUSES.join(', ')}`);
    }
    return this.page(command, { pid, status }, range, now);
  }

  /**
   * One page of `scope`'s shifts in the range after the body's `LastEvaluatedKey`: at most
   * {@link SHIFT_PAGE_SIZE} shifts and about {@link SHIFT_PAGE_BYTES} of JSON (never less than one shift);
   * `LastEvaluatedKey` (top level, beside `data`) when more remain.
   */
  private async page(
    command: ActionCommandV1,
    scope: ShiftScope,
    [from, to]: [number, number],
    now: Date,
  ): Promise<ActionCommandReplyV1> {
    const key = optionalText(command.args, 'LastEvaluatedKey');
    const after = key !== undefined && key.trim() !== '' ? decodeShiftPageKey(key) : undefined;
    const views = await this.queries.inRange(scope, from, to, SHIFT_PAGE_SIZE + 1, after);
    const page: Record<string, unknown>[] = [];
    let last: ShiftView | undefined;
    let bytes = 0;
    for (const view of views.slice(0, SHIFT_PAGE_SIZE)) {
      const shift = matrixShift(view.row, view.taskGroups, seconds(now));
      bytes += Buffer.byteLength(JSON.stringify(shift));
      if (page.length > 0 && bytes > SHIFT_PAGE_BYTES) break;
      page.push(shift);
      last = view;
    }
    const more = views.length > page.length;
    return {
      message: `${page.length} shift(s)${more ? '; more remain: call again with LastEvaluatedKey' : ''}`,
      data: page,
      ...(more && last
        ? {
            extra: {
              LastEvaluatedKey: encodeShiftPageKey({
                start: Number(last.row.start_at),
                pid: last.row.pid,
                seatId: last.row.seat_id,
                shiftId: last.row.shift_id,
              }),
            },
          }
        : {}),
    };
  }
}
