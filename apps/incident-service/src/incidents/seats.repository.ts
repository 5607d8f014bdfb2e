import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';

/** A row of `workforce.seats`: a person of a property who receives incidents (`SeatId` = `<propid>_<nnn>`). */
export interface SeatRow {
  seat_id: string;
  org_id: string;
  prop_id: string;
  user_name: string;
  user_group: string;
  status: 'ACTIVE' | 'INACTIVE';
}

/** `workforce.seats` in plain SQL (ADR-19). Seats are managed over REST v1 in a later slice of issue 12. */
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

  async upsert(seat: Omit<SeatRow, 'status'> & { status?: SeatRow['status'] }): Promise<SeatRow> {
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
