/**
 * The Matrix "solutions" (the Matrix documentation, §3.5): which rule watches which slot type, and the
 * parameters of each rule with their documented defaults. A building's own values are stored per slot type
 * (`workforce.solution_settings`); what is not stored has the default. docs/solutions.md describes each rule.
 */

/** A rule, i.e. one kind of incident raised from sensor data. */
export type SolutionRule = 'usage' | 'consumable' | 'bin' | 'feedback' | 'spill' | 'air-quality' | 'ammonia';

/** The rules of each slot type watched (slot type without its `Provider#`). Other slot types raise nothing. */
export const RULES_OF_SLOT_TYPE: Readonly<Record<string, readonly SolutionRule[]>> = {
  PPLCTR: ['usage'],
  UM: ['usage'],
  FD: ['feedback'],
  TR: ['consumable'],
  PT: ['consumable'],
  SS: ['consumable'],
  BIN: ['bin'],
  WD: ['spill'],
  ODRDTR_10_IN_1: ['air-quality'],
  ODRDTR_BATT_V1: ['air-quality', 'ammonia'],
  ODRDTR: ['air-quality', 'ammonia'],
};

/** The slot types the rules watch, in a stable order (the consumer's subject filters). */
export const WATCHED_SLOT_TYPES = Object.keys(RULES_OF_SLOT_TYPE).sort();

/** The parameters of the rules of one slot type in one building. */
export interface SolutionParams {
  /** Whether the slot type's rules raise incidents in the building. */
  Enabled: boolean;
  /** After an incident from a device, no other incident from that device for this long (s). */
  DeviceBlockSeconds: number;
  /**
   * After an incident in a zone (of any slot type), this slot type raises no incident in that zone for this
   * long (s): the zone block, per slot type as the documented "block duration per incident type".
   */
  ZoneBlockSeconds: number;
  /** Usage: visits (`count` summed) that raise an incident; the count then starts again from 0. */
  PeopleThreshold: number;
  /** Consumables: an incident when the fill level `p` is below this (%). */
  MinFillPercent: number;
  /** Bin: an incident when the empty space left `p` is below this (%). */
  MinEmptyPercent: number;
  /** Feedback: an incident when one bad-feedback reason has been given this many times. */
  FeedbackMaxCount: number;
  /** Spill: an incident when `value` is 1 and the wet area `AreaP` is at least this (%); 0 = any spill. */
  SpillMinAreaPercent: number;
  /** Air quality (category 1): anomalies within `AqWindowSeconds` that raise an incident. */
  AqMaxAnomalies: number;
  /** Air quality: the anomaly window (s); at most one air-quality incident per device per window. */
  AqWindowSeconds: number;
  /** Air quality: a reading is an anomaly when its z-score against the rolling baseline exceeds this. */
  AqZScore: number;
  /** Ammonia (category 2, opt-in): an incident when ammonia exceeds this many ppm; null = off. */
  AmmoniaThresholdPpm: number | null;
}

/** The documented defaults (§3.5 "Default settings"); the bin minimum is internal in Matrix: ours is 10 %. */
export const DEFAULT_SOLUTION_PARAMS: Readonly<SolutionParams> = {
  Enabled: true,
  DeviceBlockSeconds: 900,
  ZoneBlockSeconds: 900,
  PeopleThreshold: 30,
  MinFillPercent: 5,
  MinEmptyPercent: 10,
  FeedbackMaxCount: 1,
  SpillMinAreaPercent: 0,
  AqMaxAnomalies: 1,
  AqWindowSeconds: 600,
  AqZScore: 1.96,
  AmmoniaThresholdPpm: null,
};

/** The parameters that mean something for each rule (beside `Enabled` and the two block durations). */
const PARAMS_OF_RULE: Readonly<Record<SolutionRule, readonly (keyof SolutionParams)[]>> = {
  usage: ['PeopleThreshold'],
  consumable: ['MinFillPercent'],
  bin: ['MinEmptyPercent'],
  feedback: ['FeedbackMaxCount'],
  spill: ['SpillMinAreaPercent'],
  'air-quality': ['AqMaxAnomalies', 'AqWindowSeconds', 'AqZScore'],
  ammonia: ['AmmoniaThresholdPpm'],
};

const COMMON: readonly (keyof SolutionParams)[] = ['Enabled', 'DeviceBlockSeconds', 'ZoneBlockSeconds'];

/** The parameter names a slot type's settings hold, in display order. */
export function paramsOfSlotType(slotType: string): (keyof SolutionParams)[] {
  const rules = RULES_OF_SLOT_TYPE[slotType] ?? [];
  return [...COMMON, ...rules.flatMap((rule) => PARAMS_OF_RULE[rule])];
}

/** The settings of a slot type as answered: its parameters, stored values over the defaults. */
export function effectiveParams(
  slotType: string,
  stored: Partial<SolutionParams> | undefined,
): SolutionParams {
  return { ...DEFAULT_SOLUTION_PARAMS, ...pick(stored ?? {}, paramsOfSlotType(slotType)) };
}

/** Only the named keys of `params`. */
export function pick(
  params: Partial<SolutionParams>,
  keys: readonly (keyof SolutionParams)[],
): Partial<SolutionParams> {
  return Object.fromEntries(keys.filter((k) => params[k] !== undefined).map((k) => [k, params[k]]));
}

/** Bounds of each numeric parameter: [min, max, whole]. */
const BOUNDS: Readonly<Partial<Record<keyof SolutionParams, [number, number, boolean]>>> = {
  DeviceBlockSeconds: [0, 7 * 86400, true],
  ZoneBlockSeconds: [0, 7 * 86400, true],
  PeopleThreshold: [1, 1_000_000, true],
  MinFillPercent: [0, 100, false],
  MinEmptyPercent: [0, 100, false],
  FeedbackMaxCount: [1, 1000, true],
  SpillMinAreaPercent: [0, 100, false],
  AqMaxAnomalies: [1, 1000, true],
  AqWindowSeconds: [60, 86400, true],
  AqZScore: [0.5, 10, false],
  AmmoniaThresholdPpm: [0, 1000, false],
};

/**
 * Validates a change of a slot type's parameters (`{Name: value}`): every key must be one of the slot type's
 * parameters (an unknown one is named), every value in its bounds. Answers the change or the problems.
 */
export function validateParamsChange(
  slotType: string,
  body: Record<string, unknown>,
): { ok: true; change: Partial<SolutionParams> } | { ok: false; errors: string[] } {
  const allowed = paramsOfSlotType(slotType);
  const byLowerCase = new Map(allowed.map((k) => [k.toLowerCase(), k]));
  const errors: string[] = [];
  const change: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(body)) {
    const key = byLowerCase.get(rawKey.toLowerCase());
    if (!key) {
      errors.push(`${rawKey}: is not a parameter of ${slotType} (one of ${allowed.join(', ')})`);
      continue;
    }
    if (key === 'Enabled') {
      if (typeof value !== 'boolean') errors.push(`${rawKey}: must be true or false`);
      else change[key] = value;
      continue;
    }
    if (key === 'AmmoniaThresholdPpm' && value === null) {
      change[key] = null;
      continue;
    }
    const [min, max, whole] = BOUNDS[key]!;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      errors.push(
        `${rawKey}: must be a number from ${min} to ${max}${key === 'AmmoniaThresholdPpm' ? ' or null' : ''}`,
      );
    } else if (whole && !Number.isInteger(value)) {
      errors.push(`${rawKey}: must be a whole number`);
    } else {
      change[key] = value;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, change: change as Partial<SolutionParams> };
}
