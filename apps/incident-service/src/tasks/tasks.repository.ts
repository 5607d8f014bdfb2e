import { Injectable } from '@nestjs/common';
import { Database, OutboxWriter, type Sql } from '@matrix/persistence';
import type { TaskEventIdV1 } from '@matrix/contracts';
import { newTaskId } from '../incidents/incidents.repository';
import type { IncidentRow } from '../incidents/incident-row';
import { WORKFORCE_OUTBOX } from '../workforce-outbox';
import { taskEvent } from './task-events';
import type { TaskGroupRow, TaskItem } from './task-group-row';
import { transitTask, type TaskGroupStatus, type TaskGroupType, type TaskTransition } from './task-lifecycle';

/** What the task ops read of a shift (`workforce.shifts`, written by the shift ops; read-only here). */
export interface ShiftRef {
  shift_id: string;
  seat_id: string;
  org_id: string;
  prop_id: string;
  pid: string;
  time_zone: string;
  status: string;
}

/** Where a task group is: its building (tenancy checked by the gateway), its shift, and its id. */
export interface TaskAddress {
  pid: string;
  shiftId: string;
  taskId: string;
  /** Reads and removal: the seat the body names must be the shift's (NOT_FOUND otherwise). */
  seatId?: string;
}

export interface NewTaskGroup {
  name: string;
  priority: TaskGroupRow['priority'];
  start: number;
  end: number;
  timeZone?: string;
  zoneId: string;
  zoneName: string;
  zoneCategoryId: string | null;
  tasks: TaskItem[];
  bySource?: string;
}

export type TaskResult =
  | { kind: 'done'; row: TaskGroupRow }
  | { kind: 'refused'; rule: string }
  | { kind: 'not-found'; what: 'shift' | 'task group' };

/** A shift id is a UUID; anything else (a seat id: the seat-direct special case) names no shift row. */
export const isShiftId = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Where a keyset page of task groups (or incidents) stops. */
export interface TaskPosition {
  startBy: number;
  taskId: string;
}

/** What a range query selects; every field optional but the building or property. */
export interface TaskFilter {
  pid?: string;
  propId?: string;
  shiftId?: string;
  seatId?: string;
  zoneId?: string;
  from?: number;
  to?: number;
  types?: readonly TaskGroupType[];
  status?: string;
  after?: TaskPosition;
}

/** `TasksFor` of getLastNTasks: whose completed task groups. */
export type CompletedScope =
  | { kind: 'ID'; pid: string }
  | { kind: 'PROP'; propId: string }
  | { kind: 'ZONE'; pid: string; zoneId: string }
  | { kind: 'SEAT'; pid: string; seatId: string };

/** Counts of a building's or seat's task groups that start in a range (getTaskGroup[t]MetricsFor…). */
export interface TaskCounts {
  status: TaskGroupStatus;
  type: TaskGroupType;
  n: number;
  on_time: number;
  late: number;
  worked: string | null;
}

const EVENT_OF: Partial<Record<TaskTransition, TaskEventIdV1>> = {
  'start-adhoc': 'TASK_STARTED',
  end: 'TASK_COMPLETED',
  'end-adhoc': 'TASK_COMPLETED',
  incomplete: 'TASK_INCOMPLETE',
};

const SHIFT_COLUMNS = 'shift_id, seat_id, org_id, prop_id, pid, time_zone, status';

/**
 * `workforce.task_groups` as the task ops change and read it, in plain SQL (ADR-19). Every change of a
 * task group's state is one transaction: its shift held `for share` (a concurrent shift transition waits,
 * so the shift's status read is the one in force), the task-group row locked `for update` (of two
 * concurrent transitions the second sees the first's outcome and the lifecycle refuses it), the row
 * updated and its TASK_* event written to `workforce.outbox` (ADR-13). The shift rows are the shift ops'
 * (src/shifts/); this repository only reads them.
 */
@Injectable()
export class TasksRepository {
  constructor(private readonly db: Database) {}

  /** The shift `shiftId` of building `pid`, or undefined (a non-UUID id names none). */
  async findShift(pid: string, shiftId: string, sql: Sql = this.db): Promise<ShiftRef | undefined> {
    if (!isShiftId(shiftId)) return undefined;
    const [row] = await sql.query<ShiftRef>(
      `select ${SHIFT_COLUMNS} from workforce.shifts where shift_id = $1 and pid = $2`,
      [shiftId, pid],
    );
    return row;
  }

