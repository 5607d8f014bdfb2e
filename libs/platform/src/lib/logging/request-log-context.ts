import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { runWithLogContext } from './log-context';

const USABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when usable (1–128 of `A-Za-z0-9._:-`), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && USABLE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Express: runs the rest of the request (guards, pipes, handler, exception filters) with its request id on
 * every log line. A Nest middleware because Nest registers those after the body parser: a context entered
 * before the body is read would be lost, since the body's `data`/`end` events run in the connection's
 * context, not the request listener's.
 */
@Injectable()
export class RequestLogContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    runWithLogContext({ requestId: requestIdFrom(req.headers['x-request-id']) }, next);
  }
}

/** The part of a Fastify instance {@link fastifyRequestLogContext} uses. */
interface FastifyPreHandler {
  addHook(
    name: 'preHandler',
    hook: (request: { id: string }, reply: unknown, done: () => void) => void,
  ): unknown;
}

/**
 * Fastify (the gateway): a `preHandler` hook, which runs after the body is parsed, continues the request in
 * a context holding `request.id` (the gateway's `genReqId`: the caller's `x-request-id` or a new UUID, the
 * one its answer carries).
 */
export function fastifyRequestLogContext(instance: unknown): boolean {
  if (typeof (instance as Partial<FastifyPreHandler> | undefined)?.addHook !== 'function') return false;
  (instance as FastifyPreHandler).addHook('preHandler', (request, _reply, done) =>
    runWithLogContext({ requestId: String(request.id) }, done),
  );
  return true;
}
