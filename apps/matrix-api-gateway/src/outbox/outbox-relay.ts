import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { Client } from 'pg';
import {
  DEVICE_SLOTS,
  JetStreamPublisher,
  MATRIX_KV_BUCKETS,
  NatsClient,
  openKvBucket,
} from '@matrix/messaging';
import { HealthRegistry, JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import type { MatrixApiGatewayConfig } from '../config/matrix-api-gateway.config';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';

interface OutboxRow {
  id: string;
  kind: 'event' | 'kv-put' | 'kv-delete';
  subject: string;
  payload: unknown;
  /** KV rows: the bucket; null on rows written before buckets were named (= DEVICE_SLOTS). */
  bucket: string | null;
}

const LEADER_LOCK = `hashtext('registry.outbox-relay')`;
const BATCH = 500;

/**
 * Publishes outbox rows in id (= commit) order: events to JetStream with `Nats-Msg-Id = outbox:<id>`, KV
 * changes to their bucket (DEVICE_SLOTS, INGEST_KEYS); then marks them published. One replica relays at a time (a session
 * advisory lock on its own connection); the others wait to take over. A crash between publish and mark
 * republishes with the same id, which the stream drops as a duplicate.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private client?: Client;
  private readonly buckets = new Map<string, KV>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private leader = false;
  private lastError?: string;
  private serial: Promise<unknown> = Promise.resolve();
  private readonly published: Counter<'kind'>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: MatrixApiGatewayConfig,
    private readonly nats: NatsClient,
    private readonly publisher: JetStreamPublisher,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    health: HealthRegistry,
  ) {
    this.published = metrics.counter({
      name: 'matrix_outbox_published_total',
      help: 'Outbox rows relayed, by kind',
      labelNames: ['kind'],
    });
    health.register('outbox-relay', async () => {
      if (this.lastError) throw new Error(this.lastError);
    });
  }

  /** True while this replica holds the relay lock. */
  get isLeader(): boolean {
    return this.leader;
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  /** Relays everything pending now (tests and the bootstrap command use it). */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const relayed = await this.relayBatch();
      total += relayed;
      if (relayed < BATCH) return total;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.connect();
        if (!this.leader) {
          await this.idle(5000);
          continue;
        }
        const relayed = await this.relayBatch();
        this.lastError = undefined;
        if (relayed < BATCH) await this.idle(1000);
      } catch (error) {
        this.lastError = `outbox relay: ${(error as Error).message}`;
        this.logger.warn(this.lastError, 'OutboxRelay');
        await this.disconnect();
        await this.idle(2000);
      }
    }
    await this.disconnect();
  }

  private async connect(): Promise<void> {
    if (!this.client) {
      const client = new Client({
        connectionString: this.config.db.url,
        application_name: 'matrix-api-gateway outbox relay',
      });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('listen registry_outbox');
      client.on('notification', () => this.wake?.());
      this.client = client;
    }
    if (!this.leader) {
      const { rows } = await this.client.query(`select pg_try_advisory_lock(${LEADER_LOCK}) as ok`);
      this.leader = rows[0].ok === true;
      if (this.leader) this.logger.log('this replica relays the outbox', 'OutboxRelay');
    }
  }

  private async bucket(name: string | null): Promise<KV> {
    const spec = MATRIX_KV_BUCKETS.find((b) => b.name === (name ?? DEVICE_SLOTS.name));
    if (!spec) throw new Error(`outbox row for unknown KV bucket ${name}`);
    let kv = this.buckets.get(spec.name);
    if (!kv) {
      kv = await openKvBucket(this.nats.nc, spec, this.nats.namespace);
      this.buckets.set(spec.name, kv);
    }
    return kv;
  }

  /** One batch at a time, so the loop and `flush()` never interleave. */
  private relayBatch(): Promise<number> {
    const next = this.serial.then(() => this.relayOnce());
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async relayOnce(): Promise<number> {
    const client = this.client;
    if (!client || !this.leader) return 0;
    const { rows } = await client.query<OutboxRow>(
      `select id, kind, subject, payload, bucket from registry.outbox where published_on is null order by id limit ${BATCH}`,
    );
    for (const row of rows) {
      if (row.kind === 'event') {
        await this.publisher.publish({
          subject: row.subject,
          payload: row.payload,
          msgId: `outbox:${row.id}`,
        });
      } else if (row.kind === 'kv-put') {
        await (await this.bucket(row.bucket)).put(row.subject, JSON.stringify(row.payload));
      } else {
        await (await this.bucket(row.bucket)).delete(row.subject);
      }
      this.published.inc({ kind: row.kind });
    }
    if (rows.length > 0) {
      await client.query(`update registry.outbox set published_on = now() where id = any($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
    }
    return rows.length;
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    if (client) await client.end().catch(() => undefined);
  }
}
