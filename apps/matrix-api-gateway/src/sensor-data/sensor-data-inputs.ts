import { RegistryError } from '../registry/registry-error';
import { FIELD_NAME, numericFieldsFor, resolveField } from './slot-fields';
import {
  AGGREGATIONS,
  type Aggregation,
  type Bucketing,
  type GroupColumn,
  type ListQuery,
  type SensorDataFilter,
  type TimeRange,
} from './sensor-data.types';
import { isIanaTimeZone, parseInstant } from './time';

export const LIST_PAGE = { default: 1000, max: 5000 };
/** The longest `[from, to)` a listing or an aggregate may span. */
export const MAX_RANGE_DAYS = 366;
/** The most buckets a fixed interval may cut the range into (per group). */
export const MAX_BUCKETS = 20_000;
/** The most (bucket × group) rows an aggregate may answer. */
export const MAX_AGGREGATE_ROWS = 50_000;
/** The most zones or devices one query may name. */
export const MAX_IDS = 100;

/** REST intervals: fixed ones are exact durations aligned to the Unix epoch; calendar ones are local. */
export const REST_INTERVALS: Readonly<
  Record<string, { kind: 'fixed'; seconds: number } | { kind: 'calendar'; unit: 'day' | 'week' | 'month' }>
> = {
  '1m': { kind: 'fixed', seconds: 60 },
  '5m': { kind: 'fixed', seconds: 300 },
  '15m': { kind: 'fixed', seconds: 900 },
  '30m': { kind: 'fixed', seconds: 1800 },
  '1h': { kind: 'fixed', seconds: 3600 },
  day: { kind: 'calendar', unit: 'day' },
  week: { kind: 'calendar', unit: 'week' },
  month: { kind: 'calendar', unit: 'month' },
};

const GROUP_BY: Readonly<Record<string, GroupColumn>> = { zone: 'insid', device: 'devid' };

const ID = /^[^\u0000-\u001f\u007f]{1,128}$/;
const TYPE = /^[A-Za-z0-9_-]+(#[A-Za-z0-9_.-]+)?$/;

const LIST_PARAMS = ['pid', 'from', 'to', 'zone', 'device', 'type', 'cursor', 'limit'];
const AGGREGATE_PARAMS = [
  'pid',
  'from',
  'to',
  'zone',
  'device',
  'type',
  'field',
  'agg',
  'interval',
  'tz',
  'groupBy',
];

/** Collects every problem of a request, so one 400 lists them all. */
class Problems {
  readonly list: string[] = [];
  add(problem: string): undefined {
    this.list.push(problem);
    return undefined;
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new RegistryError('INVALID', this.list.join('; '), this.list);
  }
}

function one(raw: Record<string, unknown>, key: string, problems: Problems): string | undefined {
  const value = raw[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return problems.add(`${key}: must be given once`);
  return value;
}

function many(raw: Record<string, unknown>, key: string, problems: Problems): string[] | undefined {
  const value = raw[key];
  if (value === undefined || value === '') return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v): v is string => typeof v === 'string' && ID.test(v))) {
    return problems.add(`${key}: must be ids of 1 to 128 characters (repeat ${key}= for several)`);
  }
  if (values.length > MAX_IDS) return problems.add(`${key}: at most ${MAX_IDS} values`);
  return [...new Set(values)];
}

function unknownParams(raw: Record<string, unknown>, allowed: string[], problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      problems.add(`${key}: is not a known query parameter (known: ${allowed.join(', ')})`);
    }
  }
}

/** Checks a `[from, to)` range: both given, from before to, at most {@link MAX_RANGE_DAYS}. */
export function checkRange(
  from: number | undefined,
  to: number | undefined,
  problems: { add(p: string): unknown },
): void {
  if (from === undefined || to === undefined) return;
  if (from >= to) problems.add('from: must be before to');
  else if (to - from > MAX_RANGE_DAYS * 86_400_000) {
    problems.add(`to: the range may span at most ${MAX_RANGE_DAYS} days`);
  }
}

function instant(raw: Record<string, unknown>, key: 'from' | 'to', problems: Problems): number | undefined {
  const text = one(raw, key, problems);
  if (text === undefined) {
    return raw[key] === undefined || raw[key] === '' ? problems.add(`${key}: is required`) : undefined;
  }
  const at = parseInstant(text);
  if (at === undefined) {
    problems.add(
      `${key}: must be an ISO 8601 time with an offset, e.g. 2026-03-29T00:00:00+01:00 or 2026-03-28T23:00:00Z`,
    );
  }
  return at;
}

function filterAndRange(
  raw: Record<string, unknown>,
  problems: Problems,
): SensorDataFilter & Partial<TimeRange> & { pid?: string } {
  const pid = one(raw, 'pid', problems);
  if (pid === undefined && raw['pid'] === undefined) {
    problems.add('pid: is required (the building whose data to read)');
  } else if (pid !== undefined && !ID.test(pid)) problems.add('pid: must be an id of 1 to 128 characters');
  const from = instant(raw, 'from', problems);
  const to = instant(raw, 'to', problems);
  checkRange(from, to, problems);
  const type = one(raw, 'type', problems);
  if (type !== undefined && !TYPE.test(type)) {
    problems.add('type: must be Provider#SlotType (e.g. SMARTCLEAN#PPLCTR) or a slot type (PPLCTR)');
  }
  return {
    pid,
    from,
    to,
    zones: many(raw, 'zone', problems),
    devices: many(raw, 'device', problems),
    type,
  };
}

