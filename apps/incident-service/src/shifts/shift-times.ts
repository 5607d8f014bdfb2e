import { isValidTimeZone, localTimeFields } from '@matrix/contracts';
import { epochOfWall } from '../ops/local-time';

/*
 * Wall-clock arithmetic of shifts in their IANA time zone, with the runtime's `Intl` time-zone data (the
 * same source as the sensor local-time fields, ADR-6; no date library needed for these few operations).
 * A shift repeated on another date keeps its wall-clock plan: 08:00–16:00 local stays 08:00–16:00 local
 * on a date across a daylight-saving change, so its epoch times (and, for a night shift, its length) move.
 */

export { isValidTimeZone };

/** A local date and time of day, as the wall clock shows it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** `YYYYMMDDHHMMSS` (the documented `LocalTime`) of an instant in `timeZone`. */
export const localTimeOf = (epochSeconds: number, timeZone: string): string =>
  localTimeFields(epochSeconds * 1000, timeZone).t;

export function wallClockOf(epochSeconds: number, timeZone: string): WallClock {
  const t = localTimeOf(epochSeconds, timeZone);
  return {
    year: Number(t.slice(0, 4)),
    month: Number(t.slice(4, 6)),
    day: Number(t.slice(6, 8)),
    hour: Number(t.slice(8, 10)),
    minute: Number(t.slice(10, 12)),
    second: Number(t.slice(12, 14)),
  };
}

/**
 * The instant the wall clock of `timeZone` shows `local`: a time that occurs twice is its first
 * occurrence, one that does not occur is read with the offset before the change (02:30 → 03:30) —
 * {@link epochOfWall}, the rule availability plans use too.
 */
export function epochOfWallClock(local: WallClock, timeZone: string): number {
  return epochOfWall(local, local.hour * 3600 + local.minute * 60 + local.second, timeZone);
}

/** A `YYYYMMDD` date, or undefined when it is not a real calendar date. */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const match = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return { year, month, day };
}

const dayNumber = (d: { year: number; month: number; day: number }) =>
  Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;

/** `YYYYMMDD` of an instant in `timeZone`. */
export const localDateOf = (epochSeconds: number, timeZone: string): string =>
  localTimeOf(epochSeconds, timeZone).slice(0, 8);

/**
 * Moves a plan to another date, keeping its wall clock: every instant of `times` is moved by the number
 * of calendar days between the local date of `anchor` (the shift's start) and `date`, at the same local
 * time of day in `timeZone`. So a shift and its task groups and planned breaks move together, a night
 * shift still ends on the next morning, and a DST change between the two dates changes no local time.
 */
export function onDate(
  times: readonly number[],
  anchor: number,
  date: { year: number; month: number; day: number },
  timeZone: string,
): number[] {
  const days = dayNumber(date) - dayNumber(wallClockOf(anchor, timeZone));
  return times.map((time) => {
    const w = wallClockOf(time, timeZone);
    const moved = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
    return epochOfWallClock(
      {
        ...w,
        year: moved.getUTCFullYear(),
        month: moved.getUTCMonth() + 1,
        day: moved.getUTCDate(),
      },
      timeZone,
    );
  });
}

/** ISO 8601 duration of whole seconds: `PT3H`, `PT8H30M`, `PT45S`, `PT0S`. */
export function isoDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const text = `${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${rest > 0 ? `${rest}S` : ''}`;
  return `PT${text === '' ? '0S' : text}`;
}
