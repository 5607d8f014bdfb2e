import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { IncidentSettings, SYSTEM_INCIDENT_SETTINGS, type EffectiveSetting } from './incident-settings';
import { field, object } from '../ops/args';
import { allow, building, notFound, type OpGroup, type OpTable } from '../ops/op-table';

/** Settings in the documented shape: `{KEY: {Type, LongValue|BooleanValue, Unit?, Description, LastModifiedOn?}}`. */
function matrixSettings(settings: Record<string, EffectiveSetting>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, s]) => [
      key,
      {
        Type: s.type,
        [s.type === 'Long' ? 'LongValue' : 'BooleanValue']: s.value,
        ...(s.unit ? { Unit: s.unit } : {}),
        Description: s.description,
        ...(s.modifiedOn !== undefined ? { LastModifiedOn: s.modifiedOn } : {}),
      },
    ]),
  );
}

/** The settings a body names at `IncidentSettings.IncidentSettings` (the documented nesting). */
function namedSettings(command: ActionCommandV1): Record<string, unknown> | undefined {
  if (field(command.args, 'IncidentSettings') === undefined) return undefined;
  const outer = object(command.args, 'IncidentSettings');
  return object(outer, 'IncidentSettings', 'IncidentSettings.IncidentSettings');
}

/** The incident-settings ops: a building's settings (read, update) and the system defaults. */
@Injectable()
export class SettingsActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getIncidentsSettings': (c) => this.getSettings(c),
    'scteams.updateIncidentsSettings': (c) => this.updateSettings(c),
    'scteams.getSystemIncidentSettings': (c) => this.systemSettings(c),
  };

  constructor(private readonly settings: IncidentSettings) {}

  private async getSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    return { data: { IncidentSettings: matrixSettings(await this.settings.of(building(command).pid)) } };
  }

  private async updateSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const named = namedSettings(command);
    if (!named) throw new CommandError('MISSING_PARAMETERS', 'IncidentSettings: is required');
    const changes: Record<string, number | boolean> = {};
    for (const key of Object.keys(named)) {
      const path = `IncidentSettings.IncidentSettings.${key}`;
      const system = SYSTEM_INCIDENT_SETTINGS[key];
      if (!system) throw new CommandError('WRONG_PARAMETERS', `${path}: is not an incident setting`);
      const setting = object(named, key, path);
      const valueKey = system.type === 'Long' ? 'LongValue' : 'BooleanValue';
      const value = setting[valueKey];
      const type = setting['Type'];
      if (type !== undefined && type !== system.type) {
        throw new CommandError('WRONG_PARAMETERS', `${path}.Type: must be ${system.type}`);
      }
      if (
        system.type === 'Long'
          ? !(Number.isSafeInteger(value) && (value as number) >= 0)
          : typeof value !== 'boolean'
      ) {
        throw new CommandError(
          'WRONG_PARAMETERS',
          `${path}.${valueKey}: must be ${system.type === 'Long' ? 'a non-negative integer' : 'true or false'}`,
        );
      }
      changes[key] = value as number | boolean;
    }
    await this.settings.update(pid, changes, command.caller.accessKey);
    return {
      message: 'Incident settings updated',
      data: { IncidentSettings: matrixSettings(await this.settings.of(pid)) },
    };
  }

  /** The system defaults, all or those the body names (`{IncidentSettings: {IncidentSettings: {KEY: {}}}}`). */
  private async systemSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const named = namedSettings(command);
    const keys = named ? Object.keys(named) : Object.keys(SYSTEM_INCIDENT_SETTINGS);
    const unknown = keys.find((key) => !SYSTEM_INCIDENT_SETTINGS[key]);
    if (unknown !== undefined) throw notFound(`incident setting ${unknown}`);
    const settings = Object.fromEntries(keys.map((key) => [key, SYSTEM_INCIDENT_SETTINGS[key]!]));
    return Promise.resolve({ data: { IncidentSettings: matrixSettings(settings) } });
  }
}
