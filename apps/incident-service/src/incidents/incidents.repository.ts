import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { newTaskId } from '../ops/task-ids';
import { Database, GroupCommit, OutboxWriter, type Sql } from '@matrix/persistence';
import { WORKFORCE_OUTBOX } from '../workforce-outbox';
import { incidentEvent, type IncidentEventId } from './incident-events';
import {
  transit,
  type IncidentPriority,
  type IncidentTransition,
  type LifecycleState,
  type TransitOptions,
} from './incident-lifecycle';
import { EscalationSchedule } from './escalation-schedule';
import type { IncidentRow } from './incident-row';
import type { EscalationPolicy } from './escalation-policy';
import { escalationTypeOf, nextDeadline, type EscalationType } from './next-deadline';
import { lockActiveSeat } from '../seats/seats.repository';
import { AssignmentRepository } from '../assignment/assignment.repository';
import type { AutoAssignmentAnswer } from '../assignment/auto-assignment';
import { SYSTEM_INCIDENT_SETTINGS } from './incident-settings';
import { shiftOfSeat, shiftRefusal } from './assignable-shift';
import { CommandError } from '@matrix/messaging';

/** Where an incident is: its building (tenancy checked by the gateway) and, when the caller named it, its zone. */
export interface IncidentAddress {
  pid: string;
  taskId: string;
  zoneId?: string;
  /** An assigned incident's address (`SeatId` + `ShiftID`). */
  seatId?: string;
  shiftId?: string;
}

const ADDRESS = `task_id = $1 and pid = $2 and ($3::text is null or zone_id = $3)
  and ($4::text is null or seat_id = $4) and ($5::text is null or shift_id = $5)`;
const addressParams = (a: IncidentAddress) => [
  a.taskId,
  a.pid,
  a.zoneId ?? null,
  a.seatId ?? null,
  a.shiftId ?? null,
];

/** The incident at `address`, locked for the rest of the transaction (of two transitions, one waits). */
async function lockIncident(tx: Sql, address: IncidentAddress): Promise<IncidentRow | undefined> {
  const [row] = await tx.query<IncidentRow>(
    `select * from workforce.incidents where ${ADDRESS} for update`,
    addressParams(address),
  );
  return row;
}

export interface NewIncident {
  org: string;
  propId: string;
  pid: string;
  zoneId: string;
  zoneName: string;
  zoneCategoryId: string | null;
  name: string;
  priority: IncidentPriority;
  startBy: number;
  due: number;
  bySource: string | null;
  eventSource: string | null;
  autoAssigned: boolean;
  tasks: { Name: string }[];
  /** Set for an incident created assigned (`scteams.createIncident`): the seat, and the shift (== seat today). */
  assignedTo?: { seatId: string; shiftId: string };
  /**
   * Set for an open incident created with `AutoAssigned`: auto-assign it at creation (the building's time
   * zone is its availability's wall clock), in the create's transaction — docs/data-formats.md "Auto-assignment".
   */
  autoAssign?: { timeZone: string };
  /** The sources that raised it (`SourceDeviceIdentifier`: the device of a sensor-raised incident). */
  sourceDeviceIds?: readonly string[];
  /** Deterministic key of the request: the same request retried finds the incident it created. */
  requestKey: string;
  createdBy: string;
}

/** What a transition changes beside the status and escalation level. */
export interface TransitionChanges {
  /** Set when the incident has none (`tbp`), or always with `replaceSeat` (reassign; `tbp` reopens). */
  seatId?: string;
  shiftId?: string;
  replaceSeat?: boolean;
  aStart?: number;
  aEnd?: number;
  startBy?: number;
  due?: number;
  /** An escalation's `EscalationType` (default: the kind of the incident's status). */
  escalationType?: EscalationType;
}

/** Extra rules of one transition: what the settings allow, and a check of the locked incident. */
export interface TransitionRules {
  lifecycle?: TransitOptions;
  /** Runs in the transaction on the locked incident once the lifecycle allows the transition; a rule refuses. */
  guard?: (current: IncidentRow, tx: Sql) => Promise<string | undefined>;
}

/** How often an incident was reassigned (or reopened) and when it was last resolved (epoch seconds). */
export interface ReassignHistory {
  reassignments: number;
  resolvedAt: number | null;
}

export type TransitionResult =
  { kind: 'done'; incident: IncidentRow } | { kind: 'refused'; rule: string } | { kind: 'not-found' };

