import { CommandError } from '@matrix/messaging';
import { field, object, type Args } from './args';

/*
 * What the incident and the schedule settings share (the Matrix documentation, §7.4 "Settings": each
 * `{Type: Long|Boolean, LongValue|BooleanValue, Unit, Description, LastModifiedOn}`): the documented shape
 * of an answer and the reading of one setting's new value from a body.
 */

/** One setting as documented: `{Type: Long|Boolean, LongValue|BooleanValue, Unit, Description}`. */
export interface SettingDefinition {
  type: 'Long' | 'Boolean';
  value: number | boolean;
  unit?: string;
  description: string;
  /** Long settings: the value's bounds when narrower than any non-negative integer. */
  min?: number;
  max?: number;
}

/** A building's effective setting. */
export interface EffectiveSetting extends SettingDefinition {
  /** Epoch seconds of the building's change; absent for a system default. */
  modifiedOn?: number;
}

/** Settings in the documented shape: `{KEY: {Type, LongValue|BooleanValue, Unit?, Description, LastModifiedOn?}}`. */
export function matrixSettings(settings: Record<string, EffectiveSetting>): Record<string, unknown> {
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

/**
 * The settings a body names at `<Parent>.<Parent>` (the documented nesting, e.g.
 * `{ScheduleSettings: {ScheduleSettings: {KEY: {…}}}}`); undefined when the body has no `<Parent>`.
 */
export function namedSettings(args: Args, parent: string): Record<string, unknown> | undefined {
  if (field(args, parent) === undefined) return undefined;
  return object(object(args, parent), parent, `${parent}.${parent}`);
}

/**
 * The new value of setting `key` (`{LongValue|BooleanValue, Type?, Description?}` at `path`): `Type`, when
 * sent, must be the setting's; a Long is a non-negative integer (within the setting's bounds), a Boolean
 * true or false. Undefined when `optional` and the object names no value (`{}`: the system default).
 */
export function settingValue(
  setting: Args,
  system: SettingDefinition,
  path: string,
  optional = false,
): number | boolean | undefined {
  const valueKey = system.type === 'Long' ? 'LongValue' : 'BooleanValue';
  const value = field(setting, valueKey);
  const type = field(setting, 'Type');
  if (type !== undefined && type !== system.type) {
    throw new CommandError('WRONG_PARAMETERS', `${path}.Type: must be ${system.type}`);
  }
  if (value === undefined && optional) return undefined;
  if (system.type === 'Boolean') {
    if (typeof value !== 'boolean') {
      throw new CommandError('WRONG_PARAMETERS', `${path}.${valueKey}: must be true or false`);
    }
    return value;
  }
  const bounded = system.min !== undefined || system.max !== undefined;
  const min = system.min ?? 0;
  const max = system.max ?? Number.MAX_SAFE_INTEGER;
  if (!(Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max)) {
    throw new CommandError(
      'WRONG_PARAMETERS',
      `${path}.${valueKey}: must be ${bounded ? `a whole number from ${min} to ${max}` : 'a non-negative integer'}`,
    );
  }
  return value as number;
}

/**
 * The changes a body's named settings make, each validated against `system` (the known keys); the first
 * key that is not one is refused as `<path>.<KEY>: is not <what>`.
 */
export function settingChanges(
  named: Record<string, unknown>,
  system: Readonly<Record<string, SettingDefinition>>,
  path: string,
  what: string,
): Record<string, number | boolean> {
  const changes: Record<string, number | boolean> = {};
  for (const key of Object.keys(named)) {
    const at = `${path}.${key}`;
    const definition = system[key];
    if (!definition) throw new CommandError('WRONG_PARAMETERS', `${at}: is not ${what}`);
    changes[key] = settingValue(object(named, key, at), definition, at)!;
  }
  return changes;
}
