import { MAX_BUCKETS, MAX_RANGE_DAYS } from './sensor-data-inputs';
import { AGGREGATIONS, type Aggregation, type TimeRange } from './sensor-data.types';
import { FIELD_NAME, numericFieldsFor, resolveField, SLOT_NUMERIC_FIELDS } from './slot-fields';
import { parseInstant } from './time';
import { ActionError } from '../actions/action-error';

/*
 * The request of `scmetrics.tsdbQuery` / `scmetrics.tsdbQueryAuto` (reference §4.5, Appendix A), parsed
 * and checked. Decisions where the reference is silent are listed in docs/api.md.
 */

/** Pandas-style offsets (T = minute): the documented four, and 1H / 1D (an extension; tsdbQueryAuto picks them for long ranges). */
export const TSDB_INTERVALS: Readonly<Record<string, number>> = {
  '1T': 60,
  '5T': 300,
  '15T': 900,
  '30T': 1800,
  '1H': 3600,
  '1D': 86_400,
};

/** tsdbQueryAuto picks the finest interval that cuts the range into at most this many buckets. */
export const AUTO_MAX_BUCKETS = 360;
export const MAX_METRICS = 10;
/** The most values (all series together) one answer may have. */
export const MAX_VALUES = 100_000;

export type TagColumn = 'L0CLASS' | 'L1CLASS' | 'L2CLASS';
export const TAG_COLUMNS: readonly TagColumn[] = ['L0CLASS', 'L1CLASS', 'L2CLASS'];

/** A metric name resolved to the rows and the field of `v` it reads. */
export interface MetricRef {
  name: string;
  devType: string;
  field: string;
}

export interface TsdbQuery extends TimeRange {
  metrics: MetricRef[];
  aggregations: Aggregation[];
  interval: string;
  intervalSeconds: number;
  /** Tag filters: any of the values per tag, every tag. */
  filters: Partial<Record<TagColumn, string[]>>;
  /** The tags each value carries (and is grouped by): all three unless a `group by` post-query op says otherwise. */
  groupBy: TagColumn[];
  /** `aggregation`/`sum` post-query op: aggregate per device first, then sum over the group. */
  sumOverGroup: boolean;
  resample?: { duration: string; seconds: number; fn: Aggregation };
}

const wrong = (message: string) => new ActionError('WRONG_PARAMETERS', message);

/**
 * `sg.<provider>.<slot type>.raw.<field>` → devType `PROVIDER#SLOT TYPE` and the stored field:
 * `sg.smartclean.pplctr.raw.count` → SMARTCLEAN#PPLCTR `count`; `sg.smartclean.odrdtr.raw.voc` →
 * SMARTCLEAN#ODRDTR `alc` (its VOC); `sg.smartclean.tilt.raw.xt` → SMARTCLEAN#TILT `Xt`. A field name
 * may contain dots (`…odrdtr_10_in_1.raw.pm_2.5`). Other providers' fields are taken as written.
 */
export function parseMetricName(name: string): MetricRef {
  const parts = name.split('.');
  const [namespace, provider, slotType, stage] = parts;
  const fieldName = parts.slice(4).join('.');
  if (
    parts.length < 5 ||
    namespace !== 'sg' ||
    stage !== 'raw' ||
    !/^[A-Za-z0-9_-]+$/.test(provider!) ||
    !/^[A-Za-z0-9_.-]+$/.test(slotType!) ||
    !FIELD_NAME.test(fieldName)
  ) {
    throw wrong(
      `metrics: ${JSON.stringify(name)} is not a metric name of the form sg.<provider>.<slot type>.raw.<field>, e.g. sg.smartclean.pplctr.raw.count`,
    );
  }
  const devType = `${provider!.toUpperCase()}#${slotType!.toUpperCase()}`;
  const field = resolveField(devType, fieldName, true);
  if (field === undefined) {
    const known = numericFieldsFor(devType) ?? [];
    throw wrong(
      `metrics: ${name}: ${devType} has no numeric field ${fieldName} (metrics of ${devType}: ${known
        .map((f) => `sg.${provider!.toLowerCase()}.${slotType!.toLowerCase()}.raw.${f.toLowerCase()}`)
        .join(', ')})`,
    );
  }
  return { name, devType, field };
}

/** Every standard metric name of the documented slot types (§3.3). */
export function standardMetricNames(): string[] {
  return Object.entries(SLOT_NUMERIC_FIELDS).flatMap(([devType, fields]) => {
    const [provider, slotType] = devType.toLowerCase().split('#');
    return fields.map((field) => `sg.${provider}.${slotType}.raw.${field.toLowerCase()}`);
  });
}

const RELATIVE = /^-((?:\d{1,7}[hms])+)$/;

