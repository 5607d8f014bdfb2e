import type { Validated } from '../../shared/validation';
import { normaliseFields, number, type FieldSpecs } from './value-fields';

/**
 * `v` of `SMARTCLEAN#TILT` (reference §3.4.10, tree tilt monitor): `Xt`, `Yt`, `Zt` the signed tilt
 * in degrees per axis relative to a calibrated baseline; `v` (a key named `v` inside `v`) the battery
 * in %. Example `{"Tb":"none","Xt":-87.51,"Yt":-2.04,"Zt":1.42,"v":100}`; `Tb` is undocumented and
 * kept. At least one axis must be present (the alarm fires when any axis crosses a threshold).
 */
export interface TiltValueV1 {
  Xt?: number;
  Yt?: number;
  Zt?: number;
  /** Battery %. */
  v?: number;
  [extra: string]: unknown;
}

const TILT_FIELDS: FieldSpecs = {
  Xt: { read: number() },
  Yt: { read: number() },
  Zt: { read: number() },
  v: { read: number({ min: 0, max: 100 }) },
};

export function normaliseTiltValue(v: Record<string, unknown>): Validated<TiltValueV1> {
  return normaliseFields(v, TILT_FIELDS, { atLeastOneOf: ['Xt', 'Yt', 'Zt'] });
}
