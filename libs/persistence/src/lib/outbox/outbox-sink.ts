/**
 * Where the relay sends rows: the port an owning service binds to its broker. `@matrix/messaging`'s
 * `JetStreamOutboxSink` is the binding to JetStream and its KV buckets (persistence does not import
 * messaging; the app wires the two). Each call resolves once the broker has the change; a rejection
 * stops the batch, which is retried from that row.
 */
export interface OutboxSink {
  /**
   * An event; `msgId` (`outbox:<id>`) makes a republish a duplicate the stream drops. `headers`: the row's
   * (the writer stores the W3C trace context of the request that wrote it there, when tracing is on).
   */
  publishEvent(event: {
    subject: string;
    payload: unknown;
    msgId: string;
    headers?: Record<string, string>;
  }): Promise<void>;
  /** Puts `value` (as JSON) under `key` in `bucket`. */
  putKv(bucket: string, key: string, value: unknown): Promise<void>;
  deleteKv(bucket: string, key: string): Promise<void>;
}

/** The Nest token of the sink an {@link OutboxModule} relays to. */
export const OUTBOX_SINK = Symbol('OUTBOX_SINK');
