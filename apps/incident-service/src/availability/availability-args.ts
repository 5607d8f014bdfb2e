import type { ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { field, missing, optionalText, wrong, type Args } from '../ops/args';
import { building, zoneOf } from '../ops/op-table';
import { DAY_SECONDS } from '../ops/local-time';
import { MAX_TIME_SLOTS, overlappingSlots, type TimeSlot, type ZonesByBuilding } from './seat-availability';

/*
 * The availability ops' body fields (the Matrix documentation, Appendix A "Availability"): days of the
 * week, time slots in seconds since local midnight, and zone maps. Keys case-tolerant; a refusal names
 * the field (MISSING_PARAMETERS / WRONG_PARAMETERS).
 */

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Zones one map names at most (a building's zone map has up to 2,000 zones). */
export const MAX_ZONES = 2000;

/** A whole number in `[min, max]`, or its decimal string (SDKs send both). */
function wholeNumber(value: unknown, path: string, min: number, max: number, what: string): number {
  const n = typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw wrong(path, what);
  return n;
}

const DOW = 'must be a day of the week, 0 (Sunday) to 6 (Saturday)';

export function dayOfWeekAt(value: unknown, path: string): number {
  if (value === undefined || value === null) throw missing(path);
  return wholeNumber(value, path, 0, 6, DOW);
}

/** `DaysOfWeek`: a non-empty list of distinct days of the week, answered in ascending order. */
export function daysOfWeek(args: Args, name: string, path = name): number[] {
  const value = field(args, name);
  if (value === undefined) throw missing(path);
  if (!Array.isArray(value) || value.length === 0) {
    throw wrong(path, 'must be a non-empty list of days of the week');
  }
  const days = value.map((day, i) => dayOfWeekAt(day, `${path}[${i}]`));
  const twice = days.findIndex((day, i) => days.indexOf(day) !== i);
  if (twice >= 0) throw wrong(`${path}[${twice}]`, `names day ${days[twice]} twice`);
  return [...days].sort((a, b) => a - b);
}

/**
 * `TimeSlots`: one or two slots `{StartTime, EndTime, Name?, NextDay?}` in seconds since local midnight
 * (the documented examples' numbers: 16000 = 04:26:40). `EndTime` before `StartTime` ends the slot the
 * next day (`NextDay` true; a `NextDay` sent must agree); the slots of a day must not overlap.
 */
export function timeSlots(args: Args, name: string, path = name): TimeSlot[] {
  const value = field(args, name);
  if (value === undefined) throw missing(path);
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_TIME_SLOTS) {
    throw wrong(path, `must be a list of 1 to ${MAX_TIME_SLOTS} time slots`);
  }
  const slots = value.map((item, i) => timeSlot(item, `${path}[${i}]`));
  const overlap = overlappingSlots(slots);
  if (overlap) throw wrong(`${path}[${overlap[1]}]`, `overlaps ${path}[${overlap[0]}]`);
  return slots;
}

function timeSlot(value: unknown, path: string): TimeSlot {
  if (!isObject(value)) throw wrong(path, 'must be an object');
  const start = field(value, 'StartTime');
  const end = field(value, 'EndTime');
  if (start === undefined) throw missing(`${path}.StartTime`);
  if (end === undefined) throw missing(`${path}.EndTime`);
  const StartTime = wholeNumber(
    start,
    `${path}.StartTime`,
    0,
    DAY_SECONDS - 1,
    'must be seconds since midnight, 0 to 86399',
  );
  const EndTime = wholeNumber(
    end,
    `${path}.EndTime`,
    0,
    DAY_SECONDS,
    'must be seconds since midnight, 0 to 86400',
  );
  if (EndTime === StartTime) throw wrong(`${path}.EndTime`, 'must differ from StartTime');
  const NextDay = EndTime < StartTime;
  const sent = field(value, 'NextDay');
  if (sent !== undefined && sent !== NextDay && sent !== String(NextDay)) {
    if (sent !== true && sent !== false && sent !== 'true' && sent !== 'false') {
      throw wrong(`${path}.NextDay`, 'must be true or false');
    }
    throw wrong(
      `${path}.NextDay`,
      'must be true exactly when EndTime is before StartTime (the slot ends the next day)',
    );
  }
  return { StartTime, EndTime, Name: optionalText(value, 'Name', `${path}.Name`) ?? '', NextDay };
}

/**
 * A map `{<zone id>: <zone name>}` of zones of the call's building, each resolved by the gateway (an
 * unknown zone is NOT_FOUND); answered with the registry's names. At least one zone.
 */
export function buildingZones(
  command: ActionCommandV1,
  value: unknown,
  path: string,
): Record<string, string> {
  if (!isObject(value)) throw wrong(path, 'must map zone ids to zone names');
  const ids = Object.keys(value);
  if (ids.length === 0) throw wrong(path, 'must name at least one zone');
  if (ids.length > MAX_ZONES) throw wrong(path, `must name at most ${MAX_ZONES} zones`);
  const zones: Record<string, string> = {};
  for (const id of ids) {
    if (typeof value[id] !== 'string') throw wrong(`${path}.${id}`, 'must be the zone name');
    zones[id] = zoneOf(command, id).name;
  }
  return zones;
}

/**
 * `Zones: {<building id>: {<zone id>: <zone name>}}` (§7.4 "AvailabilityZones"): zones are checked in the
 * call's building (`pid`) only, so another building id, even one of the same property, is NOT_FOUND: call
 * again with that building's `pid`.
 */
export function zonesOfBuilding(
  command: ActionCommandV1,
  args: Args,
  name: string,
  path = name,
): Record<string, string> {
  const value = field(args, name);
  if (value === undefined) throw missing(path);
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw wrong(path, 'must map the building id to its zones ({<building id>: {<zone id>: <zone name>}})');
  }
  const { pid } = building(command);
  const other = Object.keys(value).find((id) => id !== pid);
  if (other !== undefined) {
    throw new CommandError(
      'NOT_FOUND',
      `building ${other} not found: availability zones are set in a call to their own building (pid)`,
    );
  }
  return buildingZones(command, value[pid], `${path}.${pid}`);
}

/** Per-day `Zones` of `updateSeatAvailability`, flat `{<zone id>: <zone name>}`: stored under the call's building. */
export function dayZones(command: ActionCommandV1, args: Args, path: string): ZonesByBuilding | null {
  const value = field(args, 'Zones');
  if (value === undefined || (isObject(value) && Object.keys(value).length === 0)) return null;
  return { [building(command).pid]: buildingZones(command, value, path) };
}
