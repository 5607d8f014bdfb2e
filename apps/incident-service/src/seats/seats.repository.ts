import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';

/** A row of `workforce.seats`: a person of a property who receives incidents (`SeatId` = `<propid>_<nnn>`). */
export interface SeatRow {
  seat_id: string;
  org_id: string;
  prop_id: string;
  user_name: string;
  user_group: string;
  status: 'ACTIVE' | 'INACTIVE';
  created_on: Date;
  modified_on: Date;
}

/** The seat an incident is being given to is not (or no longer) an active seat of its property. */
export class SeatNotActiveError extends Error {
  override readonly name = 'SeatNotActiveError';
  constructor(readonly seatId: string) {
    super(`seat ${seatId} is not an active seat of the property`);
  }
}

/**
 * Holds an active seat for the rest of the transaction (`for share`): a concurrent delete (which locks
 * the seat `for update`, then counts its incidents) waits for this transaction and sees the incident it
 * assigned; one that committed first leaves nothing to lock. Throws {@link SeatNotActiveError}.
 */
export async function lockActiveSeat(tx: Sql, propId: string, seatId: string): Promise<void> {
  const [seat] = await tx.query(
    `select 1 from workforce.seats where seat_id = $1 and prop_id = $2 and status = 'ACTIVE' for share`,
    [seatId, propId],
  );
  if (!seat) throw new SeatNotActiveError(seatId);
}

/**
 * The shifts that keep a seat from being deleted (`$3` = now, epoch seconds): PUBLISHED or STARTED ones,
 * whenever planned (a published plan the seat was told to work, or a shift being worked), and UNPUBLISHED
 * drafts not over yet (`End` after now). COMPLETED, ABSENT and ON_LEAVE shifts are records of the past and
 * an UNPUBLISHED draft already over plans nothing: those stay with the deleted seat's id.
 */
export const LIVE_SHIFTS = `(status in ('PUBLISHED', 'STARTED') or (status = 'UNPUBLISHED' and end_at > $3))`;

/** How many live shifts a refused seat delete names. */
export const NAMED_SHIFTS = 10;

/** Seats per property: `<propid>_001` … `<propid>_999`. */
export const MAX_SEATS_PER_PROPERTY = 999;

/** `workforce.seats` in plain SQL (ADR-19); managed over the gateway's REST v1 `/v1/properties/{propId}/seats`. */
@Injectable()
export class SeatsRepository {
  constructor(private readonly db: Database) {}

  /** The active seat `seatId` of property `propId`, or undefined (a seat of another property is not found). */
  async findActive(propId: string, seatId: string): Promise<SeatRow | undefined> {
    const [row] = await this.db.query<SeatRow>(
      `select * from workforce.seats where seat_id = $1 and prop_id = $2 and status = 'ACTIVE'`,
      [seatId, propId],
    );
    return row;
  }

