import { Client } from 'pg';

export interface ListenerLogger {
  warn(message: string, context?: string): void;
}

export interface PgListenerOptions {
  url: string;
  /** `application_name` of the connection. */
  applicationName: string;
  /** NOTIFY channels (plain identifiers). */
  channels: readonly string[];
  onNotify(channel: string, payload: string): void;
  /** Called after a lost connection was replaced: notifications may have been missed meanwhile. */
  onReconnect?(): void;
  logger?: ListenerLogger;
  /** Wait before reconnecting (default 1 s). */
  reconnectAfterMs?: number;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One connection LISTENing to NOTIFY channels (a pooled connection cannot: LISTEN belongs to a session).
 * Reconnects after `reconnectAfterMs` when the connection is lost, then reports `onReconnect`. The
 * connection has TCP keep-alives, so a vanished server is noticed. Kept here rather than a package:
 * `pg`'s Client does the protocol; what remains is the reconnect loop, ~40 lines.
 */
export class PgListener {
  private client?: Client;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: PgListenerOptions) {
    for (const channel of options.channels) {
      if (!CHANNEL.test(channel)) {
        throw new TypeError(`NOTIFY channel "${channel}" is not a plain identifier`);
      }
    }
  }

  /** Connects and LISTENs; rejects when the first connection fails (later losses reconnect). */
  async start(): Promise<void> {
    this.stopped = false;
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client.on('notification', (n) => this.options.onNotify(n.channel, n.payload ?? ''));
    // Until it listens, a failure rejects start() (the caller, or the reconnect loop, tries again).
    client.on('error', () => undefined);
    try {
      await client.connect();
      for (const channel of this.options.channels) await client.query(`listen ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    client.on('error', (error) => this.restart(error));
    client.on('end', () => this.restart(new Error('connection ended')));
    this.client = client;
  }

  private restart(error: Error): void {
    if (this.stopped || this.timer) return;
    this.options.logger?.warn(`LISTEN connection lost (${error.message}); reconnecting`, 'PgListener');
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    client?.end().catch(() => undefined);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.start().then(
        () => this.options.onReconnect?.(),
        (e: Error) => this.restart(e),
      );
    }, this.options.reconnectAfterMs ?? 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    await client?.end().catch(() => undefined);
  }
}
