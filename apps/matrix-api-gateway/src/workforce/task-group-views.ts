import { iso } from './inputs';
import { clockOf } from './availability-views';
import { TASK_PRIORITIES, type TaskPriority } from './task-group-inputs';
import { localTime, num, orNull, zoneList } from './workforce-views';

/*
 * REST v1 views of task groups and of the zone reads (last clean time, who is on shift): the documented
 * (Matrix) shapes in camelCase, ISO 8601 UTC times, `null` for none.
 */

type Matrix = Record<string, unknown>;

const PRIORITY_OF = Object.fromEntries(
  Object.entries(TASK_PRIORITIES).map(([name, letter]) => [letter, name]),
) as Record<string, TaskPriority>;

export const taskItemView = (t: Matrix) => ({
  name: t['Name'] as string,
  done: t['Done'] === true,
  value: typeof t['T'] === 'number' && t['T'] >= 0 ? t['T'] : null,
  comments: orNull(t['Comments']) as string | null,
  attachments: (t['Attachments'] as string[]) ?? [],
});

export function taskGroupView(m: Matrix) {
  return {
    taskId: m['TaskId'] as string,
    type: m['Type'] as string,
    name: m['Name'] as string,
    priority: PRIORITY_OF[m['Priority'] as string] ?? 'normal',
    shiftId: m['ShiftId'] as string,
    seatId: m['SeatId'] as string,
    pid: m['ID'] as string,
    propId: m['PropID'] as string,
    org: m['Org'] as string,
    zoneId: m['Zone'] as string,
    zoneName: m['ZoneName'] as string,
    zoneCategoryId: orNull(m['ZoneCatId']) as string | null,
    status: m['Status'] as string,
    delayed: m['Delayed'] === true,
    start: iso(m['Start']),
    end: iso(m['End']),
    timeZone: m['TimeZone'] as string,
    localStart: localTime(m['LocalTime']),
    startedAt: iso(m['AStart']),
    completedAt: iso(m['AEnd']),
    pausedSeconds: num(m['PausedInSeconds']),
    tasks: ((m['Tasks'] as Matrix[]) ?? []).map(taskItemView),
    attachments: (m['Attachments'] as string[]) ?? [],
    raisedBy: orNull(m['By']) as string | null,
    createdOn: iso(m['CreatedOn']),
    modifiedOn: iso(m['ModifiedOn']),
  };
}

/** `YYYYMMDD` as `YYYY-MM-DD`. */
const dateOf = (value: unknown) =>
  typeof value === 'string' && /^\d{8}$/.test(value)
    ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`
    : null;

const windowView = (w: Matrix) => ({
  dayOfWeek: w['DayOfWeek'] as number,
  date: dateOf(w['Date']),
  name: orNull(w['Name']) as string | null,
  startTime: clockOf(w['StartTime']),
  endTime: clockOf(w['EndTime']),
  nextDay: w['NextDay'] === true,
  start: iso(w['Start']),
  end: iso(w['End']),
});

const candidateView = (c: Matrix) => {
  const pause = c['PlannedBreak'] as Matrix | undefined;
  return {
    seatId: c['SeatId'] as string,
    shiftId: c['ShiftId'] as string,
    shiftStatus: c['ShiftStatus'] as string,
    shiftStart: iso(c['Start']),
    shiftEnd: iso(c['End']),
    shiftStartedAt: iso(c['AStart']),
    zones: zoneList(c['Zones']),
    onPlannedBreak: c['OnPlannedBreak'] === true,
    plannedBreak: pause
      ? { breakId: pause['ID'] as string, startedAt: iso(pause['AStart']), end: iso(pause['End']) }
      : null,
    availableNow: c['AvailableNow'] === true,
    autoAssignable: c['AutoAssignable'] === true,
    lastAutoAssignedAt: iso(c['LastAutoAssigned']),
    lastAutoAssignedIncidentId: orNull(c['LastAutoAssignedIncident']) as string | null,
    availabilities: ((c['Availabilities'] as Matrix[]) ?? []).map(windowView),
  };
};

/** getAvailabilityForIncident's answer for a zone, now. */
export function onShiftView(m: Matrix) {
  return {
    zoneId: m['Zone'] as string,
    zoneName: m['ZoneName'] as string,
    zoneCategoryId: orNull(m['ZoneCatId']) as string | null,
    pid: m['ID'] as string,
    at: iso(m['From']),
    timeZone: m['TimeZone'] as string,
    autoAssignNext: (m['AutoAssignNext'] as string | null) ?? null,
    candidates: ((m['Candidates'] as Matrix[]) ?? []).map(candidateView),
  };
}
