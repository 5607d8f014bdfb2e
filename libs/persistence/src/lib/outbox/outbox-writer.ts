import { activeTraceHeaders } from '@matrix/platform';
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
 * The largest payload an outbox row may carry, in bytes of its JSON: below NATS's default `max_payload`
 * (1 MiB, headers included), so that the relay can always publish what was committed. A larger one would
 * be refused by the server on every attempt and hold up the rows behind it.
 */
export const MAX_OUTBOX_PAYLOAD_BYTES = 1_000_000;

/** An append whose payload is over {@link MAX_OUTBOX_PAYLOAD_BYTES}: thrown before anything is written. */
export class OutboxPayloadTooLargeError extends Error {
  override readonly name = 'OutboxPayloadTooLargeError';
  constructor(
    readonly subject: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`the event for ${subject} would be ${bytes} bytes, over the ${limit} a message may carry`);
  }
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
    const json: string | undefined = JSON.stringify(payload);
    const bytes = json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
    // Refused in the transaction (which the caller then rolls back), never stored unpublishable.
    if (bytes > MAX_OUTBOX_PAYLOAD_BYTES) {
      throw new OutboxPayloadTooLargeError(subject, bytes, MAX_OUTBOX_PAYLOAD_BYTES);
    }
    const values = alongside?.values ?? [];
    // With tracing on, the row keeps the context of the request that wrote it: the relay publishes under it.
    const trace = activeTraceHeaders();
    const [k, s, p, b, h] = [1, 2, 3, 4, 5].map((n) => `$${values.length + n}`);
    const insert = `insert into ${this.outbox.qualified} (kind, subject, payload, bucket${trace ? ', headers' : ''})`;
    // The first row's id is drawn after the lock: the subquery that takes it is scanned first.
    const row = this.locked
      ? `${insert} values (${k}, ${s}, ${p}::jsonb, ${b}${trace ? `, ${h}::jsonb` : ''})`
      : `${insert} select ${k}::text, ${s}::text, ${p}::jsonb, ${b}::text${trace ? `, ${h}::jsonb` : ''} from (select pg_advisory_xact_lock(hashtext('${this.outbox.orderLock}')), pg_notify('${this.outbox.channel}', '')) as ordered`;
    await this.tx.query(alongside ? `with alongside as (${alongside.sql}) ${row}` : row, [
      ...values,
      kind,
      subject,
      json,
      bucket,
      ...(trace ? [JSON.stringify(trace)] : []),
    ]);
    this.locked = true;
  }
}
