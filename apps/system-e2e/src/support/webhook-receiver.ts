import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got: its headers and raw body (what a Standard Webhooks signature covers). */
export interface ReceivedPost {
  headers: Record<string, string>;
  body: string;
}

/**
 * A push subscriber's endpoint on 127.0.0.1 (an ephemeral port; event-router reaches it with
 * ROUTER_ALLOW_TARGETS=loopback): records every request and answers 200.
 */
export class WebhookReceiver {
  readonly requests: ReceivedPost[] = [];
  private server?: http.Server;
  url = '';
  port = 0;

  /** Listens on `port` (0: an ephemeral one); a stopped receiver starts again on its old port with `start(port)`. */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
          ),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}/matrix`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
