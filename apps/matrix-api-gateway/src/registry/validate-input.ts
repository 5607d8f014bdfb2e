import 'reflect-metadata';
import type { ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeErrors, unsafeParts } from '@matrix/contracts';
import { RegistryError } from './registry-error';

/**
 * Validates untrusted input against a registry input class. With `strict`, unknown properties are refused
 * (REST: a typo must not be silently ignored); without, they are dropped.
 */
export function validateInput<T extends object>(
  type: ClassConstructor<T>,
  input: unknown,
  strict = false,
): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RegistryError('INVALID', 'the body must be a JSON object', ['body: must be a JSON object']);
  }
  // Prototype keys, nesting deeper than MAX_INPUT_DEPTH, NUL characters (PostgreSQL text cannot hold them).
  const unsafe = unsafeParts(input, { refuseNul: true });
  if (unsafe.length > 0) throw new RegistryError('INVALID', unsafe.join('; '), unsafe);
  const instance = instantiate(type, input as Record<string, unknown>);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: strict,
    forbidUnknownValues: true,
    validationError: { target: false },
  });
  if (errors.length > 0) {
    const details = describeErrors(errors).map((detail) =>
      detail.replace(/: property should not exist$/, ': is not a known field'),
    );
    throw new RegistryError('INVALID', details.join('; '), details);
  }
  return instance;
}

/**
 * Classes whose array fields hold nested inputs. (class-transformer's deep conversion crashes on some
 * hostile shapes, e.g. arrays of arrays where a number is expected, so inputs are built shallowly.)
 */
const NESTED: Record<string, Record<string, ClassConstructor<object>>> = {};

/** Registers `field` of `owner` as a list of `item` inputs for {@link validateInput}. */
export function nestedInputs(
  owner: ClassConstructor<object>,
  field: string,
  item: ClassConstructor<object>,
): void {
  NESTED[owner.name] = { ...NESTED[owner.name], [field]: item };
}

function instantiate<T extends object>(type: ClassConstructor<T>, input: Record<string, unknown>): T {
  const instance = Object.assign(new type(), input) as Record<string, unknown>;
  for (const [field, item] of Object.entries(NESTED[type.name] ?? {})) {
    const value = instance[field];
    if (Array.isArray(value)) {
      instance[field] = value.map((element) =>
        typeof element === 'object' && element !== null && !Array.isArray(element)
          ? Object.assign(new item(), element)
          : element,
      );
    }
  }
  return instance as T;
}
