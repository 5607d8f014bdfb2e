import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the shift range lists and metrics need on `workforce.shifts` (issue 13; the Matrix documentation,
 * §4.4 "Shift"; src/shifts/shift-queries.repository.ts has the queries and their EXPLAIN):
 *
 * - `shifts_span_bounded`: a shift's window lasts at most 172,800 s (48 hours). Planning refuses more than
 *   24 hours and an ad hoc shift lasts TIME_FOR_UNSCHEDULED_SHIFT (8 hours by default); the check makes a
 *   bound a fact the queries rely on, with room for a building that raises that setting: a shift
 *   overlapping `[from, to]` started after `from − 172800`, so "in range" is one bounded range of the
 *   `(…, start_at)` indexes.
 * - `shifts_building_status_start (pid, status, start_at, shift_id)`: a building's shifts of one status
 *   in a range, in the list's order (getShiftsInTRangeForIDonStatus), without reading the other statuses.
 * - `shifts_seat_started (seat_id, a_start) where status = 'STARTED'`: the shift a seat is clocked in to
 *   (getCurrentShiftForSeat), however long ago it started, without reading the seat's history.
 */
export class ShiftQueries1766000000010 implements MigrationInterface {
  name = 'ShiftQueries1766000000010';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `alter table workforce.shifts add constraint shifts_span_bounded check (end_at - start_at <= 172800)`,
    );
    await runner.query(
      `create index shifts_building_status_start on workforce.shifts (pid, status, start_at, shift_id)`,
    );
    await runner.query(
      `create index shifts_seat_started on workforce.shifts (seat_id, a_start) where status = 'STARTED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index workforce.shifts_seat_started`);
    await runner.query(`drop index workforce.shifts_building_status_start`);
    await runner.query(`alter table workforce.shifts drop constraint shifts_span_bounded`);
  }
}
