import type { ActionCommandV1 } from '@matrix/contracts';
import {
  field,
  missing,
  object,
  optionalEpochSeconds,
  optionalText,
  text,
  wrong,
  type Args,
} from '../ops/args';
import { building, zoneOf } from '../ops/op-table';
import type { ShiftBreak } from './shift-row';
import { isValidTimeZone, parseDate } from './shift-times';

/*
 * The request values only shift ops read (the documented bodies of §4.4 "Shift", Appendix A); the generic
 * readers are in ops/args.ts. Keys are matched without regard to case; a refusal names the field.
 */

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a shift is: the building (tenancy checked by the gateway), its id and, when the body names it, its seat. */
export interface ShiftAddress {
  pid: string;
  shiftId: string;
  seatId?: string;
}

export function shiftId(args: Args, name = 'ShiftId', path = name): string {
  const id = text(args, name, path);
  if (!UUID.test(id)) throw wrong(path, 'must be a shift id (a UUID)');
  return id.toLowerCase();
}

/** `Shift{SeatId, ShiftId}` (or the object at `parent`); an empty `SeatId` names no seat (bulk delete's example). */
export function shiftAddress(command: ActionCommandV1, args: Args, parent = 'Shift'): ShiftAddress {
  const { pid } = building(command);
  const shift = object(args, parent);
  const id = shiftId(shift, 'ShiftId', `${parent}.ShiftId`);
  const seat = optionalText(shift, 'SeatId', `${parent}.SeatId`);
  return { pid, shiftId: id, ...(seat !== undefined && seat.trim() !== '' ? { seatId: seat } : {}) };
}

export function list(args: Args, name: string, path = name, max = 200): unknown[] | undefined {
  const value = field(args, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw wrong(path, 'must be a list');
  if (value.length > max) throw wrong(path, `must hold at most ${max} entries`);
  return value;
}

export function objectAt(value: unknown, path: string): Args {
  if (!isObject(value)) throw wrong(path, 'must be an object');
  return value;
}

export function optionalBoolean(args: Args, name: string, path = name): boolean | undefined {
  const value = field(args, name);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw wrong(path, 'must be true or false');
}

/** An IANA time zone (`Asia/Singapore`); the building's when absent. */
export function timeZone(command: ActionCommandV1, args: Args, path = 'TimeZone'): string {
  const value = optionalText(args, 'TimeZone', path);
  if (value === undefined) return building(command).timeZone;
  if (!isValidTimeZone(value)) throw wrong(path, 'must be an IANA time zone (e.g. Asia/Singapore)');
  return value;
}

/** `Repeat{RepeatDates: ["YYYYMMDD", …]}` (at most 62 dates), in the order given, without repeats. */
export function repeatDates(args: Args): { year: number; month: number; day: number }[] {
  const repeat = field(args, 'Repeat');
  if (repeat === undefined) return [];
  const dates = list(objectAt(repeat, 'Repeat'), 'RepeatDates', 'Repeat.RepeatDates', 62) ?? [];
  const seen = new Set<string>();
  return dates.flatMap((value, i) => {
    const date = typeof value === 'string' ? parseDate(value) : undefined;
    if (!date) throw wrong(`Repeat.RepeatDates[${i}]`, 'must be a date YYYYMMDD');
    if (seen.has(value as string)) return [];
    seen.add(value as string);
    return [date];
  });
}

/** `Zones{<zoneId>: <name>}`: each a zone of the building (the registry's name kept); empty = every zone. */
export function zones(
  command: ActionCommandV1,
  args: Args,
  path = 'Zones',
): Record<string, string> | undefined {
  const value = field(args, 'Zones');
  if (value === undefined) return undefined;
  if (!isObject(value)) throw wrong(path, 'must be a map of zone id to zone name');
  const keys = Object.keys(value);
  if (keys.length > 200) throw wrong(path, 'must name at most 200 zones');
  return Object.fromEntries(keys.map((id) => [id, zoneOf(command, id).name]));
}

/** `Cost{U: "SGD", V: 225}`. */
export function cost(args: Args, path = 'Cost'): { U: string; V: number } | undefined {
  const value = field(args, 'Cost');
  if (value === undefined) return undefined;
  const c = objectAt(value, path);
  const unit = text(c, 'U', `${path}.U`);
  const amount = field(c, 'V');
  if (amount === undefined) throw missing(`${path}.V`);
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    throw wrong(`${path}.V`, 'must be a non-negative number');
  }
  return { U: unit, V: amount };
}

