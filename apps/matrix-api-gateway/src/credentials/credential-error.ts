/** Why a credential could not be created. */
export type CredentialErrorCode = 'NOT_FOUND' | 'INVALID';

/** A refused credential operation (unknown organisation or property, bad role or label). */
export class CredentialError extends Error {
  override readonly name = 'CredentialError';

  constructor(
    readonly code: CredentialErrorCode,
    message: string,
  ) {
    super(message);
  }
}
