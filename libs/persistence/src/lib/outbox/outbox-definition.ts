/** Where an owning service keeps its outbox. */
export interface OutboxOptions {
  /** The owning service's schema, e.g. `registry`, `workforce`. */
  schema: string;
  /** The table's name in it (default `outbox`). */
  table?: string;
  /**
   * The KV bucket of `kv-put`/`kv-delete` rows that name none (the writer's default, and the relay's
   * for rows written before buckets were named). Without it, a KV change must name its bucket.
   */
  defaultBucket?: string;
}

/** The names an outbox derives from its schema and table; written once, shared by DDL, writer and relay. */
export interface OutboxDefinition {
  readonly schema: string;
  readonly table: string;
  /** `schema.table`. */
  readonly qualified: string;
  /** The transaction-scoped lock that orders ids by commit: `hashtext('<schema>.<table>')`. */
  readonly orderLock: string;
  /** The NOTIFY channel that wakes the relay: `<schema>_<table>`. */
  readonly channel: string;
  /** The session lock of the relay's leader: `hashtext('<schema>.<table>-relay')`. */
  readonly relayLock: string;
  /** The SQL function that appends a row the way the writer does (for triggers): `<schema>.<table>_append`. */
  readonly appendFunction: string;
  readonly defaultBucket?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * The outbox of `options.schema`. For the gateway's `registry.outbox` the names equal the ones its
 * landed migrations and earlier relays used (lock `registry.outbox`, channel `registry_outbox`, relay
 * lock `registry.outbox-relay`), so old and new replicas agree during a rolling upgrade.
 */
export function defineOutbox(options: OutboxOptions): OutboxDefinition {
  const table = options.table ?? 'outbox';
  for (const name of [options.schema, table]) {
    if (!IDENTIFIER.test(name)) throw new TypeError(`outbox: "${name}" is not a plain lowercase identifier`);
  }
  const qualified = `${options.schema}.${table}`;
  return {
    schema: options.schema,
    table,
    qualified,
    orderLock: qualified,
    channel: `${options.schema}_${table}`,
    relayLock: `${qualified}-relay`,
    appendFunction: `${qualified}_append`,
    defaultBucket: options.defaultBucket,
  };
}

/** The kinds of rows: an event for a stream, or a change of a KV bucket entry. */
export type OutboxKind = 'event' | 'kv-put' | 'kv-delete';
