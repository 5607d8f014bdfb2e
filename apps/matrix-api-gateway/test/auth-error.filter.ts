import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthError } from '../src/auth/auth-error';

/**
 * A plain translation of {@link AuthError} for the auth test's probe app: `{status, code, message}` with
 * the error's HTTP status and `Retry-After` on 429. The gateway itself has one filter per surface.
 */
@Catch(AuthError)
export class AuthErrorFilter implements ExceptionFilter {
  catch(error: AuthError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', String(error.retryAfterSeconds));
    }
    void reply.status(error.status).send({ status: error.status, code: error.code, message: error.message });
  }
}
