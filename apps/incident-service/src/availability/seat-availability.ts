import {
  addDays,
  DAY_SECONDS,
  dayOfWeek,
  epochOfWall,
  wallClock,
  yyyymmdd,
  type LocalDate,
} from '../ops/local-time';

/*
 * Seat availability (the Matrix documentation, §7.4 "Availability"): per seat and day of the week
 * (0 = Sunday … 6) up to two time slots in wall-clock seconds since local midnight, a slot whose
 * `EndTime` is before its `StartTime` ending the next day (`NextDay`); and the zones the seat is
 * available for. Pure decisions over those plans, evaluated in the building's IANA time zone.
 */

/** One time slot as stored and answered: `NextDay` is true exactly when `EndTime < StartTime`. */
export interface TimeSlot {
  StartTime: number;
  EndTime: number;
  Name: string;
  NextDay: boolean;
}

/** Zones by building: `{<building id>: {<zone id>: <zone name>}}` (the documented `Zones` of availability zones). */
export type ZonesByBuilding = Record<string, Record<string, string>>;

/** A seat's availability on one day of the week; `zones` (that day's own zones) replace the seat's when set. */
export interface DayAvailability {
  seatId: string;
  dow: number;
  slots: readonly TimeSlot[];
  zones: ZonesByBuilding | null;
}

/** Most time slots a seat has on one day (the Matrix documentation, §7.4). */
export const MAX_TIME_SLOTS = 2;

/** The slot as seconds after midnight of its own day: `[start, end)`, `end` past 86,400 for a `NextDay` slot. */
export const slotSpan = (slot: TimeSlot): [number, number] => [
  slot.StartTime,
  slot.NextDay ? slot.EndTime + DAY_SECONDS : slot.EndTime,
];

/** The first pair of slots of one day that overlap, by index, or undefined. */
export function overlappingSlots(slots: readonly TimeSlot[]): [number, number] | undefined {
  for (let i = 0; i < slots.length; i++) {
    for (let j = i + 1; j < slots.length; j++) {
      const [a0, a1] = slotSpan(slots[i]!);
      const [b0, b1] = slotSpan(slots[j]!);
      if (a0 < b1 && b0 < a1) return [i, j];
    }
  }
  return undefined;
}

/**
 * Whether a slot of day `dow` covers a wall-clock moment: on that day from `StartTime` (to `EndTime`,
 * or to midnight for a `NextDay` slot), and for a `NextDay` slot on the following day until `EndTime`.
 * Wall-clock, so a slot keeps its local hours on the days the clocks change.
 */
export function slotCovers(slot: TimeSlot, dow: number, at: { dow: number; seconds: number }): boolean {
  if (at.dow === dow && at.seconds >= slot.StartTime && (slot.NextDay || at.seconds < slot.EndTime)) {
    return true;
  }
  return slot.NextDay && at.dow === (dow + 1) % 7 && at.seconds < slot.EndTime;
}

const hasZones = (zones: ZonesByBuilding | null | undefined): zones is ZonesByBuilding =>
  !!zones && Object.values(zones).some((inBuilding) => Object.keys(inBuilding).length > 0);

/**
 * Whether a day's availability is for zone `zoneId` of building `pid`: the day's own zones when it has
 * any, else the seat's availability zones; a seat with no availability zones at all is available for
 * every zone of its property (as a shift without zones serves every zone, §7.4 "Shift").
 */
export function availableForZone(
  day: Pick<DayAvailability, 'zones'>,
  seatZones: ZonesByBuilding | undefined,
  pid: string,
  zoneId: string,
): boolean {
  const zones = hasZones(day.zones) ? day.zones : hasZones(seatZones) ? seatZones : undefined;
  return zones === undefined || Object.hasOwn(zones[pid] ?? {}, zoneId);
}

/** What {@link seatsAvailableAt} decides on: the property's day availabilities and its seats' zones. */
export interface AvailabilityQuery {
  days: readonly DayAvailability[];
  seatZones: ReadonlyMap<string, ZonesByBuilding>;
  /** Epoch seconds. */
  at: number;
  /** The building's IANA time zone (`command.building.timeZone`). */
  timeZone: string;
  pid: string;
  zoneId: string;
}

/**
 * The seats available at instant `at` for zone `zoneId` of building `pid`: a slot of theirs covers the
 * wall-clock moment in the building's time zone (a `NextDay` slot of the day before counts) and that
 * day's availability is for the zone. Sorted by seat id; each seat once.
 */
export function seatsAvailableAt(query: AvailabilityQuery): string[] {
  const at = wallClock(query.at, query.timeZone);
  const seats = new Set<string>();
  for (const day of query.days) {
    if (seats.has(day.seatId)) continue;
    if (!day.slots.some((slot) => slotCovers(slot, day.dow, at))) continue;
    if (availableForZone(day, query.seatZones.get(day.seatId), query.pid, query.zoneId)) {
      seats.add(day.seatId);
    }
  }
  return [...seats].sort();
}

/** One concrete availability window of a seat: a slot on a date, in epoch seconds. */
export interface AvailabilityWindow {
  DayOfWeek: number;
  /** The local date the slot starts on, `YYYYMMDD`. */
  Date: string;
  Name: string;
  StartTime: number;
  EndTime: number;
  NextDay: boolean;
  /** Epoch seconds. */
  Start: number;
  /** Epoch seconds. */
  End: number;
}

/**
 * The windows of a seat's week plan that overlap `[from, to)` (epoch seconds), earliest first: each
 * slot on each local date of its day of the week, its wall-clock start and end turned into instants in
 * `timeZone` (so across a clock change a window keeps its local hours and is an hour shorter or longer).
 */
export function windowsInRange(
  days: readonly Pick<DayAvailability, 'dow' | 'slots'>[],
  from: number,
  to: number,
  timeZone: string,
): AvailabilityWindow[] {
  const windows: AvailabilityWindow[] = [];
  const first = addDays(wallClock(from, timeZone), -1);
  const last = wallClock(to, timeZone);
  for (let date: LocalDate = first; !after(date, last); date = addDays(date, 1)) {
    const dow = dayOfWeek(date);
    for (const day of days) {
      if (day.dow !== dow) continue;
      for (const slot of day.slots) {
        const [start, end] = slotSpan(slot);
        const window = {
          DayOfWeek: dow,
          Date: yyyymmdd(date),
          Name: slot.Name,
          StartTime: slot.StartTime,
          EndTime: slot.EndTime,
          NextDay: slot.NextDay,
          Start: epochOfWall(date, start, timeZone),
          End: epochOfWall(date, end, timeZone),
        };
        if (window.Start < to && window.End > from) windows.push(window);
      }
    }
  }
  return windows.sort((a, b) => a.Start - b.Start);
}

const after = (a: LocalDate, b: LocalDate) =>
  a.year !== b.year ? a.year > b.year : a.month !== b.month ? a.month > b.month : a.day > b.day;
