import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { IncidentSettings, SYSTEM_INCIDENT_SETTINGS } from './incident-settings';
import { matrixSettings, namedSettings, settingChanges } from '../ops/setting-values';
import { allow, building, notFound, type OpGroup, type OpTable } from '../ops/op-table';

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
    const named = namedSettings(command.args, 'IncidentSettings');
    if (!named) throw new CommandError('MISSING_PARAMETERS', 'IncidentSettings: is required');
    const changes = settingChanges(
      named,
      SYSTEM_INCIDENT_SETTINGS,
      'IncidentSettings.IncidentSettings',
      'an incident setting',
    );
    await this.settings.update(pid, changes, command.caller.accessKey);
    return {
      message: 'Incident settings updated',
      data: { IncidentSettings: matrixSettings(await this.settings.of(pid)) },
    };
  }

  /** The system defaults, all or those the body names (`{IncidentSettings: {IncidentSettings: {KEY: {}}}}`). */
  private async systemSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const named = namedSettings(command.args, 'IncidentSettings');
    const keys = named ? Object.keys(named) : Object.keys(SYSTEM_INCIDENT_SETTINGS);
    const unknown = keys.find((key) => !SYSTEM_INCIDENT_SETTINGS[key]);
    if (unknown !== undefined) throw notFound(`incident setting ${unknown}`);
    const settings = Object.fromEntries(keys.map((key) => [key, SYSTEM_INCIDENT_SETTINGS[key]!]));
    return Promise.resolve({ data: { IncidentSettings: matrixSettings(settings) } });
  }
}