export interface CommentRow {
  comment_id: string;
  task_id: string;
  comment: string;
  user_name: string;
  created_on: Date;
  modified_on: Date;
}

export interface TimelineRow {
  id: string;
  task_id: string;
  transition: string;
  from_status: string | null;
  to_status: string;
  escalation_level: number;
  seat_id: string;
  by_key: string;
  at: string;
}

const EVENT_OF: Record<IncidentTransition, IncidentEventId> = {
  'create-open': 'INCIDENT_CREATED_OPEN',
  'create-assigned': 'INCIDENT_CREATED',
  assign: 'INCIDENT_CREATED',
  start: 'INCIDENT_STARTED',
  end: 'INCIDENT_COMPLETED',
  incomplete: 'INCIDENT_INCOMPLETE',
  escalate: 'INCIDENT_ESCALATED',
  reassign: 'INCIDENT_CREATED',
  reopen: 'INCIDENT_CREATED_OPEN',
};

export interface CreateJob {
  input: NewIncident;
  policy: EscalationPolicy;
  now: Date;
}

export type CreateResult = {
  incident: IncidentRow;
  created: boolean;
  /** The auto-assignment decision of an incident created with `autoAssign` (the stored one on a retry). */
  autoAssignment?: AutoAssignmentAnswer;
};

const AUTO_ASSIGN_SETTING = 'AUTO_ASSIGN_INCIDENTS';

/** A new incident id in the documented form (src/ops/task-ids.ts), still exported here for the task ops. */
export { newTaskId };

/**
 * `workforce.incidents`, their comments and timeline, in plain SQL (ADR-19). Every change of an
 * incident's state is one transaction: the incident row (locked with `select … for update`, so of two
 * concurrent transitions the second sees the first's outcome and is refused by the lifecycle), its
 * timeline row and its INCIDENT_* event in `workforce.outbox` (ADR-13).
 */
@Injectable()
export class IncidentsRepository {
  /** Concurrent creates share a transaction (ADR-21). */
  private readonly creates = new GroupCommit<CreateJob, CreateResult>((jobs) => this.createBatch(jobs));

  constructor(
    private readonly db: Database,
    private readonly schedule: EscalationSchedule,
    private readonly assignment: AssignmentRepository,
  ) {}

  /**
   * Creates an incident, open or assigned, under `policy` (the one that applies to it, chosen before:
   * its first deadline is stored with the row), or answers the one an earlier identical request created
   * (`created` false, no second event): `(pid, request_key)` is unique.
   */
  async create(input: NewIncident, policy: EscalationPolicy, now: Date): Promise<CreateResult> {
    return this.creates.submit({ input, policy, now });
  }

  /**
   * The creates that arrived together, in one transaction (group commit, see `GroupCommit`): each
   * incident inserted (or the earlier identical request's found), then their timeline rows and events,
   * in order, then one commit. The buildings of the creates that auto-assign are locked first, in id
   * order (see `AssignmentRepository.lockBuildings`); each pick then happens job by job, so the rotation
   * moves in the batch's order and a batch run again job by job picks again.
   */
  private createBatch(jobs: readonly CreateJob[]): Promise<CreateResult[]> {
    return this.db.transaction((tx) => this.createIn(tx, jobs));
  }

  /**
   * Creates incidents in the caller's transaction `tx`, as a group-committed batch does (above): used by the
   * solutions, whose batch transaction holds the records of its devices and zones until the incidents they
   * decided are written with them (lock order: those records, then what a create locks).
   */
  async createIn(tx: Sql, jobs: readonly CreateJob[]): Promise<CreateResult[]> {
    await this.assignment.lockBuildings(
      tx,
      jobs.filter((job) => job.input.autoAssign).map((job) => job.input.pid),
    );
    const results: CreateResult[] = [];
    for (const job of jobs) results.push(await this.insert(tx, job));
    for (const [i, result] of results.entries()) {
      if (!result.created) continue;
      const { input, now } = jobs[i]!;
      if (result.autoAssignment?.Assigned) {
        // Auto-assigned at creation: created open, then assigned by the platform — INCIDENT_CREATED_OPEN
        // and INCIDENT_CREATED, as for an AutoAssigned incident picked up later (docs/data-formats.md
        // "Auto-assignment"), so a subscriber sees every open incident, assigned at once or not.
        const open: IncidentRow = {
          ...result.incident,
          status: 'NOT_ASSIGNED',
          seat_id: 'tbp',
          shift_id: 'tbp',
        };
        await this.record(tx, open, 'create-open', null, input.createdBy, now);
        await this.record(tx, result.incident, 'assign', 'NOT_ASSIGNED', input.createdBy, now);
        continue;
      }
      const transition = result.incident.status === 'ASSIGNED' ? 'create-assigned' : 'create-open';
      await this.record(tx, result.incident, transition, null, input.createdBy, now);
    }
    return results;
  }

