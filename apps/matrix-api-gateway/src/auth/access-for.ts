import { AuthError } from './auth-error';
import { authorize, canSee } from './authorize';
import type { Principal } from '../credentials/principal';
import type { RegistryAccess } from './registry-access';

/**
 * The registry's view of an authenticated caller. A target the credential may not see is reported with
 * the registry's own not-found error (`building X not found`), identical to a missing one.
 */
export function accessFor(principal: Principal): RegistryAccess {
  return {
    orgId: principal.orgId,
    propId: principal.propId,
    actor: principal.accessKey,
    check(needed, target, notFound) {
      try {
        authorize(principal, needed, target);
      } catch (error) {
        if (error instanceof AuthError && error.code === 'NOT_FOUND') throw notFound();
        throw error;
      }
    },
    canSee: (target) => canSee(principal, target),
  };
}
