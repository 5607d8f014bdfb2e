/** A JetStream stream declared in code. Subjects are written without the deployment namespace. */
export interface StreamSpec {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly description: string;
  /** How long messages are kept. */
  readonly maxAgeMs: number;
  /** Window in which a repeated `Nats-Msg-Id` is dropped by the server. */
  readonly duplicateWindowMs: number;
  /**
   * What the stream does once it holds its `max_bytes`: `new` refuses the publish (the publisher sees the
   * error and keeps the message), `old` drops its oldest messages to make room. Chosen per stream, with
   * the reason beside the stream (docs/operations.md, Capacity): `old` only where no durable consumer can
   * lose an unread message by it.
   */
  readonly discard: 'new' | 'old';
  /**
   * This stream's part of the JetStream storage budget (`NATS_JETSTREAM_BUDGET` of `matrix-cli provision`):
   * its `max_bytes` is `budget × budgetShare` unless a deployment overrides it. The shares of the streams and
   * KV buckets of the platform add up to at most 1.
   */
  readonly budgetShare: number;
  /** Subjects that are not namespaced (e.g. `$JS.EVENT.ADVISORY...`); computed per namespace. */
  readonly rawSubjects?: (namespace: Namespace) => string[];
}

/** A durable pull consumer declared in code: nothing runs on server defaults. */
export interface ConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  readonly description: string;
  readonly filterSubjects: readonly string[];
  /** Time the server waits for an ack before redelivering (the first backoff step applies on timeouts). */
  readonly ackWaitMs: number;
  /** Deliveries before the message is dead-lettered. */
  readonly maxDeliver: number;
  /** Redelivery delays: used on ack timeouts by the server and on failures by the handler runtime. */
  readonly backoffMs: readonly number[];
  /** Unacknowledged messages in flight across all instances. */
  readonly maxAckPending: number;
  /**
   * Where a durable created on a stream that already holds messages starts: `all` (default) from the first
   * message kept, `new` with the messages published after its creation (an existing durable keeps its place).
   */
  readonly deliverFrom?: 'all' | 'new';
}

/**
 * Durables that split a stream's subjects into partitions, each worked by one replica at a time (the replicas
 * share them out through leases in the `CONSUMER_LEASES` bucket), so that what must stay in order — a
 * partition's messages — does, with any number of replicas.
 */
export interface PartitionedConsumerSpec {
  /** Names the group: its lease keys, and its durables `<group>-p<k>`. */
  readonly group: string;
  /** The durable of each partition, partition k at index k. */
  readonly partitions: readonly ConsumerSpec[];
}

export interface Topology {
  readonly streams: readonly StreamSpec[];
  readonly consumers: readonly ConsumerSpec[];
}

/**
 * A deployment namespace lets several platforms (or test suites) share one NATS account: subjects get a
 * `<ns>.` prefix and stream names a `<NS>_` prefix. The empty namespace is the documented public layout
 * (`sensor.data.>`, `matrix.>` …).
 */
export class Namespace {
  static readonly ROOT = new Namespace('');

  constructor(readonly value: string) {
    if (value !== '' && !/^[a-z0-9_]+$/.test(value)) {
      throw new Error(`NATS namespace "${value}" must match [a-z0-9_]+ (or be empty)`);
    }
  }

  subject(subject: string): string {
    return this.value ? `${this.value}.${subject}` : subject;
  }

  /** Removes the namespace prefix from a subject received on the wire. */
  strip(subject: string): string {
    const prefix = `${this.value}.`;
    return this.value && subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
  }

  stream(name: string): string {
    return this.value ? `${this.value.toUpperCase()}_${name}` : name;
  }

  durable(name: string): string {
    return this.value ? `${this.value}-${name}` : name;
  }
}
