import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { allow, notFound, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { shiftAddress } from './shift-args';
import { matrixShift, openBreakOf } from './shift-row';
import { ShiftsRepository, shiftLabel, type ShiftView } from './shifts.repository';

/** The reads of one shift: its details and its status (the Matrix documentation, §4.4 "Shift"). */
@Injectable()
export class ShiftQueryActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getShiftDetailsByID': async (c, now) => {
      const view = await this.shift(c);
      return { data: matrixShift(view.row, view.taskGroups, seconds(now)) };
    },
    'scteams.shiftStatus': async (c) => {
      const { row } = await this.shift(c);
      const open = openBreakOf(row.breaks);
      return {
        data: {
          ShiftId: row.shift_id,
          SeatId: row.seat_id,
          Status: row.status,
          Delayed: row.delayed,
          AStart: Number(row.a_start),
          AEnd: Number(row.a_end),
          OnBreak: open !== undefined,
          Break: open ?? null,
        },
      } satisfies ActionCommandReplyV1;
    },
  };

  constructor(private readonly shifts: ShiftsRepository) {}

  /** `{Shift{SeatId, ShiftId}}`: the building's shift of that seat. */
  private async shift(command: ActionCommandV1): Promise<ShiftView> {
    allow(command, 'read');
    const address = shiftAddress(command, command.args);
    const view = await this.shifts.find(address);
    if (!view) throw notFound(shiftLabel(address));
    return view;
  }
}
