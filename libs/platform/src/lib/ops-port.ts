import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** What the operations port serves: the scrape and the probes. */
const OPS_PATH = /^\/(metrics|health\/[^/?]*)(\?|$)/;
const METRICS_PATH = /^\/metrics(\/|\?|$)/;

export interface OpsPort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `METRICS_PORT`: a second listener, on the same interface, that serves only `/metrics` and `/health/*`
 * (anything else 404) through the app's own handlers, so Kubernetes probes and Prometheus reach them on a
 * port the public Service does not expose. The public port then answers 404 to `/metrics`; `/health/*`
 * stays there too (Docker's HEALTHCHECK and local runs use it). Call once the app listens (its routes are
 * registered); the app's request handling is shared, so readiness reports the same on both ports.
 */
export async function listenOnOpsPort(
  app: INestApplication,
  options: { host: string; port: number },
): Promise<OpsPort> {
  const publicServer = app.getHttpServer() as Server;
  const handlers = publicServer.listeners('request') as RequestListener[];
  publicServer.removeAllListeners('request');
  for (const handler of handlers) {
    publicServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (METRICS_PATH.test(req.url ?? '/')) return notFound(res);
      handler(req, res);
    });
  }
  const ops = createServer((req, res) => {
    if (!OPS_PATH.test(req.url ?? '/')) return notFound(res);
    for (const handler of handlers) handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    ops.once('error', reject);
    ops.listen(options.port, options.host, () => {
      ops.off('error', reject);
      resolve();
    });
  });
  return {
    port: (ops.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        ops.close(() => resolve());
        ops.closeAllConnections();
      }),
  };
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end('Not Found');
}
