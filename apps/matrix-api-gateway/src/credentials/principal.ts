/** What a credential may do on what it can see: read < write < admin. */
export type Role = 'read' | 'write' | 'admin';

/** Every role, weakest first. */
export const ROLES: readonly Role[] = ['read', 'write', 'admin'];

/** The authenticated caller, attached to the request by `AuthGuard`. */
export interface Principal {
  readonly accessKey: string;
  readonly orgId: string;
  /** The credential's property, or null for an organisation-wide credential. */
  readonly propId: string | null;
  readonly role: Role;
}
