/** The partitioned table whose closed partitions the compaction job reindexes. */
export const COMPACTED_TABLE = 'matrix.sensor_data';

/** One partition of {@link COMPACTED_TABLE} as the catalog describes it, and whether it was compacted. */
export interface CompactionCandidate {
  /** `schema.table`, quoted where needed (PostgreSQL's `format('%I.%I')`). */
  readonly name: string;
  /** Where its range starts; undefined for a DEFAULT partition or one from MINVALUE. */
  readonly from?: Date;
  /** Where its range ends (exclusive); undefined for a DEFAULT partition or one up to MAXVALUE (never closed). */
  readonly to?: Date;
  /** Whether `matrix.partition_compactions` records it already. */
  readonly compacted: boolean;
}

/**
 * The partitions to compact at `now`: those not compacted yet whose range ended at least `graceMs` ago,
 * oldest range first, at most `max`. A partition whose range is still open (or closed less than the grace
 * ago, while late points may still arrive in bulk) waits; a DEFAULT or MAXVALUE partition never closes.
 * Any range length works (monthly, daily): only the end of the range counts.
 */
export function partitionsToCompact(
  partitions: readonly CompactionCandidate[],
  now: Date,
  graceMs: number,
  max: number,
): CompactionCandidate[] {
  const closedBy = now.getTime() - graceMs;
  return partitions
    .filter((p) => !p.compacted && p.to !== undefined && p.to.getTime() <= closedBy)
    .sort((a, b) => a.to!.getTime() - b.to!.getTime() || a.name.localeCompare(b.name))
    .slice(0, Math.max(0, max));
}
