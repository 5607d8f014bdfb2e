import { ActionError } from '../actions/action-error';

/** Records of one `getEventLogs` page (the request has no page size: a page holds at most this many). */
export const EVENT_LOG_PAGE_SIZE = 500;
/** The most records `getNLatestEventLogs` answers. */
export const MAX_LATEST = 1000;
/** The longest `Start`–`End` range, in seconds (one year). */
export const MAX_RANGE_SECONDS = 366 * 24 * 3600;

export interface EventLogRange {
  principal: string;
  module: string;
  /** Unix seconds (fractions allowed: REST sends milliseconds), both inclusive unless `endExclusive`. */
  start: number;
  end: number;
  /** `[start, end)` (REST v1) instead of `[start, end]` (the op). */
  endExclusive?: boolean;
  after?: EventLogKey;
  /** Records per page; default EVENT_LOG_PAGE_SIZE. */
  limit?: number;
}

export interface EventLogLatest {
  principal: string;
  module: string;
  n: number;
}

/** Where a page ended: the last record's event time (ISO, microseconds) and row key. */
export interface EventLogKey {
  at: string;
  msgId: string;
}

const wrong = (message: string) => new ActionError('WRONG_PARAMETERS', message);

/** The body's keys in any case (`Principal`, `principal`, `PRINCIPAL`); two spellings of one key are refused. */
function caseless(body: Record<string, unknown>): Map<string, unknown> {
  const keys = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (keys.has(lower)) throw wrong(`${key}: given twice in different cases`);
    keys.set(lower, value);
  }
  return keys;
}

function id(keys: Map<string, unknown>, name: string): string {
  const value = keys.get(name.toLowerCase());
  if (value === undefined || value === null || value === '') {
    throw new ActionError('MISSING_PARAMETERS', `Missing ${name} in the body`);
  }
  if (typeof value !== 'string' || value.length > 200 || !/^[\x21-\x7e]+$/.test(value)) {
    throw wrong(`${name}: must be an id (1–200 printable ASCII characters)`);
  }
  return value;
}

function seconds(keys: Map<string, unknown>, name: string): number {
  const value = keys.get(name.toLowerCase());
  if (value === undefined || value === null || value === '') {
    throw new ActionError('MISSING_PARAMETERS', `Missing ${name} in the body`);
  }
  const n = typeof value === 'string' && /^\d{1,11}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > 253_402_300_799) {
    throw wrong(`${name}: must be unix seconds, e.g. "1610013100"`);
  }
  return n;
}

const KEY_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export const encodeEventLogKey = (key: EventLogKey) =>
  Buffer.from(`${key.at}|${key.msgId}`, 'utf8').toString('base64url');

/** A `LastKey` this API returned, or a WRONG_PARAMETERS naming it. */
export function decodeEventLogKey(value: unknown, name = 'LastKey'): EventLogKey {
  const text =
    typeof value === 'string' && /^[A-Za-z0-9_-]{1,1500}$/.test(value)
      ? Buffer.from(value, 'base64url').toString('utf8')
      : '';
  const bar = text.indexOf('|');
  const key = { at: text.slice(0, bar), msgId: text.slice(bar + 1) };
  if (bar < 0 || !KEY_AT.test(key.at) || key.msgId.length === 0 || key.msgId.length > 1000) {
    throw wrong(`${name}: is not one this API returned`);
  }
  return key;
}

/** `scmetrics.getEventLogs`' body (`Principal, Module, Start, End, LastKey`). */
export function parseEventLogRange(body: Record<string, unknown>): EventLogRange {
  const keys = caseless(body);
  const principal = id(keys, 'Principal');
  const module = id(keys, 'Module');
  const start = seconds(keys, 'Start');
  const end = seconds(keys, 'End');
  if (end < start) throw wrong('End: must not be before Start');
  if (end - start > MAX_RANGE_SECONDS) {
    throw new ActionError('LIMIT_VIOLATED', `End: at most ${MAX_RANGE_SECONDS} s (366 days) after Start`);
  }
  const last = keys.get('lastkey');
  const after = last === undefined || last === null || last === '' ? undefined : decodeEventLogKey(last);
  return { principal, module, start, end, ...(after ? { after } : {}) };
}

/** `scmetrics.getNLatestEventLogs`' body (`Principal, Module, N`). */
export function parseEventLogLatest(body: Record<string, unknown>): EventLogLatest {
  const keys = caseless(body);
  const principal = id(keys, 'Principal');
  const module = id(keys, 'Module');
  const raw = keys.get('n');
  if (raw === undefined || raw === null || raw === '') {
    throw new ActionError('MISSING_PARAMETERS', 'Missing N in the body');
  }
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LATEST) {
    throw wrong(`N: must be an integer from 1 to ${MAX_LATEST}`);
  }
  return { principal, module, n };
}