  /** Whether the building auto-assigns (`AUTO_ASSIGN_INCIDENTS`, its stored value or the system default). */
  async autoAssignOn(tx: Sql, pid: string): Promise<boolean> {
    const [row] = await tx.query<{ boolean_value: boolean | null }>(
      'select boolean_value from workforce.incident_settings where pid = $1 and key = $2',
      [pid, AUTO_ASSIGN_SETTING],
    );
    return row ? row.boolean_value === true : SYSTEM_INCIDENT_SETTINGS[AUTO_ASSIGN_SETTING]!.value === true;
  }

  /** The incident an earlier identical request created, with its auto-assignment decision. */
  private async earlier(tx: Sql, input: NewIncident): Promise<CreateResult | undefined> {
    const [existing] = await tx.query<IncidentRow>(
      'select * from workforce.incidents where pid = $1 and request_key = $2',
      [input.pid, input.requestKey],
    );
    if (!existing) return undefined;
    const autoAssignment = await this.assignment.answerOf(tx, existing.task_id);
    return { incident: existing, created: false, ...(autoAssignment ? { autoAssignment } : {}) };
  }

  private async insert(tx: Sql, job: CreateJob): Promise<CreateResult> {
    const { policy, now } = job;
    const at = Math.floor(now.getTime() / 1000);
    let input = job.input;
    let autoAssignment: AutoAssignmentAnswer | undefined;
    if (input.autoAssign && !input.assignedTo) {
      // A retried create finds its incident before anything is picked (the building is locked, so an
      // identical request on another replica has committed or not begun).
      const found = await this.earlier(tx, input);
      if (found) return found;
      const { answer } = await this.assignment.decide(
        tx,
        {
          propId: input.propId,
          pid: input.pid,
          zoneId: input.zoneId,
          at,
          timeZone: input.autoAssign.timeZone,
        },
        await this.autoAssignOn(tx, input.pid),
      );
      autoAssignment = answer;
      if (answer.Assigned) {
        input = { ...input, assignedTo: { seatId: answer.SeatId, shiftId: answer.ShiftId } };
      }
    }
    const status = input.assignedTo ? 'ASSIGNED' : 'NOT_ASSIGNED';
    const seatId = input.assignedTo?.seatId ?? 'tbp';
    const shiftId = input.assignedTo?.shiftId ?? 'tbp';
    const deadline = nextDeadline(
      {
        status,
        escalationLevel: 0,
        priority: input.priority,
        createdAt: at,
        startBy: input.startBy,
        due: input.due,
        statusSince: at,
        seatId,
        shiftId,
      },
      policy,
    );
    if (input.assignedTo && input.assignedTo.shiftId !== input.assignedTo.seatId) {
      // A shift (not the seat itself): held `for share` before the seat (the lock order of assignments and
      // auto-assignment), so it is not ended or deleted before this create commits.
      const { seatId, shiftId } = input.assignedTo;
      const held = await shiftOfSeat(tx, { pid: input.pid, seatId, shiftId }, true);
      if (!held) throw new CommandError('NOT_FOUND', `shift ${shiftId} not found`);
      const refusal = shiftRefusal(shiftId, held.status);
      if (refusal) throw new CommandError('INVALID_TRANSITION', `Taskgroup.ShiftId: ${refusal}`);
    }
    if (input.assignedTo) await lockActiveSeat(tx, input.propId, input.assignedTo.seatId);
    const [inserted] = await tx.query<IncidentRow>(
      `insert into workforce.incidents
         (task_id, org_id, prop_id, pid, zone_id, zone_name, zone_category_id, name, priority, start_by, due,
          status, by_source, event_source, auto_assigned, tasks, request_key, created_by, created_on, modified_on,
          seat_id, shift_id, escalation_policy, status_since, escalate_at, escalate_kind, source_device_ids)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $19, $12, $13, $14, $15::jsonb, $16, $17, $18, $18,
               $20, $21, $22, $18, to_timestamp($23), $24, $25::text[])
       on conflict (pid, request_key) where request_key is not null do nothing
       returning *`,
      [
        newTaskId(now),
        input.org,
        input.propId,
        input.pid,
        input.zoneId,
        input.zoneName,
        input.zoneCategoryId,
        input.name,
        input.priority,
        input.startBy,
        input.due,
        input.bySource,
        input.eventSource,
        input.autoAssigned,
        JSON.stringify(input.tasks),
        input.requestKey,
        input.createdBy,
        now,
        status,
        seatId,
        shiftId,
        policy.policyId,
        deadline?.at ?? null,
        deadline?.kind ?? null,
        input.sourceDeviceIds ?? [],
      ],
    );
    if (!inserted) return (await this.earlier(tx, input))!;
    if (autoAssignment) {
      await this.assignment.record(tx, inserted.task_id, input.pid, autoAssignment);
      return { incident: inserted, created: true, autoAssignment };
    }
    return { incident: inserted, created: true };
  }

