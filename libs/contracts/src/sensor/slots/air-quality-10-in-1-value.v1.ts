import type { Validated } from '../../shared/validation';
import { flag, normaliseFields, number, readNumber, type FieldSpecs } from './value-fields';

/**
 * `v` of `SMARTCLEAN#ODRDTR_10_IN_1` (reference §3.4.6, AQ 10-in-1). Every field is optional (a sensor
 * may fail on its own) but at least one must be present.
 *
 * PM2.5: the schema names it `pm_2.5`, the documented example and devices send `pm_25`. Both are
 * accepted; **`pm_25` is canonical** and always present when either was sent (a key without a dot
 * stays one path segment in JSON paths, `v->>'pm_25'`, jq and metric names). A `pm_2.5` that was
 * sent is kept too, so a sender's own key still reads back; sent together, the two must agree.
 */
export interface AirQuality10In1ValueV1 {
  /** ppm. */
  co2?: number;
  /** Formaldehyde, mg/m³. */
  hcho?: number;
  /** %RH, 0–100. */
  humidity?: number;
  /** 0 = 0 lux, 1 = 6–50 lux, 2 = 51–100 lux, 3 = 101–500 lux. */
  light_level?: number;
  /** mg/m³. */
  tvoc?: number;
  /** µg/m³. */
  pm_10?: number;
  /** PM2.5 in µg/m³ (canonical key; `pm_2.5` is accepted as its alias). */
  pm_25?: number;
  /** mbar. */
  pressure?: number;
  /** °C. */
  temperature?: number;
  /** 1 when motion was detected, else 0. */
  pir_trigger?: 0 | 1;
  [extra: string]: unknown;
}

export const PM25_KEY = 'pm_25';
export const PM25_SCHEMA_KEY = 'pm_2.5';

const AIR_QUALITY_10_IN_1_FIELDS: FieldSpecs = {
  co2: { read: number({ min: 0 }) },
  hcho: { read: number({ min: 0 }) },
  humidity: { read: number({ min: 0, max: 100 }) },
  light_level: { read: number({ min: 0, max: 3, whole: true }) },
  tvoc: { read: number({ min: 0 }) },
  pm_10: { read: number({ min: 0 }) },
  [PM25_KEY]: { read: number({ min: 0 }) },
  [PM25_SCHEMA_KEY]: { read: number({ min: 0 }) },
  pressure: { read: number({ min: 0 }) },
  temperature: { read: number() },
  pir_trigger: { read: flag() },
};

export function normaliseAirQuality10In1Value(v: Record<string, unknown>): Validated<AirQuality10In1ValueV1> {
  const result = normaliseFields<AirQuality10In1ValueV1>(v, AIR_QUALITY_10_IN_1_FIELDS, {
    atLeastOneOf: Object.keys(AIR_QUALITY_10_IN_1_FIELDS),
  });
  const canonical = readNumber(v[PM25_KEY]);
  const schema = readNumber(v[PM25_SCHEMA_KEY]);
  if (canonical !== undefined && schema !== undefined && canonical !== schema) {
    const disagreement = `v.${PM25_SCHEMA_KEY}: must equal v.${PM25_KEY} when both are sent (got ${schema} and ${canonical})`;
    return { ok: false, errors: [...(result.ok ? [] : result.errors), disagreement] };
  }
  if (!result.ok) return result;
  const value = result.value;
  if (value[PM25_KEY] === undefined && typeof value[PM25_SCHEMA_KEY] === 'number') {
    value[PM25_KEY] = value[PM25_SCHEMA_KEY];
  }
  return { ok: true, value };
}
