import type { Validated } from '../../shared/validation';
import {
  bool,
  checkObject,
  describeProblems,
  isPlainObject,
  normaliseFields,
  number,
  numericText,
  objectOf,
  strictNumber,
  text,
  type FieldSpecs,
} from './value-fields';

/**
 * `v` of `SMARTCLEAN#ODRDTR` (reference §3.4.8, AQ Wired OD-WF-1901). `amm` (ammonia), `alc` (VOC) and
 * `no2` in **ppm**; per gas a z-score (`*_zscore`, deviation from the predicted level; an anomaly
 * above 1.96, §3.5 counts them per 10 minutes) and the predicted level (`*_expected`, ppm); `rssi` the
 * signal strength as the documented string (`"-68"`). At least one of the three gases must be present.
 * The documented example sends `DevType: "ODRDTR"` without provider: see `canonicalDevType`.
 */
export interface AirQualityWiredValueV1 {
  amm?: number;
  alc?: number;
  no2?: number;
  amm_zscore?: number;
  alc_zscore?: number;
  no2_zscore?: number;
  amm_expected?: number;
  alc_expected?: number;
  no2_expected?: number;
  /** dBm as a decimal string, e.g. `"-68"`. */
  rssi?: string;
  [extra: string]: unknown;
}

/** One gas of the thresholding model output, e.g. `AMM`. */
export interface ThresholdingHealthV1 {
  HEALTH_OP_LOWER?: string;
  HEALTH_OP_UPPER?: string;
  HEALTH_THRESH_LOWER?: number;
  HEALTH_THRESH_UPPER?: number;
  HEALTH_STATUS?: string;
  HEALTH_VALUE?: number;
  [extra: string]: unknown;
}

/**
 * The top-level `stats` an ODRDTR point carries beside `v` (reference §3.4.8): thresholding model
 * output. Known only from one example, so every field is optional and unknown keys are kept; what is
 * there must have the example's types (it is machine-written, so no numeric strings).
 */
export interface AirQualityWiredStatsV1 {
  'sg.smartclean.thresholding'?: {
    aggregatedModelOutput?: boolean;
    aggregatedModelThreshold?: number;
    aggregatedModelOp?: string;
    [gas: string]: ThresholdingHealthV1 | boolean | number | string | undefined;
  };
  [model: string]: unknown;
}

const GASES = ['amm', 'alc', 'no2'] as const;

const AIR_QUALITY_WIRED_FIELDS: FieldSpecs = {
  ...Object.fromEntries(GASES.map((gas) => [gas, { read: number({ min: 0 }) }])),
  ...Object.fromEntries(GASES.map((gas) => [`${gas}_zscore`, { read: number() }])),
  ...Object.fromEntries(GASES.map((gas) => [`${gas}_expected`, { read: number() }])),
  rssi: { read: numericText() },
};

const HEALTH_FIELDS: FieldSpecs = {
  HEALTH_OP_LOWER: { read: text() },
  HEALTH_OP_UPPER: { read: text() },
  HEALTH_THRESH_LOWER: { read: strictNumber() },
  HEALTH_THRESH_UPPER: { read: strictNumber() },
  HEALTH_STATUS: { read: text() },
  HEALTH_VALUE: { read: strictNumber() },
};

const THRESHOLDING_FIELDS: FieldSpecs = {
  aggregatedModelOutput: { read: bool() },
  aggregatedModelThreshold: { read: strictNumber() },
  aggregatedModelOp: { read: text() },
};

const STATS_FIELDS: FieldSpecs = {
  'sg.smartclean.thresholding': { read: objectOf(THRESHOLDING_FIELDS, { rest: objectOf(HEALTH_FIELDS) }) },
};

export function normaliseAirQualityWiredValue(v: Record<string, unknown>): Validated<AirQualityWiredValueV1> {
  return normaliseFields(v, AIR_QUALITY_WIRED_FIELDS, { atLeastOneOf: GASES });
}

/**
 * Checks the top-level `stats` of an ODRDTR point; `[]` when it is absent or well-formed. Errors read
 * `stats.<path>: <message>`. `stats` is kept as sent.
 */
export function checkAirQualityWiredStats(point: Readonly<Record<string, unknown>>): string[] {
  const stats = point['stats'];
  if (stats === undefined) return [];
  if (!isPlainObject(stats)) return ['stats: must be an object'];
  const read = checkObject(stats, STATS_FIELDS);
  return read.ok ? [] : describeProblems('stats', read.problems);
}
