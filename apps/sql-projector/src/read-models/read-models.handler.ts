import { Injectable } from '@nestjs/common';
import { type MatrixEventV1, validateMatrixEvent } from '@matrix/contracts';
import {
  ConsumeBatch,
  type HandlerOutcome,
  type InboundMessage,
  type MessageDecoder,
  Outcome,
  PrincipalDirectory,
  RetryableError,
  SQL_PROJECTOR_READ_MODELS,
} from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { eventPlace, eventProblem } from '../matrix-events/matrix-event-row';
import { followsEvent, newestChanges, readModelChanges, type ReadModelChange } from './read-model-change';
import { ReadModelsRepository } from './read-models.repository';

export const READ_MODELS_BATCH = { maxMessages: 256, maxWaitMs: 50, concurrency: 1 } as const;

/**
 * Every MATRIX_EVENTS message reaches the handler: one that is not a MatrixEventV1 is `null` and acked,
 * because the `sql-projector-matrix-events` consumer already dead-letters it with the reason (two dead
 * letters of one message would be re-driven twice).
 */
export const decodeReadModelEvent: MessageDecoder<MatrixEventV1 | null> = (json) => {
  const result = validateMatrixEvent(json);
  return { ok: true, value: result.ok && eventProblem(result.value) === undefined ? result.value : null };
};

/**
 * Keeps the event-fed read models (`matrix.zones`, `levels`, `incidents`, `tasks`, `shifts`) from
 * MATRIX_EVENTS through its own durable consumer, in batches: each batch is one transaction, one upsert
 * per table, and a row changes only when the event is newer than the version it holds, so redeliveries,
 * replays and late events are harmless (at-least-once in, idempotent rows). Events no read model follows
 * are acked; a followed event whose `Meta` cannot be read is dead-lettered naming the field. The
 * database down → the batch throws and is retried with the consumer's backoff.
 */
@Injectable()
export class ReadModelsHandler {
  private readonly events: Counter<'outcome'>;

  constructor(
    private readonly repository: ReadModelsRepository,
    private readonly principals: PrincipalDirectory,
    metrics: MetricsService,
  ) {
    this.events = metrics.counter({
      name: 'matrix_projector_read_model_events_total',
      help: 'Events read by the read-model projection, by outcome (applied, ignored, refused)',
      labelNames: ['outcome'],
    });
  }

  @ConsumeBatch(SQL_PROJECTOR_READ_MODELS, { decode: decodeReadModelEvent, ...READ_MODELS_BATCH })
  async handle(messages: InboundMessage<MatrixEventV1 | null>[]): Promise<HandlerOutcome[]> {
    const followed = messages.filter(
      (message): message is InboundMessage<MatrixEventV1> =>
        message.data !== null && followsEvent(message.data.Module, message.data.Event),
    );
    await this.prefetch(followed.map((message) => message.data));
    const lookup = (key: string) => this.principals.resolve(key);
    const changes: ReadModelChange[] = [];
    const outcomes = messages.map((message): HandlerOutcome => {
      const event = message.data;
      if (event === null || !followsEvent(event.Module, event.Event)) {
        this.events.inc({ outcome: 'ignored' });
        return Outcome.skipped('no read model follows this event');
      }
      const result = readModelChanges(event, message.streamSequence, eventPlace(event, lookup));
      if (!result.ok) {
        this.events.inc({ outcome: 'refused' });
        return Outcome.rejected(`${event.Event} cannot change a read model: ${result.error}`);
      }
      changes.push(...result.changes);
      this.events.inc({ outcome: 'applied' });
      return Outcome.done();
    });
    await this.repository.applyEvents(newestChanges(changes));
    return outcomes;
  }

  /** The directory must place every followed event whose own fields do not name its property. */
  private async prefetch(events: readonly MatrixEventV1[]): Promise<void> {
    const keys = new Set(events.filter((event) => event.EType !== 'property').map((e) => e.Principal));
    if (keys.size === 0) return;
    await this.principals.prefetch(keys);
    if (!this.principals.loaded && [...keys].some((key) => this.principals.resolve(key) === undefined)) {
      throw new RetryableError(
        `the principal directory is not loaded: ${this.principals.problem ?? 'starting'}`,
      );
    }
  }
}