  async find(address: IncidentAddress, sql: Sql = this.db): Promise<IncidentRow | undefined> {
    const [row] = await sql.query<IncidentRow>(
      `select * from workforce.incidents where ${ADDRESS}`,
      addressParams(address),
    );
    return row;
  }

  /**
   * Open incidents of a building or property (of one zone, when given) whose start-by time is in `[from, to]`, in
   * `(start_by, task_id)` order, after `after` (keyset paging), at most `limit`.
   */
  async openInRange(
    scope: { pid: string } | { propId: string },
    from: number,
    to: number,
    limit: number,
    options: { zoneId?: string; after?: { startBy: number; taskId: string } } = {},
  ): Promise<IncidentRow[]> {
    return this.db.query<IncidentRow>(
      `select * from workforce.incidents
       where ($1::text is null or pid = $1) and ($8::text is null or prop_id = $8)
         and status = 'NOT_ASSIGNED' and start_by between $2 and $3
         and ($5::text is null or zone_id = $5)
         and ($6::bigint is null or (start_by, task_id) > ($6, $7))
       order by start_by, task_id limit $4`,
      [
        'pid' in scope ? scope.pid : null,
        from,
        to,
        limit,
        options.zoneId ?? null,
        options.after?.startBy ?? null,
        options.after?.taskId ?? null,
        'propId' in scope ? scope.propId : null,
      ],
    );
  }

  /**
   * A building's incidents of any status (filtered by zone, statuses, start-by `[from, to)`), newest
   * start-by first, before `before` (keyset paging), at most `limit`.
   */
  async list(query: {
    pid: string;
    zoneId?: string;
    statuses?: string[];
    from?: number;
    to?: number;
    before?: { startBy: number; taskId: string };
    limit: number;
  }): Promise<IncidentRow[]> {
    return this.db.query<IncidentRow>(
      `select * from workforce.incidents
       where pid = $1 and ($2::text is null or zone_id = $2) and ($3::text[] is null or status = any($3))
         and ($4::bigint is null or start_by >= $4) and ($5::bigint is null or start_by < $5)
         and ($6::bigint is null or (start_by, task_id) < ($6, $7))
       order by start_by desc, task_id desc limit $8`,
      [
        query.pid,
        query.zoneId ?? null,
        query.statuses ?? null,
        query.from ?? null,
        query.to ?? null,
        query.before?.startBy ?? null,
        query.before?.taskId ?? null,
        query.limit,
      ],
    );
  }

  /** A zone's open incidents whose start-by time is in `[from, to]` (either end open), newest first, at most `limit`. */
  async openInZoneNewestFirst(
    pid: string,
    zoneId: string,
    from: number | undefined,
    to: number | undefined,
    limit: number,
  ): Promise<IncidentRow[]> {
    return this.db.query<IncidentRow>(
      `select * from workforce.incidents
       where pid = $1 and zone_id = $2 and status = 'NOT_ASSIGNED'
         and ($3::bigint is null or start_by >= $3) and ($4::bigint is null or start_by <= $4)
       order by start_by desc, task_id desc limit $5`,
      [pid, zoneId, from ?? null, to ?? null, limit],
    );
  }

  /** Applies `transition` if the lifecycle allows it from the incident's current state. */
  async transition(
    address: IncidentAddress,
    transition: Exclude<IncidentTransition, 'create-open' | 'create-assigned'>,
    changes: TransitionChanges,
    by: string,
    now: Date,
    rules: TransitionRules = {},
  ): Promise<TransitionResult> {
    return this.db.transaction(async (tx) => {
      const current = await lockIncident(tx, address);
      if (!current) return { kind: 'not-found' } as const;
      const outcome = transit(
        { status: current.status, escalationLevel: current.escalation_level },
        transition,
        rules.lifecycle,
      );
      if (!outcome.ok) return { kind: 'refused', rule: outcome.rule } as const;
      const refusal = await rules.guard?.(current, tx);
      if (refusal !== undefined) return { kind: 'refused', rule: refusal } as const;
      const incident = await this.applyLocked(tx, current, outcome.to, transition, changes, by, now);
      return { kind: 'done', incident } as const;
    });
  }

