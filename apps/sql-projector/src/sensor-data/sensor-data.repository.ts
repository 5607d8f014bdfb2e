import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  classifyPgError,
  Database,
  isRowValueError,
  ROW_DUPLICATE,
  ROW_INSERTED,
  writeBisecting,
  type RowResult,
} from '@matrix/persistence';
import { SENSOR_DATA_COLUMNS } from './sensor-data-row';
import { INSERT_NEW_SENSOR_DATA, INSERT_SENSOR_DATA } from './sensor-data-sql';

export type { RowResult } from '@matrix/persistence';

/** Most rows written by one statement: a bigger batch is written as several. */
export const SENSOR_DATA_ROWS_PER_STATEMENT = 4000;

const INSERTED = ROW_INSERTED;
const DUPLICATE = ROW_DUPLICATE;

const TIME = SENSOR_DATA_COLUMNS.indexOf('time');
const MSG_ID = SENSOR_DATA_COLUMNS.indexOf('msg_id');

/** The plain insert met a row that is stored already, or another batch holding the same new rows (a deadlock). */
function isCollision(error: unknown): boolean {
  const kind = classifyPgError(error);
  return kind === 'unique-violation' || kind === 'transaction-rollback';
}

const keyOf = (row: readonly unknown[]) => `${row[TIME] as string}|${row[MSG_ID] as string}`;

/** Writes `matrix.sensor_data` and its rollup `matrix.sensor_data_15m`; sql-projector is their only writer. */
@Injectable()
export class SensorDataRepository {
  private readonly partitions = new Set<string>();
  /**
   * Whether the next batch is tried with the plain insert (INSERT_NEW_SENSOR_DATA) first: cleared when a
   * batch met rows that were stored already (a redelivery, a replay: its neighbours will too), set again
   * by the first batch that had none.
   */
  private expectNew = true;

  constructor(private readonly db: Database) {}

  /** The service's pg pool: batch statements are prepared by name. */
  get pool(): Pool {
    return this.db.pool;
  }

  /**
   * Writes a batch of rows (`sensorDataRow` values) in one statement per `SENSOR_DATA_ROWS_PER_STATEMENT`
   * rows, with their rollup, and answers one result per row in the same order. A row whose (time, msg_id) is
   * already stored — or earlier in the batch — is a `duplicate` and left as it is. When one row's values make
   * the statement fail, the batch is split until only that row is `refused` (every other row is written). Any
   * other failure (the database is down) throws; what was committed before is idempotent when the batch comes
   * again.
   */
  async write(rows: readonly (readonly unknown[])[]): Promise<RowResult[]> {
    const results = new Array<RowResult>(rows.length);
    const unique: number[] = [];
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      const key = keyOf(row);
      if (seen.has(key)) {
        results[i] = DUPLICATE;
      } else {
        seen.add(key);
        unique.push(i);
      }
    });
    for (let start = 0; start < unique.length; start += SENSOR_DATA_ROWS_PER_STATEMENT) {
      const indices = unique.slice(start, start + SENSOR_DATA_ROWS_PER_STATEMENT);
      if (this.expectNew && (await this.insertNew(indices.map((i) => rows[i]!)))) {
        for (const i of indices) results[i] = INSERTED;
        continue;
      }
      await this.writeSplitting(rows, indices, results);
      this.expectNew = indices.every((i) => results[i] !== DUPLICATE);
    }
    return results;
  }

  /**
   * Writes rows none of which is stored yet, with their rollup, in one plain insert; answers false,
   * having written nothing, when a row is stored already or PostgreSQL refuses one (the caller writes
   * the batch with `on conflict` and splitting then). Any other failure throws.
   */
  private async insertNew(rows: readonly (readonly unknown[])[]): Promise<boolean> {
    try {
      await this.query(INSERT_NEW_SENSOR_DATA, 'matrix.sensor_data new batch', rows);
      return true;
    } catch (error) {
      if (isCollision(error)) this.expectNew = false;
      if (isCollision(error) || isRowValueError(error)) return false;
      throw error;
    }
  }

  /**
   * Writes `rows[indices]` with `on conflict`, splitting around rows PostgreSQL refuses (libs/persistence's
   * writeBisecting: a deadlock victim — another writer's plain insert holding some of the same new rows in
   * another order — runs again).
   */
  private writeSplitting(
    rows: readonly (readonly unknown[])[],
    indices: readonly number[],
    results: RowResult[],
  ): Promise<void> {
    return writeBisecting(
      {
        insert: (part) => this.insert(part.map((i) => rows[i]!)),
        keyOf: (i) => rows[i]![MSG_ID] as string,
      },
      indices,
      results,
    );
  }

  /** Inserts rows and rolls them up; answers the msg_ids of the rows that were new. */
  private async insert(rows: readonly (readonly unknown[])[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const inserted = await this.query<{ msg_id: string }>(
      INSERT_SENSOR_DATA,
      'matrix.sensor_data batch',
      rows,
    );
    return new Set(inserted.map((row) => row.msg_id));
  }

  /** Runs a batch statement (prepared as `name`) on `rows`, creating their days' partitions first. */
  private async query<R>(text: string, name: string, rows: readonly (readonly unknown[])[]): Promise<R[]> {
    await this.ensurePartitions(rows);
    const statement = { name, text, values: [JSON.stringify(rows)] };
    try {
      return (await this.pool.query(statement)).rows as R[];
    } catch (error) {
      // The statement reached a day that has no partition (one was dropped since we cached it).
      if (classifyPgError(error) !== 'no-partition') throw error;
      this.partitions.clear();
      await this.ensurePartitions(rows);
      return (await this.pool.query(statement)).rows as R[];
    }
  }

  /** Creates the partition of every day in the batch that we have not seen yet (daily partitions, ADR-27). */
  private async ensurePartitions(rows: readonly (readonly unknown[])[]): Promise<void> {
    const days = new Map<string, string>();
    for (const row of rows) {
      const time = row[TIME] as string;
      // The ISO text of sensorDataRow (UTC) starts `YYYY-MM-DD` (years 0–9999; others are spelt `±YYYYYY-MM-DD`).
      const day = /^\d{4}-/.test(time) ? time.slice(0, 10) : time.slice(0, 13);
      if (!this.partitions.has(day)) days.set(day, time);
    }
    for (const [day, time] of days) {
      try {
        await this.pool.query('select matrix.ensure_sensor_data_partition($1)', [time]);
      } catch (error) {
        // A database migrated before SensorDataPartitionRace1764547200000 (a rolling upgrade) can still
        // lose the race when another writer creates the partition at the same moment. It exists now.
        const kind = classifyPgError(error);
        if (kind !== 'already-exists' && kind !== 'unique-violation') throw error;
      }
      this.partitions.add(day);
    }
  }
}
