import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Sql } from '@matrix/persistence';
import { AssignmentRepository } from '../assignment/assignment.repository';
import { MAX_PICKED_UP_PER_TRANSITION, pickedUp } from '../assignment/auto-assignment';
import type { ShiftRow } from '../shifts/shift-row';
import {
  ShiftWork,
  type ShiftWorkEffect,
  type ShiftWorkListener,
  type ShiftWorkScope,
} from '../shifts/shift-work';
import { isShiftId } from './assignable-shift';
import { transit } from './incident-lifecycle';
import type { IncidentRow } from './incident-row';
import { IncidentsRepository } from './incidents.repository';

/** `By` of the timeline entries of the incidents a seat coming on shift picks up. */
export const AUTO_ASSIGNMENT_ACTOR = 'auto-assignment';

/** `By` of the timeline entries of the incidents a completed shift leaves INCOMPLETE. */
export const SHIFT_END_ACTOR = 'shift-end';

/** The unresolved incidents of shift `$1` in building `$2` (a shift id of another building locks nothing). */
const UNRESOLVED = `shift_id = $1 and pid = $2 and shift_id <> 'tbp' and status in ('ASSIGNED', 'STARTED')`;

/*
 * Lock order of every transaction that touches incidents and shifts (no two of them wait on each other in
 * a cycle):
 *
 *   1. the building's auto-assignment row (`auto_assign_buildings`, `for update`) — an auto-assigning
 *      incident create (IncidentsRepository.createBatch) and a shift write that brings a seat on shift
 *      (start, start-admin, end-break, createShiftAdhoc), before anything else;
 *   2. incident rows (`for update`) — the incident transitions (assign, start, taskStart, reassign, …) and
 *      a shift end, which locks the shift's ASSIGNED/STARTED incidents before the shift row;
 *   3. the shift row — `for update` by shift writes, `for share` by the incident writes that check it
 *      (assignIncident, createIncident, auto-assignment's pick, taskStart of an incident);
 *   4. the seat (`for share`), then the outbox.
 *
 * Two places take an incident row after the shift row, and never wait for it: a seat coming on shift
 * picks up waiting incidents with `skip locked` (one being changed right now waits for the next
 * opportunity), and a shift end finds the incidents given to the shift while it waited for the shift row
 * with `skip locked` — one held means a transaction that may be waiting for this shift row, so the end
 * runs again (ShiftWorkBusyError) and the timer leaves its clock-out for the next sweep.
 */

/**
 * What a shift's start or end does to incidents (docs/data-formats.md "Auto-assignment", "Workforce
 * incidents"), registered with shifts/' {@link ShiftWork} and run in the shift write's transaction:
 * - `on-shift` (the seat started the shift, or ended a planned break, or an ad hoc shift was created
 *   STARTED): while the building's AUTO_ASSIGN_INCIDENTS is on, the open `AutoAssigned` incidents waiting
 *   for the shift's zones that the seat's availability covers now go to the shift — at most
 *   {@link MAX_PICKED_UP_PER_TRANSITION}, oldest first — each with `assign` (INCIDENT_CREATED) and the
 *   round-robin bookkeeping of an assignment at create;
 * - `off-shift` (the shift completed: end, end-admin, the timer's clock-out): its ASSIGNED or STARTED
 *   incidents become INCOMPLETE (INCIDENT_INCOMPLETE): their work window closed with the shift.
 */
@Injectable()
export class ShiftIncidents implements ShiftWorkListener, OnModuleInit {
  constructor(
    private readonly work: ShiftWork,
    private readonly incidents: IncidentsRepository,
    private readonly assignment: AssignmentRepository,
  ) {}

  onModuleInit(): void {
    this.work.register(this);
  }

  async lockFirst(tx: Sql, scope: ShiftWorkScope, effect: ShiftWorkEffect, wait: boolean): Promise<boolean> {
    if (effect === 'on-shift') {
      await this.assignment.lockBuildings(tx, [scope.pid]);
      return true;
    }
    if (effect === 'off-shift' && scope.shiftId !== undefined && isShiftId(scope.shiftId)) {
      return this.lockUnresolved(tx, scope.shiftId, scope.pid, wait);
    }
    return true;
  }

