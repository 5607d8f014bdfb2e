import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '@matrix/platform';
import { AuthError, type AuthErrorCode } from '../auth/auth-error';
import { DomainError } from '../domain-error';
import { ACTION_ERROR_STATUS, ActionError, type ActionErrorCode } from './action-error';
import { pascalPath } from './matrix-keys';

const AUTH_CODES: Record<AuthErrorCode, ActionErrorCode> = {
  UNAUTHENTICATED: 'TOKEN_INVALID',
  FORBIDDEN: 'IMPLICIT_DENY',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
};

interface Described {
  code: ActionErrorCode;
  message: string;
  retryAfter?: number;
}

/**
 * The actions API's one exception filter: every failure as the Matrix error envelope
 * `{status, code, message}` (action errors, domain errors by code, auth refusals, the body parser's and
 * the router's HTTP errors) — never a bare 500 for bad input.
 */
@Catch()
export class ActionsExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { code, message, retryAfter } = this.describe(error, http.getRequest<FastifyRequest>().id);
    const status = ACTION_ERROR_STATUS[code];
    if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    void reply.status(status).send({ status, code, message });
  }

  private describe(error: unknown, requestId: string): Described {
    if (error instanceof ActionError) {
      return { code: error.code, message: error.message, retryAfter: error.retryAfterSeconds };
    }
    if (error instanceof DomainError) return domain(error);
    if (error instanceof AuthError) {
      return { code: AUTH_CODES[error.code], message: error.message, retryAfter: error.retryAfterSeconds };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 413) return { code: 'QUERY_LENGTH_EXCEEDED', message: 'The body is too large' };
      // An unsupported charset or Content-Encoding (REST answers 415): the Matrix codes have no 415.
      if (status === 415) return { code: 'WRONG_PARAMETERS', message: error.message };
      if (status === 400) {
        return {
          code: 'WRONG_PARAMETERS',
          message: 'Invalid characters/improper input body: not valid JSON',
        };
      }
      if (status === 404) return { code: 'UNKNOWN_OPERATION', message: 'No such endpoint' };
    }
    this.logger.error(
      `actions API failure (request ${requestId}): ${(error as Error)?.stack ?? String(error)}`,
      'Actions',
    );
    return { code: 'failure', message: 'Internal error' };
  }
}

function domain(error: DomainError): Described {
  switch (error.code) {
    case 'NOT_FOUND':
      return { code: 'NOT_FOUND', message: error.message };
    case 'CONFLICT':
      return { code: 'ALREADY_EXISTS', message: error.message };
    case 'INVALID_TRANSITION':
      return { code: 'INVALID_TRANSITION', message: error.message };
    case 'LIMIT_VIOLATED':
      return { code: 'LIMIT_VIOLATED', message: error.message };
    case 'UNAVAILABLE':
      return { code: 'SERVICE_UNAVAILABLE', message: error.message, retryAfter: error.retryAfterSeconds };
    case 'INVALID': {
      const details = error.details.map(pascalPath);
      const missing = details.length > 0 && details.every((d) => d.endsWith(': is required'));
      return {
        code: missing ? 'MISSING_PARAMETERS' : 'WRONG_PARAMETERS',
        message: details.length > 0 ? details.join('; ') : error.message,
      };
    }
  }
}
