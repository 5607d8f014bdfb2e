import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { JsonLogger } from '@matrix/platform';
import { AuthError } from '../auth/auth-error';
import { RegistryError } from '../registry/registry-error';

const PROBLEM = 'https://matrix.dev/problems/';
const REGISTRY_STATUS = { NOT_FOUND: 404, CONFLICT: 409, LIMIT_VIOLATED: 422, INVALID: 400 } as const;

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: string[];
  retryAfter?: number;
}

/** Every REST v1 failure as RFC 9457 `application/problem+json`; bad input never yields a 500. */
@Catch()
export class RestExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.describe(error);
    if (problem.retryAfter !== undefined) response.setHeader('Retry-After', String(problem.retryAfter));
    const { retryAfter: _omit, ...body } = problem;
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: `${PROBLEM}${problem.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
          ...body,
        }),
      );
  }

  private describe(error: unknown): Problem {
    if (error instanceof RegistryError) {
      const titles = {
        NOT_FOUND: 'Not found',
        CONFLICT: 'Conflict',
        LIMIT_VIOLATED: 'Limit violated',
        INVALID: 'Invalid request',
      };
      return {
        status: REGISTRY_STATUS[error.code],
        title: titles[error.code],
        detail: error.message,
        ...(error.details.length > 0 ? { errors: error.details } : {}),
      };
    }
    if (error instanceof AuthError) {
      const titles = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 429: 'Too many requests' };
      return {
        status: error.status,
        title: titles[error.status],
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
    this.logger.error(`REST failure: ${(error as Error)?.stack ?? String(error)}`, 'Rest');
    return { status: 500, title: 'Internal error', detail: 'Internal error' };
  }
}
