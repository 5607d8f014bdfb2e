import type { ActionCommandV1 } from '@matrix/contracts';
import { field, missing, object, optionalEpochSeconds, optionalText, wrong, type Args } from '../ops/args';
import { breakId, list, objectAt, shiftId, zones } from '../shifts/shift-args';
import type { TimesheetBreak } from './timesheet-row';

/*
 * The request values of the timesheet ops (the documented bodies of §4.4 "Timesheets", Appendix A); the
 * generic readers are in ops/args.ts, the shift ones in shifts/shift-args.ts. Keys are matched without
 * regard to case; a refusal names the field.
 */

/** A timesheet has at most this many breaks (a shift has at most 50). */
export const MAX_TIMESHEET_BREAKS = 50;

/** A break's `Type` is a short word (`meal`); `Notes` may be up to 1,024 characters. */
const MAX_BREAK_TYPE = 64;

/** Which timesheet a body names (Shift 1—1 Timesheet, keyed by SeatId + ShiftId). */
export interface TimesheetAddress {
  /** The property the call is in (tenancy checked by the gateway). */
  propId: string;
  /** The building; absent: any building of the property (the property-wide approval). */
  pid?: string;
  shiftId: string;
  /** The seat the body names; absent (or `""`, as the documented examples send) names none. */
  seatId?: string;
}

export const timesheetLabel = (a: Pick<TimesheetAddress, 'shiftId' | 'seatId'>) =>
  `timesheet of shift ${a.shiftId}${a.seatId !== undefined ? ` of seat ${a.seatId}` : ''}`;

/** `{SeatId, ShiftId}` of the object at `path`. */
export function timesheetAddress(
  value: Args,
  place: { propId: string; pid?: string },
  path: string,
): TimesheetAddress {
  const id = shiftId(value, 'ShiftId', `${path}.ShiftId`);
  const seat = optionalText(value, 'SeatId', `${path}.SeatId`);
  return {
    ...place,
    shiftId: id,
    ...(seat !== undefined && seat.trim() !== '' ? { seatId: seat } : {}),
  };
}

/** `AStart` and `AEnd` of `TimeSheet`: both or neither (`required`: both); MISSING_PARAMETERS naming the one absent. */
export function timesOf(
  sheet: Args,
  required: boolean,
  parent = 'TimeSheet',
): { aStart: number; aEnd: number } | undefined {
  const aStart = optionalEpochSeconds(sheet, 'AStart', `${parent}.AStart`);
  const aEnd = optionalEpochSeconds(sheet, 'AEnd', `${parent}.AEnd`);
  if (aStart === undefined && aEnd === undefined && !required) return undefined;
  if (aStart === undefined) throw missing(`${parent}.AStart`);
  if (aEnd === undefined) throw missing(`${parent}.AEnd`);
  if (aStart === 0) throw wrong(`${parent}.AStart`, 'must be a time (epoch seconds), not 0');
  return { aStart, aEnd };
}

/** `Breaks[{ID?, Start, End, Notes?, Type?}]` of `TimeSheet` (≤ 50); IDs `0001`, `0002`, … where none is given. */
export function breaksOf(sheet: Args, parent = 'TimeSheet'): TimesheetBreak[] | undefined {
  const items = list(sheet, 'Breaks', `${parent}.Breaks`, MAX_TIMESHEET_BREAKS);
  if (items === undefined) return undefined;
  const breaks = items.map((item, i) => {
    const at = `${parent}.Breaks[${i}]`;
    const b = objectAt(item, at);
    const start = optionalEpochSeconds(b, 'Start', `${at}.Start`);
    const end = optionalEpochSeconds(b, 'End', `${at}.End`);
    if (start === undefined) throw missing(`${at}.Start`);
    if (end === undefined) throw missing(`${at}.End`);
    const type = optionalText(b, 'Type', `${at}.Type`) ?? '';
    if (type.length > MAX_BREAK_TYPE) {
      throw wrong(`${at}.Type`, `must be at most ${MAX_BREAK_TYPE} characters`);
    }
    return {
      ID: breakId(b, `${at}.ID`, false) ?? '',
      Start: start,
      End: end,
      Notes: optionalText(b, 'Notes', `${at}.Notes`) ?? '',
      Type: type,
    };
  });
  const seen = new Set<string>();
  breaks.forEach((b, i) => {
    if (b.ID === '') return;
    if (seen.has(b.ID)) throw wrong(`${parent}.Breaks[${i}].ID`, `${b.ID} is named twice`);
    seen.add(b.ID);
  });
  let n = 0;
  for (const b of breaks) {
    if (b.ID !== '') continue;
    do n += 1;
    while (seen.has(String(n).padStart(4, '0')));
    b.ID = String(n).padStart(4, '0');
    seen.add(b.ID);
  }
  return breaks;
}

/**
 * The zones worked (`requestRegularization`): `TimeSheet.Zones` (the documented field) or the top-level
 * `Zones` (the documented example), `{<zoneId>: <name>}`, each a zone of the building the gateway resolved
 * (404 otherwise; names are the registry's). Undefined when neither is given.
 */
export function zonesOf(command: ActionCommandV1, sheet: Args): Record<string, string> | undefined {
  if (field(sheet, 'Zones') !== undefined) return zones(command, sheet, 'TimeSheet.Zones');
  return zones(command, command.args, 'Zones');
}

/** `TimeSheet` of the body. */
export const sheetOf = (command: ActionCommandV1) => object(command.args, 'TimeSheet');
