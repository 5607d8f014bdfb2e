import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { object } from '../ops/args';
import { allow, seconds, type OpGroup, type OpTable } from '../ops/op-table';
import { canonicalSetting, daysNamed, shiftSettings } from './shift-definition';
import { ShiftDefinitionsRepository, type ShiftDefinitionRow } from './shift-definitions.repository';

/** A day's shift definitions in the documented field names. */
export function matrixShiftDefinition(row: ShiftDefinitionRow): Record<string, unknown> {
  return {
    ID: row.prop_id,
    ATTR: `attr#shiftdefinition#${row.prop_id}#${row.dow}`,
    PropID: row.prop_id,
    DayOfWeek: row.dow,
    ShiftSettings: row.shift_settings.map(canonicalSetting),
    CreatedBy: row.created_by,
    CreatedOn: seconds(row.created_on),
    ModifiedBy: row.modified_by,
    ModifiedOn: seconds(row.modified_on),
  };
}

/** The property of the call: the building's (`pid`), or with `pid=scnoop` the one the gateway resolved. */
export function propertyOf(command: ActionCommandV1): string {
  const propId = command.building?.propId ?? command.property?.propId;
  if (!propId) throw new CommandError('MISSING_PARAMETERS', `${command.op} needs propid`);
  return propId;
}

const dayList = (days: readonly number[]) => `day${days.length > 1 ? 's' : ''} ${days.join(', ')}`;

/**
 * The four property shift-definition ops (the Matrix documentation, §4.4 "Shift", §7.4 "Shift hours /
 * property shift definitions"): per property and day of the week, the named shifts a supervisor plans
 * from. Changes need an `admin` credential; no event is documented for them and none is published.
 */
@Injectable()
export class ShiftDefinitionActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.createShiftDefinitionForProperty': (c) => this.create(c),
    'scteams.getShiftDefinitionForProperty': (c) => this.get(c),
    'scteams.updateShiftDefinitionForProperty': (c) => this.update(c),
    'scteams.deleteShiftDefinitionForProperty': (c) => this.delete(c),
  };

  constructor(private readonly definitions: ShiftDefinitionsRepository) {}

  private body(command: ActionCommandV1) {
    const body = object(command.args, 'PropertyShiftSetting');
    return {
      days: daysNamed(body, 'PropertyShiftSetting.'),
      settings: shiftSettings(body, 'PropertyShiftSetting.ShiftSettings'),
    };
  }

  /** `PropertyShiftSetting{ShiftSettings, DaysOfWeek|DayOfWeek}`: the same definitions on every day named. */
  private async create(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = propertyOf(command);
    allow(command, 'admin');
    const { days, settings } = this.body(command);
    const outcome = await this.definitions.create(propId, days, settings, command.caller.accessKey);
    if ('conflict' in outcome) {
      throw new CommandError(
        'ALREADY_EXISTS',
        `property ${propId} already has other shift definitions on ${dayList(outcome.conflict)}; change them with scteams.updateShiftDefinitionForProperty`,
      );
    }
    return {
      message: outcome.created
        ? 'Shift definitions created'
        : 'Shift definitions already created by an identical request',
      data: outcome.rows.map(matrixShiftDefinition),
    };
  }

  /** No arguments (the SDKs send `null`): every day of the property that has definitions. */
  private async get(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    return { data: (await this.definitions.all(propertyOf(command))).map(matrixShiftDefinition) };
  }

  /** `PropertyShiftSetting{ShiftSettings, DayOfWeek|DaysOfWeek}`: each day named replaced whole. */
  private async update(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = propertyOf(command);
    allow(command, 'admin');
    const { days, settings } = this.body(command);
    const outcome = await this.definitions.update(propId, days, settings, command.caller.accessKey);
    if ('missing' in outcome) {
      throw new CommandError(
        'NOT_FOUND',
        `property ${propId} has no shift definitions on ${dayList(outcome.missing)}; create them with scteams.createShiftDefinitionForProperty`,
      );
    }
    return { message: 'Shift definitions updated', data: outcome.rows.map(matrixShiftDefinition) };
  }

  /** `DaysOfWeek` (or `DayOfWeek`): a day without definitions is not an error (a retried delete). */
  private async delete(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const propId = propertyOf(command);
    allow(command, 'admin');
    const days = daysNamed(command.args);
    const deleted = await this.definitions.delete(propId, days);
    return {
      message:
        deleted.length > 0
          ? `Shift definitions deleted for ${dayList(deleted)}`
          : 'No shift definitions on those days',
      data: { PropID: propId, DaysOfWeek: deleted },
    };
  }
}
