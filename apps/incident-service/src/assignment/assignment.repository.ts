import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { MAX_SHIFT_SPAN } from '../shifts/shift-queries.repository';
import {
  availableForZone,
  seatsAvailableAt,
  windowsInRange,
  type AvailabilityWindow,
  type DayAvailability,
  type TimeSlot,
  type ZonesByBuilding,
} from '../availability/seat-availability';
import {
  assess,
  autoAssignOff,
  decide,
  lockedShiftHolds,
  type AutoAssignmentAnswer,
  type BreakState,
  type Candidate,
  type RotationState,
  type SeatOnShift,
} from './auto-assignment';

/** An incident to auto-assign: zone `zoneId` of building `pid` (property `propId`) at `at` (epoch seconds). */
export interface AssignmentRequest {
  propId: string;
  pid: string;
  zoneId: string;
  at: number;
  /** The building's IANA time zone: availability is its wall clock. */
  timeZone: string;
}

/** A shift of a seat in the building, as the candidate reads see it. */
export interface ShiftOfSeat extends SeatOnShift {
  status: 'STARTED' | 'PUBLISHED';
  start: number;
  end: number;
  aStart: number;
}

interface ShiftRowRead {
  shift_id: string;
  seat_id: string;
  status: 'STARTED' | 'PUBLISHED';
  zones: Record<string, string>;
  breaks: BreakState[];
  start_at: string;
  end_at: string;
  a_start: string;
}

const ACTIVE_SEAT = `exists (select 1 from workforce.seats s
  where s.seat_id = sh.seat_id and s.prop_id = sh.prop_id and s.status = 'ACTIVE')`;
const SERVES_ZONE = `(sh.zones = '{}'::jsonb or sh.zones ? $2::text)`;

const shiftOf = (row: ShiftRowRead): ShiftOfSeat => ({
  seatId: row.seat_id,
  shiftId: row.shift_id,
  zones: row.zones,
  breaks: row.breaks,
  status: row.status,
  start: Number(row.start_at),
  end: Number(row.end_at),
  aStart: Number(row.a_start),
});

/** A seat's availability plan: its days and its zones by building. */
export interface SeatPlans {
  days: DayAvailability[];
  seatZones: Map<string, ZonesByBuilding>;
}

/**
 * Auto-assignment's reads of `workforce.shifts` and the availability tables (read-only) and its own
 * tables (migration 1766000000300): the building row each auto-assigning create locks, the per-seat
 * round-robin state and the decision per incident. Plain SQL (ADR-19); every method that is part of a
 * create takes the create's transaction.
 */
@Injectable()
export class AssignmentRepository {
  constructor(private readonly db: Database) {}

  /** The pool, for reads outside a create's transaction (the availability-for-incident ops). */
  get reader(): Sql {
    return this.db;
  }

  /**
   * Locks the rotation rows of `pids` (created when missing) for the rest of `tx`, in id order, so
   * transactions that lock several buildings never wait on one another in a cycle.
   */
  async lockBuildings(tx: Sql, pids: readonly string[]): Promise<void> {
    const sorted = [...new Set(pids)].sort();
    if (sorted.length === 0) return;
    await tx.query(
      `insert into workforce.auto_assign_buildings (pid) select unnest($1::text[]) order by 1 on conflict do nothing`,
      [sorted],
    );
    await tx.query(
      `select pid from workforce.auto_assign_buildings where pid = any($1::text[]) order by pid for update`,
      [sorted],
    );
  }

  /** The seats on shift (STARTED) in building `pid` for zone `zoneId`: each active seat's latest-started shift. */
  async onShift(sql: Sql, pid: string, zoneId: string): Promise<ShiftOfSeat[]> {
    const rows = await sql.query<ShiftRowRead>(
      `select distinct on (sh.seat_id) sh.shift_id, sh.seat_id, sh.status, sh.zones, sh.breaks,
              sh.start_at, sh.end_at, sh.a_start
       from workforce.shifts sh
       where sh.pid = $1 and sh.status = 'STARTED' and ${SERVES_ZONE} and ${ACTIVE_SEAT}
       order by sh.seat_id, sh.a_start desc, sh.shift_id`,
      [pid, zoneId],
    );
    return rows.map(shiftOf);
  }

