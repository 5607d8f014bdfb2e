import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsClient } from '../connection/nats-client';
import type { DeadLetterPublisher } from '../dead-letter/dead-letter-publisher';
import { HEADER } from '../publisher/message-headers';
import type { ConsumerSpec } from '../topology/topology.types';
import type { InboundMessage, MessageDecoder } from './inbound-message';
import { RetryableError, type HandlerOutcome } from './outcome';
import { KeyedQueue } from './keyed-queue';

export interface ConsumerRegistration<T> {
  spec: ConsumerSpec;
  decode: MessageDecoder<T>;
  handle: (message: InboundMessage<T>) => Promise<HandlerOutcome>;
  /** Messages handled at once (different ordering keys only). */
  concurrency?: number;
  /** Messages with the same key are handled one after another, in stream order. Default: the subject. */
  orderingKey?: (subject: string) => string;
}

export interface ConsumerLogger {
  log(message: string, context?: string): void;
  warn(message: string, context?: string): void;
  error(message: string, context?: string): void;
  debug?(message: string, context?: string): void;
}

export interface ConsumerMetrics {
  outcome(consumer: string, outcome: string, seconds: number): void;
}

const decoder = new TextDecoder();

/**
 * Pulls from one durable consumer and maps each handler outcome to an acknowledgement:
 * done/skipped → ack; retry or a thrown error → nak after the backoff step, or the dead-letter stream on
 * the last delivery; rejected or undecodable → dead-letter stream with the reason, then term.
 * The pull loop re-establishes itself after errors until `stop()`; `stop()` stops pulling, hands back
 * buffered messages and waits for in-flight handlers, so shutdown loses nothing.
 */
export class ConsumerRunner<T> {
  private messages?: ConsumerMessages;
  private stopping = false;
  private loop?: Promise<void>;
  private readonly queue: KeyedQueue;
  private readonly name: string;
  private failure?: string;

  constructor(
    private readonly client: NatsClient,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly registration: ConsumerRegistration<T>,
    private readonly logger: ConsumerLogger,
    private readonly metrics?: ConsumerMetrics,
  ) {
    this.queue = new KeyedQueue(registration.concurrency ?? 16);
    this.name = client.namespace.durable(registration.spec.durable);
  }

  /** Why the consumer is not pulling right now (e.g. its stream is not provisioned), if so. */
  get problem(): string | undefined {
    return this.failure;
  }

  get durableName(): string {
    return this.name;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    await this.loop;
    await this.queue.idle();
  }

  private async run(): Promise<void> {
    const stream = this.client.namespace.stream(this.registration.spec.stream);
    let pause = 500;
    while (!this.stopping) {
      try {
        const consumer = await this.client.js.consumers.get(stream, this.name);
        this.messages = await consumer.consume({ max_messages: Math.max(this.queue.capacity * 2, 32) });
        this.failure = undefined;
        pause = 500;
        if (this.stopping) break;
        for await (const message of this.messages) {
          if (this.stopping) {
            message.nak();
            continue;
          }
          await this.queue.push(this.keyOf(message), () => this.process(message));
        }
      } catch (error) {
        if (this.stopping) break;
        this.failure = `${stream}/${this.name}: ${(error as Error).message}`;
        this.logger.warn(
          `consumer ${this.failure}; retrying in ${pause} ms (is the topology provisioned?)`,
          'Consumer',
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 15000);
      }
    }
  }

  private keyOf(message: JsMsg): string {
    const subject = this.client.namespace.strip(message.subject);
    return this.registration.orderingKey ? this.registration.orderingKey(subject) : subject;
  }

  private async process(message: JsMsg): Promise<void> {
    const started = process.hrtime.bigint();
    const outcome = await this.outcomeOf(message);
    const label = await this.settle(message, outcome);
    this.metrics?.outcome(
      this.registration.spec.durable,
      label,
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  }

  private async outcomeOf(message: JsMsg): Promise<HandlerOutcome> {
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(message.data));
    } catch (error) {
      return { kind: 'rejected', reason: `body is not JSON: ${(error as Error).message}` };
    }
    const subject = this.client.namespace.strip(message.subject);
    const decoded = this.registration.decode(json, subject);
    if (!decoded.ok) return { kind: 'rejected', reason: `invalid message: ${decoded.errors.join('; ')}` };
    const headers: Record<string, string> = {};
    for (const [key, values] of message.headers ?? []) headers[key] = values[values.length - 1] ?? '';
    const inbound: InboundMessage<T> = {
      subject,
      data: decoded.value,
      raw: message.data,
      headers,
      msgId: headers['Nats-Msg-Id'],
      correlationId: headers[HEADER.correlationId],
      streamSequence: message.seq,
      deliveryCount: message.info.deliveryCount,
      isLastDelivery: message.info.deliveryCount >= this.registration.spec.maxDeliver,
      storedAt: message.time,
      working: () => message.working(),
    };
    try {
      return await this.registration.handle(inbound);
    } catch (error) {
      const reason = `${(error as Error).name}: ${(error as Error).message}`;
      return error instanceof RetryableError
        ? { kind: 'retry', reason, delayMs: error.delayMs }
        : { kind: 'retry', reason };
    }
  }

  private async settle(message: JsMsg, outcome: HandlerOutcome): Promise<string> {
    const { spec } = this.registration;
    const deliveries = message.info.deliveryCount;
    switch (outcome.kind) {
      case 'done':
        message.ack();
        return 'done';
      case 'skipped':
        this.logger.debug?.(`skipped ${message.subject}#${message.seq}: ${outcome.reason}`, this.name);
        message.ack();
        return 'skipped';
      case 'retry': {
        if (deliveries >= spec.maxDeliver) {
          return this.deadLetter(message, `gave up after ${deliveries} deliveries: ${outcome.reason}`);
        }
        const delay =
          outcome.delayMs ?? spec.backoffMs[Math.min(deliveries - 1, spec.backoffMs.length - 1)] ?? 0;
        this.logger.warn(
          `retrying ${message.subject}#${message.seq} in ${delay} ms (delivery ${deliveries}/${spec.maxDeliver}): ${outcome.reason}`,
          this.name,
        );
        message.nak(delay);
        return 'retry';
      }
      case 'rejected':
        return this.deadLetter(message, outcome.reason);
    }
  }

  private async deadLetter(message: JsMsg, reason: string): Promise<string> {
    try {
      await this.deadLetters.publish({
        wireSubject: message.subject,
        data: message.data,
        headers: message.headers,
        stream: message.info.stream,
        sequence: message.seq,
        consumer: message.info.consumer,
        deliveries: message.info.deliveryCount,
        reason,
      });
      message.term();
      this.logger.warn(`dead-lettered ${message.subject}#${message.seq}: ${reason}`, this.name);
      return 'dead_lettered';
    } catch (error) {
      // The dead-letter stream did not take it: keep the message and try again later rather than lose it.
      this.logger.error(
        `could not dead-letter ${message.subject}#${message.seq}: ${(error as Error).message}`,
        this.name,
      );
      message.nak(this.registration.spec.backoffMs[0] ?? 1000);
      return 'retry';
    }
  }
}
