import type { Validated } from '../../shared/validation';
import { normaliseFields, number, type FieldSpecs } from './value-fields';

/**
 * `v` of `SMARTCLEAN#ODRDTR_BATT_V1` (reference §3.4.7, AQ Lite AQ-BT-2109: Bosch BME680 + ammonia
 * sensor). Example `{"amm":88,"aqi":103,"rh":730,"temp":304}` = 88 ppb ammonia, IAQ 103, 73.0 %RH,
 * 30.4 °C.
 *
 * **`rh` and `temp` are sent ×10 and stored that way**: the documented keys and values are what sensor
 * data push, NATS subscribers and SQL see, so nothing is rescaled or added to `v`. Divide by 10 to
 * read them (`(v->>'temp')::numeric / 10` in SQL, `airQualityLiteInUnits` here). At least one of the
 * four fields must be present.
 */
export interface AirQualityLiteValueV1 {
  /** Ammonia in ppb (not ppm, unlike AQ Wired). */
  amm?: number;
  /** IAQ index (Bosch BME680 bands), 0–500. */
  aqi?: number;
  /** Relative humidity in %RH ×10 (730 = 73.0 %RH). */
  rh?: number;
  /** Temperature in °C ×10 (304 = 30.4 °C). */
  temp?: number;
  [extra: string]: unknown;
}

/** An AQ Lite reading in plain units. */
export interface AirQualityLiteReading {
  ammoniaPpb?: number;
  iaq?: number;
  relativeHumidityPercent?: number;
  temperatureCelsius?: number;
}

const AIR_QUALITY_LITE_FIELDS: FieldSpecs = {
  amm: { read: number({ min: 0 }) },
  // BME680's IAQ scale is 0–500; the docs' "1–500" is the band table, 0 is a valid reading.
  aqi: { read: number({ min: 0, max: 500 }) },
  rh: { read: number({ min: 0, max: 1000 }) },
  temp: { read: number() },
};

export function normaliseAirQualityLiteValue(v: Record<string, unknown>): Validated<AirQualityLiteValueV1> {
  return normaliseFields(v, AIR_QUALITY_LITE_FIELDS, { atLeastOneOf: Object.keys(AIR_QUALITY_LITE_FIELDS) });
}

// ×10 fixed point back to a decimal without binary noise (304 / 10 → 30.4, 7 / 10 → 0.7).
const unscale = (tenths: number | undefined) =>
  tenths === undefined ? undefined : Number((tenths / 10).toFixed(10));

/** Reads a canonical AQ Lite `v` in plain units: `rh` and `temp` divided by 10. */
export function airQualityLiteInUnits(v: AirQualityLiteValueV1): AirQualityLiteReading {
  const reading: AirQualityLiteReading = {};
  if (v.amm !== undefined) reading.ammoniaPpb = v.amm;
  if (v.aqi !== undefined) reading.iaq = v.aqi;
  const rh = unscale(v.rh);
  if (rh !== undefined) reading.relativeHumidityPercent = rh;
  const temp = unscale(v.temp);
  if (temp !== undefined) reading.temperatureCelsius = temp;
  return reading;
}
