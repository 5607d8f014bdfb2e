import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  decodeMatrixEvent,
  decodeSensorData,
  type Decoded,
  type MatrixEvent,
  type SensorDataPoint,
} from './decode';
import { resolveNames, type MatrixStreamKind, type ResolvedNames } from './subjects';

/** Where the SDK reports what it decided on its own (a terminated message). */
export interface ConsumerLogger {
  warn(message: string): void;
}

export interface BindOptions {
  /**
   * A subject pattern of the documented layout, with NATS wildcards: for Matrix events e.g.
   * `matrix.*.scworkforcemanagement.TASK_COMPLETED.*` (`matrix.>` for all), for sensor data e.g.
   * `sensor.data.<pid>.SMARTCLEAN.PPLCTR` (`sensor.data.>` for all).
   */
  subject: string;
  /**
   * The durable consumer's name: the server keeps its position, so a restarted subscriber goes on where it
   * stopped, and replicas sharing the name share the messages. Created on first use, reused after; an
   * existing durable with another filter subject is refused (pick another name, or delete it).
   */
  durable: string;
  /** The deployment's NATS namespace (`NATS_NAMESPACE` of the platform; empty for the documented layout). */
  namespace?: string;
  /** Where a new durable starts: `all` messages the stream keeps (default) or `new` ones only. */
  deliverFrom?: 'all' | 'new';
  /** How long the server waits for an ack before redelivering, ms (default 30 000; kept alive while the loop body runs). */
  ackWaitMs?: number;
  /** Deliveries of a message at most (default 5): a loop body that keeps failing gives up after that. */
  maxDeliver?: number;
  /** Unacknowledged messages at most across all subscribers of the durable (default 1000). */
  maxAckPending?: number;
  /** Told about every terminated (invalid) message; default `console.warn`. */
  logger?: ConsumerLogger;
}

/** Where a yielded item came from. */
export interface Delivered {
  /** The subject without the namespace: the routing key of an event, `sensor.data.<pid>.<provider>.<type>` of a point. */
  subject: string;
  /** The stream sequence of its message. */
  seq: number;
  /** How often its message has been delivered (1 the first time). */
  deliveries: number;
}

export interface MatrixEventMessage extends Delivered {
  event: MatrixEvent;
}

export interface SensorDataMessage extends Delivered {
  point: SensorDataPoint;
  /** The platform's id of the reading (the same in SQL and in push batches): a key for de-duplication. */
  readingId: string;
}

const DEFAULTS = { ackWaitMs: 30_000, maxDeliver: 5, maxAckPending: 1000 } as const;
/** How long one pull waits on the server for a message before it is renewed. */
const PULL_EXPIRES_MS = 5000;

const isNotFound = (error: unknown): boolean => /not found/i.test(String((error as Error)?.message ?? error));

/**
 * A durable JetStream consumer whose messages are validated with the Matrix contracts and iterated as
 * typed values. A message is acknowledged when the loop body has finished for its last item (a
 * SENSOR_DATA message carries several points); while the body runs the server is told it is still
 * being worked on. If the body throws or the loop is left with `break`, the message being worked on is
 * negatively acknowledged and comes back (on this or another subscriber), up to `maxDeliver` times. A
 * message that is not valid JSON or fails the contract is terminated (never redelivered) and logged with
 * the reason. One loop at a time per instance; `close()` ends it.
 */
export class TypedConsumer<T> implements AsyncIterable<T> {
  private running = false;
  private closed = false;
  private readonly closing: Promise<null>;
  private signalClose!: () => void;

  constructor(
    private readonly nc: NatsConnection,
    readonly names: ResolvedNames,
    private readonly decode: (message: JsMsg, names: ResolvedNames) => Decoded<T>,
    private readonly options: Required<Pick<BindOptions, 'ackWaitMs'>> & { logger: ConsumerLogger },
  ) {
    this.closing = new Promise((resolve) => (this.signalClose = () => resolve(null)));
  }

  /** The JetStream stream and durable consumer this reads. */
  get stream(): string {
    return this.names.stream;
  }

  get durable(): string {
    return this.names.durable;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.run();
  }

  /** Ends the loop: at once when it waits for a message, else after the current body (whose message is acked). */
  close(): void {
    this.closed = true;
    this.signalClose();
  }

