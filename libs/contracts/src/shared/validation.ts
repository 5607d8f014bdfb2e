import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** The result of checking untrusted input against a contract class. */
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Flattens class-validator errors into `path: message` strings a client can act on. */
export function describeErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.value === undefined && error.constraints) return [`${path}: is required`];
    const own = Object.values(error.constraints ?? {}).map(
      (message) => `${path}: ${message.replace(`${error.property} `, '')}`,
    );
    return [...own, ...describeErrors(error.children ?? [], path)];
  });
}

/** How many levels deep untrusted JSON may nest (the documented formats need a handful). */
export const MAX_INPUT_DEPTH = 16;

/** Keys that name an object's machinery, not data: never a field of any contract. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What no contract field can hold and what could hurt the process, in untrusted JSON, as `path: problem`
 * strings a client can act on (`v.out_count.constructor: is not an allowed field name`):
 * - a prototype key (`__proto__`, `constructor`, `prototype`) at any depth: class-transformer takes an
 *   object under `constructor` for the class to build and throws ("targetType is not a constructor"),
 *   and `__proto__` would set the prototype of what it builds;
 * - nesting deeper than {@link MAX_INPUT_DEPTH} levels (deep conversion and serialisation recurse);
 * - with `refuseNul`, NUL characters in strings (PostgreSQL text cannot store them).
 * Checked before anything converts the input; {@link validateContract} checks it itself.
 */
export function unsafeParts(input: unknown, options: { refuseNul?: boolean } = {}): string[] {
  const problems: string[] = [];
  collectUnsafe(input, '', 0, options.refuseNul === true, problems);
  return problems;
}

function collectUnsafe(value: unknown, path: string, depth: number, nul: boolean, problems: string[]): void {
  if (typeof value === 'string') {
    if (nul && value.includes('\u0000')) problems.push(`${path || 'body'}: must not contain NUL characters`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_INPUT_DEPTH) {
    problems.push(`${path || 'body'}: is nested more than ${MAX_INPUT_DEPTH} levels deep`);
    return;
  }
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) {
      problems.push(`${path ? `${path}.${key}` : key}: is not an allowed field name`);
      continue;
    }
    const child = (value as Record<string, unknown>)[key];
    if ((typeof child === 'object' && child !== null) || (nul && typeof child === 'string')) {
      collectUnsafe(child, path ? `${path}.${key}` : key, depth + 1, nul, problems);
    }
  }
}

/**
 * Validates a plain object against a contract class. The returned value is the class instance;
 * unknown properties are kept (the documented formats carry undocumented extras such as `AGG`). Input with
 * {@link unsafeParts} is refused before class-transformer sees it.
 */
export function validateContract<T extends object>(type: ClassConstructor<T>, input: unknown): Validated<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['body: must be a JSON object'] };
  }
  const unsafe = unsafeParts(input);
  if (unsafe.length > 0) return { ok: false, errors: unsafe };
  const instance = plainToInstance(type, input, { enableImplicitConversion: false });
  const errors = validateSync(instance, { forbidUnknownValues: true, validationError: { target: false } });
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors: describeErrors(errors) };
}

/**
 * Validates the elements of a JSON array with `validate` (e.g. `(x) => validateContract(Type, x)`). Every
 * element is checked; errors are prefixed with the element's index (`[3].v: …`).
 */
export function validateList<T>(
  validate: (input: unknown) => Validated<T>,
  input: readonly unknown[],
): Validated<T[]> {
  if (input.length === 0) return { ok: false, errors: ['body: an empty array'] };
  const values: T[] = [];
  const errors: string[] = [];
  input.forEach((element, index) => {
    const result = validate(element);
    if (result.ok) values.push(result.value);
    else errors.push(...result.errors.map((error) => `[${index}].${error}`));
  });
  return errors.length === 0 ? { ok: true, value: values } : { ok: false, errors };
}
