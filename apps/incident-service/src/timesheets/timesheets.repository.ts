import { Injectable } from '@nestjs/common';
import { CommandError } from '@matrix/messaging';
import { Database, type Sql } from '@matrix/persistence';
import { notFound } from '../ops/op-table';
import { MAX_SHIFT_SPAN } from '../shifts/shift-queries.repository';
import type { ShiftPosition } from '../shifts/shift-page-key';
import { timesheetLabel, type TimesheetAddress } from './timesheet-args';
import {
  transitTimesheet,
  type TimesheetContext,
  type TimesheetStatus,
  type TimesheetTransition,
} from './timesheet-lifecycle';
import {
  TIMESHEET_COLUMNS,
  timesheetOf,
  type TimesheetJoinRow,
  type TimesheetRecord,
  type TimesheetView,
} from './timesheet-row';

/*
 * `workforce.timesheets` and the shifts they record, in plain SQL (ADR-19). Shifts are read only here, by
 * SQL on `workforce.shifts`, never through the shifts feature.
 *
 * A change is one transaction: a transaction-scoped advisory lock on the shift id (so two writers of one
 * timesheet — also of one not stored yet, which has no row to lock — go one after the other), the shift row
 * held `for share` (it cannot move on, e.g. be started again from ABSENT, while its timesheet is decided),
 * the lifecycle (`timesheet-lifecycle.ts`) on what was read, then one upsert. A refusal throws before the
 * upsert: nothing is written.
 *
 * The lists read a bounded range of the shifts' `(…, start_at)` indexes, as the shift lists do
 * (shift-queries.repository.ts). "By start date": the planned `Start` in `[from, to]`. "In range": the
 * timesheet's actual window `[AStart, AEnd)` overlaps `[from, to]` (`AStart <= to`, `AEnd > from`); a window
 * lasts at most 48 hours and overlaps its shift's plan, which lasts at most 48 hours, so the shift started
 * in `(from − 2 × 48 h, to + 48 h]`.
 */

/** What a list reads: a building's timesheets, or a seat's in every building of its property. */
export type TimesheetScope = { pid: string } | { seatId: string; propId: string };

/** Which shifts have a timesheet: completed ones, and absent ones whose timesheet was given times. */
const HAS_TIMESHEET = `(s.status = 'COMPLETED' or (s.status = 'ABSENT' and t.shift_id is not null))`;

/** One of the approvals of a many-approval: which timesheet, and the approver's comments. */
export interface ApprovalItem {
  address: TimesheetAddress;
  comments: string;
}

/** An approval refused: the timesheet named and why (the code and message a single approval answers). */
export interface RefusedApproval {
  address: TimesheetAddress;
  code: string;
  message: string;
}

/** The change a transition makes: the record after it, from the timesheet read and the lifecycle's outcome. */
export type TimesheetChange = (view: TimesheetView, to: TimesheetStatus, edited: boolean) => TimesheetRecord;

async function upsert(tx: Sql, shiftId: string, r: TimesheetRecord): Promise<void> {
  await tx.query(
    `insert into workforce.timesheets
       (shift_id, status, a_start, a_end, breaks, zones, reason_for_regularization, reason, comments, edited,
        requested_by, requested_on, approved_by, approved_on, rejected_by, rejected_on, edited_by, edited_on,
        modified_by, modified_on)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
     on conflict (shift_id) do update set
       status = excluded.status, a_start = excluded.a_start, a_end = excluded.a_end, breaks = excluded.breaks,
       zones = excluded.zones, reason_for_regularization = excluded.reason_for_regularization,
       reason = excluded.reason, comments = excluded.comments, edited = excluded.edited,
       requested_by = excluded.requested_by, requested_on = excluded.requested_on,
       approved_by = excluded.approved_by, approved_on = excluded.approved_on,
       rejected_by = excluded.rejected_by, rejected_on = excluded.rejected_on,
       edited_by = excluded.edited_by, edited_on = excluded.edited_on,
       modified_by = excluded.modified_by, modified_on = excluded.modified_on`,
    [
      shiftId,
      r.status,
      r.aStart,
      r.aEnd,
      JSON.stringify(r.breaks),
      r.zones === null ? null : JSON.stringify(r.zones),
      r.reasonForRegularization,
      r.reason,
      r.comments,
      r.edited,
      r.requestedBy,
      r.requestedOn,
      r.approvedBy,
      r.approvedOn,
      r.rejectedBy,
      r.rejectedOn,
      r.editedBy,
      r.editedOn,
      r.modifiedBy,
      r.modifiedOn,
    ],
  );
}

