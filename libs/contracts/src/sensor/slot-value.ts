import { readCount, type PeopleCounterValueV1 } from './people-counter-value.v1';
import type { Validated } from '../shared/validation';

/** Checks and canonicalises the `v` of one slot type. */
export type SlotValueNormaliser = (v: Record<string, unknown>) => Validated<Record<string, unknown>>;

function peopleCounter(v: Record<string, unknown>): Validated<PeopleCounterValueV1> {
  const errors: string[] = [];
  const count = readCount(v['count']);
  if (count === undefined) {
    errors.push('v.count: must be a non-negative whole number (number or numeric string)');
  }
  let outCount: number | undefined;
  if (v['out_count'] !== undefined) {
    outCount = readCount(v['out_count']);
    if (outCount === undefined) {
      errors.push('v.out_count: must be a non-negative whole number (number or numeric string)');
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const value: PeopleCounterValueV1 = { ...v, count: count as number };
  if (outCount !== undefined) value.out_count = outCount;
  return { ok: true, value };
}

/**
 * Slot types whose `v` this version validates, keyed by `DevType`. A type not listed here passes
 * through as a generic data point (only the general fields are checked), so providers other than
 * SMARTCLEAN can be onboarded without a code change.
 */
export const SLOT_VALUE_NORMALISERS: Readonly<Record<string, SlotValueNormaliser>> = {
  'SMARTCLEAN#PPLCTR': peopleCounter,
};

/** Validates `v` for a known slot type; unknown types are accepted as they are. */
export function normaliseSlotValue(
  devType: string,
  v: Record<string, unknown>,
): Validated<Record<string, unknown>> {
  const normaliser = SLOT_VALUE_NORMALISERS[devType];
  return normaliser ? normaliser(v) : { ok: true, value: v };
}
