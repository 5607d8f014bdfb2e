import type { Validated } from '../../shared/validation';
import { flag, normaliseFields, type FieldSpecs } from './value-fields';

/**
 * `v` of the occupancy slots (reference §3.4.9): `SMARTCLEAN#OCCMINEW` and `SMARTCLEAN#OCCSCM`
 * (enclosed areas, e.g. a cubicle) and `SMARTCLEAN#OCCDESK` (open area, a desk). `occ` is `0` or `1`,
 * but **the polarity differs by type**: OCCMINEW and OCCSCM document `0` = occupied, OCCDESK
 * documents `1` = occupied. `occ` is stored as sent (no canonical field is added to `v`, so the
 * payload stays the documented one); read it with `isOccupied`, which knows the polarity.
 * Extras in the examples (`C`, `Disass`, `Src`, `batt`, `rssi`; OCCSCM `b`) are kept as sent.
 */
export interface OccupancyValueV1 {
  occ: 0 | 1;
  [extra: string]: unknown;
}

/** The `occ` value that means "occupied", per slot type. */
export const OCCUPIED_WHEN: Readonly<Record<string, 0 | 1>> = {
  'SMARTCLEAN#OCCMINEW': 0,
  'SMARTCLEAN#OCCSCM': 0,
  'SMARTCLEAN#OCCDESK': 1,
};

const OCCUPANCY_FIELDS: FieldSpecs = {
  occ: { read: flag(), required: true },
};

export function normaliseOccupancyValue(v: Record<string, unknown>): Validated<OccupancyValueV1> {
  return normaliseFields(v, OCCUPANCY_FIELDS);
}

/**
 * Whether a canonical occupancy `v` means occupied for its slot type; `undefined` for a type that is
 * not an occupancy type or a `v` without a valid `occ`.
 */
export function isOccupied(devType: string, v: Record<string, unknown>): boolean | undefined {
  const occupiedWhen = OCCUPIED_WHEN[devType];
  if (occupiedWhen === undefined || (v['occ'] !== 0 && v['occ'] !== 1)) return undefined;
  return v['occ'] === occupiedWhen;
}
