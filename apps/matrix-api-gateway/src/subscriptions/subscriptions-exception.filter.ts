import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CommandFailedError, CommandUnavailableError } from '@matrix/messaging';
import { JsonLogger } from '@matrix/platform';
import { RestExceptionFilter } from '../rest/rest-exception.filter';
import { RegistryError } from '../registry/registry-error';

/**
 * The subscription endpoints' errors: the router's answers become the REST problems (NOT_FOUND → 404,
 * INVALID_REQUEST and TARGET_REFUSED → 400 with the reasons), no router answering → 503 with
 * Retry-After; everything else is the REST filter's.
 */
@Catch()
export class SubscriptionsExceptionFilter implements ExceptionFilter {
  private readonly rest: RestExceptionFilter;

  constructor(logger: JsonLogger) {
    this.rest = new RestExceptionFilter(logger);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    if (error instanceof CommandUnavailableError) {
      host
        .switchToHttp()
        .getResponse<Response>()
        .status(503)
        .setHeader('Retry-After', '5')
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://matrix.dev/problems/unavailable',
            title: 'Service unavailable',
            status: 503,
            detail: 'event-router did not answer; try again',
          }),
        );
      return;
    }
    if (error instanceof CommandFailedError) {
      const mapped =
        error.code === 'NOT_FOUND'
          ? new RegistryError('NOT_FOUND', error.message)
          : error.code === 'INVALID_REQUEST'
            ? new RegistryError('INVALID', 'the request is not valid', error.message.split('; '))
            : error.code === 'TARGET_REFUSED'
              ? new RegistryError('INVALID', 'the target URL is refused', [`url: ${error.message}`])
              : error;
      this.rest.catch(mapped, host);
      return;
    }
    this.rest.catch(error, host);
  }
}
