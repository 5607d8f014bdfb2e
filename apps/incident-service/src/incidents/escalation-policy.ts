import { CommandError } from '@matrix/messaging';
import { INCIDENT_PRIORITIES, MAX_ESCALATION_LEVEL, type IncidentPriority } from './incident-lifecycle';
import { field, optionalText, text, type Args } from '../ops/args';

/*
 * Escalation policies (the Matrix documentation, §7.4 "Escalation policy"): per building, target
 * durations per priority and, per kind of threshold, what happens at each escalation level. Pure: the
 * documented default, reading the array form of the create/update bodies, merging an update, and the
 * two read forms (map, or array with `MapToArray`).
 */

export const DEFAULT_POLICY_ID = 'default';

export const ESCALATION_LEVELS = Array.from({ length: MAX_ESCALATION_LEVEL + 1 }, (_, i) => `L${i}`);

/** The documented recipient media (others are not documented). */
export const ENTITY_MEDIA = ['MATRIX_APP_NOTIFICATION', 'MATRIX_MOBILE_APP', 'EMAIL'];

/** The documented action (the only one). */
export const ESCALATION_ACTIONS = ['NOTIFY'];

/** The three kinds of threshold, in the order the documentation names them. */
export const THRESHOLD_KINDS = [
  'UnassignedSettings',
  'StartThresholdSettings',
  'DueTimeThresholdSettings',
] as const;
export type ThresholdKind = (typeof THRESHOLD_KINDS)[number];

const MAX_RECIPIENTS = 20;
const MAX_INCIDENT_TYPES = 50;

export interface Recipient {
  Entity: string;
  EntityMedium: string;
  MediumDetails?: string;
  NotifyForIncidents?: unknown;
}

export interface LevelSetting {
  Action: string;
  Recipients: Recipient[];
  TimeAfter: number;
}

/** Seconds from the incident's start-by (`StartThreshold`) and due time (`DueTime`). */
export interface TargetDuration {
  StartThreshold: number;
  DueTime: number;
}

export interface EscalationPolicy {
  policyId: string;
  name: string;
  description: string;
  isDefault: boolean;
  incidentTypes: string[];
  targetDurations: Record<IncidentPriority, TargetDuration>;
  settings: Record<ThresholdKind, Record<string, LevelSetting>>;
}

/** The documented target durations (H 300/900, M 600/900, N 900/1800, L 1800/3600 s). */
export const DEFAULT_TARGET_DURATIONS: Record<IncidentPriority, TargetDuration> = {
  H: { StartThreshold: 300, DueTime: 900 },
  M: { StartThreshold: 600, DueTime: 900 },
  N: { StartThreshold: 900, DueTime: 1800 },
  L: { StartThreshold: 1800, DueTime: 3600 },
};

const noThresholds = (): Record<ThresholdKind, Record<string, LevelSetting>> => ({
  UnassignedSettings: {},
  StartThresholdSettings: {},
  DueTimeThresholdSettings: {},
});