  private async shareShift(tx: Sql, pid: string, shiftId: string): Promise<ShiftRef | undefined> {
    if (!isShiftId(shiftId)) return undefined;
    const [row] = await tx.query<ShiftRef>(
      `select ${SHIFT_COLUMNS} from workforce.shifts where shift_id = $1 and pid = $2 for share`,
      [shiftId, pid],
    );
    return row;
  }

  /** Adds a planned task group (`TASK`) to the shift of `seatId`, as the lifecycle allows. */
  async add(
    pid: string,
    shiftId: string,
    seatId: string,
    group: NewTaskGroup,
    by: string,
    now: Date,
  ): Promise<TaskResult> {
    return this.create(pid, shiftId, seatId, group, 'add', by, now);
  }

  /** Starts an ad hoc task group (`ADHOC`) on the running shift, now; TASK_STARTED. */
  async startAdhoc(
    pid: string,
    shiftId: string,
    group: NewTaskGroup,
    by: string,
    now: Date,
  ): Promise<TaskResult> {
    return this.create(pid, shiftId, undefined, group, 'start-adhoc', by, now);
  }

  private create(
    pid: string,
    shiftId: string,
    seatId: string | undefined,
    group: NewTaskGroup,
    transition: 'add' | 'start-adhoc',
    by: string,
    now: Date,
  ): Promise<TaskResult> {
    return this.db.transaction(async (tx) => {
      const shift = await this.shareShift(tx, pid, shiftId);
      if (!shift || (seatId !== undefined && shift.seat_id !== seatId)) {
        return { kind: 'not-found', what: 'shift' } as const;
      }
      const outcome = transitTask(null, transition, { shiftStatus: shift.status });
      if (!outcome.ok) return { kind: 'refused', rule: outcome.rule } as const;
      const at = Math.floor(now.getTime() / 1000);
      const [row] = await tx.query<TaskGroupRow>(
        `insert into workforce.task_groups
           (task_id, shift_id, seat_id, org_id, prop_id, pid, zone_id, zone_name, zone_category_id, name, priority,
            time_zone, start_at, end_at, a_start, status, tasks, type, by_source, created_by, created_on, modified_on)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, $18, $19, $20, $21, $21)
         returning *`,
        [
          newTaskId(now),
          shift.shift_id,
          shift.seat_id,
          shift.org_id,
          shift.prop_id,
          shift.pid,
          group.zoneId,
          group.zoneName,
          group.zoneCategoryId,
          group.name,
          group.priority,
          group.timeZone ?? shift.time_zone,
          group.start,
          group.end,
          transition === 'start-adhoc' ? at : 0,
          outcome.to,
          JSON.stringify(group.tasks),
          transition === 'start-adhoc' ? 'ADHOC' : 'TASK',
          group.bySource ?? null,
          by,
          now,
        ],
      );
      await this.record(tx, row!, transition, by, now);
      return { kind: 'done', row: row! } as const;
    });
  }