/** `-1h`, `-30m`, `-90s`, `-1h30m` → the (negative) offset in milliseconds; hours are the largest unit (§4.5). */
export function parseRelative(text: string): number | undefined {
  const match = RELATIVE.exec(text);
  if (!match) return undefined;
  let millis = 0;
  for (const [, amount, unit] of match[1]!.matchAll(/(\d+)([hms])/g)) {
    millis += Number(amount) * { h: 3_600_000, m: 60_000, s: 1000 }[unit as 'h' | 'm' | 's'];
  }
  return -millis;
}

function instantOf(value: unknown, key: 'start' | 'end', now: number): number {
  if (typeof value !== 'string' || value === '') {
    throw wrong(
      `time.${key} must be an ISO 8601 time (2020-10-21T20:00:00+00:00) or relative to now (-1h, -30m)`,
    );
  }
  const relative = parseRelative(value);
  if (relative !== undefined) return now + relative;
  if (/^-\d+[dwy]$/i.test(value)) {
    throw wrong(`time.${key}: hours are the largest unit of a relative time; write e.g. -168h for a week`);
  }
  const at = parseInstant(value);
  if (at === undefined) {
    throw wrong(
      `time.${key} must be an ISO 8601 time with an offset (2020-10-21T20:00:00+00:00, …Z) or relative to now (-1h, -30m)`,
    );
  }
  return at;
}

/**
 * `time`: `{start, end?}`, each absolute (ISO 8601 with an offset) or relative to `now` (`-1h`); `end`
 * defaults to now. `now` is cut to the whole second. Half-open `[start, end)`, at most 366 days.
 */
