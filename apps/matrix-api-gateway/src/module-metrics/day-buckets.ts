import { localTimeFields } from '@matrix/contracts';
import { ActionError } from '../actions/action-error';
import { MAX_DAYS, type Day, type DayBound } from './module-metrics-inputs';

/** One bucket of a `moduleTSDB` series: a local day and its counts by key. */
export interface DayBucket {
  Bucket: string;
  Data: Record<string, number>;
}

/** A count of the SQL answer: local day `YYYYMMDD`, key suffix (slot type), count. */
export interface DayCount {
  day: string;
  type: string;
  count: number;
}

const DAY_MS = 86_400_000;

export const dayKey = (d: Day) =>
  `${String(d.year).padStart(4, '0')}${String(d.month).padStart(2, '0')}${String(d.day).padStart(2, '0')}`;

/** `2021-01-05` of a day, as PostgreSQL reads a date. */
export const isoDate = (d: Day) => `${dayKey(d).slice(0, 4)}-${dayKey(d).slice(4, 6)}-${dayKey(d).slice(6)}`;

function dayOf(bound: DayBound, timeZone: string): Day {
  if (bound.kind === 'day') return bound.day;
  const t = localTimeFields(bound.epochSeconds * 1000, timeZone).t; // YYYYMMDDhhmmss
  return { year: Number(t.slice(0, 4)), month: Number(t.slice(4, 6)), day: Number(t.slice(6, 8)) };
}

const epochDay = (d: Day) => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;

/**
 * The local days from Start to End, both included (the documented example `Start 20210105, End 20210106`
 * answers both days); unix seconds are the local day of that instant in `timeZone`. WRONG_PARAMETERS when
 * End is before Start, LIMIT_VIOLATED past {@link MAX_DAYS} days. `at` prefixes the field names (`[1].`).
 */
export function dayRange(
  start: DayBound,
  end: DayBound,
  timeZone: string,
  at = '',
): { first: Day; last: Day; days: string[] } {
  const first = dayOf(start, timeZone);
  const last = dayOf(end, timeZone);
  const count = epochDay(last) - epochDay(first) + 1;
  if (count < 1) {
    throw new ActionError(
      'WRONG_PARAMETERS',
      `${at}End: ${dayKey(last)} is before ${at}Start ${dayKey(first)}`,
    );
  }
  if (count > MAX_DAYS) {
    throw new ActionError(
      'LIMIT_VIOLATED',
      `${at}Start–${at}End: ${count} days, at most ${MAX_DAYS}: ask for a shorter range`,
    );
  }
  const days = Array.from({ length: count }, (_, i) => {
    const date = new Date((epochDay(first) + i) * DAY_MS);
    return dayKey({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
  });
  return { first, last, days };
}

/**
 * The series of `VCS_WO_DAILY_COUNT_BY_TYPE`: one bucket per day in order, `Data` keyed
 * `WorkOrderCount:<type>` (keys sorted, as in the documented examples); a day without work orders is
 * `{"Bucket": …, "Data": {}}`, or left out with `hideEmpty`.
 */
export function dayBuckets(
  days: readonly string[],
  counts: readonly DayCount[],
  hideEmpty: boolean,
): DayBucket[] {
  const byDay = new Map<string, Record<string, number>>();
  for (const { day, type, count } of counts) {
    const data = byDay.get(day) ?? {};
    data[`WorkOrderCount:${type}`] = (data[`WorkOrderCount:${type}`] ?? 0) + count;
    byDay.set(day, data);
  }
  return days
    .map((day) => {
      const data = byDay.get(day) ?? {};
      return {
        Bucket: day,
        Data: Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      };
    })
    .filter((bucket) => !hideEmpty || Object.keys(bucket.Data).length > 0);
}
