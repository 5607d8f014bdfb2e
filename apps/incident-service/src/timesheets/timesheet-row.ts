import type { ShiftBreak } from '../shifts/shift-row';
import { localTimeOf } from '../shifts/shift-times';
import type { TimesheetStatus } from './timesheet-lifecycle';

/** A break of a timesheet (`Breaks[{ID, Start, End, Notes, Type}]`, the Matrix documentation, §7.4), epoch seconds. */
export interface TimesheetBreak {
  ID: string;
  Start: number;
  End: number;
  Notes: string;
  Type: string;
}

/** What a timesheet holds of its own (a row of `workforce.timesheets`, or the one a completed shift implies). */
export interface TimesheetRecord {
  status: TimesheetStatus;
  aStart: number;
  aEnd: number;
  breaks: TimesheetBreak[];
  /** Null: the shift's zones. */
  zones: Record<string, string> | null;
  reasonForRegularization: string;
  reason: string;
  comments: string;
  edited: boolean;
  requestedBy: string | null;
  requestedOn: number | null;
  approvedBy: string | null;
  approvedOn: number | null;
  rejectedBy: string | null;
  rejectedOn: number | null;
  editedBy: string | null;
  editedOn: number | null;
  modifiedBy: string | null;
  modifiedOn: number | null;
}

/** What a timesheet shows of its shift: where, whose, the plan and what was clocked. */
export interface TimesheetShift {
  shiftId: string;
  org: string;
  propId: string;
  pid: string;
  seatId: string;
  timeZone: string;
  start: number;
  end: number;
  status: string;
  aStart: number;
  aEnd: number;
  breaks: ShiftBreak[];
  clockIn: [number, number];
  clockOut: [number, number];
  zones: Record<string, string>;
}

/** A timesheet: its shift, whether a row is stored, and what it holds. */
export interface TimesheetView {
  shift: TimesheetShift;
  stored: boolean;
  record: TimesheetRecord;
}

/**
 * The columns a timesheet is read with: the shift `s`, left-joined with its row `t` (when stored). Bigint
 * columns arrive as strings.
 */
export const TIMESHEET_COLUMNS = `s.shift_id, s.org_id, s.prop_id, s.pid, s.seat_id, s.time_zone, s.start_at, s.end_at,
  s.status as shift_status, s.a_start as clocked_start, s.a_end as clocked_end, s.breaks as shift_breaks,
  s.clock_in_lat, s.clock_in_long, s.clock_out_lat, s.clock_out_long, s.zones as shift_zones,
  t.shift_id is not null as stored, t.status, t.a_start, t.a_end, t.breaks, t.zones, t.reason_for_regularization,
  t.reason, t.comments, t.edited, t.requested_by, t.requested_on, t.approved_by, t.approved_on, t.rejected_by,
  t.rejected_on, t.edited_by, t.edited_on, t.modified_by, t.modified_on`;

/** A row read with {@link TIMESHEET_COLUMNS}. */
export interface TimesheetJoinRow {
  shift_id: string;
  org_id: string;
  prop_id: string;
  pid: string;
  seat_id: string;
  time_zone: string;
  start_at: string;
  end_at: string;
  shift_status: string;
  clocked_start: string;
  clocked_end: string;
  shift_breaks: ShiftBreak[];
  clock_in_lat: number;
  clock_in_long: number;
  clock_out_lat: number;
  clock_out_long: number;
  shift_zones: Record<string, string>;
  stored: boolean;
  status: TimesheetStatus | null;
  a_start: string | null;
  a_end: string | null;
  breaks: TimesheetBreak[] | null;
  zones: Record<string, string> | null;
  reason_for_regularization: string | null;
  reason: string | null;
  comments: string | null;
  edited: boolean | null;
  requested_by: string | null;
  requested_on: string | null;
  approved_by: string | null;
  approved_on: string | null;
  rejected_by: string | null;
  rejected_on: string | null;
  edited_by: string | null;
  edited_on: string | null;
  modified_by: string | null;
  modified_on: string | null;
}

const epoch = (value: string | null) => (value === null ? null : Number(value));

/** The breaks a shift's seat took (startBreak/endBreak), as timesheet breaks; planned breaks not taken are not work records. */
export const takenBreaks = (breaks: readonly ShiftBreak[], shiftEnd: number): TimesheetBreak[] =>
  breaks
    .filter((b) => b.AStart > 0)
    .map((b) => ({ ID: b.ID, Start: b.AStart, End: b.AEnd || shiftEnd, Notes: b.Notes, Type: b.Type }));

/** The timesheet a completed shift has before anything is stored: `PENDING`, the clocked times. */
export function implicitRecord(shift: TimesheetShift): TimesheetRecord {
  return {
    status: 'PENDING',
    aStart: shift.aStart,
    aEnd: shift.aEnd,
    breaks: takenBreaks(shift.breaks, shift.aEnd),
    zones: null,
    reasonForRegularization: '',
    reason: '',
    comments: '',
    edited: false,
    requestedBy: null,
    requestedOn: null,
    approvedBy: null,
    approvedOn: null,
    rejectedBy: null,
    rejectedOn: null,
    editedBy: null,
    editedOn: null,
    modifiedBy: null,
    modifiedOn: null,
  };
}

