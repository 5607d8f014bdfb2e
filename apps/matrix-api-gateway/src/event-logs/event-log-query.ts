import { ActionError } from '../actions/action-error';
import { parseInstant } from '../instant';
import { RegistryError } from '../registry/registry-error';
import { decodeEventLogKey, MAX_RANGE_SECONDS, type EventLogKey } from './event-log-inputs';

/*
 * REST v1 event-log query parameters (`GET /v1/buildings/{pid}/events`, `…/events/latest` and the
 * property routes): checked here, every problem named (`from: is required`); unknown parameters are
 * refused so a typo never silently widens a query.
 */

/** `?limit=` of both routes: 1–1,000, default 100. */
export const EVENT_PAGE = { default: 100, max: 1000 };

/** Every problem of a query, thrown at once as one 400. */
class Problems {
  readonly list: string[] = [];
  add(problem: string): undefined {
    this.list.push(problem);
    return undefined;
  }
  throwIfAny(what: string): void {
    if (this.list.length > 0) throw new RegistryError('INVALID', `the ${what} is not valid`, this.list);
  }
}

export interface EventRangeQuery {
  module: string;
  /** Epoch milliseconds: `[from, to)`. */
  from: number;
  to: number;
  after?: EventLogKey;
  limit: number;
}

export interface EventLatestQuery {
  module: string;
  limit: number;
}

function known(raw: Record<string, unknown>, names: readonly string[], problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (!names.includes(key)) {
      problems.add(`${key}: is not a known query parameter (known: ${names.join(', ')})`);
    }
  }
}

/** A parameter given once (a repeated one is a problem); '' is absent. */
function one(raw: Record<string, unknown>, key: string, problems: Problems): string | undefined {
  const value = raw[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return problems.add(`${key}: must be given once`);
  return value;
}

function moduleParam(raw: Record<string, unknown>, problems: Problems): string | undefined {
  const module = one(raw, 'module', problems);
  if (module === undefined) {
    if (raw['module'] === undefined || raw['module'] === '') {
      problems.add('module: is required (e.g. sctasks, scgrids, scincidents)');
    }
    return undefined;
  }
  if (module.length > 200 || !/^[\x21-\x7e]+$/.test(module)) {
    return problems.add('module: must be a module name (1–200 printable ASCII characters)');
  }
  return module;
}

function time(raw: Record<string, unknown>, key: 'from' | 'to', problems: Problems): number | undefined {
  const value = one(raw, key, problems);
  if (value === undefined) {
    if (raw[key] === undefined || raw[key] === '') problems.add(`${key}: is required`);
    return undefined;
  }
  const at = parseInstant(value);
  if (at === undefined) {
    return problems.add(`${key}: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z`);
  }
  return at;
}

function limitParam(raw: Record<string, unknown>, problems: Problems): number {
  const text = one(raw, 'limit', problems);
  if (text === undefined) return EVENT_PAGE.default;
  const limit = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= EVENT_PAGE.max)) {
    problems.add(`limit: must be a whole number from 1 to ${EVENT_PAGE.max}`);
  }
  return limit;
}

/** `?module=&from=&to=&cursor=&limit=`: a page of the events in `[from, to)` (at most 366 days). */
export function parseEventRangeQuery(raw: Record<string, unknown>): EventRangeQuery {
  const problems = new Problems();
  known(raw, ['module', 'from', 'to', 'cursor', 'limit'], problems);
  const module = moduleParam(raw, problems);
  const from = time(raw, 'from', problems);
  const to = time(raw, 'to', problems);
  if (from !== undefined && to !== undefined) {
    if (to <= from) problems.add('to: must be after from');
    else if (to - from > MAX_RANGE_SECONDS * 1000) problems.add('to: at most 366 days after from');
  }
  const cursor = one(raw, 'cursor', problems);
  let after: EventLogKey | undefined;
  if (cursor !== undefined) {
    try {
      after = decodeEventLogKey(cursor, 'cursor');
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      problems.add('cursor: is not one this API returned (pass a nextCursor unchanged)');
    }
  }
  const limit = limitParam(raw, problems);
  problems.throwIfAny('query');
  return { module: module!, from: from!, to: to!, limit, ...(after ? { after } : {}) };
}

/** `?module=&limit=`: the `limit` latest events. */
export function parseEventLatestQuery(raw: Record<string, unknown>): EventLatestQuery {
  const problems = new Problems();
  known(raw, ['module', 'limit'], problems);
  const module = moduleParam(raw, problems);
  const limit = limitParam(raw, problems);
  problems.throwIfAny('query');
  return { module: module!, limit };
}
