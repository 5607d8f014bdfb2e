import type { JsMsg } from '@nats-io/jetstream';
import {
  extractTraceContext,
  SpanKind,
  SpanStatusCode,
  startBatchSpan,
  tracingEnabled,
  withContext,
  type Span,
} from '@matrix/platform';
import type { NatsClient } from '../connection/nats-client';
import type { DeadLetterPublisher } from './dead-letter-publisher';
import type { ConsumerSpec } from '../topology/topology.types';
import { BatchAssembler } from './batch-assembler';
import type { ConsumerGate } from './consumer-gate';
import type { InboundMessage, MessageDecoder } from './inbound-message';
import type { HandlerOutcome } from './outcome';
import {
  MessageSettler,
  decodeInbound,
  outcomeOfError,
  type ConsumerLogger,
  type ConsumerMetrics,
} from './message-settlement';
import { PullConsumer } from './pull-consumer';

/** Handles the decoded messages of one batch (stream order) and returns one outcome per message, same order. */
export type BatchHandler<T> = (messages: InboundMessage<T>[]) => Promise<readonly HandlerOutcome[]>;

/**
 * A batch handler that handles each message of a batch on its own, side by side, with `handle`: an error
 * it throws becomes the retry outcome of that message only.
 */
export function eachMessage<T>(
  handle: (message: InboundMessage<T>) => Promise<HandlerOutcome>,
): BatchHandler<T> {
  return (messages) =>
    Promise.all(messages.map((message) => handle(message).catch((error: unknown) => outcomeOfError(error))));
}

export interface BatchConsumerRegistration<T> {
  spec: ConsumerSpec;
  decode: MessageDecoder<T>;
  handle: BatchHandler<T>;
  /** A batch is handed over when it holds this many messages… */
  maxMessages: number;
  /** …or this long after its first message arrived. */
  maxWaitMs: number;
  /** Batches handled at once. Default 1: one batch after another, in stream order. */
  concurrency?: number;
  /** When set, the consumer pulls only while the gate is open (see ConsumerGate). */
  gate?: ConsumerGate;
}

const OUTCOME_KINDS = new Set(['done', 'skipped', 'retry', 'rejected']);

/**
 * Runs a batch handler and checks its answer: one valid outcome per message. A thrown error, or an
 * answer of the wrong shape, becomes the same retry outcome for every message of the batch.
 */
export async function outcomesOfBatch<T>(
  handle: BatchHandler<T>,
  messages: InboundMessage<T>[],
): Promise<{ outcomes: HandlerOutcome[]; failure?: string }> {
  try {
    const result: unknown = await handle(messages);
    if (!Array.isArray(result) || result.length !== messages.length) {
      throw new TypeError(
        `the batch handler returned ${Array.isArray(result) ? `${result.length} outcomes` : String(result)} for ${messages.length} messages`,
      );
    }
    const invalid = result.findIndex(
      (outcome: unknown) => !OUTCOME_KINDS.has((outcome as HandlerOutcome | undefined)?.kind ?? ''),
    );
    if (invalid >= 0) {
      throw new TypeError(`the batch handler returned no valid outcome for message ${invalid}`);
    }
    return { outcomes: result as HandlerOutcome[] };
  } catch (error) {
    const outcome = outcomeOfError(error);
    return { outcomes: messages.map(() => outcome), failure: (outcome as { reason: string }).reason };
  }
}

/**
 * The consumer runtime (ADR-2, ADR-17): pulls from one durable consumer into batches (flushed at
 * `maxMessages` or `maxWaitMs` after the first message; `maxMessages: 1` hands over one message at a time)
 * and settles every message of a batch by its own outcome: done/skipped → ack; retry → nak after the
 * backoff step of that message's delivery, or its dead letter on its last delivery; rejected → dead
 * letter, then term. Undecodable messages are
 * dead-lettered one by one and never reach the handler; a thrown handler error retries every message of
 * the batch. `stop()` stops pulling, naks what is still being assembled and waits for the batches in
 * flight, so shutdown loses nothing.
 */