export function timesheetOf(row: TimesheetJoinRow): TimesheetView {
  const shift: TimesheetShift = {
    shiftId: row.shift_id,
    org: row.org_id,
    propId: row.prop_id,
    pid: row.pid,
    seatId: row.seat_id,
    timeZone: row.time_zone,
    start: Number(row.start_at),
    end: Number(row.end_at),
    status: row.shift_status,
    aStart: Number(row.clocked_start),
    aEnd: Number(row.clocked_end),
    breaks: row.shift_breaks,
    clockIn: [row.clock_in_lat, row.clock_in_long],
    clockOut: [row.clock_out_lat, row.clock_out_long],
    zones: row.shift_zones,
  };
  if (!row.stored) return { shift, stored: false, record: implicitRecord(shift) };
  return {
    shift,
    stored: true,
    record: {
      status: row.status!,
      aStart: Number(row.a_start),
      aEnd: Number(row.a_end),
      breaks: row.breaks ?? [],
      zones: row.zones,
      reasonForRegularization: row.reason_for_regularization ?? '',
      reason: row.reason ?? '',
      comments: row.comments ?? '',
      edited: row.edited ?? false,
      requestedBy: row.requested_by,
      requestedOn: epoch(row.requested_on),
      approvedBy: row.approved_by,
      approvedOn: epoch(row.approved_on),
      rejectedBy: row.rejected_by,
      rejectedOn: epoch(row.rejected_on),
      editedBy: row.edited_by,
      editedOn: epoch(row.edited_on),
      modifiedBy: row.modified_by,
      modifiedOn: epoch(row.modified_on),
    },
  };
}

/** Seconds worked in `[aStart, aEnd)` less the breaks in it (each clipped to the window); 0 without a window. */
export function workedSeconds(aStart: number, aEnd: number, breaks: readonly TimesheetBreak[]): number {
  if (aStart === 0 || aEnd <= aStart) return 0;
  const onBreak = breaks.reduce(
    (sum, b) => sum + Math.max(0, Math.min(b.End, aEnd) - Math.max(b.Start, aStart)),
    0,
  );
  return Math.max(0, aEnd - aStart - onBreak);
}

/**
 * A timesheet in its documented shape (the Matrix documentation, §7.4 "Timesheet": `RequestType:
 * "TIMESHEET"`, `Status`, `ApprovedBy/On`, `RequestedOn`, `Edited`, breaks `{ID, Start, End, Notes, Type}`,
 * coordinates) with what a payroll admin compares it to: the shift's plan (`Start`/`End`) and what was
 * clocked (`Clocked`). `ID` is the building, `ATTR` `attr#<building>#<SeatId>#<ShiftId>#TIMESHEET`. Times
 * are epoch seconds; who/when fields are null until it happened.
 */
export function matrixTimesheet(view: TimesheetView): Record<string, unknown> {
  const { shift, record } = view;
  const clockedBreaks = takenBreaks(shift.breaks, shift.aEnd);
  return {
    ID: shift.pid,
    ATTR: `attr#${shift.pid}#${shift.seatId}#${shift.shiftId}#TIMESHEET`,
    RequestType: 'TIMESHEET',
    ShiftId: shift.shiftId,
    SeatId: shift.seatId,
    Org: shift.org,
    PropID: shift.propId,
    Status: record.status,
    ShiftStatus: shift.status,
    Start: shift.start,
    End: shift.end,
    TimeZone: shift.timeZone,
    LocalTime: localTimeOf(shift.start, shift.timeZone),
    AStart: record.aStart,
    AEnd: record.aEnd,
    Breaks: record.breaks,
    ActualDurationInSeconds: workedSeconds(record.aStart, record.aEnd, record.breaks),
    Clocked: {
      AStart: shift.aStart,
      AEnd: shift.aEnd,
      ActualDurationInSeconds: workedSeconds(shift.aStart, shift.aEnd, clockedBreaks),
    },
    Coordinates: {
      ClockIn: { Latitude: shift.clockIn[0], Longitude: shift.clockIn[1] },
      ClockOut: { Latitude: shift.clockOut[0], Longitude: shift.clockOut[1] },
    },
    Zones: record.zones ?? shift.zones,
    ReasonForRegularization: record.reasonForRegularization,
    Reason: record.reason,
    Comments: record.comments,
    Edited: record.edited,
    RequestedBy: record.requestedBy,
    RequestedOn: record.requestedOn,
    ApprovedBy: record.approvedBy,
    ApprovedOn: record.approvedOn,
    RejectedBy: record.rejectedBy,
    RejectedOn: record.rejectedOn,
    EditedBy: record.editedBy,
    EditedOn: record.editedOn,
    ModifiedBy: record.modifiedBy,
    ModifiedOn: record.modifiedOn,
  };
}
