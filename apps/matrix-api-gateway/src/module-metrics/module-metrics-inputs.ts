import { ActionError } from '../actions/action-error';
import { CaselessBody } from '../actions/caseless-body';

/*
 * The bodies of the `scmetrics` module-metrics ops (reference §4.5, Appendix A), parsed and checked. Keys
 * are read in any case (`Principal` or Jackson's `principal`); `null` is an absent field. Decisions where the
 * reference is silent are listed in docs/api.md ("Module metrics and named queries").
 */

export const BUILDING_METRICS = 'BUILDING_METRICS';
export const WORK_ORDER_DAILY_COUNT = 'VCS_WO_DAILY_COUNT_BY_TYPE';
/** The most principals one batch-principals call may name. */
export const MAX_PRINCIPALS = 100;
/** The most requests one getModuleTSMetricsBatch call may hold. */
export const MAX_BATCH_REQUESTS = 20;
/** The most local days one time-series request may span (Start and End included). */
export const MAX_DAYS = 366;

const wrong = (message: string) => new ActionError('WRONG_PARAMETERS', message);
const missing = (message: string) => new ActionError('MISSING_PARAMETERS', message);

/** A calendar day as the buckets name it (`20210105`). */
export interface Day {
  year: number;
  month: number;
  day: number;
}

/** Start or End: a day as given, or an instant (unix seconds) whose local day is taken later. */
export type DayBound = { kind: 'day'; day: Day } | { kind: 'instant'; epochSeconds: number };

export interface ModuleMetricsQuery {
  principals: string[];
}

export interface TimeSeriesQuery {
  principal: string;
  start: DayBound;
  end: DayBound;
  hideEmptyBuckets: boolean;
}

const PRINCIPAL = /^[A-Za-z0-9_.:-]{1,128}$/;

function principalOf(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PRINCIPAL.test(value)) {
    throw wrong(`${field}: must be a building, property or zone id (a string of letters, digits, _ . : -)`);
  }
  return value;
}

/** NS: required, and the op's one namespace; another names itself in the error. */
function checkNamespace(body: CaselessBody, expected: string, at: string): void {
  const ns = body.get('NS');
  if (ns === undefined || ns === '') throw missing(`Missing ${at}NS in the body`);
  if (typeof ns !== 'string') throw wrong(`${at}NS: must be a string`);
  if (ns !== expected) {
    throw wrong(`${at}NS: ${JSON.stringify(ns)} is not a namespace of this op; it serves ${expected}`);
  }
}

/** `{Principal, NS}` of getModuleMetrics. */
export function parseModuleMetrics(raw: Record<string, unknown>): ModuleMetricsQuery {
  const body = new CaselessBody(raw);
  const principal = body.get('Principal');
  if (principal === undefined || principal === '') throw missing('Missing Principal in the body');
  checkNamespace(body, BUILDING_METRICS, '');
  return { principals: [principalOf(principal, 'Principal')] };
}

function principalList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw wrong(`${field}: must be a list of ids`);
  if (value.length === 0) throw missing(`${field} is empty`);
  if (value.length > MAX_PRINCIPALS) {
    throw new ActionError('LIMIT_VIOLATED', `${field}: at most ${MAX_PRINCIPALS} principals per call`);
  }
  return value.map((item, i) => principalOf(item, `${field}[${i}]`));
}

/** `{Principal: [...], NS}` of getModuleMetricsBatchPrincipals (`Principals` is read too). */
export function parseModuleMetricsBatch(raw: Record<string, unknown>): ModuleMetricsQuery {
  const body = new CaselessBody(raw);
  const field = body.get('Principal') !== undefined ? 'Principal' : 'Principals';
  const list = body.get(field);
  if (list === undefined) throw missing('Missing Principal in the body');
  if (body.get('Principal') !== undefined && body.get('Principals') !== undefined) {
    throw wrong('Principal: given twice, also as Principals');
  }
  checkNamespace(body, BUILDING_METRICS, '');
  return { principals: principalList(list, field) };
}

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Start / End: `YYYYMMDD` (the documented examples; a string or a number) or unix seconds (the documented
 * field description; 9–11 digits, a string or a number). Eight digits are always a day.
 */
