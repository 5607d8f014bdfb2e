import type { Principal } from './principal';

/** An active credential with its secret in clear, as authentication needs it. */
export interface ResolvedCredential extends Principal {
  readonly secret: string;
}

/**
 * Where authentication finds credentials (implemented by `CredentialsService`; a fake in unit
 * tests). An abstract class so it can serve as the Nest injection token.
 */
export abstract class CredentialLookup {
  /** The active credential of `accessKey`, or null when it is unknown or revoked. */
  abstract resolve(accessKey: string): Promise<ResolvedCredential | null>;
  /** Records that `accessKey` was used now (throttled; never rejects). */
  abstract markUsed(accessKey: string): Promise<void>;
}
