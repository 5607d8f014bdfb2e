import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import type { ShiftHour } from './shift-hours';

/** A row of `workforce.property_shift_hours`: a property's shift hours. */
export interface ShiftHoursRow {
  prop_id: string;
  shift_hours: ShiftHour[];
  created_by: string;
  created_on: Date;
  modified_by: string;
  modified_on: Date;
}

/** `workforce.property_shift_hours` in plain SQL (ADR-19): one row per property, replaced whole. */
@Injectable()
export class ShiftHoursRepository {
  constructor(private readonly db: Database) {}

  /** Creates the property's shift hours or replaces them; `created` when it had none. */
  async put(
    propId: string,
    hours: readonly ShiftHour[],
    by: string,
  ): Promise<{ row: ShiftHoursRow; created: boolean }> {
    const [row] = await this.db.query<ShiftHoursRow & { created: boolean }>(
      `insert into workforce.property_shift_hours (prop_id, shift_hours, created_by, modified_by)
       values ($1, $2::jsonb, $3, $3)
       on conflict (prop_id) do update set shift_hours = excluded.shift_hours,
         modified_by = excluded.modified_by, modified_on = now()
       returning *, (xmax = 0) as created`,
      [propId, JSON.stringify(hours), by],
    );
    const { created, ...stored } = row!;
    return { row: stored, created };
  }

  async get(propId: string): Promise<ShiftHoursRow | undefined> {
    const [row] = await this.db.query<ShiftHoursRow>(
      'select * from workforce.property_shift_hours where prop_id = $1',
      [propId],
    );
    return row;
  }

  /** True when the property had shift hours. */
  async delete(propId: string): Promise<boolean> {
    const rows = await this.db.query(
      'delete from workforce.property_shift_hours where prop_id = $1 returning prop_id',
      [propId],
    );
    return rows.length > 0;
  }
}
