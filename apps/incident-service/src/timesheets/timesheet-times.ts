import { wrong } from '../ops/args';
import { MAX_SHIFT_SPAN } from '../shifts/shift-queries.repository';
import type { TimesheetBreak } from './timesheet-row';

/** The longest a timesheet's window lasts: a shift's longest window (the table's check `shifts_span_bounded`). */
export const MAX_TIMESHEET_SECONDS = MAX_SHIFT_SPAN;

/** The times a request or an edit leaves the timesheet with, and which of them its body gave. */
export interface TimesheetTimes {
  aStart: number;
  aEnd: number;
  breaks: readonly TimesheetBreak[];
  /** The body named `AStart`/`AEnd` (else they are the timesheet's): a refusal names them. */
  timesGiven: boolean;
  /** The body named `Breaks` (else they are the timesheet's): a refusal names them, or says they were kept. */
  breaksGiven: boolean;
}

/**
 * Refuses (WRONG_PARAMETERS naming the field) times a timesheet cannot record: `AEnd` not after `AStart`,
 * `AEnd` in the future (a timesheet records work done), a window over {@link MAX_TIMESHEET_SECONDS}, a
 * window that does not overlap the shift's planned `[Start, End)` (a shift's timesheet records work in that
 * shift), a break not ending after it starts, outside the window, or overlapping another break.
 */
export function checkTimesheetTimes(
  times: TimesheetTimes,
  plan: { start: number; end: number },
  now: number,
  parent = 'TimeSheet',
): void {
  const { aStart, aEnd, breaks } = times;
  const startPath = `${parent}.AStart`;
  const endPath = `${parent}.AEnd`;
  if (aEnd <= aStart) throw wrong(endPath, `must be after ${startPath} (${aStart})`);
  if (aEnd > now) {
    throw wrong(endPath, `must not be in the future (now ${now}): a timesheet records work done`);
  }
  if (aEnd - aStart > MAX_TIMESHEET_SECONDS) {
    throw wrong(endPath, `a timesheet lasts at most ${MAX_TIMESHEET_SECONDS / 3600} hours`);
  }
  if (aStart >= plan.end || aEnd <= plan.start) {
    const kept = times.timesGiven
      ? ''
      : ` (the timesheet's: send ${startPath} and ${endPath} to change them)`;
    throw wrong(
      startPath,
      `${startPath}–${endPath} (${aStart}–${aEnd}) must overlap the shift's planned window ${plan.start}–${plan.end}${kept}`,
    );
  }
  // Breaks the body did not name are the timesheet's own, kept: a refusal says so and names their ID.
  const path = (i: number) => (times.breaksGiven ? `${parent}.Breaks[${i}]` : `${parent}.Breaks`);
  const which = (b: TimesheetBreak) =>
    times.breaksGiven ? '' : ` (break ${b.ID}, kept from the timesheet: send ${parent}.Breaks to change it)`;
  breaks.forEach((b, i) => {
    if (b.End <= b.Start) {
      throw wrong(times.breaksGiven ? `${path(i)}.End` : path(i), `must be after its Start${which(b)}`);
    }
    if (b.Start < aStart || b.End > aEnd) {
      throw wrong(path(i), `must lie within ${startPath}–${endPath} (${aStart}–${aEnd})${which(b)}`);
    }
  });
  const order = breaks.map((b, i) => ({ b, i })).sort((x, y) => x.b.Start - y.b.Start || x.i - y.i);
  for (let k = 1; k < order.length; k += 1) {
    const before = order[k - 1]!;
    const after = order[k]!;
    if (after.b.Start < before.b.End) {
      const [first, second] = before.i < after.i ? [before, after] : [after, before];
      throw wrong(path(second.i), `overlaps ${path(first.i)}: breaks do not overlap${which(second.b)}`);
    }
  }
}
