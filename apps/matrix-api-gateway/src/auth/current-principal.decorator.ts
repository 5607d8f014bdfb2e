import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './auth.guard';
import type { Principal } from '../credentials/principal';

/** The {@link Principal} that `AuthGuard` attached; throws when the handler is not guarded (a wiring bug). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!principal) throw new Error('@CurrentPrincipal() used on a handler that AuthGuard does not guard');
  return principal;
});
