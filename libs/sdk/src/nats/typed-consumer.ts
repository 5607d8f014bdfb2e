import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { getEventListeners } from 'node:events';
import { millis, nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  decodeMatrixEvent,
  decodeSensorData,
  type Decoded,
  type InvalidItem,
  type MatrixEvent,
  type SensorDataPoint,
} from './decode';
import { resolveNames, type MatrixStreamKind, type ResolvedNames } from './subjects';

/** Where the SDK reports what it decided on its own (a terminated message, a skipped invalid item). */
export interface ConsumerLogger {
  warn(message: string): void;
}

/** A contract-invalid item of a well-formed message, and where it came from. */
export interface InvalidDelivered extends InvalidItem, Delivered {}

/**
 * What becomes of the items of a well-formed message that fail this SDK's contract check (the platform
 * may accept values an older SDK does not know, docs/contracts.md):
 * - `'skip'` (default): each is logged and left out, the message's valid items are yielded, and the
 *   message is acknowledged as usual.
 * - `'term'`: the whole message is terminated and logged, its valid items too (never redelivered).
 * - a callback: called with each of them (awaited) instead of the log, then as `'skip'`. If it throws,
 *   the message is nak'ed and comes back, like a throwing loop body.
 */
export type OnInvalid = 'skip' | 'term' | ((item: InvalidDelivered) => unknown);

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
   * existing durable with another filter subject, or whose acks are not explicit, is refused with a
   * {@link DurableMismatchError} (pick another name, or delete it).
   */
  durable: string;
  /** The deployment's NATS namespace (`NATS_NAMESPACE` of the platform; empty for the documented layout). */
  namespace?: string;
  /** Where a new durable starts: `all` messages the stream keeps (default) or `new` ones only. */
  deliverFrom?: 'all' | 'new';
  /**
   * How long the server waits for an ack before redelivering, ms, for a durable this call creates
   * (default 30 000). An existing durable keeps its own; the loop keeps a message alive from the bound
   * durable's actual ack wait ({@link TypedConsumer.ackWaitMs}).
   */
  ackWaitMs?: number;
  /** Deliveries of a message at most (default 5): a loop body that keeps failing gives up after that. */
  maxDeliver?: number;
  /** Unacknowledged messages at most across all subscribers of the durable (default 1000). */
  maxAckPending?: number;
  /** Told about every terminated message and skipped invalid item; default `console.warn`. */
  logger?: ConsumerLogger;
  /** Contract-invalid items of a well-formed message: `'skip'` (default), `'term'` or a callback ({@link OnInvalid}). */
  onInvalid?: OnInvalid;
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

/** An existing durable that cannot be used as this SDK would have created it; names the difference. */
export class DurableMismatchError extends Error {
  override readonly name = 'DurableMismatchError';

  constructor(
    readonly stream: string,
    readonly durable: string,
    /** The consumer setting that differs (`filter_subject`, `ack_policy`). */
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `durable ${durable} on ${stream} already exists with ${field} ${actual}, not ${expected}: choose another durable name or delete it`,
    );
  }
}

const DEFAULTS = { ackWaitMs: 30_000, maxDeliver: 5, maxAckPending: 1000 } as const;
/** How long one pull waits on the server for a message before it is renewed. */
const PULL_EXPIRES_MS = 5000;
/** The shortest period of the "still working" signal. */
const MIN_HEARTBEAT_MS = 100;

const isNotFound = (error: unknown): boolean => /not found/i.test(String((error as Error)?.message ?? error));

/** The options without the keys set to `undefined`, so that they do not hide the defaults. */
const defined = <T extends object>(options: T): Partial<T> =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;

/** How a TypedConsumer turns a message into items. */
export type MessageDecoder<T> = (message: JsMsg, names: ResolvedNames) => Decoded<T>;

export interface TypedConsumerOptions {
  logger: ConsumerLogger;
  onInvalid: OnInvalid;
}

/**
 * A durable JetStream consumer whose messages are validated with the Matrix contracts and iterated as
 * typed values. A message is acknowledged when the loop body has finished for its last item (a
 * SENSOR_DATA message carries several points); while the body runs the server is told it is still
 * being worked on, every half of the durable's ack wait. If the body throws or the loop is left with
 * `break`, the message being worked on is negatively acknowledged and comes back (on this or another
 * subscriber), up to `maxDeliver` times: a for-await loop tells its iterator the same about `break` and
 * a throw, so a `break` in the body of a message's last item naks it too. A message whose body is not JSON
 * or not of the right shape (or that the decoder fails on) is terminated (never redelivered) and logged
 * with the reason; contract-invalid items of a well-formed message go to `onInvalid`. One loop at a time
 * per instance; `close()` ends it.
 */
export class TypedConsumer<T> implements AsyncIterable<T> {
  private running = false;
  private readonly stop = new AbortController();
  private ackWait: number | undefined;

  constructor(
    private readonly nc: NatsConnection,
    readonly names: ResolvedNames,
    private readonly decode: MessageDecoder<T>,
    private readonly options: TypedConsumerOptions,
  ) {}

  /** The JetStream stream and durable consumer this reads. */
  get stream(): string {
    return this.names.stream;
  }

  get durable(): string {
    return this.names.durable;
  }

  /** The bound durable's ack wait in ms, as the server has it (known once a loop started). */
  get ackWaitMs(): number | undefined {
    return this.ackWait;
  }

