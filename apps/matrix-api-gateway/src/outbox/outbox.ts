import type { EntityManager } from 'typeorm';
import type { MatrixEventV1 } from '@matrix/contracts';

/** A device-slot directory entry, keyed by alias in the `DEVICE_SLOTS` KV bucket. */
export interface DirectoryChange {
  kind: 'kv-put' | 'kv-delete';
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
    await this.append('event', event.RoutingKey, event);
  }

  async directory(change: DirectoryChange): Promise<void> {
    await this.append(change.kind, change.key, change.value ?? null);
  }

  private async append(kind: string, subject: string, payload: unknown): Promise<void> {
    if (!this.locked) {
      // The lock orders outbox ids by commit; the notification (delivered at commit) wakes the relay once.
      await this.manager.query(
        `select pg_advisory_xact_lock(hashtext('registry.outbox')), pg_notify('registry_outbox', '')`,
      );
      this.locked = true;
    }
    await this.manager.query(
      `insert into registry.outbox (kind, subject, payload) values ($1, $2, $3::jsonb)`,
      [kind, subject, JSON.stringify(payload)],
    );
  }
}
