import { isRetryableTransaction, isRowValueError, pgError } from './pg-errors';

/** What became of one row of a batch. */
export type RowResult =
  | { readonly kind: 'inserted' }
  | { readonly kind: 'duplicate' }
  /** PostgreSQL refuses this row's values: writing it again can never succeed. */
  | { readonly kind: 'refused'; readonly reason: string };

export const ROW_INSERTED: RowResult = { kind: 'inserted' };
export const ROW_DUPLICATE: RowResult = { kind: 'duplicate' };

/**
 * How often a statement aborted to break a deadlock (another writer held some of the same new rows in
 * another order) is run again: the other writer commits, and the next run finds its rows stored.
 */
export const DEADLOCK_RETRIES = 5;

export interface BisectingWrite {
  /**
   * Writes the rows at `indices` of the batch in one statement (rows already stored are skipped) and
   * answers the keys of those it inserted. Throws what PostgreSQL answered.
   */
  insert(indices: readonly number[]): Promise<ReadonlySet<string>>;
  /** The key `insert` answers for row `i`. */
  keyOf(i: number): string;
}

/**
 * Writes the rows at `indices` and fills in `results` (inserted or duplicate per row). When a row's values
 * make the statement fail (SQLSTATE classes 22, 23 but a missing partition, 54: `isRowValueError`), each half
 * is written on its own, down to the single rows PostgreSQL refuses (`refused`, with its message) — about
 * 2·log2(n) statements for one bad row in n instead of n one by one — and every other row is written. A
 * statement aborted as a deadlock victim (nothing of it was written) runs again, up to DEADLOCK_RETRIES
 * times. Anything else (the database is down) throws; what was committed before is idempotent when the
 * batch comes again.
 */
export async function writeBisecting(
  write: BisectingWrite,
  indices: readonly number[],
  results: RowResult[],
  retries = DEADLOCK_RETRIES,
): Promise<void> {
  if (indices.length === 0) return;
  try {
    const inserted = await write.insert(indices);
    for (const i of indices) results[i] = inserted.has(write.keyOf(i)) ? ROW_INSERTED : ROW_DUPLICATE;
  } catch (error) {
    if (isRetryableTransaction(error) && retries > 0) {
      await writeBisecting(write, indices, results, retries - 1);
      return;
    }
    if (!isRowValueError(error)) throw error;
    if (indices.length === 1) {
      const { code, message } = pgError(error)!;
      results[indices[0]!] = {
        kind: 'refused',
        reason: `PostgreSQL refused the row: ${message} (SQLSTATE ${code})`,
      };
      return;
    }
    const half = Math.ceil(indices.length / 2);
    await writeBisecting(write, indices.slice(0, half), results);
    await writeBisecting(write, indices.slice(half), results);
  }
}
