import type { JsMsg } from '@nats-io/jetstream';
import type { NatsClient } from '../connection/nats-client';
import type { DeadLetterPublisher } from '../dead-letter/dead-letter-publisher';
import type { ConsumerSpec } from '../topology/topology.types';
import type { InboundMessage, MessageDecoder } from './inbound-message';
import type { HandlerOutcome } from './outcome';
import { KeyedQueue } from './keyed-queue';
import {
  MessageSettler,
  decodeInbound,
  outcomeOfError,
  type ConsumerLogger,
  type ConsumerMetrics,
} from './message-settlement';
import { PullConsumer } from './pull-consumer';

export type { ConsumerLogger, ConsumerMetrics } from './message-settlement';

export interface ConsumerRegistration<T> {
  spec: ConsumerSpec;
  decode: MessageDecoder<T>;
  handle: (message: InboundMessage<T>) => Promise<HandlerOutcome>;
  /** Messages handled at once (different ordering keys only). */
  concurrency?: number;
  /** Messages with the same key are handled one after another, in stream order. Default: the subject. */
  orderingKey?: (subject: string) => string;
}

/**
 * Pulls from one durable consumer and maps each handler outcome to an acknowledgement:
 * done/skipped → ack; retry or a thrown error → nak after the backoff step, or the dead-letter stream on
 * the last delivery; rejected or undecodable → dead-letter stream with the reason, then term.
 * The pull loop re-establishes itself after errors until `stop()`; `stop()` stops pulling, hands back
 * buffered messages and waits for in-flight handlers, so shutdown loses nothing.
 */
export class ConsumerRunner<T> extends PullConsumer {
  private readonly queue: KeyedQueue;
  private readonly settler: MessageSettler;

  constructor(
    client: NatsClient,
    deadLetters: DeadLetterPublisher,
    private readonly registration: ConsumerRegistration<T>,
    logger: ConsumerLogger,
    private readonly metrics?: ConsumerMetrics,
  ) {
    super(client, registration.spec, logger);
    this.queue = new KeyedQueue(registration.concurrency ?? 16);
    this.settler = new MessageSettler(deadLetters, registration.spec, this.name, logger);
  }

  protected get pullBuffer(): number {
    return Math.max(this.queue.capacity * 2, 32);
  }

  protected take(message: JsMsg): Promise<void> {
    return this.queue.push(this.keyOf(message), () => this.process(message));
  }

  protected finish(): Promise<void> {
    return this.queue.idle();
  }

  private keyOf(message: JsMsg): string {
    const subject = this.client.namespace.strip(message.subject);
    return this.registration.orderingKey ? this.registration.orderingKey(subject) : subject;
  }

  private async process(message: JsMsg): Promise<void> {
    const started = process.hrtime.bigint();
    const outcome = await this.outcomeOf(message);
    const label = await this.settler.settle(message, outcome);
    this.metrics?.outcome(
      this.registration.spec.durable,
      label,
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }

  private async outcomeOf(message: JsMsg): Promise<HandlerOutcome> {
    const decoded = decodeInbound(this.client, this.spec, this.registration.decode, message);
    if (!decoded.ok) return decoded.outcome;
    try {
      return await this.registration.handle(decoded.message);
    } catch (error) {
      return outcomeOfError(error);
    }
  }
}
