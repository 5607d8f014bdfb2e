import type { MatrixEventV1 } from '@matrix/contracts';
import { DEVICE_SLOTS } from '@matrix/messaging';
import { defineOutbox, OutboxWriter, type KvChange, type Sql } from '@matrix/persistence';

/**
 * `registry.outbox` (created by the landed migrations CreateRegistryTables1764200000000 and
 * CreateIngestKeys1764400000000): KV changes name DEVICE_SLOTS unless told. Its relay is
 * `OutboxModule.forRoot({ outbox: REGISTRY_OUTBOX, sink: JetStreamOutboxSink })`.
 */
export const REGISTRY_OUTBOX = defineOutbox({ schema: 'registry', defaultBucket: DEVICE_SLOTS.name });

/** A change of a KV bucket kept by the gateway: a device-slot entry (by alias) or an ingest key (by key id). */
export type DirectoryChange = KvChange;

/**
 * The registry's transactional outbox in one transaction (libs/persistence's `OutboxWriter`, ADR-13):
 * Matrix events go to their routing key, directory changes to their bucket.
 */
export class Outbox {
  private readonly writer: OutboxWriter;

  constructor(tx: Sql) {
    this.writer = new OutboxWriter(tx, REGISTRY_OUTBOX);
  }

  async event(event: MatrixEventV1): Promise<void> {
    await this.writer.event(event.RoutingKey, event);
  }

  async directory(change: DirectoryChange): Promise<void> {
    await this.writer.kv(change);
  }
}
