import 'reflect-metadata';

/**
 * `v` of `SMARTCLEAN#PPLCTR` (reference §3.4.1): `count` people entered, `out_count` people left.
 * Counts arrive as strings (`"2"`, 2021 firmware) or floats (`2.0`, later firmware). They are
 * canonicalised to JSON integers so that the documented SQL `cast(v->>'count' as integer)` works
 * on every row (a jsonb `2.0` would read back as the text `2.0`, which that cast refuses).
 */
export interface PeopleCounterValueV1 {
  count: number;
  out_count?: number;
  [extra: string]: unknown;
}

/** Reads a non-negative whole count from a number or a numeric string; `undefined` if it is not one. */
export function readCount(raw: unknown): number | undefined {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !Number.isInteger(value)) {
    return undefined;
  }
  return value;
}
