import type { Role } from './principal';

/** A credential's metadata (never its secret). */
export interface Credential {
  readonly accessKey: string;
  readonly orgId: string;
  /** Null: organisation-wide. */
  readonly propId: string | null;
  readonly role: Role;
  readonly label: string | null;
  readonly createdOn: Date;
  readonly revokedOn: Date | null;
  readonly lastUsedOn: Date | null;
}

/** A credential just created: the only time its secret is ever shown. */
export interface IssuedCredential extends Credential {
  readonly secretKey: string;
}

/** What to create a credential for. */
export interface NewCredential {
  readonly orgId: string;
  /** Null or absent: organisation-wide. */
  readonly propId?: string | null;
  readonly role: Role;
  readonly label?: string | null;
}