  /**
   * Writes an allowed transition of the locked incident `current` (the lifecycle's `to`), in `tx`: the seat
   * it gives held (`for share`), the row, its next deadline, its timeline row and event. Also what a shift's
   * start or end does to the incidents given to it (shift-incidents.ts).
   */
  async applyLocked(
    tx: Sql,
    current: IncidentRow,
    to: LifecycleState,
    transition: Exclude<IncidentTransition, 'create-open' | 'create-assigned'>,
    changes: TransitionChanges,
    by: string,
    now: Date,
  ): Promise<IncidentRow> {
    // A seat this transition gives the incident (the update below keeps a seat already there otherwise;
    // `tbp` is no seat: reopening).
    const seatGiven = changes.replaceSeat || current.seat_id === 'tbp' ? changes.seatId : undefined;
    if (seatGiven !== undefined && seatGiven !== 'tbp' && seatGiven !== current.seat_id) {
      await lockActiveSeat(tx, current.prop_id, seatGiven);
    }
    const [updated] = await tx.query<IncidentRow>(
      `update workforce.incidents
       set status = $2, escalation_level = $3,
           seat_id = case when $9 or seat_id = 'tbp' then coalesce($4, seat_id) else seat_id end,
           shift_id = case when $9 or shift_id = 'tbp' then coalesce($5, shift_id) else shift_id end,
           a_start = coalesce($6, a_start), a_end = coalesce($7, a_end), modified_on = $8,
           start_by = coalesce($10, start_by), due = coalesce($11, due)
       where task_id = $1 returning *`,
      [
        current.task_id,
        to.status,
        to.escalationLevel,
        changes.seatId ?? null,
        changes.shiftId ?? null,
        changes.aStart ?? null,
        changes.aEnd ?? null,
        now,
        changes.replaceSeat ?? false,
        changes.startBy ?? null,
        changes.due ?? null,
      ],
    );
    const escalated = transition === 'escalate';
    const scheduled = await this.schedule.reschedule(tx, updated!, now, {
      statusChanged: !escalated,
      ...(escalated ? { escalated: changes.escalationType ?? escalationTypeOf(current.status) } : {}),
    });
    await this.record(tx, scheduled, transition, current.status, by, now);
    return scheduled;
  }

  /**
   * Changes an unresolved incident's details and/or zone (the admin update ops); `refused` for a resolved
   * one. No event: the documentation defines none for these changes.
   */
  async updateDetails(
    address: IncidentAddress,
    changes: {
      name?: string;
      description?: string;
      priority?: IncidentPriority;
      zone?: { id: string; name: string; categoryId: string | null };
    },
    now: Date,
  ): Promise<TransitionResult> {
    return this.db.transaction(async (tx) => {
      const current = await lockIncident(tx, address);
      if (!current) return { kind: 'not-found' } as const;
      if (current.status === 'COMPLETED' || current.status === 'INCOMPLETE') {
        return { kind: 'refused', rule: 'a resolved incident cannot be changed' } as const;
      }
      const [updated] = await tx.query<IncidentRow>(
        `update workforce.incidents
         set name = coalesce($2, name), description = coalesce($3, description), priority = coalesce($4, priority),
             zone_id = coalesce($5, zone_id), zone_name = coalesce($6, zone_name),
             zone_category_id = case when $5::text is null then zone_category_id else $7 end, modified_on = $8
         where task_id = $1 returning *`,
        [
          current.task_id,
          changes.name ?? null,
          changes.description ?? null,
          changes.priority ?? null,
          changes.zone?.id ?? null,
          changes.zone?.name ?? null,
          changes.zone?.categoryId ?? null,
          now,
        ],
      );
      const scheduled = await this.schedule.reschedule(tx, updated!, now, { statusChanged: false });
      return { kind: 'done', incident: scheduled } as const;
    });
  }

