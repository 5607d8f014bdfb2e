import type { Validated } from '../../shared/validation';
import { flag, normaliseFields, number, type FieldSpecs } from './value-fields';

/**
 * `v` of `SMARTCLEAN#WD` (reference §3.4.5, spill detector WD-WF-2101): `value` `1` = spill detected,
 * `0` = none; `AreaP` the % of the field of view that is wet. Example `{"value":1,"AreaP":5.5}`.
 */
export interface SpillValueV1 {
  value: 0 | 1;
  AreaP?: number;
  [extra: string]: unknown;
}

const SPILL_FIELDS: FieldSpecs = {
  value: { read: flag(), required: true },
  AreaP: { read: number({ min: 0, max: 100 }) },
};

export function normaliseSpillValue(v: Record<string, unknown>): Validated<SpillValueV1> {
  return normaliseFields(v, SPILL_FIELDS);
}
