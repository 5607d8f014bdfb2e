import type { Sql } from '@matrix/persistence';

/*
 * The shift an incident is assigned to (`scteams.assignIncident` with a real `ShiftID`): a shift of the
 * seat named in the call's building that is PUBLISHED or STARTED. The shift rows are the shift ops'
 * (src/shifts/); incidents/ only reads them, with plain SQL (ADR-19).
 */

/** A shift id is a UUID; anything else (a seat id: the seat-direct special case) names no shift row. */
export const isShiftId = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** The statuses of a shift an incident may be assigned to: planned and published, or being worked. */
export const ASSIGNABLE_SHIFT_STATUSES: readonly string[] = ['PUBLISHED', 'STARTED'];

/**
 * The status of shift `shiftId` of seat `seatId` in building `pid`, or undefined when there is none (a
 * non-UUID id names none). With `share`, the row is held `for share` for the rest of `sql` (a
 * transaction's): a shift transition or delete waits for its commit.
 */
export async function shiftOfSeat(
  sql: Sql,
  address: { pid: string; seatId: string; shiftId: string },
  share = false,
): Promise<{ status: string } | undefined> {
  if (!isShiftId(address.shiftId)) return undefined;
  const [row] = await sql.query<{ status: string }>(
    `select status from workforce.shifts where shift_id = $1 and pid = $2 and seat_id = $3${share ? ' for share' : ''}`,
    [address.shiftId, address.pid, address.seatId],
  );
  return row;
}

/** Why an incident cannot be assigned to a shift of status `status` (undefined: it can). */
export const shiftRefusal = (shiftId: string, status: string): string | undefined =>
  ASSIGNABLE_SHIFT_STATUSES.includes(status)
    ? undefined
    : `an incident is assigned only to a PUBLISHED or STARTED shift (shift ${shiftId} is ${status})`;
