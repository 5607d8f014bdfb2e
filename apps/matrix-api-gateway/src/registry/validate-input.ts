import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describeErrors } from '@matrix/contracts';
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
  const instance = plainToInstance(type, input);
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
