import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandError } from '@matrix/messaging';
import { Database, isRetryableTransaction, OutboxWriter, sqlState, type Sql } from '@matrix/persistence';
import { WORKFORCE_OUTBOX } from '../workforce-outbox';
import { notFound } from '../ops/op-table';
import { lockActiveSeat } from '../seats/seats.repository';
import { nextShiftDeadline } from './shift-deadline';
import { shiftEvent, shiftsPublishedEvents, type ShiftEventId } from './shift-events';
import {
  transitShift,
  type ShiftStatus,
  type ShiftTransition,
  type TransitionContext,
} from './shift-lifecycle';
import { openBreakOf, type ShiftBreak, type ShiftRow } from './shift-row';
import { ShiftSettings, type ScheduleSettings } from './shift-settings';
import {
  effectOfChange,
  effectOfTransition,
  ShiftWork,
  ShiftWorkBusyError,
  type ShiftWorkScope,
} from './shift-work';
import { localTimeOf } from './shift-times';
import {
  deleteTaskGroups,
  insertTaskGroups,
  lockTaskGroups,
  publishTaskGroups,
  taskGroupIdsOf,
  taskGroupsOf,
  updateTaskGroup,
  type NewTaskGroup,
  type TaskGroupRow,
} from './task-groups.repository';
import type { ShiftAddress } from './shift-args';
import type { TaskGroupChange } from './task-group-args';

/** The building a change happens in (tenancy checked by the gateway). */
export interface ShiftBuilding {
  org: string;
  propId: string;
  pid: string;
  /** The building's IANA time zone (availability's wall clock, for the work a started shift picks up). */
  timeZone?: string;
}

export interface NewShift {
  seatId: string;
  timeZone: string;
  start: number;
  end: number;
  /** UNPUBLISHED or PUBLISHED (createShift `Publish`), STARTED (an ad hoc shift, clocked in now). */
  status: 'UNPUBLISHED' | 'PUBLISHED' | 'STARTED';
  aStart: number;
  breaks: ShiftBreak[];
  cost: { U: string; V: number } | null;
  zones: Record<string, string>;
  description: string;
  adhoc: boolean;
  taskGroups: NewTaskGroup[];
}

/** A shift with the TaskIds of its task groups, as answered. */
export interface ShiftView {
  row: ShiftRow;
  taskGroups: string[];
}

/** What a transition changes beside status and `Delayed`, and the events it publishes (in order). */
export interface ShiftChange {
  /** `Delayed` set beside the transition (a shift started late before the timer flagged it). */
  delayed?: boolean;
  aStart?: number;
  aEnd?: number;
  breaks?: ShiftBreak[];
  clockIn?: [number, number];
  clockOut?: [number, number];
  events: ShiftEventId[];
}

/** Changes of a shift's plan (updateShift). */
export interface PlanChanges {
  timeZone?: string;
  start?: number;
  end?: number;
  zones?: Record<string, string>;
  description?: string;
  cost?: { U: string; V: number };
  updateTaskGroups: TaskGroupChange[];
  addTaskGroups: NewTaskGroup[];
  deleteTaskGroupIds: string[];
}

/** The longest shift planning accepts: 24 hours (checked again under the row lock by updatePlan). */
export const MAX_SHIFT_SECONDS = 86_400;

const LIVE = `status not in ('ABSENT', 'ON_LEAVE')`;
const OVERLAP_CONSTRAINT = 'shifts_seat_no_overlap';
const toTimestamp = (epochSeconds: number | undefined) =>
  epochSeconds === undefined ? null : new Date(epochSeconds * 1000);

export const shiftLabel = (address: ShiftAddress) =>
  `shift ${address.shiftId}${address.seatId !== undefined ? ` of seat ${address.seatId}` : ''}`;

const refused = (address: ShiftAddress, rule: string) =>
  new CommandError('INVALID_TRANSITION', `${shiftLabel(address)}: ${rule}`);

/**
 * Runs a shift write again when PostgreSQL rolled it back as a deadlock (or serialization failure): two
 * concurrent writes of overlapping shifts for one seat can each wait on the other's exclusion-constraint
 * entry, and PostgreSQL then aborts one (40P01) instead of refusing it with 23P01. Run again, the aborted one
 * finds the winner (committed by then) and is refused naming it — or succeeds if the winner rolled back.
 */
async function retried<T>(write: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const again = isRetryableTransaction(error) || error instanceof ShiftWorkBusyError;
      if (attempt >= attempts || !again) throw error;
    }
  }
}

