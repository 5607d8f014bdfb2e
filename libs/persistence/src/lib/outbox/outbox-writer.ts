import type { Sql } from '../database';
import type { OutboxDefinition, OutboxKind } from './outbox-definition';

/** A change of a KV bucket entry, relayed as `put` (with `value` as JSON) or `delete`. */
export interface KvChange {
  kind: 'kv-put' | 'kv-delete';
  /** The bucket's name (without namespace); the outbox's `defaultBucket` when absent. */
  bucket?: string;
  key: string;
  value?: unknown;
}

/**
 * Appends outbox rows inside the caller's transaction, so a committed change always yields them and a
 * rolled-back one never does. The first append takes the outbox's transaction-scoped lock, so ids are
 * handed out in commit order and the relay publishes in commit order; its NOTIFY (delivered at commit)
 * wakes the relay. One writer per transaction.
 */
export class OutboxWriter {
  private locked = false;

  constructor(
    private readonly tx: Sql,
    private readonly outbox: OutboxDefinition,
  ) {}

  /** An event for a stream: published with `Nats-Msg-Id = outbox:<id>`. */
  async event(subject: string, payload: unknown): Promise<void> {
    await this.append('event', subject, payload, null);
  }

  async kv(change: KvChange): Promise<void> {
    const bucket = change.bucket ?? this.outbox.defaultBucket;
    if (!bucket) {
      throw new TypeError(`outbox ${this.outbox.qualified}: the KV change of ${change.key} names no bucket`);
    }
    await this.append(change.kind, change.key, change.value ?? null, bucket);
  }

  private async append(
    kind: OutboxKind,
    subject: string,
    payload: unknown,
    bucket: string | null,
  ): Promise<void> {
    if (!this.locked) {
      await this.tx.query(
        `select pg_advisory_xact_lock(hashtext('${this.outbox.orderLock}')), pg_notify('${this.outbox.channel}', '')`,
      );
      this.locked = true;
    }
    await this.tx.query(
      `insert into ${this.outbox.qualified} (kind, subject, payload, bucket) values ($1, $2, $3::jsonb, $4)`,
      [kind, subject, JSON.stringify(payload), bucket],
    );
  }
}