  /**
   * Applies `transition` to the task group at `address` if the lifecycle allows it: `seatId` is the seat
   * the body names (the shift's, or the rule refuses), `tasks` replace the work items (end-adhoc).
   */
  async transition(
    address: TaskAddress,
    transition: 'start' | 'pause' | 'end' | 'end-adhoc' | 'remove',
    seatId: string | undefined,
    by: string,
    now: Date,
    tasks?: TaskItem[],
  ): Promise<TaskResult> {
    return this.db.transaction(async (tx) => {
      const shift = await this.shareShift(tx, address.pid, address.shiftId);
      if (!shift) return { kind: 'not-found', what: 'shift' } as const;
      const [current] = await tx.query<TaskGroupRow>(
        'select * from workforce.task_groups where task_id = $1 and shift_id = $2 for update',
        [address.taskId, shift.shift_id],
      );
      if (!current || (address.seatId !== undefined && address.seatId !== current.seat_id)) {
        return { kind: 'not-found', what: 'task group' } as const;
      }
      const outcome = transitTask(
        { status: current.status, type: current.type, seatId: current.seat_id },
        transition,
        { shiftStatus: shift.status, ...(seatId !== undefined ? { seatId } : {}) },
      );
      if (!outcome.ok) return { kind: 'refused', rule: outcome.rule } as const;
      if (transition === 'remove') {
        await tx.query('delete from workforce.task_groups where task_id = $1', [current.task_id]);
        return { kind: 'done', row: current } as const;
      }
      const ending = transition === 'end' || transition === 'end-adhoc';
      const [updated] = await tx.query<TaskGroupRow>(
        `update workforce.task_groups
         set status = $2,
             a_start = case when $3 and a_start = 0 then $4 else a_start end,
             a_end = case when $5 then $4 else a_end end,
             paused_seconds = paused_seconds + case when $6 and paused_at > 0 then $4 - paused_at else 0 end,
             paused_at = case when $7 then $4 when $6 then 0 else paused_at end,
             tasks = coalesce($8::jsonb, tasks), modified_on = $9
         where task_id = $1 returning *`,
        [
          current.task_id,
          outcome.to,
          transition === 'start',
          Math.floor(now.getTime() / 1000),
          ending,
          transition === 'start' || ending,
          transition === 'pause',
          tasks ? JSON.stringify(tasks) : null,
          now,
        ],
      );
      // The first start is TASK_STARTED; resuming a paused task group (and pausing it) publishes nothing.
      if (transition === 'start' && Number(current.a_start) === 0) {
        await this.write(tx, 'TASK_STARTED', updated!, by, now);
      } else {
        await this.record(tx, updated!, transition, by, now);
      }
      return { kind: 'done', row: updated! } as const;
    });
  }

  /** Marks an open task group INCOMPLETE (the timer), in the caller's transaction, with TASK_INCOMPLETE. */
  async markIncomplete(tx: Sql, row: TaskGroupRow, by: string, now: Date): Promise<TaskGroupRow | undefined> {
    const outcome = transitTask({ status: row.status, type: row.type, seatId: row.seat_id }, 'incomplete');
    if (!outcome.ok) return undefined;
    const at = Math.floor(now.getTime() / 1000);
    const [updated] = await tx.query<TaskGroupRow>(
      `update workforce.task_groups
       set status = 'INCOMPLETE', modified_on = $3,
           paused_seconds = paused_seconds + case when paused_at > 0 then $4 - paused_at else 0 end, paused_at = 0
       where task_id = $1 and status = $2 returning *`,
      [row.task_id, row.status, now, at],
    );
    if (updated) await this.record(tx, updated, 'incomplete', by, now);
    return updated;
  }

  private async record(
    tx: Sql,
    row: TaskGroupRow,
    transition: TaskTransition,
    by: string,
    now: Date,
  ): Promise<void> {
    const eventId = EVENT_OF[transition];
    if (eventId) await this.write(tx, eventId, row, by, now);
  }

  private async write(
    tx: Sql,
    eventId: TaskEventIdV1,
    row: TaskGroupRow,
    by: string,
    now: Date,
  ): Promise<void> {
    const event = taskEvent(eventId, row, by, now);
    await new OutboxWriter(tx, WORKFORCE_OUTBOX).event(event.RoutingKey, event);
  }

  /** Replaces the attachments of the task group at `address`; undefined when there is none. */
  async setAttachments(
    address: TaskAddress,
    attachments: string[],
    now: Date,
  ): Promise<TaskGroupRow | undefined> {
    if (!isShiftId(address.shiftId)) return undefined;
    const [row] = await this.db.query<TaskGroupRow>(
      `update workforce.task_groups set attachments = $5::jsonb, modified_on = $6
       where task_id = $1 and shift_id = $2 and pid = $3 and ($4::text is null or seat_id = $4) returning *`,
      [
        address.taskId,
        address.shiftId,
        address.pid,
        address.seatId ?? null,
        JSON.stringify(attachments),
        now,
      ],
    );
    return row;
  }

  /** The task group at `address`, or undefined. */
  async find(address: TaskAddress): Promise<TaskGroupRow | undefined> {
    if (!isShiftId(address.shiftId)) return undefined;
    const [row] = await this.db.query<TaskGroupRow>(
      `select * from workforce.task_groups
       where task_id = $1 and shift_id = $2 and pid = $3 and ($4::text is null or seat_id = $4)`,
      [address.taskId, address.shiftId, address.pid, address.seatId ?? null],
    );
    return row;
  }

