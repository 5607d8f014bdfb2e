export type AccessLevel = 'read' | 'write' | 'admin';

/**
 * Who is calling and what they may touch. The HTTP surfaces build it from the authenticated credential;
 * the application services call `check` with the property an operation touches. A target outside the
 * caller's property (or organisation) must look exactly like a missing one: `check` throws NOT_FOUND.
 */
export interface RegistryAccess {
  readonly orgId: string;
  /** The credential's property, or null for an organisation-wide credential. */
  readonly propId: string | null;
  /** Recorded as CreatedBy / UpdatedBy. */
  readonly actor: string;
  check(needed: AccessLevel, target: { orgId: string; propId?: string }, notFound: () => Error): void;
  /** Whether the caller may see `target` at all (for filtering lists: invisible rows are left out). */
  canSee(target: { orgId: string; propId?: string }): boolean;
}