/** `GET /v1/sensor-data?pid=&from=&to=&zone=&device=&type=&cursor=&limit=` → a listing query, or INVALID with every problem. */
export function parseListQuery(raw: Record<string, unknown>): ListQuery {
  const problems = new Problems();
  unknownParams(raw, LIST_PARAMS, problems);
  const query = filterAndRange(raw, problems);
  const cursor = one(raw, 'cursor', problems);
  const limitText = one(raw, 'limit', problems);
  let limit = LIST_PAGE.default;
  if (limitText !== undefined) {
    limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= 1 && limit <= LIST_PAGE.max)) {
      problems.add(`limit: must be a whole number from 1 to ${LIST_PAGE.max}`);
    }
  }
  problems.throwIfAny();
  return { ...query, pid: query.pid!, from: query.from!, to: query.to!, cursor, limit };
}

/** An aggregate query before the building's time zone is known (`tz` undefined: the building's). */
export interface AggregateRequest extends SensorDataFilter, TimeRange {
  pid: string;
  field: string;
  agg: Aggregation;
  interval: string;
  bucketing: { kind: 'fixed'; seconds: number } | { kind: 'calendar'; unit: 'day' | 'week' | 'month' };
  tz?: string;
  groupBy?: 'zone' | 'device';
  groupColumns: GroupColumn[];
}

/**
 * `GET /v1/sensor-data/aggregate?pid=&from=&to=&field=&agg=&interval=&tz=&groupBy=&zone=&device=&type=`
 * → an aggregate query, or INVALID with every problem.
 */
export function parseAggregateQuery(raw: Record<string, unknown>): AggregateRequest {
  const problems = new Problems();
  unknownParams(raw, AGGREGATE_PARAMS, problems);
  const query = filterAndRange(raw, problems);

  const fieldText = one(raw, 'field', problems);
  let field: string | undefined;
  if (fieldText === undefined) {
    if (raw['field'] === undefined || raw['field'] === '') {
      problems.add('field: is required (a numeric field of v, e.g. count or rating)');
    }
  } else if (query.type === undefined || TYPE.test(query.type)) {
    field = resolveField(query.type, fieldText);
    if (field === undefined) {
      const known = numericFieldsFor(query.type);
      problems.add(
        known && FIELD_NAME.test(fieldText)
          ? `field: ${fieldText} is not a numeric field of ${query.type ?? 'any documented slot type'} (known: ${known.join(', ')})`
          : 'field: must be a field name of v (letters, digits, _ . -)',
      );
    }
  }

  const aggText = one(raw, 'agg', problems) ?? 'sum';
  const agg = (AGGREGATIONS as readonly string[]).includes(aggText) ? (aggText as Aggregation) : undefined;
  if (!agg) problems.add(`agg: must be one of ${AGGREGATIONS.join(', ')}`);

  const interval = one(raw, 'interval', problems);
  const bucketing =
    interval !== undefined && Object.hasOwn(REST_INTERVALS, interval) ? REST_INTERVALS[interval] : undefined;
  if (!bucketing) {
    problems.add(
      interval === undefined && (raw['interval'] === undefined || raw['interval'] === '')
        ? `interval: is required (one of ${Object.keys(REST_INTERVALS).join(', ')})`
        : `interval: must be one of ${Object.keys(REST_INTERVALS).join(', ')}`,
    );
  } else if (bucketing.kind === 'fixed' && query.from !== undefined && query.to !== undefined) {
    const buckets = Math.ceil((query.to - query.from) / (bucketing.seconds * 1000));
    if (buckets > MAX_BUCKETS) {
      problems.add(
        `interval: ${interval} cuts the range into ${buckets} buckets, at most ${MAX_BUCKETS}: widen the interval or narrow the range`,
      );
    }
  }

  const tz = one(raw, 'tz', problems);
  if (tz !== undefined && !isIanaTimeZone(tz)) {
    problems.add('tz: must be an IANA time zone name, e.g. Europe/Berlin');
  }

  const groupByText = one(raw, 'groupBy', problems);
  if (groupByText !== undefined && !Object.hasOwn(GROUP_BY, groupByText)) {
    problems.add('groupBy: must be zone or device');
  }

  problems.throwIfAny();
  return {
    ...query,
    pid: query.pid!,
    from: query.from!,
    to: query.to!,
    field: field!,
    agg: agg!,
    interval: interval!,
    bucketing: bucketing!,
    tz,
    groupBy: groupByText as 'zone' | 'device' | undefined,
    groupColumns: groupByText ? [GROUP_BY[groupByText]!] : [],
  };
}

/** The bucketing of a parsed aggregate request in time zone `tz`. */
export function bucketingIn(request: Pick<AggregateRequest, 'bucketing'>, tz: string): Bucketing {
  return request.bucketing.kind === 'fixed' ? request.bucketing : { ...request.bucketing, tz };
}
