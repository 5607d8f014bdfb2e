import {
  epochSeconds,
  field,
  missing,
  optionalFlag,
  optionalText,
  text,
  wrong,
  type Args,
} from '../ops/args';

/*
 * A property's shift hours (the Matrix documentation, §7.4 "Shift hours", Appendix A
 * `scteams.updateShiftHoursForProperty`): its default named shifts `ShiftHours[{ShiftName, Start, End,
 * NextDay, ColorCode}]`. `Start`/`End` are epoch seconds as the documentation says (its example sends
 * 123456 → 234567), not the seconds since midnight of the property shift definitions. Pure reader of the
 * documented body; refusals name the field.
 */

/** Shift hours one property has at most. */
export const MAX_SHIFT_HOURS = 20;

/** How long one shift of the shift hours may be: the bound on a stored shift (48 h). */
export const MAX_SHIFT_HOURS_SPAN = 172_800;

/** One named shift as stored and answered. */
export interface ShiftHour {
  ShiftName: string;
  Start: number;
  End: number;
  NextDay: boolean;
  ColorCode?: string;
}

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `ShiftHours`: 1 to 20 named shifts with distinct names (letter case and outer spaces ignored). */
export function shiftHours(args: Args): ShiftHour[] {
  const value = field(args, 'ShiftHours');
  if (value === undefined) throw missing('ShiftHours');
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_SHIFT_HOURS) {
    throw wrong('ShiftHours', `must be a list of 1 to ${MAX_SHIFT_HOURS} shifts`);
  }
  const hours = value.map((item, i) => shiftHour(item, `ShiftHours[${i}]`));
  const names = hours.map((h) => h.ShiftName.trim().toLowerCase());
  const twice = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (twice >= 0) {
    throw wrong(`ShiftHours[${twice}].ShiftName`, `names shift ${hours[twice]!.ShiftName} twice`);
  }
  return hours;
}

function shiftHour(value: unknown, path: string): ShiftHour {
  if (!isObject(value)) throw wrong(path, 'must be an object');
  const ShiftName = text(value, 'ShiftName', `${path}.ShiftName`);
  const Start = epochSeconds(value, 'Start', `${path}.Start`);
  const End = epochSeconds(value, 'End', `${path}.End`);
  if (End <= Start) throw wrong(`${path}.End`, 'must be after Start');
  if (End - Start > MAX_SHIFT_HOURS_SPAN) {
    throw wrong(`${path}.End`, `must be at most ${MAX_SHIFT_HOURS_SPAN} seconds after Start`);
  }
  const hour: ShiftHour = {
    ShiftName,
    Start,
    End,
    NextDay: optionalFlag(value, 'NextDay', `${path}.NextDay`),
  };
  const color = optionalText(value, 'ColorCode', `${path}.ColorCode`);
  if (color !== undefined) hour.ColorCode = color;
  return hour;
}

/** A shift of the shift hours with its keys in the documented order (jsonb keeps its own). */
export function canonicalShiftHour(h: ShiftHour): ShiftHour {
  return {
    ShiftName: h.ShiftName,
    Start: h.Start,
    End: h.End,
    NextDay: h.NextDay,
    ...(h.ColorCode !== undefined ? { ColorCode: h.ColorCode } : {}),
  };
}