  /**
   * Creates the property's next seat (`<propid>_<nnn>`, numbered in creation order under a per-property
   * lock); undefined when the property has {@link MAX_SEATS_PER_PROPERTY} already.
   */
  async create(
    seat: Pick<SeatRow, 'org_id' | 'prop_id' | 'user_name' | 'user_group'> & { status?: SeatRow['status'] },
  ): Promise<SeatRow | undefined> {
    return this.db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('workforce.seats:' || $1))`, [seat.prop_id]);
      const [max] = await tx.query<{ last: number | null }>(
        `select max(substring(seat_id from '_([0-9]{3})$')::int) as last
         from (select seat_id from workforce.seats where prop_id = $1
               union all select seat_id from workforce.deleted_seats where prop_id = $1) as taken`,
        [seat.prop_id],
      );
      const next = (max?.last ?? 0) + 1;
      if (next > MAX_SEATS_PER_PROPERTY) return undefined;
      const [row] = await tx.query<SeatRow>(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group, status)
         values ($1, $2, $3, $4, $5, $6) returning *`,
        [
          `${seat.prop_id}_${String(next).padStart(3, '0')}`,
          seat.org_id,
          seat.prop_id,
          seat.user_name,
          seat.user_group,
          seat.status ?? 'ACTIVE',
        ],
      );
      return row;
    });
  }

  async list(org: string, propId: string): Promise<SeatRow[]> {
    return this.db.query<SeatRow>(
      'select * from workforce.seats where org_id = $1 and prop_id = $2 order by seat_id',
      [org, propId],
    );
  }

  /** Changes the given fields of a seat of the property; undefined when there is no such seat. */
  async update(
    org: string,
    propId: string,
    seatId: string,
    changes: { userName?: string; userGroup?: string; status?: SeatRow['status'] },
  ): Promise<SeatRow | undefined> {
    const [row] = await this.db.query<SeatRow>(
      `update workforce.seats
       set user_name = coalesce($4, user_name), user_group = coalesce($5, user_group),
           status = coalesce($6, status), modified_on = now()
       where org_id = $1 and prop_id = $2 and seat_id = $3 returning *`,
      [org, propId, seatId, changes.userName ?? null, changes.userGroup ?? null, changes.status ?? null],
    );
    return row;
  }

  /**
   * Deletes a seat of the property (kept in `workforce.deleted_seats`, so its id is never reused):
   * `not-found`; `busy` while an incident is assigned to it or started by it; `shifts` while it has live
   * shifts at `now` ({@link LIVE_SHIFTS}: the first {@link NAMED_SHIFTS} by start, and how many); else
   * `deleted`. The seat row is locked first (`for update`): a shift create or an incident assignment
   * holds it `for share` in its own transaction, so one that raced this delete either committed before
   * (and is counted here) or finds no seat.
   */
  async delete(
    org: string,
    propId: string,
    seatId: string,
    by: string,
    now: Date,
  ): Promise<'deleted' | 'not-found' | { busy: number } | { shifts: { count: number; named: string[] } }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('workforce.seats:' || $1))`, [propId]);
      const [seat] = await tx.query<SeatRow>(
        'select * from workforce.seats where org_id = $1 and prop_id = $2 and seat_id = $3 for update',
        [org, propId, seatId],
      );
      if (!seat) return 'not-found';
      const [busy] = await tx.query<{ n: number }>(
        `select count(*)::int as n from workforce.incidents
         where prop_id = $1 and seat_id = $2 and status in ('ASSIGNED', 'STARTED')`,
        [propId, seatId],
      );
      if (busy && busy.n > 0) return { busy: busy.n };
      const live = await tx.query<{ shift_id: string; n: number }>(
        `select shift_id, count(*) over ()::int as n from workforce.shifts
         where seat_id = $1 and prop_id = $2 and ${LIVE_SHIFTS}
         order by start_at, shift_id limit ${NAMED_SHIFTS}`,
        [seatId, propId, Math.floor(now.getTime() / 1000)],
      );
      if (live.length > 0) return { shifts: { count: live[0]!.n, named: live.map((r) => r.shift_id) } };
      await tx.query(
        `insert into workforce.deleted_seats (seat_id, org_id, prop_id, user_name, user_group, deleted_by)
         values ($1, $2, $3, $4, $5, $6)`,
        [seat.seat_id, seat.org_id, seat.prop_id, seat.user_name, seat.user_group, by],
      );
      await tx.query('delete from workforce.seats where seat_id = $1', [seatId]);
      return 'deleted';
    });
  }

  async upsert(
    seat: Pick<SeatRow, 'seat_id' | 'org_id' | 'prop_id' | 'user_name' | 'user_group'> & {
      status?: SeatRow['status'];
    },
  ): Promise<SeatRow> {
    const [row] = await this.db.query<SeatRow>(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group, status)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (seat_id) do update set user_name = excluded.user_name, user_group = excluded.user_group,
         status = excluded.status, modified_on = now()
       returning *`,
      [seat.seat_id, seat.org_id, seat.prop_id, seat.user_name, seat.user_group, seat.status ?? 'ACTIVE'],
    );
    return row!;
  }
}
