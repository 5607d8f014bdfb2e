import { DomainError } from '../domain-error';

/** Why a registry operation was refused; the HTTP surfaces translate the code to a status. */
export type RegistryErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'LIMIT_VIOLATED' | 'INVALID';

export class RegistryError extends DomainError {
  override readonly name = 'RegistryError';
  declare readonly code: RegistryErrorCode;

  constructor(
    code: RegistryErrorCode,
    message: string,
    /** Each problem, for INVALID (e.g. `name: is required`). */
    details: string[] = [],
  ) {
    super(code, message, details);
  }
}

export const notFound = (what: string, id: string) =>
  new RegistryError('NOT_FOUND', `${what} ${id} not found`);