@Injectable()
export class TimesheetsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Applies `transition` to the timesheet at `address` in one transaction: NOT_FOUND when its shift is not in
   * the building (another building's, tenant's or seat's); INVALID_TRANSITION naming the rule the lifecycle
   * gives; else the record `change` computes is stored.
   */
  transition(
    address: TimesheetAddress,
    transition: TimesheetTransition,
    context: TimesheetContext,
    change: TimesheetChange,
  ): Promise<TimesheetView> {
    return this.db.transaction((tx) => this.apply(tx, address, transition, context, change));
  }

  /**
   * Approves each item on its own (in one transaction, each under a savepoint, in shift id order so two
   * concurrent calls cannot deadlock): an item refused (NOT_FOUND, INVALID_TRANSITION) writes nothing and
   * is answered with its code and message; the others are approved. Any other failure refuses the call.
   */
  approveMany(
    items: readonly ApprovalItem[],
    change: (item: ApprovalItem) => TimesheetChange,
  ): Promise<{ approved: TimesheetView[]; refused: RefusedApproval[] }> {
    const ordered = [...items].sort((a, b) => a.address.shiftId.localeCompare(b.address.shiftId));
    return this.db.transaction(async (tx) => {
      const approved = new Map<ApprovalItem, TimesheetView>();
      const refused = new Map<ApprovalItem, RefusedApproval>();
      for (const item of ordered) {
        await tx.query('savepoint timesheet_approval');
        try {
          approved.set(item, await this.apply(tx, item.address, 'approve', {}, change(item)));
          await tx.query('release savepoint timesheet_approval');
        } catch (error) {
          await tx.query('rollback to savepoint timesheet_approval');
          if (!(error instanceof CommandError)) throw error;
          refused.set(item, { address: item.address, code: error.code, message: error.message });
        }
      }
      // Answered in the order the body named them.
      return {
        approved: items.flatMap((item) => (approved.has(item) ? [approved.get(item)!] : [])),
        refused: items.flatMap((item) => (refused.has(item) ? [refused.get(item)!] : [])),
      };
    });
  }

  private async apply(
    tx: Sql,
    address: TimesheetAddress,
    transition: TimesheetTransition,
    context: TimesheetContext,
    change: TimesheetChange,
  ): Promise<TimesheetView> {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended('workforce.timesheet:' || $1, 0))`, [
      address.shiftId,
    ]);
    const [row] = await tx.query<TimesheetJoinRow>(
      `select ${TIMESHEET_COLUMNS} from workforce.shifts s left join workforce.timesheets t on t.shift_id = s.shift_id
       where s.shift_id = $1 and s.prop_id = $2 and ($3::text is null or s.pid = $3)
         and ($4::text is null or s.seat_id = $4)
       for share of s`,
      [address.shiftId, address.propId, address.pid ?? null, address.seatId ?? null],
    );
    if (!row) throw notFound(timesheetLabel(address));
    const view = timesheetOf(row);
    const outcome = transitTimesheet(
      { status: view.record.status, stored: view.stored, shiftStatus: view.shift.status },
      transition,
      context,
    );
    if (!outcome.ok) {
      throw new CommandError(
        'INVALID_TRANSITION',
        `${timesheetLabel({ shiftId: address.shiftId, seatId: view.shift.seatId })}: ${outcome.rule}`,
      );
    }
    const record = change(view, outcome.to, outcome.edited);
    await upsert(tx, address.shiftId, record);
    return { ...view, stored: true, record };
  }

  /**
   * The timesheets of `scope` whose actual window overlaps `[from, to]` (`by: 'window'`) or whose shift's
   * planned `Start` is in `[from, to]` (`by: 'start'`), of `status` when given, in `(Start, ShiftId)` order
   * after `after`, at most `limit`.
   */
  async inRange(
    scope: TimesheetScope,
    by: 'window' | 'start',
    from: number,
    to: number,
    limit: number,
    options: { after?: ShiftPosition; status?: TimesheetStatus } = {},
  ): Promise<TimesheetView[]> {
    const where = 'seatId' in scope ? `s.seat_id = $1 and s.prop_id = $8` : `s.pid = $1`;
    const range =
      by === 'start'
        ? `s.start_at >= $2 and s.start_at <= $3`
        : `s.start_at > $2::bigint - ${2 * MAX_SHIFT_SPAN} and s.start_at <= $3::bigint + ${MAX_SHIFT_SPAN}
           and coalesce(t.a_start, s.a_start) <= $3 and coalesce(t.a_end, s.a_end) > $2`;
    const rows = await this.db.query<TimesheetJoinRow>(
      `select ${TIMESHEET_COLUMNS} from workforce.shifts s left join workforce.timesheets t on t.shift_id = s.shift_id
       where ${where} and ${range} and ${HAS_TIMESHEET}
         and ($4::text is null or coalesce(t.status, 'PENDING') = $4)
         and ($5::bigint is null or (s.start_at, s.shift_id) > ($5::bigint, $6::uuid))
       order by s.start_at, s.shift_id limit $7`,
      [
        'seatId' in scope ? scope.seatId : scope.pid,
        from,
        to,
        options.status ?? null,
        options.after?.start ?? null,
        options.after?.shiftId ?? null,
        limit,
        ...('seatId' in scope ? [scope.propId] : []),
      ],
    );
    return rows.map(timesheetOf);
  }
}
