import { Injectable } from '@nestjs/common';
import type { ActionCommandReplyV1, ActionCommandV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { IncidentSettings, SYSTEM_INCIDENT_SETTINGS } from '../incidents/incident-settings';
import { object } from '../ops/args';
import { allow, building, notFound, type OpGroup, type OpTable } from '../ops/op-table';
import {
  matrixSettings,
  namedSettings,
  settingChanges,
  settingValue,
  type EffectiveSetting,
  type SettingDefinition,
} from '../ops/setting-values';
import { SYSTEM_SCHEDULE_SETTINGS } from '../shifts/shift-settings';
import { SettingsRepository, type SettingChanges } from './settings.repository';

const SCHEDULE = 'ScheduleSettings';
const INCIDENT = 'IncidentSettings';

/** The settings of `all` that `keys` name, in the order of `all`. */
const only = (all: Record<string, EffectiveSetting>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(all).filter(([key]) => keys.includes(key)));

/** Both kinds in the documented nesting of `addNewSystemSettings`: `{ScheduleSettings: {ScheduleSettings: …}, …}`. */
const nested = (schedule: Record<string, EffectiveSetting>, incident: Record<string, EffectiveSetting>) => ({
  [SCHEDULE]: { [SCHEDULE]: matrixSettings(schedule) },
  [INCIDENT]: { [INCIDENT]: matrixSettings(incident) },
});

/**
 * The schedule-settings ops and the new-system-settings ops (the Matrix documentation, §4.4 "Settings and
 * shift hours", Appendix A): a building's schedule settings (`getSettings`, `updateSettings`), the system
 * defaults (`getSystemScheduleSettings`), and the system keys of both kinds a building has no value of yet
 * (`getNewSystemSettings`, `addNewSystemSettings`). Shaped as the incident-settings ops
 * (`src/incidents/settings-actions.ts`); changes need an `admin` credential; no event is documented.
 */
@Injectable()
export class ScheduleSettingsActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getSettings': (c) => this.getSettings(c),
    'scteams.updateSettings': (c) => this.updateSettings(c),
    'scteams.getSystemScheduleSettings': (c) => this.systemSettings(c),
    'scteams.getNewSystemSettings': (c) => this.newSystemSettings(c),
    'scteams.addNewSystemSettings': (c) => this.addNewSystemSettings(c),
  };

  constructor(
    private readonly settings: SettingsRepository,
    private readonly incidentSettings: IncidentSettings,
  ) {}

  /** No arguments (the SDKs send `null`): the building's schedule settings over the defaults. */
  private async getSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    return { data: { [SCHEDULE]: matrixSettings(await this.settings.schedule(building(command).pid)) } };
  }

  /**
   * `ScheduleSettings{ScheduleSettings{<KEY>{LongValue|BooleanValue, Type?, Description?}}}`: the building's
   * values of the keys named; its live shifts' timers follow in the same transaction.
   */
  private async updateSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const named = namedSettings(command.args, SCHEDULE);
    if (!named) throw new CommandError('MISSING_PARAMETERS', `${SCHEDULE}: is required`);
    const changes = settingChanges(
      named,
      SYSTEM_SCHEDULE_SETTINGS,
      `${SCHEDULE}.${SCHEDULE}`,
      'a schedule setting',
    );
    const rescheduled = await this.settings.update(pid, changes, command.caller.accessKey);
    return {
      message: 'Schedule settings updated',
      data: { [SCHEDULE]: matrixSettings(await this.settings.schedule(pid)), RescheduledShifts: rescheduled },
    };
  }

  /** The system defaults, all or those the body names (`{ScheduleSettings: {ScheduleSettings: {KEY: {}}}}`). */
  private systemSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const named = namedSettings(command.args, SCHEDULE);
    const keys = named ? Object.keys(named) : Object.keys(SYSTEM_SCHEDULE_SETTINGS);
    const unknown = keys.find((key) => !SYSTEM_SCHEDULE_SETTINGS[key]);
    if (unknown !== undefined) throw notFound(`schedule setting ${unknown}`);
    const settings = Object.fromEntries(keys.map((key) => [key, SYSTEM_SCHEDULE_SETTINGS[key]!]));
    return Promise.resolve({ data: { [SCHEDULE]: matrixSettings(settings) } });
  }

  /**
   * No arguments: the system settings of both kinds the building has no value of yet (it follows their
   * system defaults), with those defaults, in the nesting of the `addNewSystemSettings` body.
   */
  private async newSystemSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const missing = await this.settings.missing(building(command).pid);
    return {
      data: nested(
        only(SYSTEM_SCHEDULE_SETTINGS, missing.schedule),
        only(SYSTEM_INCIDENT_SETTINGS, missing.incident),
      ),
    };
  }

  /**
   * `ScheduleSettings{ScheduleSettings{<KEY>{}}}`, `IncidentSettings{IncidentSettings{<KEY>{}}}` (either or
   * both): gives the building the system keys named that it has no value of — with the value sent
   * (`LongValue|BooleanValue`) or else the system default; a key it has keeps its value. Unknown keys are
   * refused, all named, nothing added; the empty key of the documented example (`"": {}`) names none.
   */
  private async addNewSystemSettings(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const schedule = namedSettings(command.args, SCHEDULE);
    const incident = namedSettings(command.args, INCIDENT);
    if (!schedule && !incident) {
      throw new CommandError('MISSING_PARAMETERS', `${SCHEDULE} or ${INCIDENT}: is required`);
    }
    const unknown = [
      ...unknownKeys(schedule, SYSTEM_SCHEDULE_SETTINGS, SCHEDULE),
      ...unknownKeys(incident, SYSTEM_INCIDENT_SETTINGS, INCIDENT),
    ];
    if (unknown.length > 0) {
      throw new CommandError(
        'WRONG_PARAMETERS',
        `${unknown.join(', ')}: ${unknown.length > 1 ? 'are not system settings' : 'is not a system setting'}; nothing was added`,
      );
    }
    const scheduleValues = additions(schedule, SYSTEM_SCHEDULE_SETTINGS, SCHEDULE);
    const incidentValues = additions(incident, SYSTEM_INCIDENT_SETTINGS, INCIDENT);
    const { added, rescheduled } = await this.settings.add(
      pid,
      scheduleValues,
      incidentValues,
      command.caller.accessKey,
    );
    const count = added.schedule.length + added.incident.length;
    return {
      message:
        count > 0
          ? `Added ${count} system setting${count === 1 ? '' : 's'}`
          : 'The building already has these settings',
      data: {
        Added: { [SCHEDULE]: added.schedule, [INCIDENT]: added.incident },
        ...nested(
          only(await this.settings.schedule(pid), Object.keys(scheduleValues)),
          only(await this.incidentSettings.of(pid), Object.keys(incidentValues)),
        ),
        RescheduledShifts: rescheduled,
      },
    };
  }
}

/** The keys of `named` that name something (not the documented example's empty key). */
const keysOf = (named: Record<string, unknown> | undefined) =>
  Object.keys(named ?? {}).filter((key) => key !== '');

function unknownKeys(
  named: Record<string, unknown> | undefined,
  system: Readonly<Record<string, SettingDefinition>>,
  kind: string,
): string[] {
  return keysOf(named)
    .filter((key) => !system[key])
    .map((key) => `${kind}.${kind}.${key}`);
}

/** Each key named with the value sent, else its system default. */
function additions(
  named: Record<string, unknown> | undefined,
  system: Readonly<Record<string, SettingDefinition>>,
  kind: string,
): SettingChanges {
  return Object.fromEntries(
    keysOf(named).map((key) => {
      const path = `${kind}.${kind}.${key}`;
      const value = settingValue(object(named!, key, path), system[key]!, path, true);
      return [key, value ?? system[key]!.value];
    }),
  );
}