/**
 * Serialises the writes that place a shift window on `seatId` (create, updatePlan) until the transaction
 * ends: the second of two concurrent overlapping writes waits for the first to commit and then finds it with
 * `overlapping`, refused naming it. Without it both pass the check, both insert, and the exclusion
 * constraint makes each wait on the other's entry — a deadlock PostgreSQL breaks only after
 * `deadlock_timeout` (1 s) per pair, seconds for a handful of concurrent creates. A transaction-scoped
 * advisory lock rather than `for update` on the seat row, which would also queue the incident writes that
 * hold the seat `for share`.
 */
async function lockSeatWindows(tx: Sql, seatId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('workforce.shift-windows:' || $1, 0))`, [
    seatId,
  ]);
}

/** The live shift of `seatId` whose window overlaps `[start, end)`, other than `except`. */
async function overlapping(
  sql: Sql,
  seatId: string,
  start: number,
  end: number,
  except: string | null = null,
): Promise<ShiftRow | undefined> {
  const [row] = await sql.query<ShiftRow>(
    `select * from workforce.shifts
     where seat_id = $1 and ${LIVE} and int8range(start_at, end_at) && int8range($2, $3)
       and ($4::uuid is null or shift_id <> $4)
     order by start_at limit 1`,
    [seatId, start, end, except],
  );
  return row;
}

const overlapError = (seatId: string, start: number, end: number, timeZone: string, other: ShiftRow) =>
  new CommandError(
    'INVALID_TRANSITION',
    `seat ${seatId} cannot have two shifts at once: ${localTimeOf(start, timeZone)}–${localTimeOf(end, timeZone)} ` +
      `(${timeZone}) overlaps shift ${other.shift_id} (${localTimeOf(Number(other.start_at), other.time_zone)}–` +
      `${localTimeOf(Number(other.end_at), other.time_zone)}, ${other.status})`,
  );

/**
 * `workforce.shifts` and the task groups written with them, in plain SQL (ADR-19). Every change of a shift
 * is one transaction: the shift row (locked with `select … for update`, so of two concurrent transitions
 * the second sees the first's outcome and is refused by the lifecycle), its task groups, its next durable
 * deadline (`timer_at`, fired by the shift timer) and its SHIFT_* events in `workforce.outbox` (ADR-13).
 * Two live shifts of one seat never overlap: checked first to name the other shift, and by the table's
 * exclusion constraint, which refuses the second of two concurrent writes.
 */
@Injectable()
export class ShiftsRepository {
  constructor(
    private readonly db: Database,
    private readonly settings: ShiftSettings,
    private readonly work: ShiftWork,
  ) {}

  /** The shift at `address` with its task groups; undefined when not in the building (or not the seat's). */
  async find(address: ShiftAddress, sql: Sql = this.db): Promise<ShiftView | undefined> {
    const [row] = await sql.query<ShiftRow>(
      `select * from workforce.shifts where shift_id = $1 and pid = $2 and ($3::text is null or seat_id = $3)`,
      [address.shiftId, address.pid, address.seatId ?? null],
    );
    if (!row) return undefined;
    return { row, taskGroups: (await taskGroupIdsOf(sql, [row.shift_id])).get(row.shift_id)! };
  }

  /** The task groups of a shift, in start order. */
  taskGroupsOf(shiftId: string): Promise<TaskGroupRow[]> {
    return taskGroupsOf(this.db, shiftId);
  }

  /**
   * Creates shifts (with their task groups) in one transaction, all or none: each seat must be active,
   * and no shift may overlap another live shift of its seat (INVALID_TRANSITION naming it). Publishes one
   * SHIFTS_PUBLISHED for those created PUBLISHED and a SHIFT_STARTED for each created STARTED.
   */
  async create(b: ShiftBuilding, shifts: readonly NewShift[], by: string, now: Date): Promise<ShiftView[]> {
    const settings = await this.settings.of(b.pid);
    try {
      return await retried(() =>
        this.db.transaction(async (tx) => {
          // A shift created STARTED (ad hoc) comes on shift: what that locks first (the building's
          // auto-assignment row) before the seats, as an incident create does (shift-work.ts).
          const scope: ShiftWorkScope = { pid: b.pid, ...(b.timeZone ? { timeZone: b.timeZone } : {}) };
          if (shifts.some((s) => s.status === 'STARTED')) {
            await this.work.listener.lockFirst(tx, scope, 'on-shift', true);
          }
          for (const seatId of [...new Set(shifts.map((s) => s.seatId))].sort()) {
            await lockActiveSeat(tx, b.propId, seatId);
            await lockSeatWindows(tx, seatId);
          }
          const views: ShiftView[] = [];
          for (const shift of shifts) {
            const other = await overlapping(tx, shift.seatId, shift.start, shift.end);
            if (other) throw overlapError(shift.seatId, shift.start, shift.end, shift.timeZone, other);
            const deadline = nextShiftDeadline({ ...shift, delayed: false }, settings);
            const [row] = await tx.query<ShiftRow>(
              `insert into workforce.shifts
               (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, a_start, status, breaks,
                cost, zones, description, adhoc, created_by, created_on, modified_by, modified_on, timer_at, timer_kind)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15, $16, $17,
                     $16, $17, $18, $19)
             returning *`,
              [
                randomUUID(),
                b.org,
                b.propId,
                b.pid,
                shift.seatId,
                shift.timeZone,
                shift.start,
                shift.end,
                shift.aStart,
                shift.status,
                JSON.stringify(shift.breaks),
                shift.cost === null ? null : JSON.stringify(shift.cost),
                JSON.stringify(shift.zones),
                shift.description,
                shift.adhoc,
                by,
                now,
                toTimestamp(deadline?.at),
                deadline?.kind ?? null,
              ],
            );
            views.push({
              row: row!,
              taskGroups: await insertTaskGroups(tx, row!, shift.taskGroups, by, now),
            });
          }
          const outbox = new OutboxWriter(tx, WORKFORCE_OUTBOX);
          const published = views.filter((v) => v.row.status === 'PUBLISHED').sort(byStart);
          for (const event of shiftsPublishedEvents(b.pid, b.propId, published, by, now)) {
            await outbox.event(event.RoutingKey, event);
          }
          for (const view of views.filter((v) => v.row.status === 'STARTED')) {
            const event = shiftEvent('SHIFT_STARTED', view.row, view.taskGroups, by, now);
            await outbox.event(event.RoutingKey, event);
            await this.work.listener.changed(
              tx,
              view.row,
              effectOfChange(undefined, view.row),
              { ...scope, shiftId: view.row.shift_id },
              now,
            );
          }
          return views;
        }),
      );
    } catch (error) {
      throw await this.overlapOf(error, shifts);
    }
  }

  /** A refused concurrent write (the exclusion constraint) as the INVALID_TRANSITION naming the shift that won. */
  private async overlapOf(
    error: unknown,
    shifts: readonly { seatId: string; start: number; end: number; timeZone: string; except?: string }[],
  ): Promise<unknown> {
    if (
      sqlState(error) !== '23P01' ||
      !(error as { constraint?: string }).constraint?.includes(OVERLAP_CONSTRAINT)
    ) {
      return error;
    }
    for (const shift of shifts) {
      const other = await overlapping(this.db, shift.seatId, shift.start, shift.end, shift.except ?? null);
      if (other) return overlapError(shift.seatId, shift.start, shift.end, shift.timeZone, other);
    }
    return new CommandError('INVALID_TRANSITION', 'a seat cannot have two shifts at once');
  }

  /**
   * The timer's check before it writes the locked `row`: whether the work given to the shift can be locked
   * now without waiting (shift-work.ts `lockRest`); false leaves the deadline for the next sweep.
   */
  workLockable(tx: Sql, row: ShiftRow, transition: ShiftTransition): Promise<boolean> {
    return this.work.listener.lockRest(tx, row, effectOfTransition(transition));
  }

  /** The shift at `address`, locked for the rest of the transaction. */
  private async lock(tx: Sql, address: ShiftAddress): Promise<ShiftRow | undefined> {
    const [row] = await tx.query<ShiftRow>(
      'select * from workforce.shifts where shift_id = $1 and pid = $2 for update',
      [address.shiftId, address.pid],
    );
    return row;
  }

  /**
   * Applies a lifecycle transition to the shift at `address`: NOT_FOUND when it is not in the building;
   * INVALID_TRANSITION naming the rule when the lifecycle refuses it (a body naming another seat than the
   * shift's is refused by the lifecycle: a seat works only its own shifts). `change` computes, from the
   * locked row, what else changes and which events are published.
   */
  async transition(
    address: ShiftAddress,
    transition: ShiftTransition,
    context: TransitionContext,
    change: (row: ShiftRow, settings: ScheduleSettings) => ShiftChange,
    by: string,
    now: Date,
    timeZone?: string,
  ): Promise<ShiftView> {
    const settings = await this.settings.of(address.pid);
    const effect = effectOfTransition(transition);
    const scope: ShiftWorkScope = {
      pid: address.pid,
      shiftId: address.shiftId,
      ...(timeZone ? { timeZone } : {}),
    };
    let window: { seatId: string; start: number; end: number; timeZone: string; except: string } | undefined;
    try {
      // Run again (retried) when an incident given to the shift while this waited for its row is held.
      return await retried(() =>
        this.db.transaction(async (tx) => {
          // Lock order (shift-work.ts): what the effect locks first — the building's auto-assignment row
          // (`on-shift`), the shift's unresolved incidents (`off-shift`) — then the shift row.
          await this.work.listener.lockFirst(tx, scope, effect, true);
          const row = await this.lock(tx, address);
          if (!row) throw notFound(shiftLabel(address));
          const outcome = transitShift(stateOf(row), transition, {
            ...(address.seatId !== undefined ? { seatId: address.seatId } : {}),
            ...context,
          });
          if (!outcome.ok) throw refused(address, outcome.rule);
          if (!(await this.work.listener.lockRest(tx, row, effect))) {
            throw new ShiftWorkBusyError(row.shift_id);
          }
          window = {
            seatId: row.seat_id,
            start: Number(row.start_at),
            end: Number(row.end_at),
            timeZone: row.time_zone,
            except: row.shift_id,
          };
          return this.apply(tx, row, outcome.to, change(row, settings), settings, by, now, scope);
        }),
      );
    } catch (error) {
      // An ABSENT (or ON_LEAVE) shift holds no window: started again (shiftStartAdmin), it takes its window
      // back, which the exclusion constraint refuses when another live shift of the seat holds it meanwhile.
      throw await this.overlapOf(error, window ? [window] : []);
    }
  }

  /**
   * Writes a transition's outcome to the locked `row`: the row, its next deadline, its events, then what it
   * means for the work given to the shift (shift-work.ts: assignments of waiting incidents, INCOMPLETE ones),
   * after the shift's own events. Also the timer's.
   */
  async apply(
    tx: Sql,
    row: ShiftRow,
    to: { status: ShiftStatus; delayed: boolean },
    change: ShiftChange,
    settings: ScheduleSettings,
    by: string,
    now: Date,
    scope: ShiftWorkScope = { pid: row.pid, shiftId: row.shift_id },
  ): Promise<ShiftView> {
    const delayed = change.delayed ?? to.delayed;
    const deadline = nextShiftDeadline(
      { status: to.status, delayed, start: Number(row.start_at), end: Number(row.end_at) },
      settings,
    );
    const [updated] = await tx.query<ShiftRow>(
      `update workforce.shifts
       set status = $2, delayed = $3, a_start = coalesce($4, a_start), a_end = coalesce($5, a_end),
           breaks = coalesce($6::jsonb, breaks),
           clock_in_lat = coalesce($7, clock_in_lat), clock_in_long = coalesce($8, clock_in_long),
           clock_out_lat = coalesce($9, clock_out_lat), clock_out_long = coalesce($10, clock_out_long),
           modified_by = $11, modified_on = $12, timer_at = $13, timer_kind = $14
       where shift_id = $1 returning *`,
      [
        row.shift_id,
        to.status,
        delayed,
        change.aStart ?? null,
        change.aEnd ?? null,
        change.breaks ? JSON.stringify(change.breaks) : null,
        change.clockIn?.[0] ?? null,
        change.clockIn?.[1] ?? null,
        change.clockOut?.[0] ?? null,
        change.clockOut?.[1] ?? null,
        by,
        now,
        toTimestamp(deadline?.at),
        deadline?.kind ?? null,
      ],
    );
    const taskGroups = (await taskGroupIdsOf(tx, [row.shift_id])).get(row.shift_id)!;
    const outbox = new OutboxWriter(tx, WORKFORCE_OUTBOX);
    for (const eventId of change.events) {
      const event = shiftEvent(eventId, updated!, taskGroups, by, now);
      await outbox.event(event.RoutingKey, event);
    }
    await this.work.listener.changed(tx, updated!, effectOfChange(row, updated!), scope, now);
    return { row: updated!, taskGroups };
  }

  /**
   * Changes a shift's plan and its task groups (updateShift), all or nothing: only a shift not started
   * (INVALID_TRANSITION otherwise), a task group named must be the shift's (NOT_FOUND) and not started
   * yet (INVALID_TRANSITION), and the new window must not overlap another live shift of the seat.
   */
  async updatePlan(address: ShiftAddress, changes: PlanChanges, by: string, now: Date): Promise<ShiftView> {
    const settings = await this.settings.of(address.pid);
    let window: { seatId: string; start: number; end: number; timeZone: string; except: string } | undefined;
    try {
      return await retried(() =>
        this.db.transaction(async (tx) => {
          const row = await this.lock(tx, address);
          if (!row || (address.seatId !== undefined && row.seat_id !== address.seatId)) {
            throw notFound(shiftLabel(address));
          }
          const outcome = transitShift(stateOf(row), 'update');
          if (!outcome.ok) throw refused(address, outcome.rule);
          const start = changes.start ?? Number(row.start_at);
          const end = changes.end ?? Number(row.end_at);
          if (end <= start) {
            throw new CommandError(
              'WRONG_PARAMETERS',
              `Shift.End: must be after Shift.Start (the shift would run ${start}–${end})`,
            );
          }
          // Checked by the action on the row it read, and again here on the locked row: two concurrent
          // updates (one moving Start, one End) would otherwise combine into a shift over 24 hours.
          if (end - start > MAX_SHIFT_SECONDS) {
            throw new CommandError(
              'WRONG_PARAMETERS',
              `Shift.End: a shift lasts at most 24 hours (the shift would run ${start}–${end})`,
            );
          }
          const timeZone = changes.timeZone ?? row.time_zone;
          window = { seatId: row.seat_id, start, end, timeZone, except: row.shift_id };
          await lockSeatWindows(tx, row.seat_id);
          const other = await overlapping(tx, row.seat_id, start, end, row.shift_id);
          if (other) throw overlapError(row.seat_id, start, end, timeZone, other);
          const groups = new Map((await lockTaskGroups(tx, row.shift_id)).map((g) => [g.task_id, g]));
          for (const taskId of [
            ...changes.deleteTaskGroupIds,
            ...changes.updateTaskGroups.map((g) => g.taskId),
          ]) {
            const group = groups.get(taskId);
            if (!group) throw notFound(`task group ${taskId} of ${shiftLabel(address)}`);
            if (group.status !== 'UNPUBLISHED' && group.status !== 'PUBLISHED') {
              throw refused(
                address,
                `task group ${taskId} is ${group.status}: only a task group not started is changed`,
              );
            }
          }
          for (const change of changes.updateTaskGroups) {
            const group = groups.get(change.taskId)!;
            if ((change.end ?? Number(group.end_at)) <= (change.start ?? Number(group.start_at))) {
              throw new CommandError(
                'WRONG_PARAMETERS',
                `TaskGroups: task group ${change.taskId} must end after it starts`,
              );
            }
          }
          const deadline = nextShiftDeadline(
            { status: row.status, delayed: row.delayed, start, end },
            settings,
          );
          const [updated] = await tx.query<ShiftRow>(
            `update workforce.shifts
           set time_zone = $2, start_at = $3, end_at = $4, zones = coalesce($5::jsonb, zones),
               description = coalesce($6, description), cost = coalesce($7::jsonb, cost),
               modified_by = $8, modified_on = $9, timer_at = $10, timer_kind = $11
           where shift_id = $1 returning *`,
            [
              row.shift_id,
              timeZone,
              start,
              end,
              changes.zones ? JSON.stringify(changes.zones) : null,
              changes.description ?? null,
              changes.cost ? JSON.stringify(changes.cost) : null,
              by,
              now,
              toTimestamp(deadline?.at),
              deadline?.kind ?? null,
            ],
          );
          await deleteTaskGroups(tx, row.shift_id, changes.deleteTaskGroupIds);
          for (const change of changes.updateTaskGroups) {
            const { taskId, ...fields } = change;
            await updateTaskGroup(tx, row.shift_id, taskId, fields, now);
          }
          await insertTaskGroups(tx, updated!, changes.addTaskGroups, by, now);
          return { row: updated!, taskGroups: (await taskGroupIdsOf(tx, [row.shift_id])).get(row.shift_id)! };
        }),
      );
    } catch (error) {
      throw await this.overlapOf(error, window ? [window] : []);
    }
  }

  /**
   * Deletes shifts (and their task groups), all or none: each must be in the building and of the seat named
   * (NOT_FOUND), and deletable by the lifecycle (INVALID_TRANSITION). No event: none is documented.
   */
  async delete(addresses: readonly ShiftAddress[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const sorted = [...addresses].sort((a, b) => a.shiftId.localeCompare(b.shiftId));
      for (const address of sorted) {
        const row = await this.lock(tx, address);
        if (!row || (address.seatId !== undefined && row.seat_id !== address.seatId)) {
          throw notFound(shiftLabel(address));
        }
        const outcome = transitShift(stateOf(row), 'delete');
        if (!outcome.ok) throw refused(address, outcome.rule);
      }
      const ids = [...new Set(addresses.map((a) => a.shiftId))];
      await tx.query('delete from workforce.shifts where shift_id = any($1::uuid[])', [ids]);
      return ids;
    });
  }

  /**
   * Publishes the UNPUBLISHED shifts among those named (each must be in the building, of the seat named:
   * NOT_FOUND otherwise, nothing published) or among the building's starting in `[from, to)` (the first
   * {@link limit} by start); shifts already published (or further) are left as they are. One
   * SHIFTS_PUBLISHED lists the shifts published, none when there were none.
   */
  async publish(
    b: ShiftBuilding,
    selection: { addresses: readonly ShiftAddress[] } | { from: number; to: number; limit: number },
    by: string,
    now: Date,
  ): Promise<{ published: ShiftView[]; more: boolean }> {
    const settings = await this.settings.of(b.pid);
    return this.db.transaction(async (tx) => {
      let candidates: ShiftRow[];
      let more = false;
      if ('addresses' in selection) {
        candidates = [];
        const sorted = [...selection.addresses].sort((x, y) => x.shiftId.localeCompare(y.shiftId));
        for (const address of sorted) {
          const row = await this.lock(tx, address);
          if (!row || (address.seatId !== undefined && row.seat_id !== address.seatId)) {
            throw notFound(shiftLabel(address));
          }
          if (!candidates.some((c) => c.shift_id === row.shift_id)) candidates.push(row);
        }
      } else {
        candidates = await tx.query<ShiftRow>(
          `select * from workforce.shifts
           where pid = $1 and status = 'UNPUBLISHED' and start_at >= $2 and start_at < $3
           order by start_at, shift_id limit $4 for update`,
          [b.pid, selection.from, selection.to, selection.limit + 1],
        );
        more = candidates.length > selection.limit;
        candidates = candidates.slice(0, selection.limit);
      }
      const toPublish = candidates
        .filter((row) => transitShift(stateOf(row), 'publish').ok)
        .sort((x, y) => Number(x.start_at) - Number(y.start_at) || x.shift_id.localeCompare(y.shift_id));
      if (toPublish.length === 0) return { published: [], more };
      const ids = toPublish.map((row) => row.shift_id);
      const timers = toPublish.map((row) =>
        nextShiftDeadline(
          { status: 'PUBLISHED', delayed: row.delayed, start: Number(row.start_at), end: Number(row.end_at) },
          settings,
        ),
      );
      const updated = await tx.query<ShiftRow>(
        `update workforce.shifts s
         set status = 'PUBLISHED', modified_by = $2, modified_on = $3, timer_at = t.timer_at, timer_kind = t.timer_kind
         from unnest($1::uuid[], $4::timestamptz[], $5::text[]) as t(shift_id, timer_at, timer_kind)
         where s.shift_id = t.shift_id
         returning s.*`,
        [ids, by, now, timers.map((t) => toTimestamp(t?.at)), timers.map((t) => t?.kind ?? null)],
      );
      await publishTaskGroups(tx, ids, now);
      const taskGroups = await taskGroupIdsOf(tx, ids);
      const byId = new Map(updated.map((row) => [row.shift_id, row]));
      const published = ids.map((id) => ({ row: byId.get(id)!, taskGroups: taskGroups.get(id)! }));
      const outbox = new OutboxWriter(tx, WORKFORCE_OUTBOX);
      for (const event of shiftsPublishedEvents(b.pid, b.propId, published, by, now)) {
        await outbox.event(event.RoutingKey, event);
      }
      return { published, more };
    });
  }
}

/** Start order of shifts: `(start_at, shift_id)`, the order of the lists and of SHIFTS_PUBLISHED. */
const byStart = (x: ShiftView, y: ShiftView) =>
  Number(x.row.start_at) - Number(y.row.start_at) || x.row.shift_id.localeCompare(y.row.shift_id);

/** What the lifecycle needs of a shift row. */
export const stateOf = (row: ShiftRow) => ({
  status: row.status,
  delayed: row.delayed,
  seatId: row.seat_id,
  openBreakId: openBreakOf(row.breaks)?.ID ?? null,
});
