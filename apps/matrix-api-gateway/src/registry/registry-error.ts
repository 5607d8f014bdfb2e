/** Why a registry operation was refused; the HTTP surfaces translate the code to a status. */
export type RegistryErrorCode = 'NOT_FOUND' | 'CONFLICT' | 'LIMIT_VIOLATED' | 'INVALID';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    /** Each problem, for INVALID (e.g. `name: is required`). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) =>
  new RegistryError('NOT_FOUND', `${what} ${id} not found`);
