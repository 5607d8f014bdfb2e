/*
 * Wall-clock time in an IANA time zone, for plans written as "seconds since local midnight on a day of
 * the week" (seat availability, property shift definitions). Pure functions over the IANA database that
 * Node's Intl carries; no clock is read.
 */

export const DAY_SECONDS = 86_400;

/** A local calendar date (month 1–12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The local date, its day of the week (0 = Sunday … 6) and the wall-clock seconds since local midnight. */
export interface WallClock extends LocalDate {
  dow: number;
  seconds: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Epoch seconds of a local date at local midnight read as if it were UTC (a day number × 86,400). */
const asUtc = (date: LocalDate) => Date.UTC(date.year, date.month - 1, date.day) / 1000;

/** The day of the week (0 = Sunday … 6) of a local date. */
export const dayOfWeek = (date: LocalDate) => new Date(asUtc(date) * 1000).getUTCDay();

/** The local date `days` after `date` (negative: before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date((asUtc(date) + days * DAY_SECONDS) * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `YYYYMMDD`, the documented form of a date (`RepeatDates`). */
export const yyyymmdd = (date: LocalDate) =>
  `${date.year}${String(date.month).padStart(2, '0')}${String(date.day).padStart(2, '0')}`;

/**
 * Recent answers of {@link wallClock}, by zone and second: `formatToParts` costs microseconds and one
 * availability answer asks for the same instants many times over (every seat's slots on the same days),
 * so without it the time-zone arithmetic was a fifth of incident-service's CPU in bench/workforce
 * workday. Bounded: emptied when full.
 */
const recent = new Map<string, Readonly<WallClock>>();
const RECENT_MAX = 50_000;

/** The wall clock in `timeZone` at epoch second `at`. */
export function wallClock(at: number, timeZone: string): Readonly<WallClock> {
  const key = `${at}|${timeZone}`;
  const known = recent.get(key);
  if (known) return known;
  if (recent.size >= RECENT_MAX) recent.clear();
  const wall = Object.freeze(computeWallClock(at, timeZone));
  recent.set(key, wall);
  return wall;
}

function computeWallClock(at: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatOf(timeZone).formatToParts(new Date(at * 1000))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const date = { year: parts['year']!, month: parts['month']!, day: parts['day']! };
  return {
    ...date,
    dow: dayOfWeek(date),
    seconds: parts['hour']! * 3600 + parts['minute']! * 60 + parts['second']!,
  };
}

/** The zone's offset from UTC at `at`, in seconds (east positive). */
function offsetAt(at: number, timeZone: string): number {
  const wall = wallClock(at, timeZone);
  return asUtc(wall) + wall.seconds - at;
}

/**
 * The epoch second at which the wall clock in `timeZone` shows `seconds` after midnight of `date`
 * (`seconds` may reach past 86,400 into the next day). A wall time that occurs twice (clocks set back)
 * is its first occurrence; one that does not occur (clocks set forward) is read with the offset from
 * before the change, i.e. as far past the change as it was meant to be (02:30 on a spring-forward night
 * at 02:00 is 03:30) — the "compatible" rule of RFC 5545 and JavaScript's Temporal.
 */
export function epochOfWall(date: LocalDate, seconds: number, timeZone: string): number {
  const local = asUtc(date) + seconds;
  const before = offsetAt(local - DAY_SECONDS, timeZone);
  const after = offsetAt(local + DAY_SECONDS, timeZone);
  const candidates = [...new Set([local - before, local - after])]
    .filter((at) => at + offsetAt(at, timeZone) === local)
    .sort((a, b) => a - b);
  return candidates[0] ?? local - before;
}