  lockRest(tx: Sql, row: ShiftRow, effect: ShiftWorkEffect): Promise<boolean> {
    return effect === 'off-shift'
      ? this.lockUnresolved(tx, row.shift_id, row.pid, false)
      : Promise.resolve(true);
  }

  async changed(
    tx: Sql,
    row: ShiftRow,
    effect: ShiftWorkEffect,
    scope: ShiftWorkScope,
    now: Date,
  ): Promise<void> {
    if (effect === 'on-shift') await this.pickUp(tx, row, scope.timeZone ?? row.time_zone, now);
    if (effect === 'off-shift') await this.closeWork(tx, row, now);
  }

  /**
   * Locks the shift's ASSIGNED/STARTED incidents (by id); with `wait` false, none held by another
   * transaction is waited for, and false is answered when one is.
   */
  private async lockUnresolved(tx: Sql, shiftId: string, pid: string, wait: boolean): Promise<boolean> {
    const locked = await tx.query<{ task_id: string }>(
      `select task_id from workforce.incidents where ${UNRESOLVED} order by task_id for update${wait ? '' : ' skip locked'}`,
      [shiftId, pid],
    );
    if (wait) return true;
    const [all] = await tx.query<{ n: number }>(
      `select count(*)::int as n from workforce.incidents where ${UNRESOLVED}`,
      [shiftId, pid],
    );
    return (all?.n ?? 0) === locked.length;
  }

  private async pickUp(tx: Sql, shift: ShiftRow, timeZone: string, now: Date): Promise<void> {
    if (!(await this.incidents.autoAssignOn(tx, shift.pid))) return;
    // A no-op when the write locked it first (lock order above); the rotation moves under it.
    await this.assignment.lockBuildings(tx, [shift.pid]);
    const at = Math.floor(now.getTime() / 1000);
    const ids = await this.assignment.waitingFor(
      tx,
      { pid: shift.pid, propId: shift.prop_id, seatId: shift.seat_id, zones: shift.zones },
      at,
      timeZone,
      MAX_PICKED_UP_PER_TRANSITION,
    );
    if (ids.length === 0) return;
    const rows = await tx.query<IncidentRow>(
      'select * from workforce.incidents where task_id = any($1::text[]) order by created_on, task_id',
      [ids],
    );
    for (const current of rows) {
      const outcome = transit(
        { status: current.status, escalationLevel: current.escalation_level },
        'assign',
      );
      if (!outcome.ok) continue;
      await this.incidents.applyLocked(
        tx,
        current,
        outcome.to,
        'assign',
        { seatId: shift.seat_id, shiftId: shift.shift_id },
        AUTO_ASSIGNMENT_ACTOR,
        now,
      );
      await this.assignment.record(
        tx,
        current.task_id,
        shift.pid,
        pickedUp(shift.seat_id, shift.shift_id, at),
      );
    }
  }

  /**
   * The shift's ASSIGNED/STARTED incidents become INCOMPLETE, by id. All are this transaction's already
   * (`lockFirst`/`lockRest`, and nothing is given to a shift whose row it holds): `skip locked` only makes
   * sure it never waits here.
   */
  private async closeWork(tx: Sql, shift: ShiftRow, now: Date): Promise<void> {
    const rows = await tx.query<IncidentRow>(
      `select * from workforce.incidents where ${UNRESOLVED} order by task_id for update skip locked`,
      [shift.shift_id, shift.pid],
    );
    for (const current of rows) {
      const outcome = transit(
        { status: current.status, escalationLevel: current.escalation_level },
        'incomplete',
      );
      if (!outcome.ok) continue;
      await this.incidents.applyLocked(tx, current, outcome.to, 'incomplete', {}, SHIFT_END_ACTOR, now);
    }
  }
}
