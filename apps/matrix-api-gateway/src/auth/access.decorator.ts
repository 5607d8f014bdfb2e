import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AuthError } from './auth-error';
import type { Principal } from '../credentials/principal';
import { accessFor } from './access-for';

/** The caller's `RegistryAccess`, built from the principal the auth guard attached. */
export const Access = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (!principal) throw new AuthError('UNAUTHENTICATED', 'no credential was presented');
  return accessFor(principal);
});
