import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { Database, sqlState } from '@matrix/persistence';
import { COMPACTED_TABLE, type CompactionCandidate } from './compaction-policy';

/** lock_not_available: `lock_timeout` passed before a lock (or an older transaction's end) was granted. */
const LOCK_NOT_AVAILABLE = '55P03';
/** undefined_table: the partition or index is gone (retention dropped it meanwhile). */
const UNDEFINED_TABLE = '42P01';
/** query_canceled: {@link CompactionSession.cancel} (the service shuts down). */
const QUERY_CANCELED = '57014';

/**
 * The partitions of {@link COMPACTED_TABLE} with their range, read from the catalog (the bounds' text,
 * written in this session's time zone, cast back in the same session, as retention reads them), and whether
 * `matrix.partition_compactions` records each. A DEFAULT partition, or a bound at MINVALUE/MAXVALUE, has no
 * such bound.
 */
const LIST_PARTITIONS = `
  select p.name, p.range_from, p.range_to,
         exists (select 1 from matrix.partition_compactions r where r.partition_name = p.name) as compacted
    from (select format('%I.%I', n.nspname, c.relname) as name,
                 (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz as range_from,
                 (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz as range_to
            from pg_inherits i
            join pg_class c on c.oid = i.inhrelid
            join pg_namespace n on n.oid = c.relnamespace
           where i.inhparent = to_regclass('${COMPACTED_TABLE}')) p`;

/**
 * INVALID indexes left on partitions of {@link COMPACTED_TABLE} by an interrupted `REINDEX CONCURRENTLY`:
 * `<index>_ccnew` (`_ccnew1`, … when taken) is the half-built copy, `<index>_ccold` the original after the
 * swap. Both are still maintained by every insert and serve no query.
 */
const LIST_LEFTOVERS = `
  select format('%I.%I', n.nspname, ic.relname) as name
    from pg_inherits i
    join pg_index x on x.indrelid = i.inhrelid
    join pg_class ic on ic.oid = x.indexrelid
    join pg_namespace n on n.oid = ic.relnamespace
   where i.inhparent = to_regclass('${COMPACTED_TABLE}')
     and not x.indisvalid
     and ic.relname ~ '_cc(new|old)[0-9]*$'
   order by 1`;

/** The valid indexes of the partition `$1` (none when it is gone). */
const LIST_INDEXES = `
  select format('%I.%I', n.nspname, ic.relname) as name
    from pg_index x
    join pg_class ic on ic.oid = x.indexrelid
    join pg_namespace n on n.oid = ic.relnamespace
   where x.indrelid = to_regclass($1) and x.indisvalid
   order by ic.relname`;

/**
 * What became of one statement on a partition: done, the partition gone already, a lock not granted in
 * time, or cancelled by {@link CompactionSession.cancel}.
 */
export type CompactionStep = 'done' | 'gone' | 'busy' | 'cancelled';

/**
 * A session for one compaction round: a dedicated connection (not the pool's: a rebuild takes as long as
 * its index is large, and the projection keeps every pooled connection), every lock wait bounded by
 * `lock_timeout`, statements run one at a time outside any transaction (`REINDEX … CONCURRENTLY` and
 * `DROP INDEX CONCURRENTLY` refuse to run in one).
 */
export class CompactionSession {
  private constructor(
    private readonly client: Client,
    private readonly db: Database,
  ) {}

  static async open(db: Database, lockTimeoutMs: number): Promise<CompactionSession> {
    const client = new Client({
      connectionString: db.options.url,
      application_name: `${db.options.applicationName} compaction`,
    });
    await client.connect();
    try {
      await client.query(`set lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return new CompactionSession(client, db);
  }

  /**
   * Cancels the statement running on this session (`pg_cancel_backend`, from the pool): a rebuild stops
   * where it is; the `_ccnew` index it may leave is dropped by the next run.
   */
  async cancel(): Promise<void> {
    const pid = (this.client as Client & { processID?: number }).processID;
    if (pid !== undefined) await this.db.query(`select pg_cancel_backend($1::int)`, [pid]);
  }

  async partitions(): Promise<CompactionCandidate[]> {
    const { rows } = await this.client.query<{
      name: string;
      range_from: Date | null;
      range_to: Date | null;
      compacted: boolean;
    }>(LIST_PARTITIONS);
    return rows.map((row) => ({
      name: row.name,
      ...(row.range_from ? { from: row.range_from } : {}),
      ...(row.range_to ? { to: row.range_to } : {}),
      compacted: row.compacted,
    }));
  }

  /** Names of the INVALID `_ccnew`/`_ccold` indexes an interrupted rebuild left on the partitions. */
  async leftovers(): Promise<string[]> {
    return (await this.client.query<{ name: string }>(LIST_LEFTOVERS)).rows.map((row) => row.name);
  }

  /** `DROP INDEX CONCURRENTLY IF EXISTS` (a rebuild still running elsewhere holds its table: `busy`). */
  dropIndex(index: string): Promise<CompactionStep> {
    return this.step(`drop index concurrently if exists ${index}`);
  }

  /** The valid indexes of `partition`, empty when the partition is gone. */
  async indexes(partition: string): Promise<string[]> {
    return (await this.client.query<{ name: string }>(LIST_INDEXES, [partition])).rows.map((row) => row.name);
  }

  /** Bytes of all indexes of `partition`; undefined when the partition is gone. */
  async indexBytes(partition: string): Promise<number | undefined> {
    const { rows } = await this.client.query<{ bytes: string | null }>(
      `select pg_indexes_size(to_regclass($1)) as bytes`,
      [partition],
    );
    const bytes = rows[0]?.bytes;
    return bytes === null || bytes === undefined ? undefined : Number(bytes);
  }

  /**
   * `REINDEX INDEX CONCURRENTLY`: builds a packed copy beside the index while inserts go on, then swaps
   * them. It waits for the transactions older than each of its phases; a wait longer than `lock_timeout`
   * fails it (`busy`), possibly leaving a `_ccnew`/`_ccold` index that the next round drops.
   */
  reindex(index: string): Promise<CompactionStep> {
    return this.step(`reindex index concurrently ${index}`);
  }

  /** Records `partition` as compacted (again: the row is replaced). */
  async record(partition: CompactionCandidate, bytesBefore: number, bytesAfter: number): Promise<void> {
    await this.client.query(
      `insert into matrix.partition_compactions (partition_name, range_from, range_to, bytes_before, bytes_after)
       values ($1, $2, $3, $4, $5)
       on conflict (partition_name) do update
          set range_from = excluded.range_from, range_to = excluded.range_to, compacted_at = now(),
              bytes_before = excluded.bytes_before, bytes_after = excluded.bytes_after`,
      [partition.name, partition.from ?? null, partition.to, bytesBefore, bytesAfter],
    );
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private async step(statement: string): Promise<CompactionStep> {
    try {
      await this.client.query(statement);
      return 'done';
    } catch (error) {
      const code = sqlState(error);
      if (code === LOCK_NOT_AVAILABLE) return 'busy';
      if (code === UNDEFINED_TABLE) return 'gone';
      if (code === QUERY_CANCELED) return 'cancelled';
      throw error;
    }
  }
}

/** Opens {@link CompactionSession}s on the service's database. */
@Injectable()
export class CompactionRepository {
  constructor(private readonly db: Database) {}

  session(lockTimeoutMs: number): Promise<CompactionSession> {
    return CompactionSession.open(this.db, lockTimeoutMs);
  }
}
