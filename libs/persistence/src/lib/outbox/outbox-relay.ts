import { AdvisoryLeader, type LeaderLogger } from '../advisory-leader';
import type { Database } from '../database';
import { PgListener } from '../pg-listener';
import type { OutboxDefinition, OutboxKind } from './outbox-definition';
import type { OutboxSink } from './outbox-sink';

interface OutboxRow {
  id: string;
  kind: OutboxKind;
  subject: string;
  payload: unknown;
  /** KV rows: the bucket; null on rows written before buckets were named (= the outbox's defaultBucket). */
  bucket: string | null;
  /** `traceparent`/`tracestate` of the request that wrote the row (tracing on), else `{}`. */
  headers: Record<string, unknown> | null;
}

/** The row's trace context headers (string values only), or none. */
function traceHeadersOf(row: OutboxRow): { headers?: Record<string, string> } {
  const traceparent = row.headers?.traceparent;
  if (typeof traceparent !== 'string') return {};
  const tracestate = row.headers?.tracestate;
  return { headers: { traceparent, ...(typeof tracestate === 'string' ? { tracestate } : {}) } };
}

export interface OutboxRelayOptions {
  outbox: OutboxDefinition;
  /** Rows read and published per batch (default 500). */
  batchSize?: number;
  /** The leader looks for rows this often without a NOTIFY (default 1 s). */
  pollEveryMs?: number;
  /** Wait after a failed batch (default 2 s). */
  retryAfterMs?: number;
  /** Leadership timing (tests shorten it). */
  leader?: { tryEveryMs?: number; checkEveryMs?: number };
  logger?: LeaderLogger;
  /** Called for every row relayed (metrics). */
  onRelayed?(kind: OutboxKind): void;
}

/**
 * Publishes an outbox's rows in id (= commit) order: events with `Nats-Msg-Id =
 * outbox:<schema.table>:<id>` (unique across the services' outboxes, which share MATRIX_EVENTS' duplicate
 * window), KV changes to their bucket; then marks them published. A run of consecutive events is sent with
 * its acks pipelined (in id order on one connection, so stored in that order; every stored one is marked,
 * a refused one goes again alone); KV changes go one at a time. One replica relays at a time (an
 * {@link AdvisoryLeader} on the outbox's relay lock); the others wait to take over. A NOTIFY on the
 * outbox's channel (sent by the writer, delivered at commit) wakes the leader; it also looks every
 * `pollEveryMs`. A crash between publish and mark republishes with the same ids, which the stream drops
 * as duplicates; a leader that loses its lock stops before its next run.
 */
