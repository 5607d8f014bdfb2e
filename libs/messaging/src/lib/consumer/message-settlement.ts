import type { JsMsg } from '@nats-io/jetstream';
import { HEADER } from '@matrix/contracts';
import type { NatsClient } from '../connection/nats-client';
import type { DeadLetterKind, DeadLetterPublisher } from './dead-letter-publisher';
import type { ConsumerSpec } from '../topology/topology.types';
import type { InboundMessage, MessageDecoder } from './inbound-message';
import { RetryableError, type HandlerOutcome } from './outcome';

export interface ConsumerLogger {
  log(message: string, context?: string): void;
  warn(message: string, context?: string): void;
  error(message: string, context?: string): void;
  debug?(message: string, context?: string): void;
}

export interface ConsumerMetrics {
  outcome(consumer: string, outcome: string, seconds: number): void;
  /** Messages in one batch handed to a `@ConsumeBatch` handler (after undecodable ones were set aside). */
  batch?(consumer: string, size: number): void;
}

const textDecoder = new TextDecoder();

/** A message turned into what its handler sees, or the outcome that settles it without the handler. */
export type DecodedMessage<T> =
  | { readonly ok: true; readonly message: InboundMessage<T> }
  | { readonly ok: false; readonly outcome: HandlerOutcome };

/** Parses and decodes one JetStream message; a body that is not JSON or fails `decode` is `rejected`. */
export function decodeInbound<T>(
  client: NatsClient,
  spec: ConsumerSpec,
  decode: MessageDecoder<T>,
  message: JsMsg,
): DecodedMessage<T> {
  let json: unknown;
  try {
    json = JSON.parse(textDecoder.decode(message.data));
  } catch (error) {
    return {
      ok: false,
      outcome: { kind: 'rejected', reason: `body is not JSON: ${(error as Error).message}` },
    };
  }
  const subject = client.namespace.strip(message.subject);
  const decoded = decode(json, subject);
  if (!decoded.ok) {
    return {
      ok: false,
      outcome: { kind: 'rejected', reason: `invalid message: ${decoded.errors.join('; ')}` },
    };
  }
  const headers: Record<string, string> = {};
  for (const [key, values] of message.headers ?? []) headers[key] = values[values.length - 1] ?? '';
  return {
    ok: true,
    message: {
      subject,
      data: decoded.value,
      raw: message.data,
      headers,
      msgId: headers['Nats-Msg-Id'],
      correlationId: headers[HEADER.correlationId],
      streamSequence: message.seq,
      deliveryCount: message.info.deliveryCount,
      isLastDelivery: message.info.deliveryCount >= spec.maxDeliver,
      storedAt: message.time,
      working: () => message.working(),
    },
  };
}

/** What a thrown handler error means: a retry, after `RetryableError.delayMs` or the consumer's backoff. */
export function outcomeOfError(error: unknown): HandlerOutcome {
  const reason = `${(error as Error).name}: ${(error as Error).message}`;
  return error instanceof RetryableError
    ? { kind: 'retry', reason, delayMs: error.delayMs }
    : { kind: 'retry', reason };
}

/**
 * Maps one outcome to an acknowledgement of one message: done/skipped → ack; retry → nak after the
 * backoff step, or the dead-letter stream on the last delivery; rejected → dead-letter stream, then term.
 * Returns the outcome label for metrics.
 */
export class MessageSettler {
  constructor(
    private readonly deadLetters: DeadLetterPublisher,
    private readonly spec: ConsumerSpec,
    private readonly name: string,
    private readonly logger: ConsumerLogger,
  ) {}

  /** `quiet`: the caller already logged why (one line for a whole failed batch), so retries are not logged. */
  async settle(message: JsMsg, outcome: HandlerOutcome, { quiet = false } = {}): Promise<string> {
    const { spec } = this;
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
          return this.deadLetter(
            message,
            `gave up after ${deliveries} deliveries: ${outcome.reason}`,
            'retries_exhausted',
          );
        }
        const delay =
          outcome.delayMs ?? spec.backoffMs[Math.min(deliveries - 1, spec.backoffMs.length - 1)] ?? 0;
        if (!quiet) {
          this.logger.warn(
            `retrying ${message.subject}#${message.seq} in ${delay} ms (delivery ${deliveries}/${spec.maxDeliver}): ${outcome.reason}`,
            this.name,
          );
        }
        message.nak(delay);
        return 'retry';
      }
      case 'rejected':
        return this.deadLetter(message, outcome.reason, 'rejected');
    }
  }

  private async deadLetter(message: JsMsg, reason: string, kind: DeadLetterKind): Promise<string> {
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
        kind,
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
      message.nak(this.spec.backoffMs[0] ?? 1000);
      return 'retry';
    }
  }
}
