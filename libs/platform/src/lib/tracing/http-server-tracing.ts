import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { context, trace } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import { extractTraceContext, SpanKind, SpanStatusCode, startSpan, tracingEnabled } from './tracing';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Probes and scrapes: no span (they would fill the trace store with one-span traces). */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Makes the server's request listener (Express's app or Fastify's router, whichever adapter created the
 * server) run each request in a SERVER span, so everything the handler does (NATS publishes, outbox rows,
 * SQL) is its child. An incoming `traceparent` is the span's parent. The span ends when the answer is sent
 * (or the connection closes first), with `http.response.status_code`; a 5xx marks it failed. Adapter-neutral:
 * it wraps the `request` listeners of the node `http.Server` itself. Does nothing while tracing is off.
 */
export function traceHttpServer(server: Server): void {
  if (!tracingEnabled()) return;
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  for (const listener of listeners) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?', 1)[0]!;
      if (!tracingEnabled() || UNTRACED.test(path)) {
        listener(req, res);
        return;
      }
      const method = req.method ?? 'GET';
      const span = startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: method,
            [ATTR_URL_PATH]: path,
            [ATTR_URL_SCHEME]: 'http',
            ...(req.headers['user-agent'] ? { [ATTR_USER_AGENT_ORIGINAL]: req.headers['user-agent'] } : {}),
          },
        },
        extractTraceContext(req.headers),
      );
      const ctx = trace.setSpan(context.active(), span);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        const status = res.statusCode;
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        // Express sets the matched route on the request; it names the span as the conventions ask.
        const route = (req as { route?: { path?: unknown } }).route?.path;
        if (typeof route === 'string') {
          span.setAttribute(ATTR_HTTP_ROUTE, route);
          span.updateName(`${method} ${route}`);
        }
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        if (!res.writableFinished) span.setAttribute(ATTR_ERROR_TYPE, 'connection_closed');
        span.end();
      };
      res.once('finish', end);
      res.once('close', end);
      // Body chunks arrive in the socket's async context: bind the streams so their listeners (the body
      // parsers, and the handler they call) run in the request's span.
      context.bind(ctx, req);
      context.bind(ctx, res);
      context.with(ctx, () => listener(req, res));
    });
  }
}

/** The part of a Fastify instance `traceFastifyRoutes` uses. */
interface FastifyHooks {
  addHook(
    name: 'onRequest',
    hook: (request: { routeOptions?: { url?: string } }, reply: unknown, done: () => void) => void,
  ): unknown;
}

/** The matched route on the request's SERVER span: `<method> <route>` and `http.route`, as Express gets. */
function nameServerSpan(method: string, route: string | undefined): void {
  if (!route) return;
  const span = trace.getSpan(context.active());
  span?.setAttribute(ATTR_HTTP_ROUTE, route);
  span?.updateName(`${method} ${route}`);
}

/**
 * For a server on Fastify (the gateway, ADR-20), whose raw request does not carry the matched route:
 * an `onRequest` hook names the SERVER span after the route (`POST /v1/buildings/:pid/zones`). It changes
 * nothing in the answer. Does nothing while tracing is off or for an instance without hooks (Express).
 */
export function traceFastifyRoutes(instance: unknown): void {
  if (!tracingEnabled() || typeof (instance as Partial<FastifyHooks>)?.addHook !== 'function') return;
  (instance as FastifyHooks).addHook('onRequest', (request, _reply, done) => {
    const raw = (request as { raw?: IncomingMessage }).raw;
    nameServerSpan(raw?.method ?? 'GET', request.routeOptions?.url);
    done();
  });
}
