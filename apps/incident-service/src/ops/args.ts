import { CommandError } from '@matrix/messaging';

/*
 * Reading the documented request bodies of the `scteams.*` ops (every op group of the workforce module). Key casing differs between the documented
 * ops (`IncidentId`/`IncidentID`, `zoneId`/`ZoneID`, `ShiftID`/`ShiftId`; the Matrix documentation,
 * §4.4), so every key is matched without regard to case. A refusal names the field by its documented
 * name: MISSING_PARAMETERS when it is absent, WRONG_PARAMETERS when it has the wrong type or value.
 */

export type Args = Record<string, unknown>;

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `name`, whatever its casing; undefined (and null) when absent. */
export function field(args: Args, name: string): unknown {
  if (args[name] !== undefined && args[name] !== null) return args[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(args)) {
    if (key.toLowerCase() === lower && value !== null) return value;
  }
  return undefined;
}

export const missing = (path: string) => new CommandError('MISSING_PARAMETERS', `${path}: is required`);
export const wrong = (path: string, what: string) => new CommandError('WRONG_PARAMETERS', `${path}: ${what}`);

export function object(args: Args, name: string, path = name): Args {
  const value = field(args, name);
  if (value === undefined) throw missing(path);
  if (!isObject(value)) throw wrong(path, 'must be an object');
  return value;
}

const MAX_TEXT = 1024;

export function optionalText(args: Args, name: string, path = name): string | undefined {
  const value = field(args, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw wrong(path, 'must be a string');
  if (value.length > MAX_TEXT) throw wrong(path, `must be at most ${MAX_TEXT} characters`);
  // PostgreSQL text cannot hold NUL: refused here, naming the field, rather than failing the write.
  if (value.includes('\u0000')) throw wrong(path, 'must not contain NUL characters');
  return value;
}

export function text(args: Args, name: string, path = name): string {
  const value = optionalText(args, name, path);
  if (value === undefined) throw missing(path);
  if (value.trim() === '') throw wrong(path, 'must not be empty');
  return value;
}

/** Epoch seconds: a non-negative integer (a numeric string is taken, as SDKs send both). */
export function optionalEpochSeconds(args: Args, name: string, path = name): number | undefined {
  const value = field(args, name);
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && /^[0-9]{1,12}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > 99_999_999_999) {
    throw wrong(path, 'must be epoch seconds (a non-negative integer)');
  }
  return n;
}

export function epochSeconds(args: Args, name: string, path = name): number {
  const value = optionalEpochSeconds(args, name, path);
  if (value === undefined) throw missing(path);
  return value;
}

/** `AutoAssigned`: documented as the string `"true"`, sent as a boolean by the SDK tests. */
export function optionalFlag(args: Args, name: string, path = name): boolean {
  const value = field(args, name);
  if (value === undefined) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw wrong(path, 'must be true or false');
}

/** `Tasks: [{Name}]`: at most 20 (the Matrix documentation, §7.4). */
export function tasks(args: Args, name: string, path = name): { Name: string }[] {
  const value = field(args, name);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw wrong(path, 'must be a list');
  if (value.length > 20) throw wrong(path, 'must hold at most 20 tasks');
  return value.map((task, i) => {
    if (!isObject(task)) throw wrong(`${path}[${i}]`, 'must be an object');
    return { Name: text(task, 'Name', `${path}[${i}].Name`) };
  });
}
