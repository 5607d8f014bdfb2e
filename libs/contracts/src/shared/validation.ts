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

/**
 * Validates a plain object against a contract class. The returned value is the class instance;
 * unknown properties are kept (the documented formats carry undocumented extras such as `AGG`).
 */
export function validateContract<T extends object>(type: ClassConstructor<T>, input: unknown): Validated<T> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['body: must be a JSON object'] };
  }
  const instance = plainToInstance(type, input, { enableImplicitConversion: false });
  const errors = validateSync(instance, { forbidUnknownValues: true, validationError: { target: false } });
  return errors.length === 0 ? { ok: true, value: instance } : { ok: false, errors: describeErrors(errors) };
}

/**
 * Validates a JSON array of contract objects — or, for messages from before batching, one object — into
 * an array, with `validate` (e.g. `(x) => validateContract(Type, x)`). Every element is checked; errors
 * are prefixed with the element's index (`[3].v: …`).
 */
export function validateList<T>(validate: (input: unknown) => Validated<T>, input: unknown): Validated<T[]> {
  if (!Array.isArray(input)) {
    const one = validate(input);
    return one.ok ? { ok: true, value: [one.value] } : one;
  }
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

/** `validateList` with a contract class. */
export function validateContractList<T extends object>(
  type: ClassConstructor<T>,
  input: unknown,
): Validated<T[]> {
  return validateList((element) => validateContract(type, element), input);
}
