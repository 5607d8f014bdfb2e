import { SHIFT_STATUSES_V1, type ShiftStatusV1 } from '@matrix/contracts';
import {
  anyOf,
  bool,
  fields,
  freeText,
  ids,
  isObject,
  items,
  once,
  Problems,
  queryKeys,
  queryRange,
  text,
  time,
  timeZone,
  type Body,
} from './inputs';

/* REST v1 shift inputs (`/v1/buildings/{pid}/shifts…`), checked and named before anything is forwarded. */

export const SHIFT_ACTIONS = [
  'publish',
  'start',
  'end',
  'adminStart',
  'adminEnd',
  'startBreak',
  'endBreak',
  'markDelayed',
  'markAbsent',
  'markOnLeave',
] as const;
export type ShiftAction = (typeof SHIFT_ACTIONS)[number];

/** The longest shift (incident-service's rule, checked here to name the REST field). */
const MAX_SHIFT_SECONDS = 86_400;
const MAX_BREAKS = 20;
const MAX_REPEATS = 62;
const MAX_ZONES = 200;

export interface BreakInput {
  start?: number;
  end?: number;
  durationSeconds?: number;
  planned?: boolean;
  type?: string;
  notes?: string;
}

export interface CostInput {
  currency: string;
  amount: number;
}

export interface CreateShiftInput {
  seatId: string;
  start: number;
  end: number;
  timeZone?: string;
  zoneIds?: string[];
  breaks?: BreakInput[];
  cost?: CostInput;
  description?: string;
  /** `YYYYMMDD` local dates (the documented `Repeat.RepeatDates` form). */
  repeatOn?: string[];
  publish: boolean;
}

export interface UpdateShiftInput {
  start?: number;
  end?: number;
  timeZone?: string;
  zoneIds?: string[];
  cost?: CostInput;
  description?: string;
}

export interface ShiftTransitionInput {
  action: ShiftAction;
  seatId?: string;
  location?: { latitude: number; longitude: number };
  breakId?: string;
  type?: string;
  notes?: string;
}

function cost(body: Body, problems: Problems): CostInput | undefined {
  const value = body['cost'];
  if (value === undefined) return undefined;
  const c = fields(value, ['currency', 'amount'], problems, 'cost');
  const currency = text(c, 'currency', problems, true, 'cost', 16);
  const amount = c['amount'];
  if (amount === undefined) problems.add('cost.amount: is required');
  else if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
    problems.add('cost.amount: must be a non-negative number');
  }
  return currency !== undefined && typeof amount === 'number' ? { currency, amount } : undefined;
}

function breakOf(value: unknown, at: string, problems: Problems): BreakInput | undefined {
  const before = problems.list.length;
  const b = fields(value, ['start', 'end', 'durationSeconds', 'planned', 'type', 'notes'], problems, at);
  const start = time(b, 'start', problems, false, at);
  const end = time(b, 'end', problems, false, at);
  if ((b['start'] === undefined) !== (b['end'] === undefined)) {
    problems.add(`${at}: names both start and end, or neither`);
  } else if (start !== undefined && end !== undefined && end < start) {
    problems.add(`${at}.end: must not be before ${at}.start`);
  }
  const duration = b['durationSeconds'];
  if (duration !== undefined && (!Number.isSafeInteger(duration) || (duration as number) < 0)) {
    problems.add(`${at}.durationSeconds: must be a non-negative whole number`);
  }
  const planned = bool(b, 'planned', problems, at);
  const type = text(b, 'type', problems, false, at, 100);
  const notes = freeText(b, 'notes', problems, at);
  if (problems.list.length > before) return undefined;
  return {
    ...(start !== undefined ? { start, end: end! } : {}),
    ...(duration !== undefined ? { durationSeconds: duration as number } : {}),
    ...(planned !== undefined ? { planned } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(notes !== undefined ? { notes } : {}),
  };
}

/** `repeatOn: ["2026-12-02", …]` local dates → `YYYYMMDD`. */
function repeatOn(body: Body, problems: Problems): string[] | undefined {
  const value = body['repeatOn'];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > MAX_REPEATS) {
    return problems.add(`repeatOn: must be a list of at most ${MAX_REPEATS} dates`);
  }
  const dates: string[] = [];
  value.forEach((v, i) => {
    const match = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
    const day = match
      ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
      : undefined;
    if (!match || !day || day.toISOString().slice(0, 10) !== v) {
      problems.add(`repeatOn[${i}]: must be a date YYYY-MM-DD`);
    } else dates.push(`${match[1]}${match[2]}${match[3]}`);
  });
  return dates;
}