  /**
   * The shifts of active seats in building `pid` serving zone `zoneId` that may work in `[from, to)`:
   * STARTED ones, and PUBLISHED ones planned to overlap the range; by seat, then planned start.
   */
  async shiftsInRange(pid: string, zoneId: string, from: number, to: number): Promise<ShiftOfSeat[]> {
    // Two index ranges instead of every shift of the building: the STARTED ones (partial index
    // shifts_building_on_shift), and the PUBLISHED ones starting in (from − MAX_SHIFT_SPAN, to) — a shift
    // lasts at most that long (check shifts_span_bounded), so no earlier one reaches `from`
    // (index shifts_building_status_start).
    const rows = await this.db.query<ShiftRowRead>(
      `select * from (
         select sh.shift_id, sh.seat_id, sh.status, sh.zones, sh.breaks, sh.start_at, sh.end_at, sh.a_start
         from workforce.shifts sh
         where sh.pid = $1 and sh.status = 'STARTED' and ${SERVES_ZONE} and ${ACTIVE_SEAT}
         union all
         select sh.shift_id, sh.seat_id, sh.status, sh.zones, sh.breaks, sh.start_at, sh.end_at, sh.a_start
         from workforce.shifts sh
         where sh.pid = $1 and sh.status = 'PUBLISHED' and sh.start_at < $4 and sh.start_at > $3::bigint - $5::bigint
           and sh.end_at > $3 and ${SERVES_ZONE} and ${ACTIVE_SEAT}
       ) candidates
       order by seat_id, start_at, shift_id`,
      [pid, zoneId, from, to, MAX_SHIFT_SPAN],
    );
    return rows.map(shiftOf);
  }

  /** The availability plans of the active seats `seatIds` of property `propId`. */
  async plans(sql: Sql, propId: string, seatIds: readonly string[]): Promise<SeatPlans> {
    const seatZones = new Map<string, ZonesByBuilding>();
    if (seatIds.length === 0) return { days: [], seatZones };
    const rows = await sql.query<{
      seat_id: string;
      dow: number;
      time_slots: TimeSlot[];
      zones: ZonesByBuilding | null;
    }>(
      `select a.seat_id, a.dow, a.time_slots, a.zones from workforce.seat_availability a
       where a.prop_id = $1 and a.seat_id = any($2::text[])
         and exists (select 1 from workforce.seats s where s.seat_id = a.seat_id and s.status = 'ACTIVE')
       order by a.seat_id, a.dow`,
      [propId, [...seatIds]],
    );
    const zoneRows = await sql.query<{ seat_id: string; pid: string; zones: Record<string, string> }>(
      `select seat_id, pid, zones from workforce.seat_availability_zones where prop_id = $1 and seat_id = any($2::text[])`,
      [propId, [...seatIds]],
    );
    for (const row of zoneRows) {
      seatZones.set(row.seat_id, { ...seatZones.get(row.seat_id), [row.pid]: row.zones });
    }
    return {
      days: rows.map((row) => ({
        seatId: row.seat_id,
        dow: row.dow,
        slots: row.time_slots,
        zones: row.zones,
      })),
      seatZones,
    };
  }

  /** The round-robin state of `seatIds` in building `pid` (seats never auto-assigned there are absent). */
  async rotation(sql: Sql, pid: string, seatIds: readonly string[]): Promise<Map<string, RotationState>> {
    const rows = await sql.query<{
      seat_id: string;
      last_seq: string;
      last_assigned_at: string;
      last_task_id: string;
    }>(
      `select seat_id, last_seq, last_assigned_at, last_task_id from workforce.auto_assign_seats
       where pid = $1 and seat_id = any($2::text[])`,
      [pid, [...seatIds]],
    );
    return new Map(
      rows.map((row) => [
        row.seat_id,
        {
          lastSeq: Number(row.last_seq),
          lastAssignedAt: Number(row.last_assigned_at),
          lastTaskId: row.last_task_id,
        },
      ]),
    );
  }

