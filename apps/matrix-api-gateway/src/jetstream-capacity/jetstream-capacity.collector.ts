import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MATRIX_KV_BUCKETS, MATRIX_TOPOLOGY, NatsClient } from '@matrix/messaging';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Gauge } from 'prom-client';
import { polledObjects, type PolledConsumer, type PolledStream } from './polled-objects';

/** How often the streams are read: often enough for the 80 % / 95 % alerts, cheap for nats-server. */
export const CAPACITY_POLL_MS = 15_000;

/**
 * The fill of every JetStream stream and KV bucket of the platform, and the backlog of every durable
 * consumer, as Prometheus gauges: read with `STREAM.INFO` / `CONSUMER.INFO` every 15 s (never per scrape
 * or request). The alert rules of docs/operations.md (Capacity) are written against these names.
 *
 * The gateway exports them because it is the operator-facing control-plane service, always deployed, already
 * connected to JetStream, and off the ingest path, so the poll never competes with readings. With several
 * replicas each exports the same values; the rules take `max by (stream)`.
 */
@Injectable()
export class JetStreamCapacityCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly bytes: Gauge<'stream' | 'kind'>;
  private readonly maxBytes: Gauge<'stream' | 'kind'>;
  private readonly messages: Gauge<'stream' | 'kind'>;
  private readonly pending: Gauge<'stream' | 'consumer'>;
  private readonly ackPending: Gauge<'stream' | 'consumer'>;
  private readonly lastSuccess: Gauge;
  private readonly polled: { streams: PolledStream[]; consumers: PolledConsumer[] };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly failing = new Map<string, string>();

  constructor(
    private readonly client: NatsClient,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
  ) {
    this.polled = polledObjects(
      MATRIX_TOPOLOGY.streams,
      MATRIX_KV_BUCKETS,
      MATRIX_TOPOLOGY.consumers,
      client.namespace,
    );
    const labelNames = ['stream', 'kind'] as const;
    this.bytes = metrics.gauge({
      name: 'matrix_jetstream_stream_bytes',
      help: 'Bytes a JetStream stream or KV bucket of the platform holds (stream info state.bytes)',
      labelNames,
    });
    this.maxBytes = metrics.gauge({
      name: 'matrix_jetstream_stream_max_bytes',
      help: 'The max_bytes of a stream or KV bucket (set by matrix-cli provision); -1 = unlimited',
      labelNames,
    });
    this.messages = metrics.gauge({
      name: 'matrix_jetstream_stream_messages',
      help: 'Messages a JetStream stream or KV bucket of the platform holds',
      labelNames,
    });
    this.pending = metrics.gauge({
      name: 'matrix_jetstream_consumer_pending_messages',
      help: 'Messages of its stream a durable consumer has not been delivered yet (num_pending)',
      labelNames: ['stream', 'consumer'],
    });
    this.ackPending = metrics.gauge({
      name: 'matrix_jetstream_consumer_ack_pending_messages',
      help: 'Messages delivered to a durable consumer and not acknowledged yet (num_ack_pending)',
      labelNames: ['stream', 'consumer'],
    });
    this.lastSuccess = metrics.gauge({
      name: 'matrix_jetstream_capacity_last_success_timestamp_seconds',
      help: 'When every stream, bucket and durable consumer was last read successfully (Unix seconds)',
    });
  }

  onApplicationBootstrap(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), CAPACITY_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Reads every stream, bucket and durable once (a poll still running is awaited instead of doubled). */
  refresh(): Promise<void> {
    this.running ??= this.poll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async poll(): Promise<void> {
    const { jsm } = this.client;
    const results = await Promise.all([
      ...this.polled.streams.map(async (s) => {
        const labels = { stream: s.label, kind: s.kind };
        return this.read(s.streamName, async () => {
          const info = await jsm.streams.info(s.streamName);
          this.bytes.set(labels, info.state.bytes);
          this.maxBytes.set(labels, info.config.max_bytes);
          this.messages.set(labels, info.state.messages);
        });
      }),
      ...this.polled.consumers.map(async (c) => {
        const labels = { stream: c.stream, consumer: c.durable };
        return this.read(`${c.streamName} > ${c.durableName}`, async () => {
          const info = await jsm.consumers.info(c.streamName, c.durableName);
          this.pending.set(labels, info.num_pending);
          this.ackPending.set(labels, info.num_ack_pending);
        });
      }),
    ]);
    if (results.every(Boolean)) this.lastSuccess.set(Date.now() / 1000);
  }

  /** Runs one read; logs a failure when it starts or changes and when it clears, not every 15 s. */
  private async read(what: string, run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      if (this.failing.delete(what)) {
        this.logger.log(`capacity metrics: ${what} is read again`, 'JetStreamCapacity');
      }
      return true;
    } catch (error) {
      const message = (error as Error).message;
      if (this.failing.get(what) !== message) {
        this.logger.warn(`capacity metrics: cannot read ${what}: ${message}`, 'JetStreamCapacity');
        this.failing.set(what, message);
      }
      return false;
    }
  }
}