function window(start: number | undefined, end: number | undefined, problems: Problems): void {
  if (start === undefined || end === undefined) return;
  if (end <= start) problems.add('end: must be after start');
  else if (end - start > MAX_SHIFT_SECONDS) problems.add('end: a shift lasts at most 24 hours');
}

/** `POST /v1/buildings/{pid}/shifts`. */
export function checkCreateShift(body: unknown): CreateShiftInput {
  const problems = new Problems();
  const raw = fields(
    body,
    ['seatId', 'start', 'end', 'timeZone', 'zoneIds', 'breaks', 'cost', 'description', 'repeatOn', 'publish'],
    problems,
  );
  const seatId = text(raw, 'seatId', problems, true);
  const start = time(raw, 'start', problems, true);
  const end = time(raw, 'end', problems, true);
  window(start, end, problems);
  const zone = timeZone(raw, 'timeZone', problems);
  const zoneIds = ids(raw, 'zoneIds', problems, MAX_ZONES);
  const breaks = items(raw, 'breaks', problems, MAX_BREAKS, (v, at) => breakOf(v, at, problems));
  const price = cost(raw, problems);
  const description = freeText(raw, 'description', problems);
  const dates = repeatOn(raw, problems);
  const publish = bool(raw, 'publish', problems) ?? false;
  problems.throwIfAny('shift');
  return {
    seatId: seatId!,
    start: start!,
    end: end!,
    publish,
    ...(zone !== undefined ? { timeZone: zone } : {}),
    ...(zoneIds !== undefined ? { zoneIds } : {}),
    ...(breaks !== undefined ? { breaks } : {}),
    ...(price !== undefined ? { cost: price } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(dates !== undefined ? { repeatOn: dates } : {}),
  };
}

/** `PATCH /v1/buildings/{pid}/shifts/{shiftId}`: any of the plan's fields, at least one. */
export function checkUpdateShift(body: unknown): UpdateShiftInput {
  const problems = new Problems();
  const known = ['start', 'end', 'timeZone', 'zoneIds', 'cost', 'description'];
  const raw = fields(body, known, problems);
  if (isObject(body) && Object.keys(body).length === 0) {
    problems.add(`body: must change at least one of ${known.join(', ')}`);
  }
  const start = time(raw, 'start', problems, false);
  const end = time(raw, 'end', problems, false);
  window(start, end, problems);
  const zone = timeZone(raw, 'timeZone', problems);
  const zoneIds = ids(raw, 'zoneIds', problems, MAX_ZONES);
  const price = cost(raw, problems);
  const description = freeText(raw, 'description', problems);
  problems.throwIfAny('shift update');
  return {
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(zone !== undefined ? { timeZone: zone } : {}),
    ...(zoneIds !== undefined ? { zoneIds } : {}),
    ...(price !== undefined ? { cost: price } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

const TAKES: Record<string, readonly ShiftAction[]> = {
  seatId: ['start', 'end', 'startBreak', 'endBreak'],
  location: ['start', 'end', 'adminStart', 'adminEnd'],
  breakId: ['startBreak', 'endBreak'],
  type: ['startBreak', 'endBreak'],
  notes: ['startBreak', 'endBreak'],
};

function location(body: Body, problems: Problems): { latitude: number; longitude: number } | undefined {
  if (body['location'] === undefined) return undefined;
  const p = fields(body['location'], ['latitude', 'longitude'], problems, 'location');
  const read = (key: 'latitude' | 'longitude', limit: number) => {
    const n = p[key];
    if (n === undefined) return problems.add(`location.${key}: is required`);
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > limit) {
      return problems.add(`location.${key}: must be a number from -${limit} to ${limit}`);
    }
    return n;
  };
  const latitude = read('latitude', 90);
  const longitude = read('longitude', 180);
  return latitude !== undefined && longitude !== undefined ? { latitude, longitude } : undefined;
}

/** `POST …/shifts/{shiftId}/transitions`: `{action, seatId?, location?, breakId?, type?, notes?}`. */
export function checkShiftTransition(body: unknown): ShiftTransitionInput {
  const problems = new Problems();
  const raw = fields(body, ['action', ...Object.keys(TAKES)], problems);
  const action = raw['action'];
  if (action === undefined) problems.add('action: is required');
  else if (!(SHIFT_ACTIONS as readonly unknown[]).includes(action)) {
    problems.add(`action: must be one of ${SHIFT_ACTIONS.join(', ')}`);
  }
  for (const [key, actions] of Object.entries(TAKES)) {
    if (raw[key] !== undefined && SHIFT_ACTIONS.includes(action as ShiftAction)) {
      if (!actions.includes(action as ShiftAction)) {
        problems.add(`${key}: is taken by ${actions.join(', ')} only`);
      }
    }
  }
  const seatId = text(raw, 'seatId', problems, false);
  const where = location(raw, problems);
  const breakId = text(raw, 'breakId', problems, false, '', 32);
  if (breakId !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(breakId)) {
    problems.add('breakId: must be 1 to 32 letters, digits, - or _');
  }
  const type = text(raw, 'type', problems, false, '', 100);
  const notes = freeText(raw, 'notes', problems);
  problems.throwIfAny('transition');
  return {
    action: action as ShiftAction,
    ...(seatId !== undefined ? { seatId } : {}),
    ...(where !== undefined ? { location: where } : {}),
    ...(breakId !== undefined ? { breakId } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(notes !== undefined ? { notes } : {}),
  };
}

export interface ShiftListQuery {
  from: number;
  to: number;
  seatId?: string;
  statuses?: ShiftStatus[];
  cursor?: string;
}

/** The shift statuses, as the shift events' contract names them. */
export const SHIFT_STATUSES = SHIFT_STATUSES_V1;
export type ShiftStatus = ShiftStatusV1;

/** A cursor this API answered: the documented `LastEvaluatedKey` form (base64 of `{Start, ID, ATTR}`). */
export function isPageKey(cursor: string): boolean {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as unknown;
    return isObject(key) && isObject(key['ATTR']) && isObject(key['Start']);
  } catch {
    return false;
  }
}

/** `GET /v1/buildings/{pid}/shifts?from=&to=&seatId=&status=&cursor=`: `from` and `to` required. */
export function parseShiftListQuery(raw: Body): ShiftListQuery {
  const problems = new Problems();
  queryKeys(raw, ['from', 'to', 'seatId', 'status', 'cursor'], problems);
  const { from, to } = queryRange(raw, problems);
  if (raw['from'] === undefined || raw['from'] === '') problems.add('from: is required');
  if (raw['to'] === undefined || raw['to'] === '') problems.add('to: is required');
  const seatId = once(raw, 'seatId', problems);
  const statuses = anyOf(raw, 'status', SHIFT_STATUSES, problems);
  const cursor = once(raw, 'cursor', problems);
  if (cursor !== undefined && !isPageKey(cursor)) problems.add('cursor: is not a cursor this API returned');
  problems.throwIfAny('query');
  return {
    from: from!,
    to: to!,
    ...(seatId !== undefined ? { seatId } : {}),
    ...(statuses !== undefined ? { statuses } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  };
}