export function parseDayBound(value: unknown, field: string): DayBound {
  if (value === undefined || value === '') throw missing(`Missing ${field} in the body`);
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{8,11}$/.test(text)) {
    throw wrong(`${field}: must be a day YYYYMMDD (20210105) or unix seconds (1609804800)`);
  }
  if (text.length === 8) {
    const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6))];
    if (year < 1970 || !validDay(year, month, day)) throw wrong(`${field}: ${text} is not a calendar day`);
    return { kind: 'day', day: { year, month, day } };
  }
  return { kind: 'instant', epochSeconds: Number(text) };
}

function flag(body: CaselessBody, field: string, at: string): boolean {
  const value = body.get(field);
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw wrong(`${at}${field}: must be true or false`);
  return value;
}

function timeSeriesFields(
  raw: unknown,
  at: string,
): Omit<TimeSeriesQuery, 'principal'> & { body: CaselessBody } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw wrong(`${at || 'the body'}: must be an object {"Principal", "NS", "Start", "End"}`);
  }
  const body = new CaselessBody(raw as Record<string, unknown>);
  checkNamespace(body, WORK_ORDER_DAILY_COUNT, at);
  return {
    body,
    start: parseDayBound(body.get('Start'), `${at}Start`),
    end: parseDayBound(body.get('End'), `${at}End`),
    hideEmptyBuckets: flag(body, 'HideEmptyBuckets', at),
  };
}

function singlePrincipal(body: CaselessBody, at: string): string {
  const principal = body.get('Principal');
  if (principal === undefined || principal === '') throw missing(`Missing ${at}Principal in the body`);
  return principalOf(principal, `${at}Principal`);
}

/** `{Principal, NS, Start, End, HideEmptyBuckets?}` of getModuleTSMetrics. */
export function parseTimeSeries(raw: Record<string, unknown>): TimeSeriesQuery {
  const { body, ...fields } = timeSeriesFields(raw, '');
  return { principal: singlePrincipal(body, ''), ...fields };
}

/** getModuleTSMetricsBatch: a list of getModuleTSMetrics bodies (fields named `[i].Start` in errors). */
export function parseTimeSeriesBatch(list: unknown[] | undefined): TimeSeriesQuery[] {
  if (list === undefined) {
    throw wrong('the body must be a list of {"Principal", "NS", "Start", "End", "HideEmptyBuckets"}');
  }
  if (list.length === 0) throw missing('the list of requests is empty');
  if (list.length > MAX_BATCH_REQUESTS) {
    throw new ActionError('LIMIT_VIOLATED', `at most ${MAX_BATCH_REQUESTS} requests per batch`);
  }
  return list.map((item, i) => {
    const at = `[${i}].`;
    const { body, ...fields } = timeSeriesFields(item, at);
    return { principal: singlePrincipal(body, at), ...fields };
  });
}

/** getModuleTSMetricsBatchPrincipals: `{Principals: [...], NS, Start, End, HideEmptyBuckets?}`. */
export function parseTimeSeriesPrincipals(raw: Record<string, unknown>): {
  principals: string[];
  query: Omit<TimeSeriesQuery, 'principal'>;
} {
  const { body, ...query } = timeSeriesFields(raw, '');
  const field = body.get('Principals') !== undefined ? 'Principals' : 'Principal';
  const list = body.get(field);
  if (list === undefined) throw missing('Missing Principals in the body');
  if (body.get('Principal') !== undefined && body.get('Principals') !== undefined) {
    throw wrong('Principals: given twice, also as Principal');
  }
  return { principals: principalList(list, field), query };
}
