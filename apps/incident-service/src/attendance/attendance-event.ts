import { ATTENDANCE_EVENT_TYPES_V1, type AttendanceEventTypeV1 } from '@matrix/contracts';
import { optionalEpochSeconds, text, wrong, type Args } from '../ops/args';

/*
 * `scattendance.attendanceEvent` (the Matrix documentation, §4.7): reading its body, and which of the seat's
 * shifts a clock event applies to. Pure functions; the op (attendance-actions.ts) reads the rows and applies
 * the answer through the shift ops' own code path.
 */

/** How long before a shift's planned Start a CLOCK_IN still starts it (a kiosk's early arrival). */
export const CLOCK_IN_EARLY_SECONDS = 3_600;

/** How far back a CLOCK_OUT looks for the shift it ends: a shift is at most 24 h, auto clock-out ends it soon after. */
export const CLOCK_OUT_LOOKBACK_SECONDS = 2 * 86_400;

/** How far ahead of the service's clock an event's `Time` may be (the actions API's clock skew). */
export const MAX_FUTURE_SECONDS = 300;

export interface AttendanceEvent {
  integrationId: string;
  event: AttendanceEventTypeV1;
  /** Epoch seconds: `Time`, or now when the body has none. */
  time: number;
  /** The integration's own person id (`ID`). */
  sourceId: string;
}

/** `{IntegrationId, Event, Time?, ID}`; keys matched without regard to case, a refusal names the field. */
export function attendanceEventOf(args: Args, now: number): AttendanceEvent {
  const integrationId = text(args, 'IntegrationId');
  const event = text(args, 'Event');
  if (!(ATTENDANCE_EVENT_TYPES_V1 as readonly string[]).includes(event)) {
    throw wrong('Event', `must be one of ${ATTENDANCE_EVENT_TYPES_V1.join(', ')}`);
  }
  const time = optionalEpochSeconds(args, 'Time') ?? now;
  if (time > now + MAX_FUTURE_SECONDS) {
    throw wrong('Time', `must not be more than ${MAX_FUTURE_SECONDS} s ahead of now (${now})`);
  }
  return { integrationId, event: event as AttendanceEventTypeV1, time, sourceId: text(args, 'ID') };
}

/** `{IntegrationId}`. */
export const integrationIdOf = (args: Args): string => text(args, 'IntegrationId');

/** What a clock event needs to know of one of the seat's shifts. */
export interface ClockShift {
  shiftId: string;
  status: string;
  start: number;
  end: number;
  aStart: number;
  aEnd: number;
  timeZone: string;
}

/**
 * Which shift a clock event applies to, among the seat's shifts in the building around `time` (any status):
 * - `repeat`: the event was applied already — the shift it started (`AStart` = time) or ended (`AEnd` =
 *   time). A repeated event (same seat, type and time: the reference gives no event id) is answered again
 *   without a second transition, so a kiosk may resend what it is unsure was received.
 * - `apply`: CLOCK_IN starts the PUBLISHED shift whose window (from {@link CLOCK_IN_EARLY_SECONDS} before
 *   Start to End) holds the time, else the first shift there — whose refusal by the shift lifecycle then
 *   names the reason (already started, not published, marked absent); CLOCK_OUT ends the STARTED shift
 *   (the latest, should an old one still be open; the op refuses a time before its clock-in).
 * - `none`: no shift to clock into, or (CLOCK_OUT) no clock-in to end.
 */
export function clockTarget(
  event: AttendanceEventTypeV1,
  time: number,
  shifts: readonly ClockShift[],
): { kind: 'repeat' | 'apply'; shift: ClockShift } | { kind: 'none' } {
  const byStart = [...shifts].sort((a, b) => a.start - b.start);
  if (event === 'CLOCK_IN') {
    const repeat = byStart.find(
      (s) => s.aStart === time && (s.status === 'STARTED' || s.status === 'COMPLETED'),
    );
    if (repeat) return { kind: 'repeat', shift: repeat };
    const window = byStart.filter((s) => s.start - CLOCK_IN_EARLY_SECONDS <= time && time < s.end);
    const shift = window.find((s) => s.status === 'PUBLISHED') ?? window[0];
    return shift ? { kind: 'apply', shift } : { kind: 'none' };
  }
  const repeat = byStart.find((s) => s.status === 'COMPLETED' && s.aEnd === time);
  if (repeat) return { kind: 'repeat', shift: repeat };
  const shift = byStart.filter((s) => s.status === 'STARTED').pop();
  return shift ? { kind: 'apply', shift } : { kind: 'none' };
}
