import type { Validated } from '../../shared/validation';
import { normaliseFields, number, type FieldSpecs } from './value-fields';

/**
 * `v` of the ultrasonic fill-level slots (reference §3.4.3–3.4.4, FL-BT-2101): consumables
 * `SMARTCLEAN#TR` (toilet/tissue roll), `SMARTCLEAN#PT` (paper towel), `SMARTCLEAN#SS` (soap), and
 * `SMARTCLEAN#BIN`. Example `{"p":46,"d":159}`.
 *
 * `p` is a percentage 0–100, but **its meaning differs**: for consumables it is the consumable
 * remaining (low = needs refilling); for BIN it is the empty space remaining (low = bin nearly full).
 * In both cases an incident is raised when `p` falls below a minimum (§3.5), so no canonical field is
 * added. `d` is the distance in mm from the sensor to the fill level (or to the top of the contents).
 */
export interface FillLevelValueV1 {
  /** % remaining: consumable (TR/PT/SS) or empty space (BIN), 0–100. */
  p: number;
  /** mm from the sensor to the fill level / top of the contents. */
  d?: number;
  [extra: string]: unknown;
}

const FILL_LEVEL_FIELDS: FieldSpecs = {
  p: { read: number({ min: 0, max: 100 }), required: true },
  d: { read: number({ min: 0 }) },
};

export function normaliseFillLevelValue(v: Record<string, unknown>): Validated<FillLevelValueV1> {
  return normaliseFields(v, FILL_LEVEL_FIELDS);
}
