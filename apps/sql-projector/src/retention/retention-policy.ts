/** One partition of a range-partitioned table: its qualified name and where its range ends (exclusive). */
export interface PartitionRange {
  /** `schema.table`, quoted where needed (PostgreSQL's `format('%I.%I')`). */
  readonly name: string;
  /** The range's upper bound; undefined for a DEFAULT partition or one up to MAXVALUE (never dropped). */
  readonly upper?: Date;
}

/** The tables retention keeps short, and how: whole monthly partitions, or the rollup's rows by bucket. */
export const RETENTION_TABLES = {
  sensorData: 'matrix.sensor_data',
  events: 'matrix.events',
  sensorData15m: 'matrix.sensor_data_15m',
} as const;

export type RetentionTable = (typeof RETENTION_TABLES)[keyof typeof RETENTION_TABLES];

const DAY_MS = 86_400_000;

/** Length of a bucket of `matrix.sensor_data_15m`. */
export const BUCKET_MS = 15 * 60_000;

/** The instant before which a table's data is past its retention; undefined when it keeps everything (0 days). */
export function retentionCutoff(now: Date, days: number): Date | undefined {
  return days > 0 ? new Date(now.getTime() - days * DAY_MS) : undefined;
}

/**
 * The partitions to drop: those whose whole range is older than `cutoff` (its end at or before it), oldest
 * first. The partition holding the cutoff, newer ones, and a DEFAULT or MAXVALUE partition are kept.
 */
export function partitionsPastRetention(
  partitions: readonly PartitionRange[],
  cutoff: Date | undefined,
): PartitionRange[] {
  if (cutoff === undefined) return [];
  return partitions
    .filter((p) => p.upper !== undefined && p.upper.getTime() <= cutoff.getTime())
    .sort((a, b) => a.upper!.getTime() - b.upper!.getTime());
}

/**
 * The newest bucket start of `matrix.sensor_data_15m` that is wholly older than `cutoff` (its quarter hour
 * ends at or before it): retention deletes the buckets at or before it. Undefined: keep everything.
 */
export function lastExpiredBucket(cutoff: Date | undefined): Date | undefined {
  return cutoff === undefined ? undefined : new Date(cutoff.getTime() - BUCKET_MS);
}