/** A building's `default` policy until it changes it: every incident type, the documented durations, no notifications. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  policyId: DEFAULT_POLICY_ID,
  name: 'Default',
  description: '',
  isDefault: true,
  incidentTypes: ['*'],
  targetDurations: DEFAULT_TARGET_DURATIONS,
  settings: noThresholds(),
};

const wrong = (path: string, what: string) => new CommandError('WRONG_PARAMETERS', `${path}: ${what}`);

const isObject = (value: unknown): value is Args =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function list(args: Args, name: string, path: string): unknown[] | undefined {
  const value = field(args, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw wrong(path, 'must be a list');
  return value;
}

function seconds(args: Args, name: string, path: string): number {
  const value = field(args, name);
  if (value === undefined) throw new CommandError('MISSING_PARAMETERS', `${path}: is required`);
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw wrong(path, 'must be seconds (a non-negative integer)');
  }
  return value as number;
}

function oneOf(args: Args, name: string, path: string, allowed: readonly string[]): string {
  const value = text(args, name, path);
  if (!allowed.includes(value)) throw wrong(path, `must be one of ${allowed.join(', ')}`);
  return value;
}

function item(value: unknown, path: string): Args {
  if (!isObject(value)) throw wrong(path, 'must be an object');
  return value;
}

function recipients(args: Args, path: string): Recipient[] {
  const items = list(args, 'Recipients', `${path}.Recipients`) ?? [];
  if (items.length > MAX_RECIPIENTS) throw wrong(`${path}.Recipients`, `must hold at most ${MAX_RECIPIENTS}`);
  return items.map((value, i) => {
    const at = `${path}.Recipients[${i}]`;
    const r = item(value, at);
    const mediumDetails = optionalText(r, 'MediumDetails', `${at}.MediumDetails`);
    const notify = field(r, 'NotifyForIncidents');
    return {
      Entity: text(r, 'Entity', `${at}.Entity`),
      EntityMedium: oneOf(r, 'EntityMedium', `${at}.EntityMedium`, ENTITY_MEDIA),
      ...(mediumDetails !== undefined ? { MediumDetails: mediumDetails } : {}),
      ...(notify !== undefined ? { NotifyForIncidents: notify } : {}),
    };
  });
}

/** `<kind>: [{Level, Recipients, TimeAfter, Action}]` (the array form) → by level; a level named twice is refused. */
export function readThresholds(
  args: Args,
  kind: ThresholdKind,
  path: string,
): Record<string, LevelSetting> | undefined {
  const items = list(args, kind, `${path}.${kind}`);
  if (items === undefined) return undefined;
  const byLevel: Record<string, LevelSetting> = {};
  items.forEach((value, i) => {
    const at = `${path}.${kind}[${i}]`;
    const s = item(value, at);
    const level = oneOf(s, 'Level', `${at}.Level`, ESCALATION_LEVELS);
    if (byLevel[level]) throw wrong(`${at}.Level`, `${level} is named twice`);
    byLevel[level] = {
      Action: oneOf(s, 'Action', `${at}.Action`, ESCALATION_ACTIONS),
      Recipients: recipients(s, at),
      TimeAfter: seconds(s, 'TimeAfter', `${at}.TimeAfter`),
    };
  });
  return byLevel;
}

/** `TargetDurations: [{Priority, DueTime, StartThreshold}]` → by priority; a priority named twice is refused. */
export function readTargetDurations(
  args: Args,
  path: string,
): Partial<Record<IncidentPriority, TargetDuration>> | undefined {
  const items = list(args, 'TargetDurations', `${path}.TargetDurations`);
  if (items === undefined) return undefined;
  const byPriority: Partial<Record<IncidentPriority, TargetDuration>> = {};
  items.forEach((value, i) => {
    const at = `${path}.TargetDurations[${i}]`;
    const d = item(value, at);
    const prio = oneOf(d, 'Priority', `${at}.Priority`, INCIDENT_PRIORITIES) as IncidentPriority;
    if (byPriority[prio]) throw wrong(`${at}.Priority`, `${prio} is named twice`);
    byPriority[prio] = {
      StartThreshold: seconds(d, 'StartThreshold', `${at}.StartThreshold`),
      DueTime: seconds(d, 'DueTime', `${at}.DueTime`),
    };
  });
  return byPriority;
}

export function readIncidentTypes(args: Args, path: string): string[] | undefined {
  const items = list(args, 'IncidentTypes', `${path}.IncidentTypes`);
  if (items === undefined) return undefined;
  if (items.length > MAX_INCIDENT_TYPES) {
    throw wrong(`${path}.IncidentTypes`, `must hold at most ${MAX_INCIDENT_TYPES}`);
  }
  return items.map((value, i) => {
    if (typeof value !== 'string' || value.trim() === '' || value.length > 256) {
      throw wrong(`${path}.IncidentTypes[${i}]`, 'must be an incident type (a non-empty string)');
    }
    return value;
  });
}

/** The policy a create body describes (array form); unnamed priorities take the documented durations. */
export function policyFromCreate(body: Args): Omit<EscalationPolicy, 'policyId'> {
  const path = 'EscalationPolicy';
  const settings = noThresholds();
  for (const kind of THRESHOLD_KINDS) settings[kind] = readThresholds(body, kind, path) ?? {};
  const isDefault = field(body, 'IsDefault');
  if (isDefault !== undefined && typeof isDefault !== 'boolean') {
    throw wrong(`${path}.IsDefault`, 'must be true or false');
  }
  return {
    name: text(body, 'Name', `${path}.Name`),
    description: optionalText(body, 'Description', `${path}.Description`) ?? '',
    isDefault: isDefault === true,
    incidentTypes: readIncidentTypes(body, path) ?? ['*'],
    targetDurations: { ...DEFAULT_TARGET_DURATIONS, ...readTargetDurations(body, path) },
    settings,
  };
}

