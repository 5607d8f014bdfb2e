import type { Validated } from '../../shared/validation';
import { normaliseFields, number, type FieldSpecs } from './value-fields';

/**
 * `v` of `SMARTCLEAN#TH` (reference §3.4.11): `t` temperature in °C (not to be confused with the
 * top-level `t`, the local timestamp) and `h` relative humidity in %. Example `{"t":24.7,"h":13.4}`.
 * At least one of the two must be present.
 */
export interface TemperatureHumidityValueV1 {
  /** °C. */
  t?: number;
  /** %RH, 0–100. */
  h?: number;
  [extra: string]: unknown;
}

const TEMPERATURE_HUMIDITY_FIELDS: FieldSpecs = {
  t: { read: number() },
  h: { read: number({ min: 0, max: 100 }) },
};

export function normaliseTemperatureHumidityValue(
  v: Record<string, unknown>,
): Validated<TemperatureHumidityValueV1> {
  return normaliseFields(v, TEMPERATURE_HUMIDITY_FIELDS, { atLeastOneOf: ['t', 'h'] });
}
