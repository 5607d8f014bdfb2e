import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { toAuthRequest } from './auth-request';
import { Authenticator } from './authenticator';
import { authorize, type AuthorizationTarget } from './authorize';
import type { Principal, Role } from '../credentials/principal';

/** An HTTP request after {@link AuthGuard}: carries the authenticated caller. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Authenticates every request of the controllers it guards (SC-HMAC v1, Basic, or Bearer on REST),
 * applies the per-credential rate limit and attaches the {@link Principal} (read it with
 * `@CurrentPrincipal()`). Refusals are `AuthError`s for the surface's exception filter. Mount it
 * per controller (`@UseGuards(AuthGuard)`), not globally: health and metrics stay open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly authenticator: Authenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.authenticator.authenticate(toAuthRequest(request));
    return true;
  }

  /** {@link authorize}: NOT_FOUND outside the credential's property/organisation, FORBIDDEN for a weak role. */
  authorize(principal: Principal, needed: Role, target: AuthorizationTarget): void {
    authorize(principal, needed, target);
  }
}
