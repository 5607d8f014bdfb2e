import { Injectable } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { NatsClient } from '../connection/nats-client';
import { JetStreamPublisher } from '../publisher/jetstream-publisher';
import { MATRIX_KV_BUCKETS, openKvBucket } from '../topology/kv-buckets';

/**
 * Where a transactional outbox's relay (`@matrix/persistence`) sends its rows: events to JetStream with
 * the row's message id, KV changes to the Matrix buckets (`MATRIX_KV_BUCKETS`, in this connection's
 * namespace). It has the shape of persistence's `OutboxSink` without importing it: messaging and
 * persistence do not depend on each other; an owning service binds the two
 * (`OutboxModule.forRoot({ outbox, sink: JetStreamOutboxSink })`).
 */
@Injectable()
export class JetStreamOutboxSink {
  private readonly buckets = new Map<string, Promise<KV>>();

  constructor(
    private readonly nats: NatsClient,
    private readonly publisher: JetStreamPublisher,
  ) {}

  /** A `traceparent` among the row's headers makes the publish a child of the request that wrote the row. */
  async publishEvent(event: {
    subject: string;
    payload: unknown;
    msgId: string;
    headers?: Record<string, string>;
  }): Promise<void> {
    await this.publisher.publish(event);
  }

  async putKv(bucket: string, key: string, value: unknown): Promise<void> {
    await (await this.bucket(bucket)).put(key, JSON.stringify(value));
  }

  async deleteKv(bucket: string, key: string): Promise<void> {
    await (await this.bucket(bucket)).delete(key);
  }

  private bucket(name: string): Promise<KV> {
    const spec = MATRIX_KV_BUCKETS.find((b) => b.name === name);
    if (!spec) return Promise.reject(new Error(`outbox row for unknown KV bucket ${name}`));
    let kv = this.buckets.get(name);
    if (!kv) {
      kv = openKvBucket(this.nats.nc, spec, this.nats.namespace);
      kv.catch(() => this.buckets.delete(name));
      this.buckets.set(name, kv);
    }
    return kv;
  }
}
