import { iso } from './inputs';
import { zoneList } from './workforce-views';

/* REST v1 views of seat availability: local times `HH:MM:SS`, zones as lists. */

type Matrix = Record<string, unknown>;

const two = (n: number) => String(n).padStart(2, '0');
/** Seconds since local midnight as `HH:MM:SS` (`24:00:00` for the end of the day). */
export const clockOf = (seconds: unknown) => {
  const s = typeof seconds === 'number' ? seconds : 0;
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
};

export const dayView = (m: Matrix) => ({
  dayOfWeek: m['DayOfWeek'] as number,
  timeSlots: ((m['TimeSlots'] as Matrix[]) ?? []).map((t) => ({
    startTime: clockOf(t['StartTime']),
    endTime: clockOf(t['EndTime']),
    name: (t['Name'] as string) || null,
    nextDay: t['NextDay'] === true,
  })),
  /** The day's own zones (set over the actions API), null when the seat's availability zones apply. */
  zones: m['Zones'] === undefined ? null : buildingZones(m['Zones']),
  createdBy: m['CreatedBy'] as string,
  createdOn: iso(m['CreatedOn']),
  modifiedBy: m['ModifiedBy'] as string,
  modifiedOn: iso(m['ModifiedOn']),
});

/** `{<pid>: {<zoneId>: <name>}}` as `[{pid, zones: [{zoneId, zoneName}]}]`. */
export const buildingZones = (zones: unknown) =>
  Object.entries((zones as Record<string, unknown>) ?? {}).map(([pid, map]) => ({
    pid,
    zones: zoneList(map),
  }));

export const availabilityView = (seatId: string, propId: string, days: Matrix[]) => ({
  seatId,
  propId,
  days: days.map(dayView),
});

export const availabilityZonesView = (m: Matrix) => ({
  seatId: m['SeatId'] as string,
  propId: m['PropID'] as string,
  buildings: buildingZones(m['Zones']),
});
