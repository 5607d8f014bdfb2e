import { Injectable } from '@nestjs/common';
import type { AttendanceIntegrationV1 } from '@matrix/contracts';
import { Database } from '@matrix/persistence';
import { CLOCK_IN_EARLY_SECONDS, CLOCK_OUT_LOOKBACK_SECONDS, type ClockShift } from './attendance-event';

/** A row of `workforce.attendance_integrations`. */
export interface AttendanceIntegrationRow {
  integration_id: string;
  org_id: string;
  prop_id: string;
  default_pid: string;
  description: string;
  user_map: Record<string, unknown>;
  created_on: Date;
  updated_on: Date;
}

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/** The integration as `scattendance.readIntegration` answers it (reference §4.7); UserMap keeps only text ids. */
export const matrixIntegration = (row: AttendanceIntegrationRow): AttendanceIntegrationV1 => ({
  Org: row.org_id,
  IntegrationId: row.integration_id,
  DefaultPID: row.default_pid,
  ID: row.prop_id,
  UserMap: Object.fromEntries(
    Object.entries(row.user_map).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  ),
  Description: row.description,
  Updated: epoch(row.updated_on),
  Created: epoch(row.created_on),
});

/** `workforce.attendance_integrations`, and the shifts a clock event may apply to, in plain SQL (ADR-19). */
@Injectable()
export class AttendanceIntegrationsRepository {
  constructor(private readonly db: Database) {}

  async find(integrationId: string): Promise<AttendanceIntegrationRow | undefined> {
    const [row] = await this.db.query<AttendanceIntegrationRow>(
      'select * from workforce.attendance_integrations where integration_id = $1',
      [integrationId],
    );
    return row;
  }

  /**
   * The seat's shifts in the building a clock event at `time` may concern: planned to start up to
   * {@link CLOCK_IN_EARLY_SECONDS} after it and at most {@link CLOCK_OUT_LOOKBACK_SECONDS} before it (index
   * `shifts_seat_start`). Which one the event applies to is `clockTarget`'s decision.
   */
  async shiftsAround(propId: string, pid: string, seatId: string, time: number): Promise<ClockShift[]> {
    const rows = await this.db.query<{
      shift_id: string;
      status: string;
      start_at: string;
      end_at: string;
      a_start: string;
      a_end: string;
      time_zone: string;
    }>(
      `select shift_id, status, start_at, end_at, a_start, a_end, time_zone from workforce.shifts
       where seat_id = $1 and prop_id = $2 and pid = $3 and start_at > $4 and start_at <= $5
       order by start_at limit 50`,
      [seatId, propId, pid, time - CLOCK_OUT_LOOKBACK_SECONDS, time + CLOCK_IN_EARLY_SECONDS],
    );
    return rows.map((r) => ({
      shiftId: r.shift_id,
      status: r.status,
      start: Number(r.start_at),
      end: Number(r.end_at),
      aStart: Number(r.a_start),
      aEnd: Number(r.a_end),
      timeZone: r.time_zone,
    }));
  }
}
