import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonLogger } from '@matrix/platform';
import { AuthError } from '../auth/auth-error';
import { DomainError, type DomainErrorCode } from '../domain-error';

const PROBLEM = 'https://matrix.dev/problems/';

/** Each domain error code as a problem: its HTTP status, title and (when not derived from the title) type. */
const DOMAIN_PROBLEMS: Record<DomainErrorCode, { status: number; title: string; type?: string }> = {
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  INVALID_TRANSITION: { status: 409, title: 'Invalid transition' },
  LIMIT_VIOLATED: { status: 422, title: 'Limit violated' },
  INVALID: { status: 400, title: 'Invalid request' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable', type: 'unavailable' },
};

const AUTH_TITLES = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 429: 'Too many requests' };

interface Problem {
  status: number;
  title: string;
  type?: string;
  detail: string;
  errors?: string[];
  retryAfter?: number;
}

/**
 * REST v1's one exception filter: every failure as RFC 9457 `application/problem+json` (domain errors
 * by code, auth refusals, the body parser's and the router's HTTP errors); bad input never yields a 500.
 */
@Catch()
export class RestExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { retryAfter, type, ...body } = this.describe(error, http.getRequest<FastifyRequest>().id);
    if (retryAfter !== undefined) void reply.header('Retry-After', String(retryAfter));
    void reply
      .status(body.status)
      .type('application/problem+json; charset=utf-8')
      .send(
        JSON.stringify({
          type: `${PROBLEM}${type ?? body.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          ...body,
        }),
      );
  }

  private describe(error: unknown, requestId: string): Problem {
    if (error instanceof DomainError) {
      return {
        ...DOMAIN_PROBLEMS[error.code],
        detail: error.message,
        ...(error.details.length > 0 ? { errors: error.details } : {}),
        retryAfter: error.retryAfterSeconds,
      };
    }
    if (error instanceof AuthError) {
      return {
        status: error.status,
        title: AUTH_TITLES[error.status],
        detail: error.message,
        retryAfter: error.retryAfterSeconds,
      };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const detail =
        status === 400
          ? 'The body is not valid JSON'
          : status === 413
            ? 'The body is too large'
            : error.message;
      return {
        status,
        title: status === 404 ? 'Not found' : status === 413 ? 'Payload too large' : 'Bad request',
        detail,
      };
    }
    this.logger.error(
      `REST failure (request ${requestId}): ${(error as Error)?.stack ?? String(error)}`,
      'Rest',
    );
    return { status: 500, title: 'Internal error', detail: 'Internal error' };
  }
}
