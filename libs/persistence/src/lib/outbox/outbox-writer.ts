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
 * A data-modifying statement (`insert`, `update`, `delete`; no `returning` needed) sent in the same
 * round trip as an append, as a CTE of its statement: the change the row describes, written with it.
 * Its parameters are `$1…$n`; the append's follow them.
 */
export interface AlongsideStatement {
  sql: string;
  values: readonly unknown[];
}

/**
 * Appends outbox rows inside the caller's transaction, so a committed change always yields them and a
 * rolled-back one never does. Each append is one statement. The first one of a transaction also takes
 * the outbox's transaction-scoped lock and sends the NOTIFY that wakes the relay (delivered at commit),
 * and draws its row's id only once it holds the lock, so ids are handed out in commit order and the
 * relay publishes in commit order. The lock is held from the first append to commit: append last.
 * One writer per transaction.
 */
export class OutboxWriter {
  private locked = false;

  constructor(
    private readonly tx: Sql,
    private readonly outbox: OutboxDefinition,
  ) {}

  /** An event for a stream: published with `Nats-Msg-Id = outbox:<schema.table>:<id>`. */
  async event(subject: string, payload: unknown, alongside?: AlongsideStatement): Promise<void> {
    await this.append('event', subject, payload, null, alongside);
  }

  async kv(change: KvChange, alongside?: AlongsideStatement): Promise<void> {
    const bucket = change.bucket ?? this.outbox.defaultBucket;
    if (!bucket) {
      throw new TypeError(`outbox ${this.outbox.qualified}: the KV change of ${change.key} names no bucket`);
    }
    await this.append(change.kind, change.key, change.value ?? null, bucket, alongside);
  }

  private async append(
    kind: OutboxKind,
    subject: string,
    payload: unknown,
    bucket: string | null,
    alongside: AlongsideStatement | undefined,
  ): Promise<void> {
    const values = alongside?.values ?? [];
    const [k, s, p, b] = [1, 2, 3, 4].map((n) => `$${values.length + n}`);
    const insert = `insert into ${this.outbox.qualified} (kind, subject, payload, bucket)`;
    // The first row's id is drawn after the lock: the subquery that takes it is scanned first.
    const row = this.locked
      ? `${insert} values (${k}, ${s}, ${p}::jsonb, ${b})`
      : `${insert} select ${k}::text, ${s}::text, ${p}::jsonb, ${b}::text from (select pg_advisory_xact_lock(hashtext('${this.outbox.orderLock}')), pg_notify('${this.outbox.channel}', '')) as ordered`;
    await this.tx.query(alongside ? `with alongside as (${alongside.sql}) ${row}` : row, [
      ...values,
      kind,
      subject,
      JSON.stringify(payload),
      bucket,
    ]);
    this.locked = true;
  }
}
