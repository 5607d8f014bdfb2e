import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Counter, Histogram } from 'prom-client';
import { MetricsService } from './metrics.service';

/** The `route` label of a request no route matched (a 404, or a router refusal). */
export const UNMATCHED_ROUTE = 'unmatched';

/** Probes and scrapes are not counted: they would drown the traffic operators look at. */
const UNMEASURED = /^\/(health|metrics)(\/|$)/;

const START = Symbol('matrix.http.start');
const ROUTE = Symbol('matrix.http.route');

type Timed = ServerResponse & { [START]?: number };
type Routed = IncomingMessage & { [ROUTE]?: string; route?: { path?: unknown } };
type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

interface Series {
  readonly duration: ReturnType<Histogram<'method' | 'route'>['labels']>;
  readonly byStatus: Map<number, ReturnType<Counter<'method' | 'route' | 'status'>['labels']>>;
}

/** The part of a Fastify instance {@link instrumentHttpServer} uses. */
interface FastifyHooks {
  addHook(
    name: 'onRequest',
    hook: (
      request: { raw: IncomingMessage; routeOptions?: { url?: string } },
      reply: unknown,
      done: () => void,
    ) => void,
  ): unknown;
}

/**
 * `matrix_http_requests_total{method,route,status}` and `matrix_http_request_duration_seconds{method,route}`
 * for every answer the server sends, whichever adapter made it (Express's app or Fastify's router: it wraps
 * the node `http.Server`'s request listeners, as tracing does). `route` is the matched route template
 * (`/v1/buildings/:pid/zones`), never the raw path, so the label set stays bounded; a request no route matched
 * is `unmatched`. `/metrics` and `/health/*` are not measured. A request whose connection closed before the
 * answer was sent is not counted.
 *
 * Cost per request: one `performance.now()` at the start and one at the end, a listener added to the response
 * (one shared function, no closure) and two map look-ups; the label children are made once per series.
 */
export function instrumentHttpServer(server: Server, instance: unknown, metrics: MetricsService): void {
  const requests = metrics.counter({
    name: 'matrix_http_requests_total',
    help: 'HTTP answers sent, by method, matched route template (unmatched: no route) and status',
    labelNames: ['method', 'route', 'status'],
  });
  const duration = metrics.histogram({
    name: 'matrix_http_request_duration_seconds',
    help: 'Time from the request to the last byte of the answer, by method and matched route template',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  });
  // route → method → series; `null` marks a route that is not measured.
  const series = new Map<string, Map<string, Series | null>>();

  const seriesOf = (method: string, route: string): Series | null => {
    let byMethod = series.get(route);
    if (!byMethod) series.set(route, (byMethod = new Map()));
    let found = byMethod.get(method);
    if (found === undefined) {
      found = UNMEASURED.test(route)
        ? null
        : { duration: duration.labels(method, route), byStatus: new Map() };
      byMethod.set(method, found);
    }
    return found;
  };

  function finished(this: Timed): void {
    const start = this[START];
    if (start === undefined) return;
    const seconds = (performance.now() - start) / 1000;
    const req = this.req as Routed;
    const template = req[ROUTE] ?? req.route?.path;
    const route = typeof template === 'string' ? template : UNMATCHED_ROUTE;
    const method = req.method ?? 'GET';
    const found = seriesOf(method, route);
    if (!found) return;
    found.duration.observe(seconds);
    const status = this.statusCode;
    let counter = found.byStatus.get(status);
    if (!counter) found.byStatus.set(status, (counter = requests.labels(method, route, String(status))));
    counter.inc();
  }

  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  for (const listener of listeners) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      (res as Timed)[START] = performance.now();
      res.on('finish', finished);
      listener(req, res);
    });
  }
  // Fastify does not put the matched route on the raw request as Express does: an onRequest hook does.
  if (typeof (instance as Partial<FastifyHooks> | undefined)?.addHook === 'function') {
    (instance as FastifyHooks).addHook('onRequest', (request, _reply, done) => {
      const url = request.routeOptions?.url;
      if (url !== undefined) (request.raw as Routed)[ROUTE] = url;
      done();
    });
  }
}

/** Measures the app's HTTP server (when it has one) once its modules are initialised, before it listens. */
@Injectable()
export class HttpMetricsInstaller implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    const server = adapter?.getHttpServer() as Server | undefined;
    if (!adapter || !server) return;
    instrumentHttpServer(server, adapter.getInstance(), this.metrics);
  }
}
