/** Queries over `matrix.sensor_data` as the application service takes them (parsed and checked). */

/** Which points: all of a building, narrowed by zones, devices and a slot type. */
export interface SensorDataFilter {
  /** Zone (installation) ids, `InsID` / column `insid`; any of them. */
  zones?: string[];
  /** Device slot alias ids, `DEVID` / column `devid`; any of them. */
  devices?: string[];
  /** `Provider#SlotType` exactly (`SMARTCLEAN#PPLCTR`), or a bare slot type (`PPLCTR`) of any provider. */
  type?: string;
}

/** Half-open `[from, to)` in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

export interface ListQuery extends SensorDataFilter, TimeRange {
  pid: string;
  cursor?: string;
  limit: number;
}

export type Aggregation = 'sum' | 'avg' | 'min' | 'max' | 'count';
export const AGGREGATIONS: readonly Aggregation[] = ['sum', 'avg', 'min', 'max', 'count'];

/**
 * How points fall into buckets. `fixed`: exact durations aligned to the Unix epoch (UTC), so every
 * bucket is as long as its interval, also across daylight-saving changes. `calendar`: local days,
 * ISO weeks (Monday) or months in an IANA zone, so a day is 23 or 25 hours long across a change.
 */
export type Bucketing =
  { kind: 'fixed'; seconds: number } | { kind: 'calendar'; unit: 'day' | 'week' | 'month'; tz: string };

export type GroupColumn = 'insid' | 'devid';

export interface StatsQuery extends SensorDataFilter, TimeRange {
  pid: string;
  /** A numeric field of `v`; bound as a parameter. */
  field: string;
  bucketing: Bucketing;
  /** Columns to group by besides the bucket. */
  groupBy: GroupColumn[];
  /** The most (bucket × group) rows the answer may have; more is a LIMIT_VIOLATED error. */
  maxRows: number;
}

/** Sum, count, min and max of a field's numeric values in one bucket (and group): enough for every aggregation. */
export interface BucketStats {
  /** Bucket start and end, epoch milliseconds. */
  start: number;
  end: number;
  /** Values of the grouped-by columns. */
  group: Partial<Record<GroupColumn, string>>;
  sum: number;
  count: number;
  min: number;
  max: number;
}

export function aggregate(
  stats: Pick<BucketStats, 'sum' | 'count' | 'min' | 'max'>,
  agg: Aggregation,
): number {
  switch (agg) {
    case 'sum':
      return stats.sum;
    case 'avg':
      return stats.sum / stats.count;
    case 'min':
      return stats.min;
    case 'max':
      return stats.max;
    case 'count':
      return stats.count;
  }
}

/** A point in the documented general data format (reference §3.2), as sql-projector stored it. */
export type GeneralFormatPoint = Record<string, unknown>;
