import { Client } from 'pg';

export interface ListenerLogger {
  warn(message: string, context?: string): void;
}

/**
 * One connection LISTENing to the router's NOTIFY channels; reconnects after a second when the
 * connection is lost, and then reports `onReconnect` (notifications may have been missed meanwhile).
 */
export class PgListener {
  private client?: Client;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channels: readonly string[],
    private readonly onNotify: (channel: string, payload: string) => void,
    private readonly onReconnect: () => void,
    private readonly logger: ListenerLogger,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'event-router-listener' });
    client.on('notification', (n) => this.onNotify(n.channel, n.payload ?? ''));
    client.on('error', (error) => this.restart(error));
    client.on('end', () => this.restart(new Error('connection ended')));
    await client.connect();
    for (const channel of this.channels) await client.query(`listen ${channel}`);
    this.client = client;
  }

  private restart(error: Error): void {
    if (this.stopped || this.timer) return;
    this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`, 'PgListener');
    this.client?.removeAllListeners();
    this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.start().then(
        () => this.onReconnect(),
        (e: Error) => this.restart(e),
      );
    }, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    await client?.end().catch(() => undefined);
  }
}
