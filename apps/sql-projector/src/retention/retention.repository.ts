import { Injectable } from '@nestjs/common';
import { Database, sqlState } from '@matrix/persistence';
import { RETENTION_TABLES, type PartitionRange } from './retention-policy';

/** lock_not_available: `lock_timeout` passed before the lock was granted. */
const LOCK_NOT_AVAILABLE = '55P03';
/** undefined_table, also "… is not a partition of …": someone else dropped or detached it already. */
const UNDEFINED_TABLE = '42P01';

/**
 * The partitions of `$1` with the end of each range, read from the catalog: the bound's text
 * (`FOR VALUES FROM ('…') TO ('…')`, written in this session's time zone) cast back in the same session.
 * A DEFAULT partition or one up to MAXVALUE has no upper bound.
 */
const LIST_PARTITIONS = `
  select format('%I.%I', n.nspname, c.relname) as name,
         (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz as upper
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_namespace n on n.oid = c.relnamespace
   where i.inhparent = to_regclass($1)`;

/** Deletes up to `$2` of the oldest buckets at or before `$1`, through the index on `bucket`. */
const DELETE_BUCKETS = `
  delete from ${RETENTION_TABLES.sensorData15m} r
   using (select pid, insid, devtype, bucket
            from ${RETENTION_TABLES.sensorData15m}
           where bucket <= $1
           order by bucket
           limit $2) old
   where (r.pid, r.insid, r.devtype, r.bucket) = (old.pid, old.insid, old.devtype, old.bucket)`;

/** What became of one partition: dropped now, gone already (another replica), or its lock not granted in time. */
export type DropResult = 'dropped' | 'gone' | 'busy';

/**
 * Retention's statements on the `matrix` schema. Every change is one short transaction that waits at most
 * `lockTimeoutMs` for its locks, so a long reader or writer makes retention skip (and try next round)
 * rather than making the projector's writes queue behind it.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: Database) {}

  async partitions(parent: string): Promise<PartitionRange[]> {
    const rows = await this.db.query<{ name: string; upper: Date | null }>(LIST_PARTITIONS, [parent]);
    return rows.map((row) => (row.upper ? { name: row.name, upper: row.upper } : { name: row.name }));
  }

  /**
   * Detaches `partition` from `parent` and drops it, in one transaction: the detach holds an ACCESS
   * EXCLUSIVE lock on `parent` for the few milliseconds of the catalog change, never more than
   * `lockTimeoutMs` waiting for it. Not `DETACH … CONCURRENTLY`: that cannot run in a transaction, waits
   * for every older snapshot without a timeout, and leaves a half-detached partition when interrupted.
   */
  async dropPartition(parent: string, partition: string, lockTimeoutMs: number): Promise<DropResult> {
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(`set local lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
        await tx.query(`alter table ${parent} detach partition ${partition}`);
        await tx.query(`drop table ${partition}`);
      });
      return 'dropped';
    } catch (error) {
      const code = sqlState(error);
      if (code === LOCK_NOT_AVAILABLE) return 'busy';
      if (code === UNDEFINED_TABLE) return 'gone';
      throw error;
    }
  }

  /**
   * Deletes up to `limit` buckets of `matrix.sensor_data_15m` at or before `through`, oldest first, in one
   * transaction whose row locks wait at most `lockTimeoutMs` (a bucket the projector is upserting, or the
   * rebuild function's table lock). Answers how many were deleted, or `busy`.
   */
  async deleteBuckets(through: Date, limit: number, lockTimeoutMs: number): Promise<number | 'busy'> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query(`set local lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
        const result = await tx.client.query(DELETE_BUCKETS, [through, limit]);
        return result.rowCount ?? 0;
      });
    } catch (error) {
      if (sqlState(error) === LOCK_NOT_AVAILABLE) return 'busy';
      throw error;
    }
  }
}