  /** @internal How many listeners wait on the stop signal: at most one, whatever the number of messages. */
  get stopListeners(): number {
    return getEventListeners(this.stop.signal, 'abort').length;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.run();
  }

  /**
   * Ends the loop: at once when it waits for a message, else once the current message's remaining items
   * are done (the message is then acknowledged). Unlike `break`, which naks the current message.
   */
  close(): void {
    this.stop.abort();
  }

  /** A promise of the stop signal for one pull, and the removal of its listener once the pull is over. */
  private stopped(): { promise: Promise<null>; dispose: () => void } {
    const { signal } = this.stop;
    let onAbort: () => void = () => undefined;
    const promise = new Promise<null>((resolve) => {
      onAbort = () => resolve(null);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
  }

  private warn(message: JsMsg, what: string, reason: string): void {
    const { stream, durable } = this.names;
    this.options.logger.warn(
      `${what} ${stream} #${message.seq} on ${message.subject} (${durable}): ${reason}`,
    );
  }

  /** The message's items to yield, or undefined when the message was terminated. Throws when `onInvalid` does. */
  private async itemsOf(message: JsMsg): Promise<T[] | undefined> {
    let decoded: Decoded<T>;
    try {
      decoded = this.decode(message, this.names);
    } catch (error) {
      decoded = { ok: false, reason: `the decoder failed: ${(error as Error)?.message ?? String(error)}` };
    }
    if (!decoded.ok) {
      this.warn(message, 'terminated', decoded.reason);
      // No reason on the wire: nats-server 2.9 ignores `+TERM <reason>` (and then redelivers).
      message.term();
      return undefined;
    }
    if (decoded.invalid.length === 0) return decoded.items;
    const { onInvalid } = this.options;
    if (onInvalid === 'term') {
      const reasons = decoded.invalid.map((item) => `[${item.index}] ${item.reason}`);
      this.warn(message, 'terminated', reasons.join('; '));
      message.term();
      return undefined;
    }
    for (const item of decoded.invalid) {
      if (onInvalid === 'skip') {
        this.warn(message, `skipped invalid item [${item.index}] of`, item.reason);
      } else {
        await onInvalid({ ...item, ...delivered(message, this.names) });
      }
    }
    return decoded.items;
  }

  /*
   * One message is pulled at a time (`next()`), not a buffer ahead (`consume()`): a message nak'ed when
   * the loop is left must find no pull request of this loop still open on the server, or nats-server 2.9
   * would hand it straight back to that request and it would only return after the ack wait.
   */
  private async *run(): AsyncGenerator<T> {
    if (this.running) throw new Error('this consumer is already being iterated');
    this.running = true;
    let working: { message: JsMsg; heartbeat: NodeJS.Timeout } | undefined;
    try {
      const consumer = await jetstream(this.nc).consumers.get(this.names.stream, this.names.durable);
      // The durable's own ack wait: it may have been created by another caller, with another one.
      // (nats-server reports it always; its own default is 30 s.)
      const ackWait = millis((await consumer.info(true)).config.ack_wait ?? nanos(30_000));
      this.ackWait = ackWait;
      const period = Math.max(MIN_HEARTBEAT_MS, ackWait / 2);
      while (!this.stop.signal.aborted) {
        const pulling = consumer.next({ expires: PULL_EXPIRES_MS });
        const stop = this.stopped();
        let message: JsMsg | null;
        try {
          message = await Promise.race([pulling, stop.promise]);
        } finally {
          stop.dispose();
        }
        if (this.stop.signal.aborted) {
          // A message that arrives for the abandoned pull goes back at once.
          void pulling.then((late) => late?.nak()).catch(() => undefined);
          if (message) message.nak();
          break;
        }
        if (!message) continue;
        const heartbeat = setInterval(() => message.working(), period);
        heartbeat.unref();
        working = { message, heartbeat };
        const items = await this.itemsOf(message);
        if (items === undefined) {
          clearInterval(heartbeat);
          working = undefined;
          continue;
        }
        for (const item of items) yield item;
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
  decode: MessageDecoder<T>,
): Promise<TypedConsumer<T>> {
  const names = resolveNames(kind, options.subject, options.durable, options.namespace);
  const settings = { ...DEFAULTS, ...defined(options) };
  const jsm = await jetstreamManager(nc);
  const existing = await jsm.consumers.info(names.stream, names.durable).catch((error: unknown) => {
    if (isNotFound(error)) return undefined;
    throw error;
  });
  if (existing && existing.config.filter_subject !== names.filterSubject) {
    throw new DurableMismatchError(
      names.stream,
      names.durable,
      'filter_subject',
      names.filterSubject,
      existing.config.filter_subject ?? '(none)',
    );
  }
  if (existing && existing.config.ack_policy !== AckPolicy.Explicit) {
    // Without explicit acks the server forgets a message on delivery (none) or on a later ack (all):
    // a failing loop body could not have it redelivered.
    throw new DurableMismatchError(
      names.stream,
      names.durable,
      'ack_policy',
      AckPolicy.Explicit,
      String(existing.config.ack_policy),
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
    logger: options.logger ?? { warn: (message) => console.warn(message) },
    onInvalid: options.onInvalid ?? 'skip',
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
    const items = decoded.items.map((event) => ({ event, ...delivered(message, names) }));
    return { ok: true, items, invalid: decoded.invalid };
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
    const items = decoded.items.map((item) => ({ ...item, ...delivered(message, names) }));
    return { ok: true, items, invalid: decoded.invalid };
  });
}
