import { AuthError } from './auth-error';
import { ROLES, type Principal, type Role } from '../credentials/principal';

/** What an operation touches. Pass `orgId` whenever it is known: an org-wide credential needs it. */
export interface AuthorizationTarget {
  readonly orgId?: string;
  /** Absent for an organisation-level operation (e.g. list or create properties). */
  readonly propId?: string;
}

/**
 * Throws unless `principal` may perform an operation needing `needed` on `target`.
 *
 * - A target outside the credential's organisation or property is NOT_FOUND (404), exactly like a
 *   missing one, so a key never learns that another tenant's property exists.
 * - A visible target with too weak a role is FORBIDDEN (403).
 * - A property credential may read at organisation level (the caller must then filter to its
 *   property) but changes there need an organisation-wide credential: FORBIDDEN.
 * - An org-wide credential given a property without its organisation fails closed (NOT_FOUND).
 */
export function authorize(principal: Principal, needed: Role, target: AuthorizationTarget): void {
  if (!canSee(principal, target)) {
    throw new AuthError('NOT_FOUND', target.propId ? `property ${target.propId} not found` : 'not found');
  }
  if (ROLES.indexOf(principal.role) < ROLES.indexOf(needed)) {
    throw new AuthError(
      'FORBIDDEN',
      `this credential has the ${principal.role} role; the operation needs ${needed}`,
    );
  }
  if (target.propId === undefined && principal.propId !== null && needed !== 'read') {
    throw new AuthError(
      'FORBIDDEN',
      `this credential is bound to property ${principal.propId}; organisation-level changes need an organisation-wide credential`,
    );
  }
}

/** True when the target lies inside the credential's organisation and (if bound) its property. */
export function canSee(principal: Principal, target: AuthorizationTarget): boolean {
  if (target.orgId !== undefined && target.orgId !== principal.orgId) return false;
  if (target.propId === undefined) return true;
  if (principal.propId !== null) return target.propId === principal.propId;
  return target.orgId !== undefined;
}
