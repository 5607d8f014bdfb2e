import { iso } from './inputs';

/*
 * REST v1 views of what incident-service answers in the documented (Matrix) shapes: camelCase, ISO 8601
 * UTC times, `null` for "none" (a time 0, a coordinate −1, no cost).
 */

type Matrix = Record<string, unknown>;

/** A number, or 0. */
export const num = (value: unknown) => (typeof value === 'number' ? value : 0);
/** A value, or null for none (absent, empty). */
export const orNull = (value: unknown) => (value === undefined || value === '' ? null : value);

/** `YYYYMMDDHHMMSS` (the documented `LocalTime`) as `YYYY-MM-DDTHH:MM:SS` (no offset: a wall clock). */
export const localTime = (value: unknown): string | null => {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : null;
};

/** `{<zoneId>: <name>}` as `[{zoneId, zoneName}]`. */
export const zoneList = (zones: unknown) =>
  Object.entries((zones as Record<string, string> | null) ?? {}).map(([zoneId, zoneName]) => ({
    zoneId,
    zoneName,
  }));

const point = (p: unknown) => {
  const { Latitude, Longitude } = (p as { Latitude?: number; Longitude?: number }) ?? {};
  return Latitude === undefined || Longitude === undefined || (Latitude === -1 && Longitude === -1)
    ? null
    : { latitude: Latitude, longitude: Longitude };
};

export const breakView = (b: Matrix) => ({
  breakId: b['ID'] as string,
  type: orNull(b['Type']) as string | null,
  notes: orNull(b['Notes']) as string | null,
  planned: b['IsPlannedBreak'] === true,
  scheduled: b['Scheduled'] === true,
  durationSeconds: num(b['DurationInSeconds']),
  start: iso(b['Start']),
  end: iso(b['End']),
  startedAt: iso(b['AStart']),
  endedAt: iso(b['AEnd']),
});

export function shiftView(m: Matrix) {
  const coordinates = (m['Coordinates'] as Matrix) ?? {};
  const cost = m['Cost'] as { U: string; V: number } | null;
  return {
    shiftId: m['ShiftId'] as string,
    seatId: m['SeatId'] as string,
    pid: m['ID'] as string,
    propId: m['PropID'] as string,
    org: m['Org'] as string,
    status: m['Status'] as string,
    delayed: m['Delayed'] === true,
    adhoc: m['Adhoc'] === true,
    start: iso(m['Start']),
    end: iso(m['End']),
    timeZone: m['TimeZone'] as string,
    localStart: localTime(m['LocalTime']),
    startedAt: iso(m['AStart']),
    endedAt: iso(m['AEnd']),
    plannedSeconds: num(m['ShiftDurationInSeconds']),
    workedSeconds: num(m['ActualDurationInSeconds']),
    breaks: ((m['Breaks'] as Matrix[]) ?? []).map(breakView),
    clockIn: point(coordinates['ClockIn']),
    clockOut: point(coordinates['ClockOut']),
    cost: cost ? { currency: cost.U, amount: cost.V } : null,
    zones: zoneList(m['Zones']),
    description: orNull(m['Description']) as string | null,
    taskGroupIds: (m['TaskGroups'] as string[]) ?? [],
    createdBy: m['CreatedBy'] as string,
    createdOn: iso(m['CreatedOn']),
    modifiedBy: m['ModifiedBy'] as string,
    modifiedOn: iso(m['ModifiedOn']),
  };
}
