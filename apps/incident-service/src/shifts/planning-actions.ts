import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import {
  epochSeconds,
  missing,
  object,
  optionalEpochSeconds,
  optionalText,
  wrong,
  type Args,
} from '../ops/args';
import { allow, building, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { activeSeat } from '../seats/active-seat';
import { SeatsRepository } from '../seats/seats.repository';
import {
  cost,
  list,
  objectAt,
  optionalBoolean,
  plannedBreaks,
  repeatDates,
  shiftAddress,
  timeZone,
  zones,
} from './shift-args';
import { MAX_PUBLISHED_PER_CALL, SHIFT_PAYLOAD_BYTES } from './shift-events';
import { plannedBreakOf, shiftOnDate, taskGroupPlanOf } from './shift-plans';
import { matrixShift } from './shift-row';
import { ShiftSettings } from './shift-settings';
import { localDateOf } from './shift-times';
import {
  MAX_SHIFT_SECONDS,
  ShiftsRepository,
  shiftLabel,
  type NewShift,
  type ShiftView,
} from './shifts.repository';
import { newTaskGroup, taskGroupChange } from './task-group-args';

/** The most shifts one create or copy writes (Schedule × RepeatDates). */
export const MAX_SHIFTS_PER_CALL = 500;

const answer = (views: readonly ShiftView[], now: Date) =>
  views.map((v) => matrixShift(v.row, v.taskGroups, seconds(now)));

/** Room kept in a reply's budget for its envelope (`message`, `Count`, `More`, the keys). */
const REPLY_ENVELOPE_BYTES = 8 * 1024;

/**
 * The shifts of a create, copy or publish answer within {@link SHIFT_PAYLOAD_BYTES}: the full shifts in
 * order while their JSON fits, the rest left out; when any is left out, `shortened` and `shiftIds` (every
 * shift of the call, in the answer's order, ≤ 500 × 39 bytes), so the caller can read the others with
 * getShiftDetailsByID. Whatever the shifts' breaks, zones and texts, the reply stays under the budget
 * (the ids are reserved first; a shift too large alone is only listed by id).
 */
export function boundedShifts(
  views: readonly ShiftView[],
  now: Date,
  budget = SHIFT_PAYLOAD_BYTES,
): { shifts: Record<string, unknown>[]; shortened: boolean; shiftIds: string[] } {
  const shiftIds = views.map((v) => v.row.shift_id);
  const room = budget - REPLY_ENVELOPE_BYTES - Buffer.byteLength(JSON.stringify(shiftIds));
  const shifts: Record<string, unknown>[] = [];
  let bytes = 2;
  for (const view of views) {
    const shift = matrixShift(view.row, view.taskGroups, seconds(now));
    bytes += Buffer.byteLength(JSON.stringify(shift)) + 1;
    if (bytes > room) break;
    shifts.push(shift);
  }
  return { shifts, shortened: shifts.length < views.length, shiftIds };
}

/** A create or copy answer: `data` the shifts (bounded), `Shortened` and `ShiftIds` beside it when shortened. */
function created(views: readonly ShiftView[], verb: string, now: Date): ActionCommandReplyV1 {
  const { shifts, shortened, shiftIds } = boundedShifts(views, now);
  return {
    message:
      `${views.length} shift(s) ${verb}` +
      (shortened
        ? `; ${shifts.length} answered in full, every id in ShiftIds (the answer's size limit)`
        : ''),
    data: shifts,
    ...(shortened ? { extra: { Shortened: true, ShiftIds: shiftIds } } : {}),
  };
}

/**
 * The planning ops of shifts (the Matrix documentation, §4.4 "Shift"): create (with `Repeat.RepeatDates`
 * and task groups), ad hoc, copy, update (plan and task groups), delete, bulk delete, publish (named, or a
 * building's in a time range). Each writes in one transaction through {@link ShiftsRepository}.
 */
@Injectable()
export class PlanningActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.createShift': (c, now) => this.create(c, now),
    'scteams.createAdhocShift': (c, now) => this.createAdhoc(c, now),
    'scteams.copyShift': (c, now) => this.copy(c, now),
    'scteams.updateShift': (c, now) => this.update(c, now),
    'scteams.deleteShift': (c) => this.deleteOne(c),
    'scteams.bulkDeleteShift': (c) => this.bulkDelete(c),
    'scteams.publishShifts': (c, now) => this.publishNamed(c, now),
    'scteams.publishShiftsForProjectInTRange': (c, now) => this.publishRange(c, now),
  };

  constructor(
    private readonly shifts: ShiftsRepository,
    private readonly seats: SeatsRepository,
    private readonly settings: ShiftSettings,
  ) {}

  /** `{SeatId, Repeat{RepeatDates}?, Schedule[{shift{…}, taskGroup[…]?}], Publish?}`. */
  private async create(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const b = building(command);
    allow(command, 'write');
    const args = command.args;
    const seatId = await activeSeat(this.seats, command);
    const dates = repeatDates(args);
    const schedule = list(args, 'Schedule', 'Schedule', 50);
    if (schedule === undefined) throw missing('Schedule');
    if (schedule.length === 0) throw wrong('Schedule', 'must list at least one shift');
    const status = optionalBoolean(args, 'Publish') ? 'PUBLISHED' : 'UNPUBLISHED';
    const shifts: NewShift[] = [];
    schedule.forEach((entry, i) => {
      const at = `Schedule[${i}]`;
      const item = objectAt(entry, at);
      const shift = this.plannedShift(
        command,
        object(item, 'shift', `${at}.shift`),
        `${at}.shift`,
        seatId,
        status,
      );
      const groups = list(item, 'taskGroup', `${at}.taskGroup`, 100) ?? [];
      shift.taskGroups = groups.map((g, j) =>
        newTaskGroup(command, g, `${at}.taskGroup[${j}]`, shift.timeZone),
      );
      // The shift as given, then on each repeat date other than its own (in its time zone).
      const own = localDateOf(shift.start, shift.timeZone);
      shifts.push(shift);
      for (const date of dates) {
        const day = `${date.year}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;
        if (day !== own) shifts.push(shiftOnDate(shift, date));
      }
    });
    if (shifts.length > MAX_SHIFTS_PER_CALL) {
      throw wrong(
        'Schedule',
        `creates at most ${MAX_SHIFTS_PER_CALL} shifts per call (Schedule × RepeatDates)`,
      );
    }
    const views = await this.shifts.create(b, shifts, command.caller.accessKey, now);
    return created(views, 'created', now);
  }

  /** A shift of a create body (`{Start, End, TimeZone?, Zones?, Breaks?, Cost?, Description?}`). */
  private plannedShift(
    command: ActionCommandV1,
    shift: Args,
    at: string,
    seatId: string,
    status: 'UNPUBLISHED' | 'PUBLISHED',
  ): NewShift {
    const start = epochSeconds(shift, 'Start', `${at}.Start`);
    const end = epochSeconds(shift, 'End', `${at}.End`);
    if (end <= start) throw wrong(`${at}.End`, `must be after ${at}.Start`);
    if (end - start > MAX_SHIFT_SECONDS) throw wrong(`${at}.End`, 'a shift lasts at most 24 hours');
    return {
      seatId,
      timeZone: timeZone(command, shift, `${at}.TimeZone`),
      start,
      end,
      status,
      aStart: 0,
      breaks: plannedBreaks(shift, `${at}.Breaks`),
      cost: cost(shift, `${at}.Cost`) ?? null,
      zones: zones(command, shift, `${at}.Zones`) ?? {},
      description: optionalText(shift, 'Description', `${at}.Description`) ?? '',
      adhoc: false,
      taskGroups: [],
    };
  }

  /**
   * `{SeatId, TimeZone?, DaysOfWeek?, Zones?}`: an unscheduled shift, clocked in now, planned for
   * TIME_FOR_UNSCHEDULED_SHIFT (28,800 s by default); `DaysOfWeek` (0–6) is checked and kept out of the
   * plan (an ad hoc shift is today's).
   */
  private async createAdhoc(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const b = building(command);
    allow(command, 'write');
    const args = command.args;
    const seatId = await activeSeat(this.seats, command);
    const days = list(args, 'DaysOfWeek', 'DaysOfWeek', 7) ?? [];
    days.forEach((day, i) => {
      if (!Number.isInteger(day) || (day as number) < 0 || (day as number) > 6) {
        throw wrong(`DaysOfWeek[${i}]`, 'must be a day of week, 0 (Sunday) to 6');
      }
    });
    const settings = await this.settings.of(b.pid);
    const start = seconds(now);
    const views = await this.shifts.create(
      b,
      [
        {
          seatId,
          timeZone: timeZone(command, args),
          start,
          end: start + settings.timeForUnscheduledShift,
          status: 'STARTED',
          aStart: start,
          breaks: [],
          cost: null,
          zones: zones(command, args) ?? {},
          description: '',
          adhoc: true,
          taskGroups: [],
        },
      ],
      command.caller.accessKey,
      now,
    );
    return { message: 'Ad hoc shift created and started', data: answer(views, now)[0] };
  }

  /**
   * `{SeatId?, Shift{SeatId, ShiftId}, Repeat{RepeatDates}?, IncludeZones?, IncludeBreaks?,
   * IncludeTaskGroups?}`: the source's plan for `SeatId` (the source's seat when absent) on each repeat
   * date at the same wall-clock times, or at the same times without dates; UNPUBLISHED. The Include flags
   * default to true; without zones a shift serves every zone.
   */
  private async copy(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const b = building(command);
    allow(command, 'write');
    const args = command.args;
    const address = shiftAddress(command, args);
    const dates = repeatDates(args);
    const includeZones = optionalBoolean(args, 'IncludeZones') ?? true;
    const includeBreaks = optionalBoolean(args, 'IncludeBreaks') ?? true;
    const includeTaskGroups = optionalBoolean(args, 'IncludeTaskGroups') ?? true;
    const target = optionalText(args, 'SeatId');
    const source = await this.shifts.find(address);
    if (!source) throw notFound(shiftLabel(address));
    const seatId = target ?? source.row.seat_id;
    if (target !== undefined) await activeSeat(this.seats, command, args, 'SeatId');
    const row = source.row;
    const plan: NewShift = {
      seatId,
      timeZone: row.time_zone,
      start: Number(row.start_at),
      end: Number(row.end_at),
      status: 'UNPUBLISHED',
      aStart: 0,
      breaks: includeBreaks ? row.breaks.filter((br) => br.Scheduled).map(plannedBreakOf) : [],
      cost: row.cost,
      zones: includeZones ? row.zones : {},
      description: row.description,
      adhoc: false,
      taskGroups: includeTaskGroups
        ? (await this.shifts.taskGroupsOf(row.shift_id)).map(taskGroupPlanOf)
        : [],
    };
    const copies = dates.length === 0 ? [plan] : dates.map((date) => shiftOnDate(plan, date));
    const views = await this.shifts.create(b, copies, command.caller.accessKey, now);
    return created(views, 'copied', now);
  }

  /**
   * `{Shift{SeatId, ShiftId, TimeZone?, Start?, End?, Zones?, Description?, Cost?}, TaskGroups[{TaskId,
   * …changes}]?, DeleteTaskGroupIds[]?, AddTaskGroups[…]?}`: a shift not started, its plan and task groups
   * changed in one transaction.
   */
  private async update(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const args = command.args;
    const address = shiftAddress(command, args);
    const shift = object(args, 'Shift');
    const tz =
      optionalText(shift, 'TimeZone', 'Shift.TimeZone') === undefined
        ? undefined
        : timeZone(command, shift, 'Shift.TimeZone');
    const start = optionalEpochSeconds(shift, 'Start', 'Shift.Start');
    const end = optionalEpochSeconds(shift, 'End', 'Shift.End');
    const changedZones = zones(command, shift, 'Shift.Zones');
    const description = optionalText(shift, 'Description', 'Shift.Description');
    const changedCost = cost(shift, 'Shift.Cost');
    const updates = (list(args, 'TaskGroups', 'TaskGroups', 100) ?? []).map((g, i) =>
      taskGroupChange(command, g, `TaskGroups[${i}]`),
    );
    const deletes = (list(args, 'DeleteTaskGroupIds', 'DeleteTaskGroupIds', 100) ?? []).map((id, i) => {
      if (typeof id !== 'string' || !/^[0-9]{13,19}$/.test(id)) {
        throw wrong(`DeleteTaskGroupIds[${i}]`, 'must be a task id (13 to 19 digits)');
      }
      return id;
    });
    const current = await this.shifts.find(address);
    if (!current) throw notFound(shiftLabel(address));
    const groupTimeZone = tz ?? current.row.time_zone;
    const adds = (list(args, 'AddTaskGroups', 'AddTaskGroups', 100) ?? []).map((g, i) =>
      newTaskGroup(command, g, `AddTaskGroups[${i}]`, groupTimeZone),
    );
    const named = [...deletes, ...updates.map((u) => u.taskId)];
    if (new Set(named).size !== named.length) {
      throw wrong('TaskGroups', 'names a task group twice (in TaskGroups or DeleteTaskGroupIds)');
    }
    const effectiveStart = start ?? Number(current.row.start_at);
    const effectiveEnd = end ?? Number(current.row.end_at);
    if (effectiveEnd - effectiveStart > MAX_SHIFT_SECONDS) {
      throw wrong('Shift.End', 'a shift lasts at most 24 hours');
    }
    const view = await this.shifts.updatePlan(
      address,
      {
        ...(tz !== undefined ? { timeZone: tz } : {}),
        ...(start !== undefined ? { start } : {}),
        ...(end !== undefined ? { end } : {}),
        ...(changedZones !== undefined ? { zones: changedZones } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(changedCost !== undefined ? { cost: changedCost } : {}),
        updateTaskGroups: updates,
        addTaskGroups: adds,
        deleteTaskGroupIds: deletes,
      },
      command.caller.accessKey,
      now,
    );
    return { message: 'Shift updated', data: matrixShift(view.row, view.taskGroups, seconds(now)) };
  }

  /** `{Shift{SeatId, ShiftId}}`. */
  private async deleteOne(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const address = shiftAddress(command, command.args);
    await this.shifts.delete([address]);
    return { message: 'Shift deleted', data: { ShiftId: address.shiftId, SeatId: address.seatId ?? null } };
  }

  /** `{ShiftBulkDelete{SeatShiftPairs[{SeatId, ShiftId}]}}` (at most 200), all or none. */
  private async bulkDelete(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const bulk = object(command.args, 'ShiftBulkDelete');
    const pairs = list(bulk, 'SeatShiftPairs', 'ShiftBulkDelete.SeatShiftPairs', MAX_PUBLISHED_PER_CALL);
    if (pairs === undefined) throw missing('ShiftBulkDelete.SeatShiftPairs');
    if (pairs.length === 0) throw wrong('ShiftBulkDelete.SeatShiftPairs', 'must name at least one shift');
    const addresses = pairs.map((pair, i) =>
      shiftAddress(command, { pair: objectAt(pair, `ShiftBulkDelete.SeatShiftPairs[${i}]`) }, 'pair'),
    );
    const deleted = await this.shifts.delete(addresses);
    return {
      message: `${deleted.length} shift(s) deleted`,
      data: { ShiftIds: deleted, Count: deleted.length },
    };
  }

  /** `{Schedule[{shift{SeatId, ShiftId}}]}` (at most 200). */
  private async publishNamed(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const b = building(command);
    allow(command, 'write');
    const schedule = list(command.args, 'Schedule', 'Schedule', MAX_PUBLISHED_PER_CALL);
    if (schedule === undefined) throw missing('Schedule');
    if (schedule.length === 0) throw wrong('Schedule', 'must name at least one shift');
    const addresses = schedule.map((entry, i) => {
      const item = objectAt(entry, `Schedule[${i}]`);
      return shiftAddress(command, { shift: object(item, 'shift', `Schedule[${i}].shift`) }, 'shift');
    });
    const { published, more } = await this.shifts.publish(b, { addresses }, command.caller.accessKey, now);
    return published_(published, more, now);
  }

  /** `{StartTime, EndTime}`: the building's UNPUBLISHED shifts starting in `[StartTime, EndTime)`, 200 a call. */
  private async publishRange(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const b = building(command);
    allow(command, 'write');
    const from = epochSeconds(command.args, 'StartTime');
    const to = epochSeconds(command.args, 'EndTime');
    if (to <= from) throw wrong('EndTime', 'must be after StartTime');
    const { published, more } = await this.shifts.publish(
      b,
      { from, to, limit: MAX_PUBLISHED_PER_CALL },
      command.caller.accessKey,
      now,
    );
    return published_(published, more, now);
  }
}

function published_(published: readonly ShiftView[], more: boolean, now: Date): ActionCommandReplyV1 {
  const { shifts, shortened, shiftIds } = boundedShifts(published, now);
  return {
    message:
      `${published.length} shift(s) published${more ? '; more remain: call again' : ''}` +
      (shortened
        ? `; ${shifts.length} answered in full, every id in ShiftIds (the answer's size limit)`
        : ''),
    data: {
      Count: published.length,
      More: more,
      Shifts: shifts,
      ...(shortened ? { Shortened: true, ShiftIds: shiftIds } : {}),
    },
  };
}