  /*
   * One message is pulled at a time (`next()`), not a buffer ahead (`consume()`): a message nak'ed when
   * the loop is left must find no pull request of this loop still open on the server, or nats-server 2.9
   * would hand it straight back to that request and it would only return after the ack wait.
   */
  private async *run(): AsyncGenerator<T> {
    if (this.running) throw new Error('this consumer is already being iterated');
    this.running = true;
    const consumer = await jetstream(this.nc).consumers.get(this.names.stream, this.names.durable);
    let working: { message: JsMsg; heartbeat: NodeJS.Timeout } | undefined;
    try {
      while (!this.closed) {
        const pulling = consumer.next({ expires: PULL_EXPIRES_MS });
        const message = await Promise.race([pulling, this.closing]);
        if (this.closed) {
          // A message that arrives for the abandoned pull goes back at once.
          void pulling.then((late) => late?.nak()).catch(() => undefined);
          if (message) message.nak();
          break;
        }
        if (!message) continue;
        const decoded = this.decode(message, this.names);
        if (!decoded.ok) {
          this.options.logger.warn(
            `terminated ${this.names.stream} #${message.seq} on ${message.subject} (${this.names.durable}): ${decoded.reason}`,
          );
          // No reason on the wire: nats-server 2.9 ignores `+TERM <reason>` (and then redelivers).
          message.term();
          continue;
        }
        const heartbeat = setInterval(() => message.working(), Math.max(1000, this.options.ackWaitMs / 2));
        working = { message, heartbeat };
        for (const item of decoded.items) yield item;
        clearInterval(heartbeat);
        working = undefined;
        await message.ackAck();
      }
    } finally {
      if (working) {
        clearInterval(working.heartbeat);
        working.message.nak();
      }
      this.running = false;
    }
  }
}

async function bind<T>(
  nc: NatsConnection,
  kind: MatrixStreamKind,
  options: BindOptions,
  decode: (message: JsMsg, names: ResolvedNames) => Decoded<T>,
): Promise<TypedConsumer<T>> {
  const names = resolveNames(kind, options.subject, options.durable, options.namespace);
  const settings = { ...DEFAULTS, ...options };
  const jsm = await jetstreamManager(nc);
  const existing = await jsm.consumers.info(names.stream, names.durable).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (existing && existing.config.filter_subject !== names.filterSubject) {
    throw new Error(
      `durable ${names.durable} on ${names.stream} already exists with filter ${existing.config.filter_subject ?? '(none)'}, not ${names.filterSubject}: choose another durable name or delete it`,
    );
  }
  if (!existing) {
    try {
      await jsm.consumers.add(names.stream, {
        durable_name: names.durable,
        description: `@matrix-platform/sdk consumer of ${options.subject}`,
        filter_subject: names.filterSubject,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: settings.deliverFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
        ack_wait: nanos(settings.ackWaitMs),
        max_deliver: settings.maxDeliver,
        max_ack_pending: settings.maxAckPending,
      });
    } catch (error) {
      if (/stream not found/i.test((error as Error).message)) {
        throw new Error(
          `stream ${names.stream} does not exist: is the platform provisioned, and the namespace right?`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  return new TypedConsumer(nc, names, decode, {
    ackWaitMs: settings.ackWaitMs,
    logger: options.logger ?? { warn: (message) => console.warn(message) },
  });
}

const delivered = (message: JsMsg, names: ResolvedNames): Delivered => ({
  subject: names.strip(message.subject),
  seq: message.seq,
  deliveries: message.info.deliveryCount,
});

/**
 * Binds a durable consumer on MATRIX_EVENTS and iterates its Matrix events, validated and typed:
 *
 * ```ts
 * const events = await bindMatrixEvents(nc, { subject: 'matrix.*.scworkforcemanagement.TASK_COMPLETED.*', durable: 'cleaning-board' });
 * for await (const { event } of events) board.cleaned(event.Meta.Zone, event.UnixTimeInt);
 * ```
 */
export function bindMatrixEvents(
  nc: NatsConnection,
  options: BindOptions,
): Promise<TypedConsumer<MatrixEventMessage>> {
  return bind(nc, 'matrix-events', options, (message, names) => {
    const decoded = decodeMatrixEvent(message.data);
    if (!decoded.ok) return decoded;
    return { ok: true, items: decoded.items.map((event) => ({ event, ...delivered(message, names) })) };
  });
}

/**
 * Binds a durable consumer on SENSOR_DATA and iterates its data points one by one, validated and typed,
 * each with its reading id. A message's points are acknowledged together, after the last one's loop body.
 */
export function bindSensorData(
  nc: NatsConnection,
  options: BindOptions,
): Promise<TypedConsumer<SensorDataMessage>> {
  return bind(nc, 'sensor-data', options, (message, names) => {
    const headers: Record<string, string> = {};
    for (const [name, values] of message.headers ?? []) headers[name] = values[0] ?? '';
    const decoded = decodeSensorData(message.data, headers, `${names.stream}:${message.seq}`);
    if (!decoded.ok) return decoded;
    return { ok: true, items: decoded.items.map((item) => ({ ...item, ...delivered(message, names) })) };
  });
}
