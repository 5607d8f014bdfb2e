import { Injectable } from '@nestjs/common';
import { classifyPgError, Database, writeBisecting, type RowResult } from '@matrix/persistence';
import type { MatrixEventRow } from './matrix-event-row';

/** What became of one row of a batch. */
export type EventRowResult = RowResult;

/**
 * The batch from the JSON array of rows in `$1`, inserted in key order; a row whose (time, msg_id) is
 * stored already is skipped. Answers the msg_id of every row inserted.
 */
export const INSERT_EVENTS = `
  insert into matrix.events
         (msg_id, principal, pid, prop_id, module, event_id, priority, routing_key, time, description,
          meta, payload, stream_seq)
  select msg_id, principal, pid, prop_id, module, event_id, priority, routing_key, time, description,
         meta, payload, stream_seq
    from jsonb_to_recordset($1::jsonb) as r(
           msg_id text, principal text, pid text, prop_id text, module text, event_id text, priority text,
           routing_key text, time timestamptz, description text, meta jsonb, payload jsonb, stream_seq bigint)
   order by time, msg_id
  on conflict (time, msg_id) do nothing
  returning msg_id`;

/** Writes `matrix.events`; sql-projector is its only writer. */
@Injectable()
export class MatrixEventsRepository {
  private readonly partitions = new Set<string>();

  constructor(private readonly db: Database) {}

  /**
   * Writes a batch in one statement and answers one result per row, in order: a row already stored (or
   * earlier in the batch) is a `duplicate`. When a row's values make the statement fail, the batch is split
   * until that row alone is `refused` and every other row is written. Any other failure (the database is
   * down) throws; what was committed before is idempotent when the batch comes again.
   */
  async write(rows: readonly MatrixEventRow[]): Promise<EventRowResult[]> {
    const results = new Array<EventRowResult>(rows.length);
    const seen = new Set<string>();
    const unique: number[] = [];
    rows.forEach((row, i) => {
      const key = `${row.time}|${row.msg_id}`;
      if (seen.has(key)) results[i] = { kind: 'duplicate' };
      else {
        seen.add(key);
        unique.push(i);
      }
    });
    await this.writeSplitting(rows, unique, results);
    return results;
  }

  private writeSplitting(
    rows: readonly MatrixEventRow[],
    indices: readonly number[],
    results: EventRowResult[],
  ): Promise<void> {
    return writeBisecting(
      { insert: (part) => this.insert(part.map((i) => rows[i]!)), keyOf: (i) => rows[i]!.msg_id },
      indices,
      results,
    );
  }

  private async insert(rows: readonly MatrixEventRow[]): Promise<Set<string>> {
    await this.ensurePartitions(rows);
    const statement = { name: 'matrix.events batch', text: INSERT_EVENTS, values: [JSON.stringify(rows)] };
    let answer;
    try {
      answer = await this.db.pool.query<{ msg_id: string }>(statement);
    } catch (error) {
      // A month whose partition was dropped since we cached it.
      if (classifyPgError(error) !== 'no-partition') throw error;
      this.partitions.clear();
      await this.ensurePartitions(rows);
      answer = await this.db.pool.query<{ msg_id: string }>(statement);
    }
    return new Set(answer.rows.map((row) => row.msg_id));
  }

  /** Creates the monthly partition of every month in the batch not seen yet. */
  private async ensurePartitions(rows: readonly MatrixEventRow[]): Promise<void> {
    const months = new Map<string, string>();
    for (const row of rows) {
      const month = /^\d{4}-/.test(row.time) ? row.time.slice(0, 7) : row.time.slice(0, 10);
      if (!this.partitions.has(month)) months.set(month, row.time);
    }
    for (const [month, time] of months) {
      await this.db.pool.query('select matrix.ensure_events_partition($1)', [time]);
      this.partitions.add(month);
    }
  }
}
