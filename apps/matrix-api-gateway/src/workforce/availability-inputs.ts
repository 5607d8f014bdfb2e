import { fields, ids, isObject, items, once, Problems, queryKeys, text, type Body } from './inputs';

/* REST v1 availability inputs (`/v1/properties/{propId}/seats/{seatId}/availability…`). */

const MAX_ZONES = 200;

export interface SlotInput {
  /** Seconds since local midnight. */
  start: number;
  end: number;
  name?: string;
}

export interface CreateAvailabilityInput {
  daysOfWeek: number[];
  timeSlots: SlotInput[];
}

export interface DayInput {
  dayOfWeek: number;
  timeSlots: SlotInput[];
}

/** `HH:MM` or `HH:MM:SS` local wall-clock time as seconds since midnight (`24:00` ends the day). */
export function clock(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value) : null;
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (mi > 59 || s > 59 || h > 24 || (h === 24 && (mi > 0 || s > 0))) return undefined;
  return h * 3600 + mi * 60 + s;
}

const isDay = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 6;

function slot(value: unknown, at: string, problems: Problems): SlotInput | undefined {
  const before = problems.list.length;
  const s = fields(value, ['startTime', 'endTime', 'name'], problems, at);
  const read = (key: 'startTime' | 'endTime') => {
    if (s[key] === undefined) return problems.add(`${at}.${key}: is required`);
    const seconds = clock(s[key]);
    if (seconds === undefined || (key === 'startTime' && seconds === 86_400)) {
      return problems.add(`${at}.${key}: must be a local time HH:MM or HH:MM:SS`);
    }
    return seconds;
  };
  const start = read('startTime');
  const end = read('endTime');
  if (start !== undefined && end !== undefined && start === end) {
    problems.add(`${at}.endTime: must not equal startTime (an end before the start ends the next day)`);
  }
  const name = text(s, 'name', problems, false, at, 100);
  if (problems.list.length > before) return undefined;
  return { start: start!, end: end!, ...(name !== undefined ? { name } : {}) };
}

function slots(body: Body, problems: Problems, at = ''): SlotInput[] | undefined {
  const key = at ? `${at}.timeSlots` : 'timeSlots';
  const value = body['timeSlots'];
  if (value === undefined) return problems.add(`${key}: is required`);
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) {
    return problems.add(`${key}: must be a list of 1 or 2 time slots`);
  }
  return items(body, 'timeSlots', problems, 2, (v, path) => slot(v, path, problems), at);
}

/** `POST …/availability`: `{daysOfWeek, timeSlots}`. */
export function checkCreateAvailability(body: unknown): CreateAvailabilityInput {
  const problems = new Problems();
  const raw = fields(body, ['daysOfWeek', 'timeSlots'], problems);
  const days = raw['daysOfWeek'];
  if (days === undefined) problems.add('daysOfWeek: is required');
  else if (
    !Array.isArray(days) ||
    days.length === 0 ||
    !days.every(isDay) ||
    new Set(days).size !== days.length
  ) {
    problems.add('daysOfWeek: must be a list of distinct days of the week, 0 (Sunday) to 6');
  }
  const timeSlots = slots(raw, problems);
  problems.throwIfAny('availability');
  return { daysOfWeek: days as number[], timeSlots: timeSlots! };
}

/** `PATCH …/availability`: `{days: [{dayOfWeek, timeSlots}]}`, each day replaced whole. */
export function checkUpdateAvailability(body: unknown): DayInput[] {
  const problems = new Problems();
  const raw = fields(body, ['days'], problems);
  const list = raw['days'];
  let days: DayInput[] | undefined;
  if (list === undefined) problems.add('days: is required');
  else if (!Array.isArray(list) || list.length === 0 || list.length > 7) {
    problems.add('days: must be a list of 1 to 7 days');
  } else {
    days = items(raw, 'days', problems, 7, (v, at) => {
      const before = problems.list.length;
      const d = fields(v, ['dayOfWeek', 'timeSlots'], problems, at);
      if (d['dayOfWeek'] === undefined) problems.add(`${at}.dayOfWeek: is required`);
      else if (!isDay(d['dayOfWeek'])) {
        problems.add(`${at}.dayOfWeek: must be a day of the week, 0 (Sunday) to 6`);
      }
      const timeSlots = isObject(v) ? slots(d, problems, at) : undefined;
      return problems.list.length > before
        ? undefined
        : { dayOfWeek: d['dayOfWeek'] as number, timeSlots: timeSlots! };
    });
    const named = (days ?? []).map((d) => d.dayOfWeek);
    const twice = named.findIndex((d, i) => named.indexOf(d) !== i);
    if (twice >= 0) problems.add(`days[${twice}].dayOfWeek: names day ${named[twice]} twice`);
  }
  problems.throwIfAny('availability update');
  return days!;
}

/** `DELETE …/availability?daysOfWeek=1,2`: the days named, every day when absent. */
export function parseDaysQuery(raw: Body): number[] {
  const problems = new Problems();
  queryKeys(raw, ['daysOfWeek'], problems);
  const value = once(raw, 'daysOfWeek', problems);
  let days = [0, 1, 2, 3, 4, 5, 6];
  if (value !== undefined) {
    const parts = value.split(',');
    if (parts.every((p) => /^[0-6]$/.test(p))) days = [...new Set(parts.map(Number))];
    else problems.add('daysOfWeek: must be days of the week 0 (Sunday) to 6, comma-separated');
  }
  problems.throwIfAny('query');
  return days;
}

/** `POST …/availability-zones` (`{pid, zoneIds}`) and `PUT …/availability-zones/{pid}` (`{zoneIds}`). */
export function checkAvailabilityZones(
  body: unknown,
  withBuilding: boolean,
): { pid?: string; zoneIds: string[] } {
  const problems = new Problems();
  const raw = fields(body, withBuilding ? ['pid', 'zoneIds'] : ['zoneIds'], problems);
  const pid = withBuilding ? text(raw, 'pid', problems, true) : undefined;
  if (raw['zoneIds'] === undefined) problems.add('zoneIds: is required');
  const zoneIds = ids(raw, 'zoneIds', problems, MAX_ZONES);
  if (zoneIds !== undefined && zoneIds.length === 0) problems.add('zoneIds: must name at least one zone');
  problems.throwIfAny('availability zones');
  return { ...(pid !== undefined ? { pid } : {}), zoneIds: zoneIds! };
}
