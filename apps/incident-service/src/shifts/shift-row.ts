import type { ShiftEventMetaV1 } from '@matrix/contracts';
import type { ShiftDeadlineKind } from './shift-deadline';
import type { ShiftStatus } from './shift-lifecycle';
import { isoDuration, localTimeOf } from './shift-times';

/**
 * A break of a shift (`Breaks[]`, the Matrix documentation, §7.4): planned at scheduling
 * (`IsPlannedBreak`, with planned `Start`/`End` when known, or only a `DurationInSeconds`) or taken
 * during the shift (startBreak/endBreak: actual `AStart`/`AEnd`). Times are epoch seconds, 0 when none.
 */
export interface ShiftBreak {
  ID: string;
  Type: string;
  Notes: string;
  IsPlannedBreak: boolean;
  /** Part of the shift's plan (given when it was scheduled), or taken without one (startBreak with a new ID). */
  Scheduled: boolean;
  /** The planned length until the break is taken and ended, then the actual one. */
  DurationInSeconds: number;
  Start: number;
  End: number;
  AStart: number;
  AEnd: number;
}

/** A row of `workforce.shifts` (bigint columns arrive as strings). */
export interface ShiftRow {
  shift_id: string;
  org_id: string;
  prop_id: string;
  pid: string;
  seat_id: string;
  time_zone: string;
  start_at: string;
  end_at: string;
  a_start: string;
  a_end: string;
  status: ShiftStatus;
  delayed: boolean;
  breaks: ShiftBreak[];
  clock_in_lat: number;
  clock_in_long: number;
  clock_out_lat: number;
  clock_out_long: number;
  cost: { U: string; V: number } | null;
  zones: Record<string, string>;
  description: string;
  adhoc: boolean;
  created_by: string;
  created_on: Date;
  modified_by: string;
  modified_on: Date;
  timer_at: Date | null;
  timer_kind: ShiftDeadlineKind | null;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The break taken and not ended yet. */
export const openBreakOf = (breaks: readonly ShiftBreak[]) =>
  breaks.find((b) => b.AStart > 0 && b.AEnd === 0);

/**
 * Seconds worked: from clock-in to clock-out (or `now` while STARTED), less the breaks taken in between
 * (an open break up to `now`); 0 before clock-in.
 */
export function actualDurationOf(row: ShiftRow, now: number): number {
  const aStart = Number(row.a_start);
  if (aStart === 0) return 0;
  const until = Number(row.a_end) || (row.status === 'STARTED' ? now : aStart);
  const onBreak = row.breaks
    .filter((b) => b.AStart > 0)
    .reduce((sum, b) => sum + Math.max(0, Math.min(b.AEnd || until, until) - Math.max(b.AStart, aStart)), 0);
  return Math.max(0, until - aStart - onBreak);
}

/** The shift's event `Meta` (`ShiftEventMetaV1` of @matrix/contracts). */
export function shiftMeta(row: ShiftRow, taskGroups: readonly string[], by: string): ShiftEventMetaV1 {
  return {
    Type: 'SHIFT',
    ShiftId: row.shift_id,
    SeatId: row.seat_id,
    ID: row.pid,
    PropID: row.prop_id,
    Status: row.status,
    Delayed: row.delayed,
    Start: Number(row.start_at),
    End: Number(row.end_at),
    AStart: Number(row.a_start),
    AEnd: Number(row.a_end),
    TimeZone: row.time_zone,
    LocalTime: localTimeOf(Number(row.start_at), row.time_zone),
    Zones: row.zones,
    Adhoc: row.adhoc,
    TaskGroups: [...taskGroups],
    By: by,
  };
}

/**
 * A shift in its documented shape (the Matrix documentation, §7.4 "Shift"): `ID` the building, `ATTR`
 * `attr#<building>#<SeatId>#<ShiftId>`, times epoch seconds, `Duration` ISO 8601 of the plan,
 * `LocalTime` the planned start on the shift's wall clock, coordinates −1 when unknown, `TaskGroups`
 * the TaskIds of its task groups.
 */
export function matrixShift(
  row: ShiftRow,
  taskGroups: readonly string[],
  now: number,
): Record<string, unknown> {
  const planned = Number(row.end_at) - Number(row.start_at);
  return {
    ID: row.pid,
    ATTR: `attr#${row.pid}#${row.seat_id}#${row.shift_id}`,
    ShiftId: row.shift_id,
    SeatId: row.seat_id,
    Org: row.org_id,
    PropID: row.prop_id,
    Start: Number(row.start_at),
    End: Number(row.end_at),
    AStart: Number(row.a_start),
    AEnd: Number(row.a_end),
    ActualDurationInSeconds: actualDurationOf(row, now),
    ShiftDurationInSeconds: planned,
    Duration: isoDuration(planned),
    LocalTime: localTimeOf(Number(row.start_at), row.time_zone),
    TimeZone: row.time_zone,
    Status: row.status,
    Delayed: row.delayed,
    Adhoc: row.adhoc,
    Breaks: row.breaks,
    Coordinates: {
      ClockIn: { Latitude: row.clock_in_lat, Longitude: row.clock_in_long },
      ClockOut: { Latitude: row.clock_out_lat, Longitude: row.clock_out_long },
    },
    Cost: row.cost,
    TaskGroups: [...taskGroups],
    TaskGroupsCount: taskGroups.length,
    Zones: row.zones,
    Description: row.description,
    CreatedBy: row.created_by,
    CreatedOn: seconds(row.created_on),
    ModifiedBy: row.modified_by,
    ModifiedOn: seconds(row.modified_on),
  };
}
