import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AuthError } from '../src/auth/auth-error';

/**
 * A plain translation of {@link AuthError} for the auth test's probe app: `{status, code, message}` with
 * the error's HTTP status and `Retry-After` on 429. The gateway itself has one filter per surface.
 */
@Catch(AuthError)
export class AuthErrorFilter implements ExceptionFilter {
  catch(error: AuthError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    }
    response.status(error.status).json({ status: error.status, code: error.code, message: error.message });
  }
}
