import type { EntityManager } from 'typeorm';
import type { MatrixEventV1 } from '@matrix/contracts';
import { DEVICE_SLOTS } from '@matrix/messaging';

/** A change of a KV bucket kept by the gateway: a device-slot entry (by alias) or an ingest key (by key id). */
export interface DirectoryChange {
  kind: 'kv-put' | 'kv-delete';
  /** The bucket's name (`KvBucketSpec.name`, without namespace); `DEVICE_SLOTS` when absent. */
  bucket?: string;
  key: string;
  value?: unknown;
}

/**
 * The transactional outbox: events and directory changes are rows written in the same transaction as
 * the change they describe, so a committed change always yields them and a rolled-back one never does.
 * The first append takes a transaction-scoped lock, so outbox ids are handed out in commit order and the
 * relay publishes in commit order.
 */
export class Outbox {
  private locked = false;

  constructor(private readonly manager: EntityManager) {}

  async event(event: MatrixEventV1): Promise<void> {
    await this.append('event', event.RoutingKey, event, null);
  }

  async directory(change: DirectoryChange): Promise<void> {
    await this.append(change.kind, change.key, change.value ?? null, change.bucket ?? DEVICE_SLOTS.name);
  }

  private async append(
    kind: string,
    subject: string,
    payload: unknown,
    bucket: string | null,
  ): Promise<void> {
    if (!this.locked) {
      // The lock orders outbox ids by commit; the notification (delivered at commit) wakes the relay once.
      await this.manager.query(
        `select pg_advisory_xact_lock(hashtext('registry.outbox')), pg_notify('registry_outbox', '')`,
      );
      this.locked = true;
    }
    await this.manager.query(
      `insert into registry.outbox (kind, subject, payload, bucket) values ($1, $2, $3::jsonb, $4)`,
      [kind, subject, JSON.stringify(payload), bucket],
    );
  }
}
