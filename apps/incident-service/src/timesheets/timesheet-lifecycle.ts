/**
 * The timesheet lifecycle (the Matrix documentation, §4.4 "Timesheets", §7.4 "Timesheet"; the statuses
 * beyond `APPROVED` are not published, §8 item 10, so these are decided), as a pure state machine. A
 * timesheet is the record of the actual work of one shift (keyed by SeatId + ShiftId):
 *
 * - `PENDING` — not requested: a COMPLETED shift's clocked times (no row stored yet), or times an admin
 *   edited before anyone requested;
 * - `REQUESTED` (requestTimeSheet) / `REGULARIZATION_REQUESTED` (requestRegularization) — the seat proposes
 *   times (and breaks, zones, a reason); asked again while waiting, the newer proposal replaces the older;
 * - `APPROVED` — final: not requested, edited, approved or rejected again;
 * - `REJECTED` — with a reason; the seat may request again, or an admin edit it back to `PENDING`.
 *
 * An admin's edit keeps the status (a `REJECTED` one becomes `PENDING`: the edit replaces what was
 * rejected) and marks the timesheet `Edited`. Approval and rejection are an admin's; either may be given
 * to a `PENDING` timesheet (approving what was clocked without a request is the ordinary payroll case).
 *
 * Only a worked shift has a timesheet: a COMPLETED one (clocked in and out), or an ABSENT one once a request
 * or an edit gives it times (the seat forgot to clock in). The repository applies a transition under a
 * per-shift lock with the shift row held `for share`, so of two concurrent conflicting transitions the
 * second sees the first's outcome and is refused here.
 */

export const TIMESHEET_STATUSES = [
  'PENDING',
  'REQUESTED',
  'REGULARIZATION_REQUESTED',
  'APPROVED',
  'REJECTED',
] as const;
export type TimesheetStatus = (typeof TIMESHEET_STATUSES)[number];

export type TimesheetTransition = 'request' | 'regularize' | 'edit' | 'approve' | 'reject';

/** What a transition needs to know of the timesheet and its shift. */
export interface TimesheetState {
  /** `PENDING` for a timesheet not stored yet. */
  status: TimesheetStatus;
  /** A row is stored (it holds times of its own). */
  stored: boolean;
  /** The shift's status (`UNPUBLISHED` … `ON_LEAVE`, shift-lifecycle.ts). */
  shiftStatus: string;
}

/** What the body gives: times (`AStart` and `AEnd`), which an ABSENT shift's first timesheet needs. */
export interface TimesheetContext {
  timesGiven?: boolean;
}

export type TimesheetOutcome =
  { ok: true; to: TimesheetStatus; edited: boolean } | { ok: false; rule: string };

const refuse = (rule: string): TimesheetOutcome => ({ ok: false, rule });

/** The rule a shift of this status (and this timesheet) breaks for `transition`, if any. */
function shiftRule(
  from: TimesheetState,
  transition: TimesheetTransition,
  context: TimesheetContext,
): string | undefined {
  switch (from.shiftStatus) {
    case 'COMPLETED':
      return undefined;
    case 'ABSENT':
      if (from.stored) return undefined;
      if (transition === 'approve' || transition === 'reject') {
        return 'an ABSENT shift was not clocked: it has a timesheet to approve or reject only once the seat requests one with its times';
      }
      return context.timesGiven
        ? undefined
        : 'an ABSENT shift was not clocked: its timesheet needs TimeSheet.AStart and TimeSheet.AEnd';
    case 'STARTED':
      return 'a timesheet is for a COMPLETED shift: this shift is STARTED and not ended yet';
    default:
      return `a timesheet is for a COMPLETED shift: this shift is ${from.shiftStatus}`;
  }
}

/** The status after `transition`, or the rule it breaks. */
export function transitTimesheet(
  from: TimesheetState,
  transition: TimesheetTransition,
  context: TimesheetContext = {},
): TimesheetOutcome {
  const rule = shiftRule(from, transition, context);
  if (rule !== undefined) return refuse(rule);
  const { status } = from;
  const to = (next: TimesheetStatus, edited = false): TimesheetOutcome => ({ ok: true, to: next, edited });
  switch (transition) {
    case 'request':
    case 'regularize':
      if (status === 'APPROVED') return refuse('an APPROVED timesheet is final: it is not requested again');
      return to(transition === 'request' ? 'REQUESTED' : 'REGULARIZATION_REQUESTED');
    case 'edit':
      if (status === 'APPROVED') return refuse('an APPROVED timesheet is final: it is not edited');
      return to(status === 'REJECTED' ? 'PENDING' : status, true);
    case 'approve':
      if (status === 'APPROVED') return refuse('a timesheet is approved only once');
      if (status === 'REJECTED') {
        return refuse('a REJECTED timesheet is approved only after it is requested again or edited');
      }
      return to('APPROVED');
    case 'reject':
      if (status === 'APPROVED') return refuse('an APPROVED timesheet is final: it cannot be rejected');
      if (status === 'REJECTED') return refuse('a timesheet is rejected only once');
      return to('REJECTED');
  }
  return refuse(`${String(transition)} is not a timesheet transition`);
}