export function parseTimeRange(time: unknown, now: number): TimeRange {
  if (time === undefined || time === null) {
    throw new ActionError('MISSING_PARAMETERS', 'Missing time in the body');
  }
  if (typeof time !== 'object' || Array.isArray(time)) {
    throw wrong('time must be an object {"start": …, "end": …}');
  }
  const { start, end } = time as Record<string, unknown>;
  if (start === undefined || start === '') {
    throw new ActionError('MISSING_PARAMETERS', 'Missing time.start in the body');
  }
  const second = Math.floor(now / 1000) * 1000;
  const from = instantOf(start, 'start', second);
  const to = end === undefined || end === null || end === '' ? second : instantOf(end, 'end', second);
  if (from >= to) throw wrong('time.start must be before time.end');
  if (to - from > MAX_RANGE_DAYS * 86_400_000) {
    throw wrong(`time: the range may span at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to };
}

/** tsdbQueryAuto: the finest interval with at most {@link AUTO_MAX_BUCKETS} buckets in the range (1D at most). */
export function autoInterval(range: TimeRange): string {
  const entries = Object.entries(TSDB_INTERVALS);
  const fit = entries.find(
    ([, seconds]) => Math.ceil((range.to - range.from) / (seconds * 1000)) <= AUTO_MAX_BUCKETS,
  );
  return (fit ?? entries[entries.length - 1]!)[0];
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    throw wrong(`${key} must be a list of strings`);
  }
  return value as string[];
}

function aggregationOf(value: string, key: string): Aggregation {
  const name = value.toLowerCase() === 'mean' ? 'avg' : value.toLowerCase();
  if (!(AGGREGATIONS as readonly string[]).includes(name)) {
    throw wrong(`${key}: ${value} is not one of ${AGGREGATIONS.join(', ')}`);
  }
  return name as Aggregation;
}

function tagColumn(value: string, key: string): TagColumn {
  const upper = value.toUpperCase();
  if (!(TAG_COLUMNS as readonly string[]).includes(upper)) {
    throw wrong(
      `${key}: ${value} is not a tag (l0class = building, l1class = zone/installation, l2class = device)`,
    );
  }
  return upper as TagColumn;
}

function parseFilters(value: unknown): Partial<Record<TagColumn, string[]>> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) throw wrong('filter must be a list of {"tagk": …, "tagv": …}');
  const filters: Partial<Record<TagColumn, string[]>> = {};
  for (const item of value) {
    const { tagk, tagv } = (item ?? {}) as Record<string, unknown>;
    if (
      typeof item !== 'object' ||
      typeof tagk !== 'string' ||
      typeof tagv !== 'string' ||
      tagv === '' ||
      tagv.length > 128
    ) {
      throw wrong('filter entries must be {"tagk": "l1class", "tagv": "<id>"}');
    }
    const tag = tagColumn(tagk, 'filter.tagk');
    filters[tag] = [...new Set([...(filters[tag] ?? []), tagv])];
    if (filters[tag]!.length > 100) throw wrong(`filter: at most 100 values of ${tagk}`);
  }
  return filters;
}

function parsePostQueryOps(value: unknown): { groupBy?: TagColumn[]; sumOverGroup: boolean } {
  if (value === undefined || value === null) return { sumOverGroup: false };
  if (!Array.isArray(value)) throw wrong('postQueryOps must be a list of {"type", "op", "args"}');
  let groupBy: TagColumn[] | undefined;
  let sumOverGroup = false;
  for (const item of value) {
    const { type, op, args } = (item ?? {}) as Record<string, unknown>;
    const kind = typeof type === 'string' ? type.toLowerCase().replace(/[\s_-]/g, '') : '';
    if (kind === 'groupby') {
      if (!Array.isArray(args)) {
        throw wrong('postQueryOps: a group by needs args [{"key": …, "value": ["L1CLASS", …]}]');
      }
      const columns = args.flatMap((arg) => {
        const listed = (arg ?? {}) as Record<string, unknown>;
        return stringList(
          Array.isArray(listed['value']) ? listed['value'] : [listed['value']],
          'postQueryOps args value',
        );
      });
      if (columns.length === 0) throw wrong('postQueryOps: a group by needs at least one column');
      const tags = columns
        .filter((column) => column !== '_field')
        .map((column) => tagColumn(column, 'postQueryOps group by'));
      groupBy = [...new Set([...(groupBy ?? []), ...tags])].sort();
    } else if (kind === 'aggregation') {
      if (typeof op !== 'string' || op.toLowerCase() !== 'sum') {
        throw wrong('postQueryOps: the only aggregation op is sum');
      }
      sumOverGroup = true;
    } else {
      throw wrong('postQueryOps: type must be "group by" or "aggregation"');
    }
  }
  return { groupBy, sumOverGroup };
}

function parseResampling(value: unknown, intervalSeconds: number): TsdbQuery['resample'] {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw wrong('resamplingParams must be {"duration": …, "fn": …}');
  }
  const { duration, fn } = value as Record<string, unknown>;
  if (duration === undefined && fn === undefined) return undefined;
  if (typeof duration !== 'string' || !Object.hasOwn(TSDB_INTERVALS, duration)) {
    throw wrong(`resamplingParams.duration must be one of ${Object.keys(TSDB_INTERVALS).join(', ')}`);
  }
  const seconds = TSDB_INTERVALS[duration]!;
  if (seconds < intervalSeconds || seconds % intervalSeconds !== 0) {
    throw wrong(
      'resamplingParams.duration must be a multiple of the aggregation interval (coarser re-bucketing)',
    );
  }
  if (typeof fn !== 'string') throw wrong(`resamplingParams.fn must be one of ${AGGREGATIONS.join(', ')}`);
  return { duration, seconds, fn: aggregationOf(fn, 'resamplingParams.fn') };
}

/** Parses and checks a tsdbQuery (`auto`: tsdbQueryAuto, interval from the range) body; `now` in epoch ms. */
export function parseTsdbQuery(body: Record<string, unknown>, now: number, auto: boolean): TsdbQuery {
  const range = parseTimeRange(body['time'], now);

  if (body['metrics'] === undefined) {
    throw new ActionError('MISSING_PARAMETERS', 'Missing metrics in the body');
  }
  const names = [...new Set(stringList(body['metrics'], 'metrics'))];
  if (names.length === 0) throw new ActionError('MISSING_PARAMETERS', 'metrics is empty');
  if (names.length > MAX_METRICS) {
    throw new ActionError('LIMIT_VIOLATED', `at most ${MAX_METRICS} metrics per query`);
  }
  const metrics = names.map(parseMetricName);

  if (body['aggregations'] === undefined) {
    throw new ActionError('MISSING_PARAMETERS', 'Missing aggregations in the body');
  }
  const aggregations = [
    ...new Set(stringList(body['aggregations'], 'aggregations').map((a) => aggregationOf(a, 'aggregations'))),
  ];
  if (aggregations.length === 0) throw new ActionError('MISSING_PARAMETERS', 'aggregations is empty');

  let interval: string;
  if (auto) {
    interval = autoInterval(range); // an aggregationInterval sent anyway is ignored
  } else {
    const given = body['aggregationInterval'];
    if (given === undefined || given === '') {
      throw new ActionError('MISSING_PARAMETERS', 'Missing aggregationInterval in the body');
    }
    if (typeof given !== 'string' || !Object.hasOwn(TSDB_INTERVALS, given)) {
      throw wrong(`aggregationInterval must be one of ${Object.keys(TSDB_INTERVALS).join(', ')}`);
    }
    interval = given;
  }
  const intervalSeconds = TSDB_INTERVALS[interval]!;
  const buckets = Math.ceil((range.to - range.from) / (intervalSeconds * 1000));
  if (buckets > MAX_BUCKETS) {
    throw new ActionError(
      'LIMIT_VIOLATED',
      `aggregationInterval ${interval} cuts the range into ${buckets} buckets, at most ${MAX_BUCKETS}: use a coarser interval or a shorter range`,
    );
  }

  const post = parsePostQueryOps(body['postQueryOps']);
  return {
    ...range,
    metrics,
    aggregations,
    interval,
    intervalSeconds,
    filters: parseFilters(body['filter']),
    groupBy: post.groupBy ?? (post.sumOverGroup ? [] : [...TAG_COLUMNS]),
    sumOverGroup: post.sumOverGroup,
    resample: parseResampling(body['resamplingParams'], intervalSeconds),
  };
}