export class BatchConsumerRunner<T> extends PullConsumer {
  private readonly assembler: BatchAssembler<JsMsg>;
  private readonly settler: MessageSettler;

  constructor(
    client: NatsClient,
    deadLetters: DeadLetterPublisher,
    private readonly registration: BatchConsumerRegistration<T>,
    logger: ConsumerLogger,
    private readonly metrics?: ConsumerMetrics,
  ) {
    super(client, registration.spec, logger, registration.gate);
    const { spec, maxMessages } = registration;
    if (maxMessages > spec.maxAckPending) {
      throw new RangeError(
        `maxMessages (${maxMessages}) of ${spec.durable} exceeds its maxAckPending (${spec.maxAckPending}): a batch could never fill`,
      );
    }
    this.settler = new MessageSettler(deadLetters, spec, this.name, logger);
    this.assembler = new BatchAssembler<JsMsg>(
      registration,
      (batch) => this.process(batch),
      (messages) => messages.forEach((message) => message.nak()),
    );
  }

  protected get pullBuffer(): number {
    const { maxMessages, concurrency = 1, spec } = this.registration;
    return Math.min(spec.maxAckPending, Math.max(maxMessages * (concurrency + 1), 32));
  }

  protected take(message: JsMsg): Promise<void> {
    return this.assembler.add(message);
  }

  protected finish(): Promise<void> {
    return this.assembler.close();
  }

  private async process(batch: JsMsg[]): Promise<void> {
    const started = process.hrtime.bigint();
    const outcomes = new Array<HandlerOutcome>(batch.length);
    const decoded: InboundMessage<T>[] = [];
    const positions: number[] = [];
    batch.forEach((message, i) => {
      const result = decodeInbound(this.client, this.spec, this.registration.decode, message);
      if (result.ok) {
        decoded.push(result.message);
        positions.push(i);
      } else {
        outcomes[i] = result.outcome;
      }
    });
    let failure: string | undefined;
    let span: Span | undefined;
    if (decoded.length > 0) {
      this.metrics?.batch?.(this.spec.durable, decoded.length);
      let handled: { outcomes: HandlerOutcome[]; failure?: string };
      if (tracingEnabled()) {
        // One CONSUMER span per batch: a child of the first sampled message's publish, linked to the others'.
        const traced = startBatchSpan(
          `process ${this.spec.durable}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              'messaging.system': 'nats',
              'messaging.operation.type': 'process',
              'messaging.consumer.group.name': this.spec.durable,
              'messaging.destination.name': decoded[0]!.subject,
            },
          },
          decoded.map((message) => extractTraceContext(message.headers)),
        );
        span = traced.span;
        handled = await withContext(traced.context, () => outcomesOfBatch(this.registration.handle, decoded));
      } else {
        handled = await outcomesOfBatch(this.registration.handle, decoded);
      }
      handled.outcomes.forEach((outcome, j) => (outcomes[positions[j]!] = outcome));
      failure = handled.failure;
      if (span && failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    }
    if (failure !== undefined) {
      const first = batch[positions[0]!]!;
      this.logger.warn(
        `batch of ${decoded.length} messages from ${first.subject}#${first.seq} failed, each is retried or dead-lettered on its own: ${failure}`,
        this.name,
      );
    }
    const labels = await Promise.all(
      batch.map(async (message, i) => {
        const label = await this.settler.settle(message, outcomes[i]!, { quiet: failure !== undefined });
        this.metrics?.outcome(this.spec.durable, label, Number(process.hrtime.bigint() - started) / 1e9);
        return label;
      }),
    );
    if (span) {
      const counts: Record<string, number> = {};
      for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
      for (const [label, n] of Object.entries(counts)) span.setAttribute(`matrix.outcome.${label}`, n);
      span.end();
    }
  }
}
