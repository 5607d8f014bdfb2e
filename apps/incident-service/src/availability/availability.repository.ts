import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { lockActiveSeat } from '../seats/seats.repository';
import { wallClock } from '../ops/local-time';
import {
  seatsAvailableAt,
  type DayAvailability,
  type TimeSlot,
  type ZonesByBuilding,
} from './seat-availability';

/** A row of `workforce.seat_availability`: a seat's availability on one day of the week. */
export interface AvailabilityRow {
  seat_id: string;
  prop_id: string;
  dow: number;
  time_slots: TimeSlot[];
  zones: ZonesByBuilding | null;
  created_by: string;
  created_on: Date;
  modified_by: string;
  modified_on: Date;
}

/** A row of `workforce.seat_availability_zones`: the zones of one building a seat is available for. */
export interface AvailabilityZonesRow {
  seat_id: string;
  pid: string;
  prop_id: string;
  zones: Record<string, string>;
  created_on: Date;
  modified_on: Date;
}

/** One day's plan as a change writes it. */
export interface DayPlan {
  dow: number;
  slots: TimeSlot[];
  zones: ZonesByBuilding | null;
}

export type CreateOutcome = { created: boolean; rows: AvailabilityRow[] } | { conflict: number[] };
export type UpdateOutcome = { rows: AvailabilityRow[] } | { missing: number[] };

const ACTIVE_SEAT = `exists (select 1 from workforce.seats s where s.seat_id = a.seat_id and s.status = 'ACTIVE')`;

/** The same plan (slots and day zones), whatever the key order of the stored JSON. */
const samePlan = (row: AvailabilityRow, plan: DayPlan) =>
  JSON.stringify(row.time_slots.map(canonicalSlot)) === JSON.stringify(plan.slots.map(canonicalSlot)) &&
  JSON.stringify(canonicalZones(row.zones)) === JSON.stringify(canonicalZones(plan.zones));

/** A slot with its keys in the documented order (jsonb keeps its own). */
export const canonicalSlot = (slot: TimeSlot): TimeSlot => ({
  StartTime: slot.StartTime,
  EndTime: slot.EndTime,
  Name: slot.Name,
  NextDay: slot.NextDay,
});

function canonicalZones(zones: ZonesByBuilding | Record<string, string> | null): unknown {
  if (zones === null || typeof zones !== 'object') return zones;
  return Object.fromEntries(
    Object.keys(zones)
      .sort()
      .map((key) => [key, canonicalZones(zones[key] as never)]),
  );
}

/**
 * `workforce.seat_availability` and `workforce.seat_availability_zones` in plain SQL (ADR-19). A change
 * holds its seat (`lockActiveSeat`: active, of the property, not deleted meanwhile) and takes a per-seat
 * advisory lock, so concurrent changes to one seat's plan apply one after the other.
 */
@Injectable()
export class AvailabilityRepository {
  constructor(private readonly db: Database) {}

  private async holdSeat(tx: Sql, propId: string, seatId: string): Promise<void> {
    await lockActiveSeat(tx, propId, seatId);
    await tx.query(`select pg_advisory_xact_lock(hashtext('workforce.seat_availability:' || $1))`, [seatId]);
  }

  /**
   * Adds the seat's plan for days it has none for; a day it already has the same plan for is left as
   * it is (a retried create), one with another plan refuses the whole create (`conflict`).
   */
  async create(
    propId: string,
    seatId: string,
    plans: readonly DayPlan[],
    by: string,
  ): Promise<CreateOutcome> {
    return this.db.transaction(async (tx) => {
      await this.holdSeat(tx, propId, seatId);
      const existing = await this.daysOf(
        tx,
        seatId,
        plans.map((p) => p.dow),
      );
      const conflict = plans
        .filter((plan) => existing.some((row) => row.dow === plan.dow && !samePlan(row, plan)))
        .map((plan) => plan.dow);
      if (conflict.length > 0) return { conflict };
      const fresh = plans.filter((plan) => !existing.some((row) => row.dow === plan.dow));
      for (const plan of fresh) {
        await tx.query(
          `insert into workforce.seat_availability (seat_id, prop_id, dow, time_slots, zones, created_by, modified_by)
           values ($1, $2, $3, $4, $5, $6, $6)`,
          [
            seatId,
            propId,
            plan.dow,
            JSON.stringify(plan.slots.map(canonicalSlot)),
            zonesJson(plan.zones),
            by,
          ],
        );
      }
      return {
        created: fresh.length > 0,
        rows: await this.daysOf(
          tx,
          seatId,
          plans.map((p) => p.dow),
        ),
      };
    });
  }

  /** Replaces the plan of each day named; every day must have one already (`missing` otherwise, nothing changed). */
  async update(
    propId: string,
    seatId: string,
    plans: readonly DayPlan[],
    by: string,
  ): Promise<UpdateOutcome> {
    return this.db.transaction(async (tx) => {
      await this.holdSeat(tx, propId, seatId);
      const existing = await this.daysOf(
        tx,
        seatId,
        plans.map((p) => p.dow),
      );
      const missing = plans.filter((plan) => !existing.some((row) => row.dow === plan.dow)).map((p) => p.dow);
      if (missing.length > 0) return { missing };
      for (const plan of plans) {
        await tx.query(
          `update workforce.seat_availability
           set time_slots = $3, zones = $4, modified_by = $5, modified_on = now()
           where seat_id = $1 and dow = $2`,
          [seatId, plan.dow, JSON.stringify(plan.slots.map(canonicalSlot)), zonesJson(plan.zones), by],
        );
      }
      return {
        rows: await this.daysOf(
          tx,
          seatId,
          plans.map((p) => p.dow),
        ),
      };
    });
  }