  /** Task groups matching `filter`, in `(Start, TaskId)` order after `filter.after`, at most `limit`. */
  async taskGroups(filter: TaskFilter, limit: number): Promise<TaskGroupRow[]> {
    if (filter.shiftId !== undefined && !isShiftId(filter.shiftId)) return [];
    return this.db.query<TaskGroupRow>(
      `select * from workforce.task_groups
       where ($1::text is null or pid = $1) and ($2::text is null or prop_id = $2)
         and ($3::uuid is null or shift_id = $3) and ($4::text is null or seat_id = $4)
         and ($5::text is null or zone_id = $5)
         and ($6::bigint is null or start_at >= $6) and ($7::bigint is null or start_at <= $7)
         and ($8::text[] is null or type = any($8)) and ($9::text is null or status = $9)
         and ($10::bigint is null or (start_at, task_id) > ($10, $11))
       order by start_at, task_id limit $12`,
      [
        filter.pid ?? null,
        filter.propId ?? null,
        filter.shiftId ?? null,
        filter.seatId ?? null,
        filter.zoneId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.types ?? null,
        filter.status ?? null,
        filter.after?.startBy ?? null,
        filter.after?.taskId ?? null,
        limit,
      ],
    );
  }

  /** Incidents assigned to a seat (not open) matching `filter`, in `(Start, TaskId)` order, at most `limit`. */
  async assignedIncidents(filter: TaskFilter, limit: number): Promise<IncidentRow[]> {
    return this.db.query<IncidentRow>(
      `select * from workforce.incidents
       where seat_id <> 'tbp' and shift_id <> 'tbp'
         and ($1::text is null or pid = $1) and ($2::text is null or prop_id = $2)
         and ($3::text is null or shift_id = $3) and ($4::text is null or seat_id = $4)
         and ($5::text is null or zone_id = $5)
         and ($6::bigint is null or start_by >= $6) and ($7::bigint is null or start_by <= $7)
         and ($8::bigint is null or (start_by, task_id) > ($8, $9))
       order by start_by, task_id limit $10`,
      [
        filter.pid ?? null,
        filter.propId ?? null,
        filter.shiftId ?? null,
        filter.seatId ?? null,
        filter.zoneId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.after?.startBy ?? null,
        filter.after?.taskId ?? null,
        limit,
      ],
    );
  }

  /**
   * The last `limit` COMPLETED task groups of `scope` whose `AEnd` is in `[from, to]` (either end open),
   * newest `AEnd` first. Each scope has its own statement so its partial index
   * (`task_groups_<scope>_completed`, `… a_end desc, task_id desc where status = 'COMPLETED'`) serves it:
   * `Limit 1` — a zone's last clean time — is one index probe.
   */
  async lastCompleted(
    scope: CompletedScope,
    from: number | undefined,
    to: number | undefined,
    limit: number,
  ): Promise<TaskGroupRow[]> {
    const [where, keys] =
      scope.kind === 'ZONE'
        ? ['pid = $1 and zone_id = $2', [scope.pid, scope.zoneId]]
        : scope.kind === 'SEAT'
          ? ['seat_id = $2 and pid = $1', [scope.pid, scope.seatId]]
          : scope.kind === 'PROP'
            ? ['prop_id = $1 and $2::text is null', [scope.propId, null]]
            : ['pid = $1 and $2::text is null', [scope.pid, null]];
    return this.db.query<TaskGroupRow>(
      `select * from workforce.task_groups
       where status = 'COMPLETED' and ${where}
         and ($3::bigint is null or a_end >= $3) and ($4::bigint is null or a_end <= $4)
       order by a_end desc, task_id desc limit $5`,
      [...keys, from ?? null, to ?? null, limit],
    );
  }

  /** Counts by status and type of the task groups of a building (or one seat of it) starting in `[from, to]`. */
  async counts(pid: string, seatId: string | undefined, from: number, to: number): Promise<TaskCounts[]> {
    return this.db.query<TaskCounts>(
      `select status, type, count(*)::int as n,
              count(*) filter (where status = 'COMPLETED' and a_end <= end_at)::int as on_time,
              count(*) filter (where status = 'COMPLETED' and a_end > end_at)::int as late,
              sum(a_end - a_start - paused_seconds) filter (where status = 'COMPLETED')::text as worked
       from workforce.task_groups
       where pid = $1 and ($2::text is null or seat_id = $2) and start_at between $3 and $4
       group by status, type`,
      [pid, seatId ?? null, from, to],
    );
  }
}
