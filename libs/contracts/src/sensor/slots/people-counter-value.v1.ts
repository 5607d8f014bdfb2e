import type { Validated } from '../../shared/validation';
import { count, normaliseFields, numericText, type FieldSpecs } from './value-fields';

/**
 * `v` of `SMARTCLEAN#PPLCTR` (reference §3.4.1, people counter PC-WF-1901): `count` people entered,
 * `out_count` people left the field of view. Counts arrive as strings (`"2"`, 2021 firmware) or floats
 * (`2.0`, later firmware). They are canonicalised to JSON integers so that the documented SQL
 * `cast(v->>'count' as integer)` works on every row (ADR-7).
 */
export interface PeopleCounterValueV1 {
  count: number;
  out_count?: number;
  [extra: string]: unknown;
}

/**
 * `v` of `SMARTCLEAN#UM` (reference §3.4.1, PC Lite): `count` motion-triggered entries, `b` battery
 * voltage in mV as the documented string-number (`"3000"`). `u` (`"6167"` in the example) is
 * undocumented and kept as sent.
 */
export interface UsageMonitorValueV1 {
  count: number;
  b?: string;
  [extra: string]: unknown;
}

const PEOPLE_COUNTER_FIELDS: FieldSpecs = {
  count: { read: count(), required: true },
  out_count: { read: count() },
};

const USAGE_MONITOR_FIELDS: FieldSpecs = {
  count: { read: count(), required: true },
  b: { read: numericText({ min: 0 }) },
};

export function normalisePeopleCounterValue(v: Record<string, unknown>): Validated<PeopleCounterValueV1> {
  return normaliseFields(v, PEOPLE_COUNTER_FIELDS);
}

export function normaliseUsageMonitorValue(v: Record<string, unknown>): Validated<UsageMonitorValueV1> {
  return normaliseFields(v, USAGE_MONITOR_FIELDS);
}