  /**
   * The decision for a new incident, in the create's transaction: off when the building's setting is,
   * else the candidates (on shift for the zone, not on a planned break, available) and the seat the
   * round-robin picks. Locks the building's rotation row first (a no-op when the batch locked it). The
   * candidates are read without row locks; the chosen seat's shift is then held `for share` and read
   * again: one no longer STARTED, or now on a planned break, is dropped and the round-robin picks again,
   * until a pick holds or nobody is left (open, with the reason).
   */
  async decide(
    tx: Sql,
    request: AssignmentRequest,
    settingOn: boolean,
  ): Promise<{ answer: AutoAssignmentAnswer; chosen?: Candidate }> {
    if (!settingOn) return { answer: autoAssignOff(request.pid, request.at) };
    await this.lockBuildings(tx, [request.pid]);
    const onShift = await this.onShift(tx, request.pid, request.zoneId);
    const plans = await this.plans(
      tx,
      request.propId,
      onShift.map((s) => s.seatId),
    );
    const available = new Set(
      seatsAvailableAt({
        ...plans,
        at: request.at,
        timeZone: request.timeZone,
        pid: request.pid,
        zoneId: request.zoneId,
      }),
    );
    let { eligible, excluded } = assess(onShift, available, request.zoneId, request.at);
    const rotation = await this.rotation(
      tx,
      request.pid,
      eligible.map((s) => s.seatId),
    );
    for (;;) {
      const decision = decide(eligible, excluded, rotation, request.zoneId, request.at);
      const chosen = decision.chosen;
      if (!chosen) return decision;
      const held = lockedShiftHolds(await this.shareShift(tx, chosen.shiftId), request.at);
      if (held === 'HOLDS') return decision;
      // The shift ended or its seat went on a planned break between the read and the lock: pick again
      // without it (a seat on a break is named among the excluded, one whose shift ended is not on shift).
      eligible = eligible.filter((s) => s.seatId !== chosen.seatId);
      if (held === 'ON_PLANNED_BREAK') {
        excluded = [
          ...excluded,
          { SeatId: chosen.seatId, ShiftId: chosen.shiftId, Why: 'ON_PLANNED_BREAK' as const },
        ].sort((a, b) => (a.SeatId < b.SeatId ? -1 : a.SeatId > b.SeatId ? 1 : 0));
      }
    }
  }

  /**
   * The shift `shiftId` held `for share` for the rest of `tx` (a shift transition — end, break, the
   * timer's clock-out — waits for the create's commit, or committed before and is read here): its
   * status and breaks as they stand. Lock order of a create: the building's row, then the shift, then
   * the seat (`lockActiveSeat`), then the outbox — shift transitions take the shift then the outbox, and
   * none of them locks a building row or a seat, so no cycle.
   */
  private async shareShift(
    tx: Sql,
    shiftId: string,
  ): Promise<{ status: string; breaks: BreakState[] } | undefined> {
    const [row] = await tx.query<{ status: string; breaks: BreakState[] }>(
      'select status, breaks from workforce.shifts where shift_id = $1 for share',
      [shiftId],
    );
    return row;
  }