  /** Removes the seat's plan for the days named; answers the days that had one. */
  async delete(propId: string, seatId: string, days: readonly number[]): Promise<number[]> {
    return this.db.transaction(async (tx) => {
      await this.holdSeat(tx, propId, seatId);
      const rows = await tx.query<{ dow: number }>(
        `delete from workforce.seat_availability where seat_id = $1 and dow = any($2::smallint[]) returning dow`,
        [seatId, days],
      );
      return rows.map((row) => row.dow).sort((a, b) => a - b);
    });
  }

  private async daysOf(sql: Sql, seatId: string, days?: readonly number[]): Promise<AvailabilityRow[]> {
    return sql.query<AvailabilityRow>(
      `select * from workforce.seat_availability
       where seat_id = $1 and ($2::smallint[] is null or dow = any($2::smallint[])) order by dow`,
      [seatId, days ?? null],
    );
  }

  /** The seat's plan, every day it has one, Sunday first. */
  async ofSeat(seatId: string): Promise<AvailabilityRow[]> {
    return this.daysOf(this.db, seatId);
  }

  /** The plans of the property's active seats, by seat then day; of one day of the week when `dow` is given. */
  async ofProperty(propId: string, dow?: number): Promise<AvailabilityRow[]> {
    return this.db.query<AvailabilityRow>(
      `select * from workforce.seat_availability a
       where prop_id = $1 and ($2::smallint is null or dow = $2) and ${ACTIVE_SEAT}
       order by seat_id, dow`,
      [propId, dow ?? null],
    );
  }

  /**
   * Sets the seat's zones in building `pid` when it has none there; the same zones again are a retried
   * create (`same`), other zones refuse it (`conflict`).
   */
  async createZones(
    propId: string,
    seatId: string,
    pid: string,
    zones: Record<string, string>,
    by: string,
  ): Promise<'created' | 'same' | 'conflict'> {
    return this.db.transaction(async (tx) => {
      await this.holdSeat(tx, propId, seatId);
      const [row] = await tx.query<AvailabilityZonesRow>(
        `select * from workforce.seat_availability_zones where seat_id = $1 and pid = $2`,
        [seatId, pid],
      );
      if (row) {
        return JSON.stringify(canonicalZones(row.zones)) === JSON.stringify(canonicalZones(zones))
          ? 'same'
          : 'conflict';
      }
      await tx.query(
        `insert into workforce.seat_availability_zones (seat_id, pid, prop_id, zones, created_by, modified_by)
         values ($1, $2, $3, $4, $5, $5)`,
        [seatId, pid, propId, JSON.stringify(zones), by],
      );
      return 'created';
    });
  }

  /** Replaces the seat's zones in building `pid`; false when it has none there (nothing changed). */
  async updateZones(
    propId: string,
    seatId: string,
    pid: string,
    zones: Record<string, string>,
    by: string,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.holdSeat(tx, propId, seatId);
      const rows = await tx.query(
        `update workforce.seat_availability_zones set zones = $3, modified_by = $4, modified_on = now()
         where seat_id = $1 and pid = $2 returning seat_id`,
        [seatId, pid, JSON.stringify(zones), by],
      );
      return rows.length > 0;
    });
  }

  /** Removes the seat's zones in every building; answers the buildings it had zones in. */
  async deleteZones(propId: string, seatId: string): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      await this.holdSeat(tx, propId, seatId);
      const rows = await tx.query<{ pid: string }>(
        `delete from workforce.seat_availability_zones where seat_id = $1 returning pid`,
        [seatId],
      );
      return rows.map((row) => row.pid).sort();
    });
  }

  /** The seat's zones, `{<building id>: {<zone id>: <zone name>}}` (empty when it has none). */
  async zonesOf(seatId: string): Promise<ZonesByBuilding> {
    const rows = await this.db.query<AvailabilityZonesRow>(
      `select * from workforce.seat_availability_zones where seat_id = $1 order by pid`,
      [seatId],
    );
    return Object.fromEntries(rows.map((row) => [row.pid, row.zones]));
  }

  /**
   * The active seats of property `propId` available at `at` (epoch seconds) for zone `zoneId` of building
   * `pid`, evaluated on the wall clock of `timeZone` (the building's): {@link seatsAvailableAt} over the
   * plans of that day of the week and the day before (whose `NextDay` slots reach into it). Sorted.
   */
  async availableSeats(
    propId: string,
    pid: string,
    zoneId: string,
    at: number,
    timeZone: string,
  ): Promise<string[]> {
    const { dow } = wallClock(at, timeZone);
    const rows = await this.db.query<AvailabilityRow>(
      `select seat_id, dow, time_slots, zones from workforce.seat_availability a
       where prop_id = $1 and dow = any($2::smallint[]) and ${ACTIVE_SEAT}`,
      [propId, [dow, (dow + 6) % 7]],
    );
    const zoneRows = await this.db.query<AvailabilityZonesRow>(
      `select seat_id, pid, zones from workforce.seat_availability_zones where prop_id = $1 and seat_id = any($2::text[])`,
      [propId, [...new Set(rows.map((row) => row.seat_id))]],
    );
    const seatZones = new Map<string, ZonesByBuilding>();
    for (const row of zoneRows) {
      seatZones.set(row.seat_id, { ...seatZones.get(row.seat_id), [row.pid]: row.zones });
    }
    const days: DayAvailability[] = rows.map((row) => ({
      seatId: row.seat_id,
      dow: row.dow,
      slots: row.time_slots,
      zones: row.zones,
    }));
    return seatsAvailableAt({ days, seatZones, at, timeZone, pid, zoneId });
  }
}

const zonesJson = (zones: ZonesByBuilding | null) => (zones === null ? null : JSON.stringify(zones));