/** `Coordinates{<which>{Latitude, Longitude}}`: −1/−1 when absent. */
export function coordinates(args: Args, which: 'ClockIn' | 'ClockOut', parent: string): [number, number] {
  const value = field(args, 'Coordinates');
  if (value === undefined) return [-1, -1];
  const point = field(objectAt(value, `${parent}.Coordinates`), which);
  if (point === undefined) return [-1, -1];
  const path = `${parent}.Coordinates.${which}`;
  const p = objectAt(point, path);
  const read = (key: 'Latitude' | 'Longitude', limit: number) => {
    const n = field(p, key);
    if (n === undefined) throw missing(`${path}.${key}`);
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > limit) {
      throw wrong(`${path}.${key}`, `must be a number from -${limit} to ${limit}`);
    }
    return n;
  };
  return [read('Latitude', 90), read('Longitude', 180)];
}

/** A break's ID: 1–32 letters, digits, `-` or `_`. */
export function breakId(args: Args, path: string, required: boolean): string | undefined {
  const value = required ? text(args, 'ID', path) : optionalText(args, 'ID', path);
  if (value !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(value)) {
    throw wrong(path, 'must be 1 to 32 letters, digits, - or _');
  }
  return value;
}

/** The next free break ID of a shift: `0001`, `0002`, … */
export function nextBreakId(breaks: readonly ShiftBreak[]): string {
  const taken = new Set(breaks.map((b) => b.ID));
  let n = 1;
  while (taken.has(String(n).padStart(4, '0'))) n += 1;
  return String(n).padStart(4, '0');
}

/**
 * The planned breaks of a shift body (`Breaks[{DurationInSeconds, IsPlannedBreak, Type, Start?, End?,
 * Notes?, ID?}]`, at most 20): a planned break with `Start`/`End` lasts that long unless
 * `DurationInSeconds` says otherwise; IDs are given in order where the body names none.
 */
export function plannedBreaks(args: Args, path = 'Breaks'): ShiftBreak[] {
  const items = list(args, 'Breaks', path, 20) ?? [];
  const breaks: ShiftBreak[] = [];
  items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    const b = objectAt(item, at);
    const start = optionalEpochSeconds(b, 'Start', `${at}.Start`) ?? 0;
    const end = optionalEpochSeconds(b, 'End', `${at}.End`) ?? 0;
    if ((start === 0) !== (end === 0)) throw wrong(at, 'names both Start and End, or neither');
    if (end < start) throw wrong(`${at}.End`, `must not be before ${at}.Start`);
    const duration = field(b, 'DurationInSeconds');
    if (duration !== undefined && (!Number.isSafeInteger(duration) || (duration as number) < 0)) {
      throw wrong(`${at}.DurationInSeconds`, 'must be a non-negative integer');
    }
    const id = breakId(b, `${at}.ID`, false);
    if (id !== undefined && breaks.some((other) => other.ID === id)) {
      throw wrong(`${at}.ID`, `${id} is named twice`);
    }
    breaks.push({
      ID: id ?? '',
      Type: optionalText(b, 'Type', `${at}.Type`) ?? '',
      Notes: optionalText(b, 'Notes', `${at}.Notes`) ?? '',
      IsPlannedBreak: optionalBoolean(b, 'IsPlannedBreak', `${at}.IsPlannedBreak`) ?? start > 0,
      Scheduled: true,
      DurationInSeconds: (duration as number | undefined) ?? end - start,
      Start: start,
      End: end,
      AStart: 0,
      AEnd: 0,
    });
  });
  for (const b of breaks) if (b.ID === '') b.ID = nextBreakId(breaks);
  return breaks;
}
