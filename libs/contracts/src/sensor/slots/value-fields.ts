import type { Validated } from '../../shared/validation';

/**
 * The small schema language the slot-value contracts are written in. A contract lists the
 * documented fields of its `v` with a reader each; a reader checks one raw value and returns its
 * canonical form (a JSON number for a documented number, even when the device sent `"2"`).
 * Keys a contract does not list are kept exactly as sent: devices send undocumented ones.
 */

/** One problem below a field: `path` is relative to it (`''` for the field itself, `.ID_1.Name` below). */
export interface FieldProblem {
  path: string;
  message: string;
}

export type FieldRead<T = unknown> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

/** Checks one raw value and returns its canonical form. */
export type FieldReader<T = unknown> = (raw: unknown) => FieldRead<T>;

export interface FieldSpec {
  read: FieldReader;
  required?: boolean;
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

export interface ObjectRules {
  /** At least one of these keys must be present (for devices with several independent readings). */
  atLeastOneOf?: readonly string[];
  /** Reader for every key `specs` does not list; without it such keys are kept unchecked. */
  rest?: FieldReader;
}

const ok = <T>(value: T): FieldRead<T> => ({ ok: true, value });
const fail = (message: string): FieldRead<never> => ({ ok: false, problems: [{ path: '', message }] });

// Decimal only: `Number()` alone would also take "0x10", "1e", "Infinity" and "".
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number from a JSON number or a decimal numeric string; `undefined` otherwise. */
export function readNumber(raw: unknown): number | undefined {
  const value = typeof raw === 'string' ? (DECIMAL.test(raw.trim()) ? Number(raw) : undefined) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Reads a non-negative whole count from a number or a numeric string; `undefined` if it is not one. */
export function readCount(raw: unknown): number | undefined {
  const value = readNumber(raw);
  return value !== undefined && value >= 0 && Number.isInteger(value) ? value : undefined;
}

export function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

export const COUNT_MESSAGE = 'must be a non-negative whole number (number or numeric string)';

/** A count (people, entries): a non-negative whole number, canonically a JSON integer (ADR-7). */
export function count(): FieldReader<number> {
  return (raw) => {
    const value = readCount(raw);
    return value === undefined ? fail(COUNT_MESSAGE) : ok(value);
  };
}

export interface NumberRange {
  min?: number;
  max?: number;
  /** Only whole numbers; canonically a JSON integer. */
  whole?: boolean;
}

function describeNumber({ min, max, whole }: NumberRange): string {
  const kind = whole ? 'whole number' : 'number';
  if (min !== undefined && max !== undefined) return `a ${kind} from ${min} to ${max}`;
  if (min === 0) return `a non-negative ${kind}`;
  if (min !== undefined) return `a ${kind} of at least ${min}`;
  if (max !== undefined) return `a ${kind} of at most ${max}`;
  return `a ${kind}`;
}

function inRange(value: number, { min, max, whole }: NumberRange): boolean {
  return (
    (min === undefined || value >= min) &&
    (max === undefined || value <= max) &&
    (!whole || Number.isInteger(value))
  );
}

/** A documented number: a JSON number or a numeric string, canonically a JSON number. */
export function number(range: NumberRange = {}): FieldReader<number> {
  const message = `must be ${describeNumber(range)} (number or numeric string)`;
  return (raw) => {
    const value = readNumber(raw);
    return value !== undefined && inRange(value, range) ? ok(value) : fail(message);
  };
}

/** A documented `0`/`1` flag (spill, motion, occupancy), canonically the JSON number. */
export function flag(): FieldReader<0 | 1> {
  return (raw) => {
    const value = readNumber(raw);
    return value === 0 || value === 1 ? ok(value) : fail('must be 0 or 1 (number or numeric string)');
  };
}

/**
 * A number the documentation types as a string (UM `b` `"3000"`, ODRDTR `rssi` `"-68"`): a numeric
 * string or a JSON number, canonically the decimal string, so that consumers see the documented type.
 */
export function numericText(range: NumberRange = {}): FieldReader<string> {
  const message = `must be ${describeNumber(range)} (numeric string or number)`;
  return (raw) => {
    const value = readNumber(raw);
    return value !== undefined && inRange(value, range) ? ok(String(value)) : fail(message);
  };
}

/** A string, kept as sent. */
export function text(): FieldReader<string> {
  return (raw) => (typeof raw === 'string' ? ok(raw) : fail('must be a string'));
}

/** A JSON number, kept as sent (for model output, which no device writes by hand). */
export function strictNumber(): FieldReader<number> {
  return (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? ok(raw) : fail('must be a number'));
}

/** A JSON boolean, kept as sent. */
export function bool(): FieldReader<boolean> {
  return (raw) => (typeof raw === 'boolean' ? ok(raw) : fail('must be true or false'));
}

/**
 * Checks the listed fields of an object and returns it with each listed field canonical and every
 * other key as sent (checked by `rules.rest` when given). Problems carry their path below the object.
 */
export function checkObject(
  input: Record<string, unknown>,
  specs: FieldSpecs,
  rules: ObjectRules = {},
): FieldRead<Record<string, unknown>> {
  const problems: FieldProblem[] = [];
  const canonical: Record<string, unknown> = {};
  const present = (key: string) => Object.hasOwn(input, key) && input[key] !== undefined;
  for (const [key, spec] of Object.entries(specs)) {
    if (!present(key)) {
      if (spec.required) problems.push({ path: `.${key}`, message: 'is required' });
      continue;
    }
    const read = spec.read(input[key]);
    if (read.ok) canonical[key] = read.value;
    else problems.push(...read.problems.map((p) => ({ path: `.${key}${p.path}`, message: p.message })));
  }
  if (rules.rest) {
    for (const [key, raw] of Object.entries(input)) {
      if (Object.hasOwn(specs, key)) continue;
      const read = rules.rest(raw);
      if (read.ok) canonical[key] = read.value;
      else problems.push(...read.problems.map((p) => ({ path: `.${key}${p.path}`, message: p.message })));
    }
  }
  if (rules.atLeastOneOf && !rules.atLeastOneOf.some(present)) {
    problems.push({ path: '', message: `must hold at least one of ${rules.atLeastOneOf.join(', ')}` });
  }
  return problems.length > 0 ? { ok: false, problems } : ok({ ...input, ...canonical });
}

/** A nested object checked field by field (see `checkObject`). */
export function objectOf(specs: FieldSpecs, rules: ObjectRules = {}): FieldReader<Record<string, unknown>> {
  return (raw) => (isPlainObject(raw) ? checkObject(raw, specs, rules) : fail('must be an object'));
}

/** An object used as a map (`{"ID_1": {...}, "ID_2": {...}}`): every value checked by `read`. */
export function recordOf(read: FieldReader): FieldReader<Record<string, unknown>> {
  return objectOf({}, { rest: read });
}

/** Formats problems as `<root><path>: <message>`, e.g. `v.count: is required`. */
export function describeProblems(root: string, problems: readonly FieldProblem[]): string[] {
  return problems.map((p) => `${root}${p.path}: ${p.message}`);
}

/**
 * Checks a slot's `v` against the fields its contract documents. Errors read `v.<field>: <message>`;
 * the value returned keeps every key of `v`, with the documented ones in canonical form.
 */
export function normaliseFields<T extends Record<string, unknown>>(
  v: Record<string, unknown>,
  specs: FieldSpecs,
  rules: ObjectRules = {},
): Validated<T> {
  const read = checkObject(v, specs, rules);
  return read.ok
    ? { ok: true, value: read.value as T }
    : { ok: false, errors: describeProblems('v', read.problems) };
}
