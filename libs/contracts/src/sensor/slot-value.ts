import type { Validated } from '../shared/validation';
import { normaliseAirQuality10In1Value } from './slots/air-quality-10-in-1-value.v1';
import { normaliseAirQualityLiteValue } from './slots/air-quality-lite-value.v1';
import { checkAirQualityWiredStats, normaliseAirQualityWiredValue } from './slots/air-quality-wired-value.v1';
import { normaliseFeedbackValue } from './slots/feedback-value.v1';
import { normaliseFillLevelValue } from './slots/fill-level-value.v1';
import { normaliseOccupancyValue } from './slots/occupancy-value.v1';
import { normalisePeopleCounterValue, normaliseUsageMonitorValue } from './slots/people-counter-value.v1';
import { normaliseSpillValue } from './slots/spill-value.v1';
import { normaliseTemperatureHumidityValue } from './slots/temperature-humidity-value.v1';
import { normaliseTiltValue } from './slots/tilt-value.v1';

/** Checks and canonicalises the `v` of one slot type. */
export type SlotValueNormaliser = (v: Record<string, unknown>) => Validated<Record<string, unknown>>;

/** Checks the top-level fields a slot type documents besides `v`; returns `field: message` errors. */
export type SlotPointCheck = (point: Readonly<Record<string, unknown>>) => string[];

/**
 * Slot types whose `v` this version validates, keyed by `DevType` (reference §3.3–3.4). A type not
 * listed here passes through as a generic data point (only the general fields are checked), so
 * providers other than SMARTCLEAN can be onboarded without a code change.
 */
export const SLOT_VALUE_NORMALISERS: Readonly<Record<string, SlotValueNormaliser>> = {
  'SMARTCLEAN#PPLCTR': normalisePeopleCounterValue,
  'SMARTCLEAN#UM': normaliseUsageMonitorValue,
  'SMARTCLEAN#FD': normaliseFeedbackValue,
  'SMARTCLEAN#TR': normaliseFillLevelValue,
  'SMARTCLEAN#PT': normaliseFillLevelValue,
  'SMARTCLEAN#SS': normaliseFillLevelValue,
  'SMARTCLEAN#BIN': normaliseFillLevelValue,
  'SMARTCLEAN#WD': normaliseSpillValue,
  'SMARTCLEAN#ODRDTR_10_IN_1': normaliseAirQuality10In1Value,
  'SMARTCLEAN#ODRDTR_BATT_V1': normaliseAirQualityLiteValue,
  'SMARTCLEAN#ODRDTR': normaliseAirQualityWiredValue,
  'SMARTCLEAN#OCCMINEW': normaliseOccupancyValue,
  'SMARTCLEAN#OCCSCM': normaliseOccupancyValue,
  'SMARTCLEAN#OCCDESK': normaliseOccupancyValue,
  'SMARTCLEAN#TILT': normaliseTiltValue,
  'SMARTCLEAN#TH': normaliseTemperatureHumidityValue,
};

/** Slot types that document top-level fields of their own besides `v`: ODRDTR's `stats`. */
export const SLOT_POINT_CHECKS: Readonly<Record<string, SlotPointCheck>> = {
  'SMARTCLEAN#ODRDTR': checkAirQualityWiredStats,
};

/** Validates `v` for a known slot type; unknown types are accepted as they are. */
export function normaliseSlotValue(
  devType: string,
  v: Record<string, unknown>,
): Validated<Record<string, unknown>> {
  const normaliser = Object.hasOwn(SLOT_VALUE_NORMALISERS, devType)
    ? SLOT_VALUE_NORMALISERS[devType]
    : undefined;
  return normaliser ? normaliser(v) : { ok: true, value: v };
}

/**
 * Validates everything type-specific about a point — its `v` and the top-level fields its type
 * documents (ODRDTR `stats`, kept as sent) — and returns the canonical `v`, or every error at once.
 */
export function normaliseSlotPoint(point: {
  readonly DevType: string;
  readonly v: Record<string, unknown>;
  readonly [field: string]: unknown;
}): Validated<Record<string, unknown>> {
  const value = normaliseSlotValue(point.DevType, point.v);
  const check = Object.hasOwn(SLOT_POINT_CHECKS, point.DevType)
    ? SLOT_POINT_CHECKS[point.DevType]
    : undefined;
  const errors = check ? check(point) : [];
  if (errors.length === 0) return value;
  return { ok: false, errors: [...(value.ok ? [] : value.errors), ...errors] };
}
