import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { allow, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { propertyOf } from '../shift-definitions/shift-definition-actions';
import { canonicalShiftHour, shiftHours } from './shift-hours';
import { ShiftHoursRepository, type ShiftHoursRow } from './shift-hours.repository';

const ATTR = (propId: string) => `attr#shifthours#${propId}`;

/** A property's shift hours in the documented field names. */
export function matrixShiftHours(row: ShiftHoursRow): Record<string, unknown> {
  return {
    ID: row.prop_id,
    ATTR: ATTR(row.prop_id),
    PropID: row.prop_id,
    ShiftHours: row.shift_hours.map(canonicalShiftHour),
    CreatedBy: row.created_by,
    CreatedOn: seconds(row.created_on),
    ModifiedBy: row.modified_by,
    ModifiedOn: seconds(row.modified_on),
  };
}

/**
 * The three shift-hours ops (the Matrix documentation, §4.4 "Settings and shift hours", §7.4 "Shift
 * hours"): a property's default named shifts, one list per property (the property of the call's building,
 * or with `pid=scnoop` the one the gateway resolved). Changes need an `admin` credential; no event is
 * documented for them and none is published.
 */
@Injectable()
export class ShiftHoursActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.updateShiftHoursForProperty': (c) => this.update(c),
    'scteams.getShiftHoursForProperty': (c) => this.get(c),
    'scteams.deleteShiftHoursForProperty': (c) => this.delete(c),
  };

  constructor(private readonly hours: ShiftHoursRepository) {}

  /** `ShiftHours[{ShiftName, Start, End, NextDay?, ColorCode?}]`: creates the property's list or replaces it whole. */
  private async update(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = propertyOf(command);
    allow(command, 'admin');
    const hours = shiftHours(command.args);
    const { row, created } = await this.hours.put(propId, hours, command.caller.accessKey);
    return { message: created ? 'Shift hours created' : 'Shift hours updated', data: matrixShiftHours(row) };
  }

  /** No arguments (the SDKs send `null`): the property's shift hours, `ShiftHours: []` when it has none. */
  private async get(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = propertyOf(command);
    const row = await this.hours.get(propId);
    return {
      data: row ? matrixShiftHours(row) : { ID: propId, ATTR: ATTR(propId), PropID: propId, ShiftHours: [] },
    };
  }

  /** No arguments: a property without shift hours is not an error (a retried delete). */
  private async delete(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = propertyOf(command);
    allow(command, 'admin');
    const deleted = await this.hours.delete(propId);
    return {
      message: deleted ? 'Shift hours deleted' : 'The property has no shift hours',
      data: { PropID: propId, Deleted: deleted },
    };
  }
}
