import { SHIFT_STATUSES_V1, type ShiftStatusV1 } from '@matrix/contracts';
/**
 * The shift lifecycle (the Matrix documentation, §7.4 "Shift"), as a pure state machine: which transition
 * is allowed from which status, and the rule that refuses one that is not. The repository applies a
 * transition to the shift row it holds locked (`select … for update`), so of two concurrent conflicting
 * transitions the second sees the first's outcome and is refused here.
 *
 * UNPUBLISHED → PUBLISHED (publish) → STARTED (start / start-admin) → COMPLETED (end / end-admin / the
 * timer's auto-clockout); ABSENT (mark-absent or the timer) and ON_LEAVE (mark-on-leave) instead of
 * starting. `Delayed` is a flag (mark-delayed or the timer), not a status. Breaks only while STARTED,
 * one open break at a time.
 */

/** The shift statuses, as the shift events' contract names them. */
export const SHIFT_STATUSES = SHIFT_STATUSES_V1;
export type ShiftStatus = ShiftStatusV1;

export type ShiftTransition =
  | 'publish'
  | 'start'
  | 'start-admin'
  | 'end'
  | 'end-admin'
  | 'auto-clockout'
  | 'mark-delayed'
  | 'mark-absent'
  | 'mark-on-leave'
  | 'start-break'
  | 'end-break'
  | 'update'
  | 'delete';

/** What a transition needs to know of the shift. */
export interface ShiftState {
  status: ShiftStatus;
  delayed: boolean;
  seatId: string;
  /** The ID of the break taken and not ended yet, if any. */
  openBreakId: string | null;
}

/** Who asks and what they name: the seat the body names, the break an `end-break` ends. */
export interface TransitionContext {
  /** The seat the body names: a seat works only its own shift. */
  seatId?: string;
  /** `end-break`: the ID of the break the body ends. */
  breakId?: string;
  /** `end` before the planned `End` while the schedule setting ALLOW_EARLY_CHECKOUT is 0. */
  earlyCheckoutRefused?: boolean;
}

export type ShiftOutcome =
  { ok: true; to: { status: ShiftStatus; delayed: boolean } } | { ok: false; rule: string };

const refuse = (rule: string): ShiftOutcome => ({ ok: false, rule });

/** The state after `transition`, or the rule it breaks. */
export function transitShift(
  from: ShiftState,
  transition: ShiftTransition,
  context: TransitionContext = {},
): ShiftOutcome {
  const { status, delayed } = from;
  const to = (next: ShiftStatus, nextDelayed = delayed): ShiftOutcome => ({
    ok: true,
    to: { status: next, delayed: nextDelayed },
  });
  if (context.seatId !== undefined && context.seatId !== from.seatId) {
    return refuse(`a seat works only its own shifts (this shift is seat ${from.seatId}'s)`);
  }
  switch (transition) {
    case 'publish':
      return status === 'UNPUBLISHED' ? to('PUBLISHED') : refuse('only an UNPUBLISHED shift is published');
    case 'start':
    case 'start-admin':
      switch (status) {
        case 'PUBLISHED':
          return to('STARTED');
        case 'UNPUBLISHED':
          return refuse('an UNPUBLISHED shift must be published before it is started');
        case 'STARTED':
          return refuse('a shift is started only once');
        case 'COMPLETED':
          return refuse('a COMPLETED shift cannot be started again');
        case 'ABSENT':
          return transition === 'start-admin'
            ? to('STARTED')
            : refuse('a shift marked ABSENT is started only by an admin (scteams.shiftStartAdmin)');
        case 'ON_LEAVE':
          return refuse('a shift ON_LEAVE cannot be started');
      }
      break;
    case 'end':
    case 'end-admin':
    case 'auto-clockout':
      if (status === 'COMPLETED') return refuse('a shift is ended only once');
      if (status !== 'STARTED') return refuse('a shift must be started before it is ended');
      if (transition === 'end' && context.earlyCheckoutRefused) {
        return refuse('a shift is not ended before its End (schedule setting ALLOW_EARLY_CHECKOUT is 0)');
      }
      return to('COMPLETED');
    case 'mark-delayed':
      if (delayed) return refuse('a shift is marked delayed only once');
      return status === 'PUBLISHED' || status === 'STARTED'
        ? to(status, true)
        : refuse('only a PUBLISHED or STARTED shift is marked delayed');
    case 'mark-absent':
      if (status === 'ABSENT') return refuse('a shift is marked absent only once');
      return status === 'PUBLISHED'
        ? to('ABSENT')
        : refuse('only a PUBLISHED shift not started is marked absent');
    case 'mark-on-leave':
      if (status === 'ON_LEAVE') return refuse('a shift is marked on leave only once');
      return status === 'UNPUBLISHED' || status === 'PUBLISHED'
        ? to('ON_LEAVE')
        : refuse('only a shift not started (UNPUBLISHED or PUBLISHED) is marked on leave');
    case 'start-break':
      if (status !== 'STARTED') return refuse('a break is taken only during a STARTED shift');
      return from.openBreakId === null
        ? to(status)
        : refuse(`one break at a time: break ${from.openBreakId} is still open`);
    case 'end-break':
      if (status !== 'STARTED') return refuse('a break is ended only during a STARTED shift');
      if (from.openBreakId === null) return refuse('there is no open break to end');
      return context.breakId === from.openBreakId
        ? to(status)
        : refuse(`only the open break ${from.openBreakId} can be ended`);
    case 'update':
      return status === 'UNPUBLISHED' || status === 'PUBLISHED'
        ? to(status)
        : refuse('only a shift not started (UNPUBLISHED or PUBLISHED) can be changed');
    case 'delete':
      return status === 'UNPUBLISHED' || status === 'PUBLISHED' || status === 'ON_LEAVE'
        ? to(status)
        : refuse(`a ${status} shift is a record of the day and cannot be deleted`);
  }
  return refuse(`${transition} is not a shift transition`);
}
