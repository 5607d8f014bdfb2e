import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { JsonLogger } from '@matrix/platform';
import { ActionsExceptionFilter } from './actions/actions-exception.filter';
import { RestExceptionFilter } from './rest/rest-exception.filter';

const ACTIONS_PATH = /^\/(prod\/v2\/)?[^/]+\/[^/]+\/actions\/?$/;

/**
 * Picks the surface by path (ADR-15) and hands the failure to that surface's one filter, so failures
 * before a controller runs (malformed JSON, oversized bodies, unknown routes) also get their surface's
 * error body: the Matrix envelope on `…/actions`, problem+json elsewhere. It maps nothing itself.
 */
@Catch()
export class GatewayExceptionFilter implements ExceptionFilter {
  private readonly actions: ActionsExceptionFilter;
  private readonly rest: RestExceptionFilter;

  constructor(logger: JsonLogger) {
    this.actions = new ActionsExceptionFilter(logger);
    this.rest = new RestExceptionFilter(logger);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const { url } = host.switchToHttp().getRequest<FastifyRequest>();
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    (ACTIONS_PATH.test(path) ? this.actions : this.rest).catch(error, host);
  }
}
