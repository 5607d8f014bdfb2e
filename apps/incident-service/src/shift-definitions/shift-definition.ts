import { field, missing, optionalText, text, wrong, type Args } from '../ops/args';

/*
 * A property's shift definitions (the Matrix documentation, §7.4 "Shift hours / property shift
 * definitions"): per day of the week (0 = Sunday … 6) the named shifts a supervisor plans from,
 * `ShiftSettings[{Name, Start, End, ColorCode, ExpectedPresentByTeam}]`, `Start`/`End` in seconds since
 * local midnight (the documented 28800 = 08:00, 61200 = 17:00); an `End` before `Start` ends the shift
 * the next day. Pure readers of the documented bodies; refusals name the field.
 */

const DAY_SECONDS = 86_400;

/** Shift definitions one day has at most. */
export const MAX_SHIFT_SETTINGS = 20;

/** One shift definition as stored and answered; `NextDay` is true exactly when `End < Start`. */
export interface ShiftSetting {
  Name: string;
  Start: number;
  End: number;
  NextDay: boolean;
  ColorCode?: string;
  ExpectedPresentByTeam?: Record<string, number>;
  ExpectedPresent?: number;
}

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function wholeNumber(value: unknown, path: string, min: number, max: number, what: string): number {
  const n = typeof value === 'string' && /^[0-9]{1,6}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw wrong(path, what);
  return n;
}

const DOW = 'must be a day of the week, 0 (Sunday) to 6 (Saturday)';

/** A day or a list of days at `path`, as a non-empty list of distinct days. */
function days(value: unknown, path: string): number[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw wrong(path, 'must name at least one day of the week');
  const found = list.map((day, i) =>
    wholeNumber(day, Array.isArray(value) ? `${path}[${i}]` : path, 0, 6, DOW),
  );
  const twice = found.findIndex((day, i) => found.indexOf(day) !== i);
  if (twice >= 0) throw wrong(`${path}[${twice}]`, `names day ${found[twice]} twice`);
  return found.sort((a, b) => a - b);
}

/**
 * The days a body names: `DaysOfWeek` (the documented create and delete) or `DayOfWeek` (the documented
 * update), each a day or a list of days; both may be sent only if they name the same days.
 */
export function daysNamed(args: Args, at = ''): number[] {
  const many = field(args, 'DaysOfWeek');
  const one = field(args, 'DayOfWeek');
  if (many === undefined && one === undefined) throw missing(`${at}DaysOfWeek`);
  const a = many === undefined ? undefined : days(many, `${at}DaysOfWeek`);
  const b = one === undefined ? undefined : days(one, `${at}DayOfWeek`);
  if (a && b && a.join() !== b.join()) throw wrong(`${at}DayOfWeek`, 'names other days than DaysOfWeek');
  return (a ?? b)!;
}

/** `ShiftSettings`: 1 to 20 shift definitions with distinct names (letter case ignored). */
export function shiftSettings(args: Args, path: string): ShiftSetting[] {
  const value = field(args, 'ShiftSettings');
  if (value === undefined) throw missing(path);
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SHIFT_SETTINGS) {
    throw wrong(path, `must be a list of 1 to ${MAX_SHIFT_SETTINGS} shift definitions`);
  }
  const settings = value.map((item, i) => shiftSetting(item, `${path}[${i}]`));
  const names = settings.map((s) => s.Name.trim().toLowerCase());
  const twice = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (twice >= 0) {
    throw wrong(`${path}[${twice}].Name`, `names shift ${settings[twice]!.Name} twice on one day`);
  }
  return settings;
}

function shiftSetting(value: unknown, path: string): ShiftSetting {
  if (!isObject(value)) throw wrong(path, 'must be an object');
  const Name = text(value, 'Name', `${path}.Name`);
  const start = field(value, 'Start');
  const end = field(value, 'End');
  if (start === undefined) throw missing(`${path}.Start`);
  if (end === undefined) throw missing(`${path}.End`);
  const Start = wholeNumber(
    start,
    `${path}.Start`,
    0,
    DAY_SECONDS - 1,
    'must be seconds since midnight, 0 to 86399',
  );
  const End = wholeNumber(end, `${path}.End`, 0, DAY_SECONDS, 'must be seconds since midnight, 0 to 86400');
  if (End === Start) throw wrong(`${path}.End`, 'must differ from Start');
  const NextDay = End < Start;
  const sent = field(value, 'NextDay');
  if (sent !== undefined && sent !== NextDay && sent !== String(NextDay)) {
    throw wrong(
      `${path}.NextDay`,
      'must be true exactly when End is before Start (the shift ends the next day)',
    );
  }
  const setting: ShiftSetting = { Name, Start, End, NextDay };
  const color = optionalText(value, 'ColorCode', `${path}.ColorCode`);
  if (color !== undefined) setting.ColorCode = color;
  const byTeam = field(value, 'ExpectedPresentByTeam');
  if (byTeam !== undefined) {
    if (!isObject(byTeam)) throw wrong(`${path}.ExpectedPresentByTeam`, 'must map team ids to head counts');
    setting.ExpectedPresentByTeam = Object.fromEntries(
      Object.entries(byTeam).map(([team, n]) => [
        team,
        wholeNumber(
          n,
          `${path}.ExpectedPresentByTeam.${team}`,
          0,
          100_000,
          'must be a head count (a whole number, 0 or more)',
        ),
      ]),
    );
  }
  const present = field(value, 'ExpectedPresent');
  if (present !== undefined) {
    setting.ExpectedPresent = wholeNumber(
      present,
      `${path}.ExpectedPresent`,
      0,
      100_000,
      'must be a head count (a whole number, 0 or more)',
    );
  }
  return setting;
}

/** A shift definition with its keys in the documented order (jsonb keeps its own). */
export function canonicalSetting(s: ShiftSetting): ShiftSetting {
  return {
    Name: s.Name,
    Start: s.Start,
    End: s.End,
    NextDay: s.NextDay,
    ...(s.ColorCode !== undefined ? { ColorCode: s.ColorCode } : {}),
    ...(s.ExpectedPresentByTeam !== undefined
      ? {
          ExpectedPresentByTeam: Object.fromEntries(
            Object.keys(s.ExpectedPresentByTeam)
              .sort()
              .map((team) => [team, s.ExpectedPresentByTeam![team]!]),
          ),
        }
      : {}),
    ...(s.ExpectedPresent !== undefined ? { ExpectedPresent: s.ExpectedPresent } : {}),
  };
}

export const sameSettings = (a: readonly ShiftSetting[], b: readonly ShiftSetting[]) =>
  JSON.stringify(a.map(canonicalSetting)) === JSON.stringify(b.map(canonicalSetting));
