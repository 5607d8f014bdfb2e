import { localTimeFields } from '@matrix/contracts';
import { ActionError } from '../actions/action-error';
import { CaselessBody } from '../actions/caseless-body';

/*
 * The catalogue of named queries of `scmetrics.executeNamedQuery` and `scmetrics.tsdbNamedQuery`
 * (reference §4.5, Appendix A): queries kept in code under an id, run with the caller's `params`. The
 * documented ids come first; docs/api.md lists the catalogue.
 */

const wrong = (message: string) => new ActionError('WRONG_PARAMETERS', message);

export type NamedQueryType = 'ml' | 'tsdb';

/** A named query call as sent: `{id, params: [{key, value}], qcontext, qtype}`. */
export interface NamedQueryCall {
  id: string;
  params: ReadonlyMap<string, string>;
  qcontext?: string;
  qtype?: string;
}

export interface NamedQueryEntry {
  /** The `qtype` it answers as; `tsdbNamedQuery` serves only `tsdb` entries. */
  qtype: NamedQueryType;
  /** The params it reads (others, e.g. the documented `expid`, are ignored). */
  params: readonly string[];
  /** One line for docs/api.md. */
  description: string;
}

export const PEOPLE_BY_ZONE_FOR_HOUR = 'total_people_count_by_location_by_hour_for_dom_v2';
export const PEOPLE_COUNT_SUM_30T = 'pc_count_sum_30t_nh_tsdb';

export const NAMED_QUERIES: Readonly<Record<string, NamedQueryEntry>> = {
  [PEOPLE_BY_ZONE_FOR_HOUR]: {
    qtype: 'ml',
    params: ['$month', '$dom', '$hour'],
    description:
      'people counted per zone of the building in one local hour of a day of the month (the latest such day not after today)',
  },
  [PEOPLE_COUNT_SUM_30T]: {
    qtype: 'tsdb',
    params: ['$start', '$end'],
    description:
      'people-counter counts of the building summed per zone in 30-minute buckets from $start to $end',
  },
};

const KEY = /^[$A-Za-z0-9_.-]{1,64}$/;

/** Parses `{id, params, qcontext?, qtype?}`; an unknown id is WRONG_PARAMETERS naming it and the catalogue. */
export function parseNamedQuery(raw: Record<string, unknown>): NamedQueryCall & { entry: NamedQueryEntry } {
  const body = new CaselessBody(raw);
  const id = body.text('id', true);
  const entry = Object.hasOwn(NAMED_QUERIES, id) ? NAMED_QUERIES[id] : undefined;
  if (!entry) {
    throw wrong(
      `id: ${JSON.stringify(id)} is not a named query here; the catalogue: ${Object.keys(NAMED_QUERIES).join(', ')}`,
    );
  }
  const list = body.get('params') ?? [];
  if (!Array.isArray(list)) throw wrong('params: must be a list of {"key": …, "value": …}');
  const params = new Map<string, string>();
  list.forEach((item: unknown, i) => {
    const { key, value } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw wrong(`params[${i}].key: must be a name such as $start`);
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw wrong(`params[${i}].value: must be a string (or a number)`);
    }
    if (params.has(key)) throw wrong(`params[${i}].key: ${key} is given twice`);
    params.set(key, String(value));
  });
  const qcontext = body.text('qcontext');
  const qtype = body.text('qtype');
  if (qtype !== undefined && qtype !== entry.qtype) {
    throw wrong(`qtype: ${id} is a ${entry.qtype} query, not ${qtype}`);
  }
  return { id, params, qcontext, qtype, entry };
}

function part(
  params: ReadonlyMap<string, string>,
  key: string,
  fallback: string,
  min: number,
  max: number,
  what: string,
): string {
  const value = params.get(key);
  if (value === undefined || value === 'default' || value === '') return fallback;
  if (!/^\d{1,2}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw wrong(`params ${key}: ${JSON.stringify(value)} is not ${what} (${min}–${max}) or "default"`);
  }
  return value.padStart(2, '0');
}

const isDay = (year: number, month: number, dom: number) => {
  const d = new Date(Date.UTC(year, month - 1, dom));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === dom;
};

/**
 * `$month`, `$dom`, `$hour` of {@link PEOPLE_BY_ZONE_FOR_HOUR}: each `default` (or absent) is now's in the
 * building's time zone. The day is the latest with that month and day of the month not after today
 * (this year, else an earlier one: 29 February goes back to a leap year). Answers the hour's local start,
 * `YYYY-MM-DD HH:00:00`, and the resolved values.
 */
export function resolveHour(
  params: ReadonlyMap<string, string>,
  now: number,
  timeZone: string,
): { localHour: string; resolved: Record<string, string> } {
  const today = localTimeFields(now, timeZone);
  const month = part(params, '$month', today.month, 1, 12, 'a month');
  const dom = part(params, '$dom', today.dom, 1, 31, 'a day of the month');
  const hour = part(params, '$hour', today.hour, 0, 23, 'an hour');
  let year = Number(today.t.slice(0, 4));
  if (`${month}${dom}` > `${today.month}${today.dom}`) year -= 1;
  let tries = 0;
  while (!isDay(year, Number(month), Number(dom))) {
    year -= 1;
    if (++tries > 8) throw wrong(`params $month/$dom: ${month}-${dom} is not a calendar day`);
  }
  return {
    localHour: `${year}-${month}-${dom} ${hour}:00:00`,
    resolved: { $month: month, $dom: dom, $hour: hour },
  };
}

/**
 * `$start` / `$end` of {@link PEOPLE_COUNT_SUM_30T} as tsdbQuery's `time` (`$start` defaults to `-24h`,
 * `$end` to now); tsdbQuery checks them, and {@link paramError} names the param in its error.
 */
export function tsdbTime(params: ReadonlyMap<string, string>): { start: string; end?: string } {
  const start = params.get('$start');
  const end = params.get('$end');
  return {
    start: start === undefined || start === 'default' ? '-24h' : start,
    ...(end === undefined || end === 'default' ? {} : { end }),
  };
}

/** tsdbQuery's error about `time` reworded to name the param the caller sent (`params $start …`). */
export function paramError(error: unknown): unknown {
  if (!(error instanceof ActionError) || !/^time\b/.test(error.message)) return error;
  const message = error.message
    .replace(/^time\.start/, 'params $start')
    .replace(/^time\.end/, 'params $end')
    .replace(/^time:/, 'params $start–$end:')
    .replace(/time\.end/g, '$end');
  return new ActionError(error.code, message, undefined, { cause: error });
}