/** `updateEscalationPolicyDetails`: name and description replaced when given; incident types added, or replaced with `UpdateOverride`. */
export function withDetails(policy: EscalationPolicy, body: Args): EscalationPolicy {
  const path = 'EscalationPolicy';
  const name = optionalText(body, 'Name', `${path}.Name`);
  if (name !== undefined && name.trim() === '') throw wrong(`${path}.Name`, 'must not be empty');
  const description = optionalText(body, 'Description', `${path}.Description`);
  const types = readIncidentTypes(body, path);
  const override = field(body, 'UpdateOverride');
  if (override !== undefined && typeof override !== 'boolean') {
    throw wrong(`${path}.UpdateOverride`, 'must be true or false');
  }
  const incidentTypes =
    types === undefined
      ? policy.incidentTypes
      : override === true
        ? types
        : [...policy.incidentTypes, ...types.filter((t) => !policy.incidentTypes.includes(t))];
  return {
    ...policy,
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    incidentTypes,
  };
}

/** `updateEscalationPolicySettings`: the levels each named kind lists replace those levels; the others stay. */
export function withThresholds(policy: EscalationPolicy, body: Args): EscalationPolicy {
  const settings = { ...policy.settings };
  let named = false;
  for (const kind of THRESHOLD_KINDS) {
    const levels = readThresholds(body, kind, 'EscalationPolicy');
    if (levels === undefined) continue;
    named = true;
    settings[kind] = { ...settings[kind], ...levels };
  }
  if (!named) {
    throw new CommandError(
      'MISSING_PARAMETERS',
      `EscalationPolicy: names none of ${THRESHOLD_KINDS.join(', ')}`,
    );
  }
  return { ...policy, settings };
}

/** `updateEscalationPolicyTargetDurations`: the priorities listed replace theirs; the others stay. */
export function withTargetDurations(policy: EscalationPolicy, body: Args): EscalationPolicy {
  const durations = readTargetDurations(body, 'EscalationPolicy');
  if (durations === undefined) {
    throw new CommandError('MISSING_PARAMETERS', 'EscalationPolicy.TargetDurations: is required');
  }
  return { ...policy, targetDurations: { ...policy.targetDurations, ...durations } };
}

const byLevelOrder = (levels: Record<string, LevelSetting>) =>
  ESCALATION_LEVELS.filter((level) => levels[level]).map((level) => [level, levels[level]!] as const);

/**
 * A policy as read: the map form (`TargetDurations{<prio>:{…}}`, `EscalationSettings{<kind>:{<level>:{…}}}`)
 * or, with `MapToArray`, the array form of the create body.
 */
export function matrixPolicy(
  pid: string,
  policy: EscalationPolicy,
  mapToArray: boolean,
  times: { createdOn?: number; modifiedOn?: number } = {},
): Record<string, unknown> {
  const common = {
    ID: pid,
    ATTR: `attr#escalationpolicy#${pid}#${policy.policyId}`,
    PolicyId: policy.policyId,
    Name: policy.name,
    Description: policy.description,
    IsDefault: policy.isDefault,
    IncidentTypes: policy.incidentTypes,
    ...(times.createdOn !== undefined ? { CreatedOn: times.createdOn } : {}),
    ...(times.modifiedOn !== undefined ? { ModifiedOn: times.modifiedOn } : {}),
  };
  if (!mapToArray) {
    return {
      ...common,
      TargetDurations: Object.fromEntries(INCIDENT_PRIORITIES.map((p) => [p, policy.targetDurations[p]])),
      EscalationSettings: Object.fromEntries(
        THRESHOLD_KINDS.map((kind) => [kind, Object.fromEntries(byLevelOrder(policy.settings[kind]))]),
      ),
    };
  }
  return {
    ...common,
    TargetDurations: INCIDENT_PRIORITIES.map((p) => ({ Priority: p, ...policy.targetDurations[p] })),
    ...Object.fromEntries(
      THRESHOLD_KINDS.map((kind) => [
        kind,
        byLevelOrder(policy.settings[kind]).map(([Level, s]) => ({ Level, ...s })),
      ]),
    ),
  };
}
