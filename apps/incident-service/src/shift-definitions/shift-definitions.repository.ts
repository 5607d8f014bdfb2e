import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { canonicalSetting, sameSettings, type ShiftSetting } from './shift-definition';

/** A row of `workforce.property_shift_definitions`: a property's shift definitions on one day of the week. */
export interface ShiftDefinitionRow {
  prop_id: string;
  dow: number;
  shift_settings: ShiftSetting[];
  created_by: string;
  created_on: Date;
  modified_by: string;
  modified_on: Date;
}

export type CreateOutcome = { created: boolean; rows: ShiftDefinitionRow[] } | { conflict: number[] };
export type UpdateOutcome = { rows: ShiftDefinitionRow[] } | { missing: number[] };

const json = (settings: readonly ShiftSetting[]) => JSON.stringify(settings.map(canonicalSetting));

/**
 * `workforce.property_shift_definitions` in plain SQL (ADR-19). A change takes a per-property advisory
 * lock, so concurrent changes to one property's definitions apply one after the other.
 */
@Injectable()
export class ShiftDefinitionsRepository {
  constructor(private readonly db: Database) {}

  private async lock(tx: Sql, propId: string): Promise<void> {
    await tx.query(`select pg_advisory_xact_lock(hashtext('workforce.property_shift_definitions:' || $1))`, [
      propId,
    ]);
  }

  private async days(sql: Sql, propId: string, days?: readonly number[]): Promise<ShiftDefinitionRow[]> {
    return sql.query<ShiftDefinitionRow>(
      `select * from workforce.property_shift_definitions
       where prop_id = $1 and ($2::smallint[] is null or dow = any($2::smallint[])) order by dow`,
      [propId, days ?? null],
    );
  }

  /**
   * Defines the shifts of the days named that have none; a day with the same definitions already is
   * left as it is (a retried create), one with other definitions refuses the whole create (`conflict`).
   */
  async create(
    propId: string,
    days: readonly number[],
    settings: readonly ShiftSetting[],
    by: string,
  ): Promise<CreateOutcome> {
    return this.db.transaction(async (tx) => {
      await this.lock(tx, propId);
      const existing = await this.days(tx, propId, days);
      const conflict = existing
        .filter((row) => !sameSettings(row.shift_settings, settings))
        .map((row) => row.dow);
      if (conflict.length > 0) return { conflict };
      const fresh = days.filter((dow) => !existing.some((row) => row.dow === dow));
      for (const dow of fresh) {
        await tx.query(
          `insert into workforce.property_shift_definitions (prop_id, dow, shift_settings, created_by, modified_by)
           values ($1, $2, $3, $4, $4)`,
          [propId, dow, json(settings), by],
        );
      }
      return { created: fresh.length > 0, rows: await this.days(tx, propId, days) };
    });
  }

  /** Replaces the definitions of each day named; every day must have some already (`missing` otherwise, nothing changed). */
  async update(
    propId: string,
    days: readonly number[],
    settings: readonly ShiftSetting[],
    by: string,
  ): Promise<UpdateOutcome> {
    return this.db.transaction(async (tx) => {
      await this.lock(tx, propId);
      const existing = await this.days(tx, propId, days);
      const missing = days.filter((dow) => !existing.some((row) => row.dow === dow));
      if (missing.length > 0) return { missing };
      await tx.query(
        `update workforce.property_shift_definitions set shift_settings = $3, modified_by = $4, modified_on = now()
         where prop_id = $1 and dow = any($2::smallint[])`,
        [propId, days, json(settings), by],
      );
      return { rows: await this.days(tx, propId, days) };
    });
  }

  /** Removes the definitions of the days named; answers the days that had some. */
  async delete(propId: string, days: readonly number[]): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      await this.lock(tx, propId);
      const rows = await tx.query<{ dow: number }>(
        `delete from workforce.property_shift_definitions where prop_id = $1 and dow = any($2::smallint[]) returning dow`,
        [propId, days],
      );
      return rows.map((row) => row.dow).sort((a, b) => a - b);
    });
  }

  /** The property's definitions, every day that has some, Sunday first. */
  async all(propId: string): Promise<ShiftDefinitionRow[]> {
    return this.days(this.db, propId);
  }
}