export class OutboxRelay {
  readonly leader: AdvisoryLeader;
  private readonly listener: PgListener;
  private readonly batchSize: number;
  private stopping = true;
  private loop?: Promise<void>;
  /** Ends the current idle early (a NOTIFY, leadership, stop). */
  private wake?: () => void;
  /** Ends the wait after a failed batch early: only stop does. */
  private stopWake?: () => void;
  /**
   * A NOTIFY (or a reconnect) came since the last batch began: the next idle returns at once. Without it a
   * NOTIFY that arrives while a batch is being relayed would wake nothing, and rows committed after that
   * batch's read would wait for the next poll.
   */
  private notified = false;
  private error?: string;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly sink: OutboxSink,
    private readonly options: OutboxRelayOptions,
  ) {
    const { outbox, logger } = options;
    const name = `${db.options.applicationName} ${outbox.qualified} relay`;
    this.batchSize = options.batchSize ?? 500;
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: name,
      lock: outbox.relayLock,
      role: `relays ${outbox.qualified}`,
      logger,
      ...options.leader,
    });
    this.listener = new PgListener({
      url: db.options.url,
      applicationName: `${name} listener`,
      channels: [outbox.channel],
      onNotify: () => this.nudge(),
      onReconnect: () => this.nudge(),
      logger,
    });
  }

  /** True while this replica holds the relay lock. */
  get isLeader(): boolean {
    return this.leader.isLeader;
  }

  /** The last failure (of a batch or of the lock's connection), cleared by the next success. */
  get lastError(): string | undefined {
    return this.error ?? this.leader.lastError;
  }

  start(): void {
    if (!this.stopping) return;
    this.stopping = false;
    this.leader.start();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    this.stopWake?.();
    await this.loop;
    await Promise.all([this.leader.stop(), this.listener.stop()]);
  }

  /**
   * The rows not yet relayed and the age of the oldest (0 when none), read through the pending-rows index;
   * `undefined` on a replica that does not lead (the leader's numbers are the outbox's).
   */
  async backlog(): Promise<{ rows: number; oldestAgeSeconds: number } | undefined> {
    if (!this.leader.isLeader) return undefined;
    const [row] = await this.db.query<{ rows: number; age: number | null }>(
      `select count(*)::int as rows, extract(epoch from now() - min(created_on))::float8 as age
         from ${this.options.outbox.qualified} where published_on is null`,
    );
    return { rows: row?.rows ?? 0, oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
  }

  /** Relays everything pending now, if this replica leads (tests and commands use it); answers the count. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch();
      total += relayed;
      if (relayed < this.batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    let listening = false;
    while (!this.stopping) {
      if (!this.leader.isLeader) {
        await Promise.race([this.leader.opened(), this.idle(5000)]);
        this.wake?.(); // clears the idle timer when leadership came first
        continue;
      }
      try {
        if (!listening) {
          await this.listener.start();
          listening = true;
        }
        // This batch's read sees every row committed before now; a NOTIFY from here on asks for another.
        this.notified = false;
        const relayed = await this.relayBatch();
        this.error = undefined;
        if (relayed < this.batchSize) await this.idle(this.options.pollEveryMs ?? 1000);
      } catch (error) {
        this.error = `outbox relay: ${(error as Error).message}`;
        this.options.logger?.warn(this.error, 'OutboxRelay');
        // The whole wait: commits arriving meanwhile must not turn a refusing broker into a tight loop.
        this.notified = false;
        await this.idle(this.options.retryAfterMs ?? 2000, { wakeOnNotify: false });
      }
    }
  }

  /** One batch at a time, so the loop and `flush()` never interleave. */
  private relayBatch(): Promise<number> {
    const next = this.serial.then(() => this.relayOnce());
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async relayOnce(): Promise<number> {
    if (!this.leader.isLeader) return 0;
    const { qualified, defaultBucket } = this.options.outbox;
    const rows = await this.db.query<OutboxRow>(
      `select id, kind, subject, payload, bucket, headers from ${qualified} where published_on is null order by id limit ${this.batchSize}`,
    );
    const relayed: string[] = [];
    try {
      for (let start = 0; start < rows.length;) {
        // A replica that lost the lock stops: the new leader publishes from the first unmarked row.
        if (!this.leader.isLeader) break;
        const row = rows[start]!;
        if (row.kind !== 'event') {
          const bucket = row.bucket ?? defaultBucket;
          if (!bucket) throw new Error(`outbox row ${row.id} names no KV bucket`);
          if (row.kind === 'kv-put') await this.sink.putKv(bucket, row.subject, row.payload);
          else await this.sink.deleteKv(bucket, row.subject);
          relayed.push(row.id);
          this.options.onRelayed?.(row.kind);
          start += 1;
          continue;
        }
        // A run of events is published with acks pipelined: sent in id order on one connection, so stored in
        // that order. Every stored one is marked, also after a refused one (the refused row alone goes
        // again, later; republishing the others would store them twice once the duplicate window passed).
        let end = start;
        while (end < rows.length && rows[end]!.kind === 'event') end += 1;
        const run = rows.slice(start, end);
        const results = await Promise.allSettled(
          run.map((event) =>
            this.sink.publishEvent({
              subject: event.subject,
              payload: event.payload,
              msgId: `outbox:${qualified}:${event.id}`,
              ...traceHeadersOf(event),
            }),
          ),
        );
        results.forEach((result, i) => {
          if (result.status !== 'fulfilled') return;
          relayed.push(run[i]!.id);
          this.options.onRelayed?.('event');
        });
        const failed = results.find((result) => result.status === 'rejected');
        if (failed) throw (failed as PromiseRejectedResult).reason;
        start = end;
      }
    } finally {
      if (relayed.length > 0) {
        await this.db.query(`update ${qualified} set published_on = now() where id = any($1::bigint[])`, [
          relayed,
        ]);
      }
    }
    return relayed.length;
  }

  private nudge(): void {
    this.notified = true;
    this.wake?.();
  }

  /**
   * Waits `ms`, or until woken; returns at once when stopping, or (leading) when a NOTIFY came since the
   * last batch began. With `wakeOnNotify: false` only stopping ends it early.
   */
  private idle(ms: number, { wakeOnNotify = true } = {}): Promise<void> {
    if (this.stopping || (wakeOnNotify && this.notified && this.leader.isLeader)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        if (this.stopWake === done) this.stopWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeOnNotify) this.wake = done;
      else this.stopWake = done;
    });
  }
}
