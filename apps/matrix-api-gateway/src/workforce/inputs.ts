import { isValidTimeZone } from '@matrix/contracts';
import { RegistryError } from '../registry/registry-error';
import { parseInstant } from '../sensor-data/time';

/*
 * The readers of the workforce REST inputs: each problem named by its REST field (`breaks[0].end: …`),
 * all of them in one 400, before anything is forwarded; unknown fields and query parameters are refused
 * so a typo never silently does nothing.
 */

export const MAX_TEXT = 1024;

export class Problems {
  readonly list: string[] = [];
  add(problem: string): undefined {
    this.list.push(problem);
    return undefined;
  }
  throwIfAny(what: string): void {
    if (this.list.length > 0) throw new RegistryError('INVALID', `the ${what} is not valid`, this.list);
  }
}

export type Body = Record<string, unknown>;

export const isObject = (value: unknown): value is Body =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as an object whose keys are all `known` (each other key is a problem). */
export function fields(body: unknown, known: readonly string[], problems: Problems, at = 'body'): Body {
  if (!isObject(body)) {
    problems.add(`${at}: must be a JSON object`);
    return {};
  }
  const prefix = at === 'body' ? '' : `${at}.`;
  for (const key of Object.keys(body)) {
    if (!known.includes(key)) problems.add(`${prefix}${key}: is not a known field`);
  }
  return body;
}

const name = (at: string, key: string) => (at ? `${at}.${key}` : key);

export function text(
  body: Body,
  key: string,
  problems: Problems,
  required: boolean,
  at = '',
  max = MAX_TEXT,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return required ? problems.add(`${name(at, key)}: is required`) : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    return problems.add(`${name(at, key)}: must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

/** Free text that may be empty (a description). */
export function freeText(body: Body, key: string, problems: Problems, at = ''): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    return problems.add(`${name(at, key)}: must be a string of at most ${MAX_TEXT} characters`);
  }
  return value;
}

/** An ISO 8601 time with an offset, as epoch seconds. */
export function time(
  body: Body,
  key: string,
  problems: Problems,
  required: boolean,
  at = '',
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return required ? problems.add(`${name(at, key)}: is required`) : undefined;
  }
  const ms = typeof value === 'string' ? parseInstant(value) : undefined;
  if (ms === undefined) {
    return problems.add(
      `${name(at, key)}: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z`,
    );
  }
  if (ms % 1000 !== 0) return problems.add(`${name(at, key)}: must be a whole second`);
  return ms / 1000;
}

export function bool(body: Body, key: string, problems: Problems, at = ''): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') return problems.add(`${name(at, key)}: must be true or false`);
  return value;
}

export function timeZone(body: Body, key: string, problems: Problems, at = ''): string | undefined {
  const value = text(body, key, problems, false, at, 64);
  if (value !== undefined && !isValidTimeZone(value)) {
    return problems.add(`${name(at, key)}: must be an IANA time zone, e.g. Europe/Berlin`);
  }
  return value;
}

/** A list of distinct non-empty strings (ids), at most `max`. */
export function ids(body: Body, key: string, problems: Problems, max: number, at = ''): string[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length > max ||
    !value.every((v) => typeof v === 'string' && v.trim() !== '' && v.length <= 200)
  ) {
    return problems.add(`${name(at, key)}: must be a list of at most ${max} ids`);
  }
  if (new Set(value).size !== value.length) return problems.add(`${name(at, key)}: names an id twice`);
  return value as string[];
}

/** A list whose items are read by `item` (with their own path). */
export function items<T>(
  body: Body,
  key: string,
  problems: Problems,
  max: number,
  item: (value: unknown, at: string) => T | undefined,
  at = '',
): T[] | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > max) {
    return problems.add(`${name(at, key)}: must be a list of at most ${max} entries`);
  }
  const read = value.map((v, i) => item(v, `${name(at, key)}[${i}]`));
  return read.every((v) => v !== undefined) ? (read as T[]) : undefined;
}

/** A query parameter given at most once (`''` is absent). */
export function once(raw: Body, key: string, problems: Problems): string | undefined {
  const value = raw[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return problems.add(`${key}: must be given once`);
  return value;
}

/** Refuses query parameters other than `known`. */
export function queryKeys(raw: Body, known: readonly string[], problems: Problems): void {
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      problems.add(`${key}: is not a known query parameter (known: ${known.join(', ')})`);
    }
  }
}

/** A comma-separated or repeated query parameter, each value one of `allowed`. */
export function anyOf<T extends string>(
  raw: Body,
  key: string,
  allowed: readonly T[],
  problems: Problems,
): T[] | undefined {
  const value = raw[key];
  if (value === undefined || value === '') return undefined;
  const values = (Array.isArray(value) ? value : [value]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [v],
  );
  if (!values.every((v) => (allowed as readonly unknown[]).includes(v))) {
    return problems.add(`${key}: must be any of ${allowed.join(', ')} (comma-separated or repeated)`);
  }
  return [...new Set(values as T[])];
}

/** The `from`/`to` query range as epoch seconds; `to` after `from`. */
export function queryRange(raw: Body, problems: Problems): { from?: number; to?: number } {
  const from = time({ from: once(raw, 'from', problems) }, 'from', problems, false);
  const to = time({ to: once(raw, 'to', problems) }, 'to', problems, false);
  if (from !== undefined && to !== undefined && to <= from) problems.add('to: must be after from');
  return { from, to };
}

/** Epoch seconds as ISO 8601 UTC; 0 (or anything not a positive number) is null. */
export const iso = (seconds: unknown): string | null =>
  typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
