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
  SQL_PROJECTOR_MATRIX_EVENTS,
} from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { projectionLag } from '../projection-lag';
import { eventMsgId, eventPlace, eventProblem, matrixEventRow } from './matrix-event-row';
import { MatrixEventsRepository } from './matrix-events.repository';

/** Messages (one event each) taken at once, and how long the first waits for more. */
export const MATRIX_EVENTS_BATCH = { maxMessages: 256, maxWaitMs: 50, concurrency: 1 } as const;

/**
 * A MATRIX_EVENTS message is one MatrixEventV1 whose routing key agrees with its fields; anything else
 * is dead-lettered with the reason (the contract's field errors, or the disagreement).
 */
export const decodeMatrixEventRow: MessageDecoder<MatrixEventV1> = (json) => {
  const result = validateMatrixEvent(json);
  if (!result.ok) return result;
  const problem = eventProblem(result.value);
  return problem === undefined ? result : { ok: false, errors: [problem] };
};

/**
 * Consumes MATRIX_EVENTS into `matrix.events` in batches, one row per event keyed by its message id
 * (`eventMsgId`), so a redelivery, a replay or a republish of the same event adds nothing. Building and
 * property come from the event's own fields, else from the PRINCIPALS directory (`eventPlace`). A message
 * is settled by its row: inserted → ack; already there → ack (skipped); PostgreSQL refuses it →
 * dead-lettered with the reason. A batch the database cannot take (it is down) throws, so every message
 * is retried with the consumer's backoff and dead-lettered only after its last delivery.
 */
@Injectable()
export class MatrixEventsHandler {
  private readonly rows: Counter<'outcome'>;
  private readonly lag: ReturnType<typeof projectionLag>;

  constructor(
    private readonly repository: MatrixEventsRepository,
    private readonly principals: PrincipalDirectory,
    metrics: MetricsService,
  ) {
    this.rows = metrics.counter({
      name: 'matrix_projector_event_rows_total',
      help: 'Matrix event rows, by outcome (inserted, duplicate, refused)',
      labelNames: ['outcome'],
    });
    this.lag = projectionLag(metrics, 'matrix_events');
  }

  @ConsumeBatch(SQL_PROJECTOR_MATRIX_EVENTS, { decode: decodeMatrixEventRow, ...MATRIX_EVENTS_BATCH })
  async handle(messages: InboundMessage<MatrixEventV1>[]): Promise<HandlerOutcome[]> {
    const keys = new Set<string>();
    for (const { data } of messages) {
      keys.add(data.Principal);
      if (data.EType === 'building' && data.Entity) keys.add(data.Entity);
      if (typeof data.Meta['PID'] === 'string') keys.add(data.Meta['PID']);
    }
    await this.principals.prefetch(keys);
    if (!this.principals.loaded && [...keys].some((key) => this.principals.resolve(key) === undefined)) {
      // A row's property would stay empty for good (rows are written once): retried instead.
      throw new RetryableError(
        `the principal directory is not loaded: ${this.principals.problem ?? 'starting'}`,
      );
    }
    const lookup = (key: string) => this.principals.resolve(key);
    const rows = messages.map((message) =>
      matrixEventRow(
        eventMsgId(message.msgId, message.subject, message.raw),
        message.streamSequence,
        message.data,
        eventPlace(message.data, lookup),
      ),
    );
    const results = await this.repository.write(rows);
    this.lag(messages);
    return results.map((result) => {
      this.rows.inc({ outcome: result.kind });
      if (result.kind === 'refused') return Outcome.rejected(result.reason);
      if (result.kind === 'inserted') return Outcome.done();
      return Outcome.skipped('event already projected');
    });
  }
}
