import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { optionalText, text, wrong } from '../ops/args';
import { allow, building, type OpGroup, type OpTable } from '../ops/op-table';
import { decodeShiftPageKey, encodeShiftPageKey } from '../shifts/shift-page-key';
import { SHIFT_PAGE_BYTES, SHIFT_PAGE_SIZE, timeRange } from '../shifts/shift-range-actions';
import { TIMESHEET_STATUSES, type TimesheetStatus } from './timesheet-lifecycle';
import { matrixTimesheet, type TimesheetView } from './timesheet-row';
import { TimesheetsRepository, type TimesheetScope } from './timesheets.repository';

/**
 * The timesheet lists of the Matrix documentation, §4.4 "Timesheets": a building's (`pid`) or a seat's (every
 * building of the property), whose actual window overlaps `[StartTime, EndTime]` or whose shift's planned
 * `Start` is in it ("ByStartDate") — in the documented timesheet shape, `(Start, ShiftId)` order, paged
 * with `LastEvaluatedKey` exactly as the shift range lists are (shift-range-actions.ts). A completed shift
 * whose timesheet nobody touched is listed `PENDING` with its clocked times.
 */
@Injectable()
export class TimesheetQueryActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.listTimesheets': (c) => this.ofBuilding(c, 'window'),
    'scteams.getTimeSheetInTRangeByStartDate': (c) => this.ofBuilding(c, 'start'),
    'scteams.getTimeSheetForSeatIdInTRange': (c) => this.ofSeat(c, 'window'),
    'scteams.getTimeSheetForSeatIdInTRangeByStartDate': (c) => this.ofSeat(c, 'start'),
  };

  constructor(private readonly timesheets: TimesheetsRepository) {}

  /** `{StartTime, EndTime, Status?, LastEvaluatedKey?}`: the building's. */
  private ofBuilding(command: ActionCommandV1, by: 'window' | 'start'): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { pid } = building(command);
    return this.page(command, { pid }, by);
  }

  /**
   * `{SeatId, StartTime, EndTime, Status?, LastEvaluatedKey?}`: the seat's in every building of the property
   * (a seat deleted since keeps its timesheets; an unknown seat has none).
   */
  private ofSeat(command: ActionCommandV1, by: 'window' | 'start'): Promise<ActionCommandReplyV1> {
    allow(command, 'read');
    const { propId } = building(command);
    const seatId = text(command.args, 'SeatId');
    return this.page(command, { seatId, propId }, by);
  }

  /**
   * One page after the body's `LastEvaluatedKey`: at most {@link SHIFT_PAGE_SIZE} timesheets and about
   * {@link SHIFT_PAGE_BYTES} of JSON (never less than one); `LastEvaluatedKey` (top level) when more remain.
   */
  private async page(
    command: ActionCommandV1,
    scope: TimesheetScope,
    by: 'window' | 'start',
  ): Promise<ActionCommandReplyV1> {
    const [from, to] = timeRange(command.args);
    const status = this.status(command);
    const key = optionalText(command.args, 'LastEvaluatedKey');
    const after = key !== undefined && key.trim() !== '' ? decodeShiftPageKey(key) : undefined;
    const views = await this.timesheets.inRange(scope, by, from, to, SHIFT_PAGE_SIZE + 1, {
      ...(after ? { after } : {}),
      ...(status ? { status } : {}),
    });
    const page: Record<string, unknown>[] = [];
    let last: TimesheetView | undefined;
    let bytes = 0;
    for (const view of views.slice(0, SHIFT_PAGE_SIZE)) {
      const timesheet = matrixTimesheet(view);
      bytes += Buffer.byteLength(JSON.stringify(timesheet));
      if (page.length > 0 && bytes > SHIFT_PAGE_BYTES) break;
      page.push(timesheet);
      last = view;
    }
    const more = views.length > page.length;
    return {
      message: `${page.length} timesheet(s)${more ? '; more remain: call again with LastEvaluatedKey' : ''}`,
      data: page,
      ...(more && last
        ? {
            extra: {
              LastEvaluatedKey: encodeShiftPageKey({
                start: last.shift.start,
                pid: last.shift.pid,
                seatId: last.shift.seatId,
                shiftId: last.shift.shiftId,
              }),
            },
          }
        : {}),
    };
  }

  /** `Status` (an extension): one of the timesheet statuses, any letter case. */
  private status(command: ActionCommandV1): TimesheetStatus | undefined {
    const value = optionalText(command.args, 'Status');
    if (value === undefined || value.trim() === '') return undefined;
    const status = value.toUpperCase();
    if (!(TIMESHEET_STATUSES as readonly string[]).includes(status)) {
      throw wrong('Status', `must be one of ${TIMESHEET_STATUSES.join(', ')}`);
    }
    return status as TimesheetStatus;
  }
}
