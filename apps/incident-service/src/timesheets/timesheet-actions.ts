import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { field, missing, optionalText, text, wrong, type Args } from '../ops/args';
import { allow, building, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { list, objectAt, shiftId } from '../shifts/shift-args';
import {
  breaksOf,
  sheetOf,
  timesheetAddress,
  timesOf,
  zonesOf,
  type TimesheetAddress,
} from './timesheet-args';
import type { TimesheetTransition } from './timesheet-lifecycle';
import { matrixTimesheet, type TimesheetBreak, type TimesheetRecord } from './timesheet-row';
import { checkTimesheetTimes } from './timesheet-times';
import { TimesheetsRepository, type ApprovalItem, type TimesheetChange } from './timesheets.repository';

/** Most timesheets one many-approval names. */
export const MAX_APPROVALS = 200;

/** What a request or an edit proposes; absent parts keep the timesheet's. */
interface Proposal {
  times?: { aStart: number; aEnd: number };
  breaks?: TimesheetBreak[];
  zones?: Record<string, string>;
}

/**
 * The timesheet changes of the Matrix documentation, §4.4 "Timesheets": a seat's request and
 * regularization (`write` credential), an admin's edit, approval (one, many of a seat in the building, many
 * in the property) and rejection (`admin`). Each is a lifecycle transition (`timesheet-lifecycle.ts`) of the
 * timesheet of one shift, applied in one transaction; no event is published (the documentation lists none
 * for timesheets, §2.3).
 */
@Injectable()
export class TimesheetActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.requestTimeSheet': (c, now) => this.request(c, now, 'request'),
    'scteams.requestRegularization': (c, now) => this.request(c, now, 'regularize'),
    'scteams.editTimeSheet': (c, now) => this.edit(c, now),
    'scteams.approveRequest': (c, now) => this.approve(c, now),
    'scteams.rejectTimesheet': (c, now) => this.reject(c, now),
    'scteams.approveMultipleTimesheetRequests': (c, now) => this.approveForBuilding(c, now),
    'scteams.approveMultipleTimeSheetsForProperty': (c, now) => this.approveForProperty(c, now),
  };

  constructor(private readonly timesheets: TimesheetsRepository) {}

  /** `TimeSheet{SeatId, ShiftId}` in the call's building. */
  private address(command: ActionCommandV1, sheet: Args): TimesheetAddress {
    const { pid, propId } = building(command);
    return timesheetAddress(sheet, { pid, propId }, 'TimeSheet');
  }

  /**
   * requestTimeSheet `{TimeSheet{SeatId, ShiftId, AStart, AEnd, Breaks?}}` and requestRegularization
   * `{TimeSheet{SeatId, ShiftId, ReasonForRegularization, Breaks?, AStart?, AEnd?, Zones?}, Zones?}`: the seat
   * proposes its times (REQUESTED / REGULARIZATION_REQUESTED).
   */
  private async request(
    command: ActionCommandV1,
    now: Date,
    transition: 'request' | 'regularize',
  ): Promise<ActionCommandReplyV1> {
    allow(command, 'write');
    const sheet = sheetOf(command);
    const address = this.address(command, sheet);
    const regularize = transition === 'regularize';
    const reason = regularize
      ? text(sheet, 'ReasonForRegularization', 'TimeSheet.ReasonForRegularization')
      : undefined;
    const times = timesOf(sheet, !regularize);
    const breaks = breaksOf(sheet);
    const zones = regularize ? zonesOf(command, sheet) : undefined;
    const at = seconds(now);
    const by = command.caller.accessKey;
    const view = await this.change(address, transition, now, { times, breaks, zones }, (view, r) => ({
      ...r,
      ...(reason !== undefined ? { reasonForRegularization: reason } : {}),
      requestedBy: view.shift.seatId,
      requestedOn: at,
      modifiedBy: by,
      modifiedOn: at,
    }));
    return {
      message: `${regularize ? 'Regularization' : 'Timesheet'} of shift ${address.shiftId} requested`,
      data: matrixTimesheet(view),
    };
  }

  /** `{TimeSheet{SeatId, ShiftId, AStart?, AEnd?, Breaks?, Zones?}}` (admin): the times replaced, `Edited`. */
  private async edit(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const sheet = sheetOf(command);
    const address = this.address(command, sheet);
    const times = timesOf(sheet, false);
    const breaks = breaksOf(sheet);
    const zones = field(sheet, 'Zones') !== undefined ? zonesOf(command, sheet) : undefined;
    if (!times && !breaks && !zones) {
      throw wrong('TimeSheet', 'names nothing to change (AStart and AEnd, Breaks, Zones)');
    }
    const at = seconds(now);
    const by = command.caller.accessKey;
    const view = await this.change(address, 'edit', now, { times, breaks, zones }, (_view, r) => ({
      ...r,
      editedBy: by,
      editedOn: at,
      modifiedBy: by,
      modifiedOn: at,
    }));
    return { message: `Timesheet of shift ${address.shiftId} edited`, data: matrixTimesheet(view) };
  }

  /**
   * A request or an edit: the proposal over the timesheet read in the transaction (absent parts kept),
   * checked (`checkTimesheetTimes`), then `extra` (who, when, why) on top.
   */
  private change(
    address: TimesheetAddress,
    transition: TimesheetTransition,
    now: Date,
    proposal: Proposal,
    extra: (view: Parameters<TimesheetChange>[0], record: TimesheetRecord) => TimesheetRecord,
  ) {
    return this.timesheets.transition(
      address,
      transition,
      { timesGiven: proposal.times !== undefined },
      (view, to, edited) => {
        const current = view.record;
        const next: TimesheetRecord = {
          ...current,
          status: to,
          edited: current.edited || edited,
          aStart: proposal.times?.aStart ?? current.aStart,
          aEnd: proposal.times?.aEnd ?? current.aEnd,
          breaks: proposal.breaks ?? current.breaks,
          zones: proposal.zones ?? current.zones,
        };
        checkTimesheetTimes(
          {
            aStart: next.aStart,
            aEnd: next.aEnd,
            breaks: next.breaks,
            timesGiven: proposal.times !== undefined,
            breaksGiven: proposal.breaks !== undefined,
          },
          { start: view.shift.start, end: view.shift.end },
          seconds(now),
        );
        return extra(view, next);
      },
    );
  }

  /** The change of an approval: `APPROVED` by `approvedBy` (the access key when the body names none). */
  private approval(command: ActionCommandV1, now: Date, approvedBy: string | undefined) {
    const at = seconds(now);
    const by = command.caller.accessKey;
    return (item: { comments: string }): TimesheetChange =>
      (view, to) => ({
        ...view.record,
        status: to,
        comments: item.comments,
        approvedBy: approvedBy ?? by,
        approvedOn: at,
        modifiedBy: by,
        modifiedOn: at,
      });
  }

  /** `{TimeSheet{SeatId, ShiftId, Comments?}, ApprovedBy?}` (admin). */
  private async approve(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const sheet = sheetOf(command);
    const address = this.address(command, sheet);
    const comments = optionalText(sheet, 'Comments', 'TimeSheet.Comments') ?? '';
    const approvedBy = this.approvedBy(command);
    const view = await this.timesheets.transition(
      address,
      'approve',
      {},
      this.approval(command, now, approvedBy)({ comments }),
    );
    return { message: `Timesheet of shift ${address.shiftId} approved`, data: matrixTimesheet(view) };
  }

  /** `{TimeSheet{SeatId, ShiftId, Reason}}` (admin). */
  private async reject(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const sheet = sheetOf(command);
    const address = this.address(command, sheet);
    const reason = text(sheet, 'Reason', 'TimeSheet.Reason');
    const at = seconds(now);
    const by = command.caller.accessKey;
    const view = await this.timesheets.transition(address, 'reject', {}, (v, to) => ({
      ...v.record,
      status: to,
      reason,
      rejectedBy: by,
      rejectedOn: at,
      modifiedBy: by,
      modifiedOn: at,
    }));
    return { message: `Timesheet of shift ${address.shiftId} rejected`, data: matrixTimesheet(view) };
  }

  /** `{ApprovedBy?, ShiftIds[], SeatId?}` (admin): the seat's timesheets of those shifts in the building. */
  private async approveForBuilding(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const { pid, propId } = building(command);
    const seat = optionalText(command.args, 'SeatId');
    const ids = this.items(command.args, 'ShiftIds').map((value, i) => {
      if (typeof value !== 'string') throw wrong(`ShiftIds[${i}]`, 'must be a shift id (a UUID)');
      return shiftId({ ShiftId: value }, 'ShiftId', `ShiftIds[${i}]`);
    });
    this.unique(ids, (i) => `ShiftIds[${i}]`);
    const items: ApprovalItem[] = ids.map((id) => ({
      address: {
        propId,
        pid,
        shiftId: id,
        ...(seat !== undefined && seat.trim() !== '' ? { seatId: seat } : {}),
      },
      comments: '',
    }));
    return this.approveItems(command, now, items);
  }

  /**
   * `{ApprovedBy?, TimeSheets[{ID?, SeatId, ShiftId, Comments?}]}` (admin): timesheets of any building of
   * the property (`pid` a building of it, or `scnoop` with `propid`); `ID` (the timesheet's `ID`, its
   * building) narrows an item to that building.
   */
  private async approveForProperty(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    allow(command, 'admin');
    const propId = command.building?.propId ?? command.property?.propId;
    if (!propId) throw new CommandError('MISSING_PARAMETERS', `${command.op} needs propid`);
    const items: ApprovalItem[] = this.items(command.args, 'TimeSheets').map((value, i) => {
      const path = `TimeSheets[${i}]`;
      const item = objectAt(value, path);
      const id = optionalText(item, 'ID', `${path}.ID`);
      const address = timesheetAddress(
        item,
        { propId, ...(id !== undefined && id.trim() !== '' ? { pid: id } : {}) },
        path,
      );
      return { address, comments: optionalText(item, 'Comments', `${path}.Comments`) ?? '' };
    });
    this.unique(
      items.map((item) => item.address.shiftId),
      (i) => `TimeSheets[${i}].ShiftId`,
    );
    return this.approveItems(command, now, items);
  }

  /** The approvals of a many-approval, each on its own: `{Approved, Refused, ApprovedCount, RefusedCount}`. */
  private async approveItems(
    command: ActionCommandV1,
    now: Date,
    items: ApprovalItem[],
  ): Promise<ActionCommandReplyV1> {
    const approvedBy = this.approvedBy(command);
    const { approved, refused } = await this.timesheets.approveMany(
      items,
      this.approval(command, now, approvedBy),
    );
    return {
      message: `${approved.length} timesheet(s) approved, ${refused.length} refused`,
      data: {
        ApprovedCount: approved.length,
        RefusedCount: refused.length,
        // Short: up to 200 full timesheets would not fit an answer (each is read with the lists).
        Approved: approved.map(({ shift, record }) => ({
          ID: shift.pid,
          SeatId: shift.seatId,
          ShiftId: shift.shiftId,
          RequestType: 'TIMESHEET',
          Status: record.status,
          AStart: record.aStart,
          AEnd: record.aEnd,
          Comments: record.comments,
          ApprovedBy: record.approvedBy,
          ApprovedOn: record.approvedOn,
        })),
        Refused: refused.map((r) => ({
          ...(r.address.pid !== undefined ? { ID: r.address.pid } : {}),
          SeatId: r.address.seatId ?? null,
          ShiftId: r.address.shiftId,
          Code: r.code,
          Reason: r.message,
        })),
      },
    };
  }

  /** `ApprovedBy` of the body: who approves, as the approver names themself. */
  private approvedBy(command: ActionCommandV1): string | undefined {
    const value = optionalText(command.args, 'ApprovedBy');
    return value !== undefined && value.trim() !== '' ? value : undefined;
  }

  /** The list at `name`: 1 to {@link MAX_APPROVALS} entries. */
  private items(args: Args, name: string): unknown[] {
    const values = list(args, name, name, MAX_APPROVALS);
    if (values === undefined) throw missing(name);
    if (values.length === 0) throw wrong(name, 'must name at least one timesheet');
    return values;
  }

  private unique(ids: readonly string[], path: (i: number) => string): void {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) throw wrong(path(i), `${id} is named twice`);
      seen.add(id);
    });
  }
}
