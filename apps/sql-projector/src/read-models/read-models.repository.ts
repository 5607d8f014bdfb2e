import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import type { ReadModelChange } from './read-model-change';
import {
  BUILDINGS,
  DEVICE_SLOTS_TABLE,
  EVENT_READ_MODELS,
  PROPERTIES,
  versionedUpsert,
  type ReadModelTable,
} from './read-model-tables';

/** Rows written per statement when a whole KV bucket is loaded. */
const CHUNK = 500;

/** A KV table's row at a revision: the entry as a row, or `null` for a deleted key. */
export interface KvRow {
  readonly key: string;
  readonly revision: number;
  readonly table: ReadModelTable;
  readonly row: Record<string, unknown> | null;
}

/** Where a KV table's rows are keyed, for deletes and the reconciliation after a full load. */
const KEY_COLUMN = new Map<ReadModelTable, string>([
  [DEVICE_SLOTS_TABLE, 'alias'],
  [BUILDINGS, 'pid'],
  [PROPERTIES, 'prop_id'],
]);

/** Writes the read models; sql-projector is their only writer. */
@Injectable()
export class ReadModelsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Applies the changes of a batch of events in one transaction, one upsert per table, each row only
   * where the change is newer than the row (`versionedUpsert`). `changes` hold one change per row
   * (`newestChanges`). Answers how many rows changed.
   */
  async applyEvents(changes: readonly ReadModelChange[]): Promise<number> {
    if (changes.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      let changed = 0;
      for (const [name, table] of Object.entries(EVENT_READ_MODELS)) {
        const rows = changes.filter((change) => change.table === name).map((change) => change.row);
        if (rows.length > 0) changed += await upsert(tx, table, rows);
      }
      return changed;
    });
  }

  /**
   * Applies KV changes in key order of revision: entries upserted where newer, deleted keys marked
   * `removed` (their last values kept) where the delete is newer.
   */
  async applyKv(rows: readonly KvRow[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const table of new Set(rows.map((row) => row.table))) {
        const mine = rows.filter((row) => row.table === table);
        const puts = newestPerKey(mine.filter((row) => row.row !== null));
        for (let i = 0; i < puts.length; i += CHUNK) {
          await upsert(
            tx,
            table,
            puts.slice(i, i + CHUNK).map((row) => row.row!),
          );
        }
        const deletes = mine
          .filter((row) => row.row === null)
          .map((row) => ({
            key: row.key,
            revision: row.revision,
          }));
        if (deletes.length > 0) {
          const key = KEY_COLUMN.get(table)!;
          await tx.query(
            `update ${table.name} t set removed = true, kv_revision = d.revision
               from jsonb_to_recordset($1::jsonb) as d(key text, revision bigint)
              where t.${key} = d.key and t.kv_revision < d.revision`,
            [JSON.stringify(deletes)],
          );
        }
      }
    });
  }

  /**
   * After a full load of a bucket at `revision`: every row of `table` whose key the bucket no longer
   * holds is marked `removed` (a key deleted while nobody watched, or purged).
   */
  async removeAbsent(table: ReadModelTable, present: readonly string[], revision: number): Promise<void> {
    const key = KEY_COLUMN.get(table)!;
    await this.db.query(
      `update ${table.name} set removed = true, kv_revision = $2
        where not removed and kv_revision < $2 and not (${key} = any($1::text[]))`,
      [present, revision],
    );
  }
}

async function upsert(sql: Sql, table: ReadModelTable, rows: readonly Record<string, unknown>[]) {
  const answer = await sql.query(`${versionedUpsert(table)} returning 1`, [JSON.stringify(rows)]);
  return answer.length;
}

function newestPerKey(rows: readonly KvRow[]): KvRow[] {
  const byKey = new Map<string, KvRow>();
  for (const row of rows) {
    const held = byKey.get(row.key);
    if (held === undefined || held.revision < row.revision) byKey.set(row.key, row);
  }
  return [...byKey.values()];
}