  /**
   * Stores the decision taken for incident `taskId` and, when it was assigned, moves the seat to the back
   * of the building's rotation (the building's counter + 1), in the create's transaction.
   */
  async record(tx: Sql, taskId: string, pid: string, answer: AutoAssignmentAnswer): Promise<void> {
    if (answer.Assigned) {
      await tx.query(
        `with next as (
           update workforce.auto_assign_buildings set seq = seq + 1 where pid = $1 returning seq
         )
         insert into workforce.auto_assign_seats (pid, seat_id, last_seq, last_assigned_at, last_task_id, assignments)
         select $1, $2, next.seq, $3, $4, 1 from next
         on conflict (pid, seat_id) do update set last_seq = excluded.last_seq,
           last_assigned_at = excluded.last_assigned_at, last_task_id = excluded.last_task_id,
           assignments = workforce.auto_assign_seats.assignments + 1`,
        [pid, answer.SeatId, answer.At, taskId],
      );
    }
    // A waiting incident picked up later replaces its create's open decision.
    await tx.query(
      `insert into workforce.auto_assignments (task_id, pid, assigned, seat_id, shift_id, answer, decided_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7)
       on conflict (task_id) do update set assigned = excluded.assigned, seat_id = excluded.seat_id,
         shift_id = excluded.shift_id, answer = excluded.answer, decided_at = excluded.decided_at`,
      [
        taskId,
        pid,
        answer.Assigned,
        answer.Assigned ? answer.SeatId : null,
        answer.Assigned ? answer.ShiftId : null,
        JSON.stringify(answer),
        answer.At,
      ],
    );
  }

  /**
   * The open `AutoAssigned` incidents of building `shift.pid` the seat of `shift`, now on shift, takes at
   * `at`: of the zones the shift serves (empty = all) that the seat's availability covers at `at` (on the
   * building's wall clock `timeZone`), oldest first (`created_on`, `task_id`), at most `limit`, locked
   * (`for update skip locked`: one an op is changing right now is left for the next opportunity, and the
   * shift's transaction never waits on an incident row it does not own yet). In the shift transition's
   * transaction, after the building's row and the shift row; answers the locked incidents' ids.
   */
  async waitingFor(
    tx: Sql,
    shift: { pid: string; propId: string; seatId: string; zones: Record<string, string> },
    at: number,
    timeZone: string,
    limit: number,
  ): Promise<string[]> {
    const served = Object.keys(shift.zones);
    const zones = await tx.query<{ zone_id: string }>(
      `select distinct zone_id from workforce.incidents
       where pid = $1 and status = 'NOT_ASSIGNED' and auto_assigned and (cardinality($2::text[]) = 0 or zone_id = any($2))`,
      [shift.pid, served],
    );
    if (zones.length === 0) return [];
    const plans = await this.plans(tx, shift.propId, [shift.seatId]);
    const covered = zones
      .map((z) => z.zone_id)
      .filter((zoneId) =>
        seatsAvailableAt({ ...plans, at, timeZone, pid: shift.pid, zoneId }).includes(shift.seatId),
      );
    if (covered.length === 0) return [];
    const rows = await tx.query<{ task_id: string }>(
      `select task_id from workforce.incidents
       where pid = $1 and status = 'NOT_ASSIGNED' and auto_assigned and zone_id = any($2::text[])
       order by created_on, task_id limit $3 for update skip locked`,
      [shift.pid, covered, limit],
    );
    return rows.map((row) => row.task_id);
  }

  /** The decision stored for incident `taskId`, if it was created with `AutoAssigned`. */
  async answerOf(sql: Sql, taskId: string): Promise<AutoAssignmentAnswer | undefined> {
    const [row] = await sql.query<{ answer: AutoAssignmentAnswer }>(
      'select answer from workforce.auto_assignments where task_id = $1',
      [taskId],
    );
    return row?.answer;
  }
}

/** The windows of a seat's plan in `[from, to)` that are for zone `zoneId` of building `pid`. */
export function zoneWindows(
  plans: SeatPlans,
  seatId: string,
  pid: string,
  zoneId: string,
  from: number,
  to: number,
  timeZone: string,
): AvailabilityWindow[] {
  const days = plans.days.filter((d) => d.seatId === seatId);
  const seatZones = plans.seatZones.get(seatId);
  return windowsInRange(days, from, to, timeZone).filter((w) =>
    availableForZone(days.find((d) => d.dow === w.DayOfWeek) ?? { zones: null }, seatZones, pid, zoneId),
  );
}