  /** Replaces an incident's attachments; undefined when there is no such incident. */
  async setAttachments(
    address: IncidentAddress,
    attachments: string[],
    now: Date,
  ): Promise<IncidentRow | undefined> {
    const [row] = await this.db.query<IncidentRow>(
      `update workforce.incidents set attachments = $6::jsonb, modified_on = $7 where ${ADDRESS} returning *`,
      [...addressParams(address), JSON.stringify(attachments), now],
    );
    return row;
  }

  /** Deletes an incident with its comments and timeline; false when there is no such incident. */
  async delete(address: IncidentAddress): Promise<boolean> {
    const rows = await this.db.query(
      `delete from workforce.incidents where ${ADDRESS} returning task_id`,
      addressParams(address),
    );
    return rows.length > 0;
  }

  /**
   * The timeline row and the event of a transition, in its transaction (also the escalation timer's):
   * one statement, the timeline row written alongside the outbox row.
   */
  async record(
    tx: Sql,
    row: IncidentRow,
    transition: IncidentTransition,
    from: string | null,
    by: string,
    now: Date,
  ): Promise<void> {
    const event = incidentEvent(EVENT_OF[transition], row, now);
    await new OutboxWriter(tx, WORKFORCE_OUTBOX).event(event.RoutingKey, event, {
      sql: `insert into workforce.incident_timeline
              (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
            values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      values: [
        row.task_id,
        transition,
        from,
        row.status,
        row.escalation_level,
        row.seat_id,
        by,
        Math.floor(now.getTime() / 1000),
      ],
    });
  }

  /** From the timeline: reassignments (`reassign`, `reopen`) and the time of the last `end`/`incomplete`. */
  async reassignHistory(taskId: string, sql: Sql = this.db): Promise<ReassignHistory> {
    const [row] = await sql.query<{ reassignments: number; resolved_at: string | null }>(
      `select count(*) filter (where transition in ('reassign', 'reopen'))::int as reassignments,
              max(at) filter (where transition in ('end', 'incomplete'))::text as resolved_at
       from workforce.incident_timeline where task_id = $1`,
      [taskId],
    );
    return {
      reassignments: row?.reassignments ?? 0,
      resolvedAt: row?.resolved_at ? Number(row.resolved_at) : null,
    };
  }

  /** The building's incidents among `taskIds`, in no particular order (one statement). */
  async findMany(pid: string, taskIds: readonly string[]): Promise<IncidentRow[]> {
    return this.db.query<IncidentRow>(
      'select * from workforce.incidents where pid = $1 and task_id = any($2::text[])',
      [pid, taskIds],
    );
  }

  /** The timeline entries of `transition` of the incidents `taskIds`, oldest first (one statement). */
  async timelineOf(taskIds: readonly string[], transition: IncidentTransition): Promise<TimelineRow[]> {
    return this.db.query<TimelineRow>(
      'select * from workforce.incident_timeline where task_id = any($1::text[]) and transition = $2 order by id',
      [taskIds, transition],
    );
  }

  async timeline(taskId: string): Promise<TimelineRow[]> {
    return this.db.query<TimelineRow>(
      'select * from workforce.incident_timeline where task_id = $1 order by id',
      [taskId],
    );
  }

  async comments(taskId: string): Promise<CommentRow[]> {
    return this.db.query<CommentRow>(
      'select * from workforce.incident_comments where task_id = $1 order by created_on, comment_id',
      [taskId],
    );
  }

  /** Adds a comment (no `commentId`) or updates one of this incident; undefined when there is no such comment. */
  async upsertComment(
    taskId: string,
    commentId: string | undefined,
    comment: { text: string; userName: string; by: string },
    now: Date,
  ): Promise<CommentRow | undefined> {
    if (commentId === undefined) {
      const [row] = await this.db.query<CommentRow>(
        `insert into workforce.incident_comments (comment_id, task_id, comment, user_name, created_by, created_on, modified_on)
         values ($1, $2, $3, $4, $5, $6, $6) returning *`,
        [randomUUID(), taskId, comment.text, comment.userName, comment.by, now],
      );
      return row;
    }
    const [row] = await this.db.query<CommentRow>(
      `update workforce.incident_comments set comment = $3, user_name = $4, modified_on = $5
       where comment_id = $1 and task_id = $2 returning *`,
      [commentId, taskId, comment.text, comment.userName, now],
    );
    return row;
  }

  async deleteComment(taskId: string, commentId: string): Promise<boolean> {
    const rows = await this.db.query(
      'delete from workforce.incident_comments where comment_id = $1 and task_id = $2 returning comment_id',
      [commentId, taskId],
    );
    return rows.length > 0;
  }
}
