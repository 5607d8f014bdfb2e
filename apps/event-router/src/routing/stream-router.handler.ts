import { Injectable } from '@nestjs/common';
import {
  validateMatrixEvent,
  validateNormalisedPoint,
  validatePointList,
  type SubscriptionKind,
} from '@matrix/contracts';
import {
  ConsumeBatch,
  EVENT_ROUTER_MATRIX_EVENTS,
  EVENT_ROUTER_SENSOR_DATA,
  MATRIX_EVENTS,
  NatsClient,
  Outcome,
  SENSOR_DATA,
  type HandlerOutcome,
  type InboundMessage,
  type MessageDecoder,
} from '@matrix/messaging';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { PrincipalDirectory } from '@matrix/messaging';
import { RoutedLogWriter, type RoutedMessage } from './routed-log-writer';
import { RoutingLeadership } from './routing-leadership';
import { SubscriptionIndex } from './subscription-index';

/** Routed: the canonical JSON text of the message body and how many items (events, points) it holds. */
export interface RoutedBody {
  body: string;
  items: number;
}

export const decodeMatrixEvent: MessageDecoder<RoutedBody> = (json) => {
  const result = validateMatrixEvent(json);
  return result.ok ? { ok: true, value: { body: JSON.stringify(json), items: 1 } } : result;
};

/** A SENSOR_DATA message is a JSON array of points (one point object, from before batching, is refused). */
export const decodeSensorData: MessageDecoder<RoutedBody> = (json) => {
  const result = validatePointList(validateNormalisedPoint, json);
  if (!result.ok) return result;
  return { ok: true, value: { body: JSON.stringify(json), items: result.value.length } };
};

/** Messages per consumer batch, and how long the first waits for more (a latency cost on every event). */
const BATCH = { maxMessages: 500, maxWaitMs: 20, concurrency: 1 } as const;
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];
/** Only the replica that leads routing pulls from the streams (see RoutingLeadership). */
const leadership = (handler: StreamRouterHandler) => handler.leadership;

/**
 * The two durable consumers of the router, one per stream, whatever the number of subscriptions: each
 * batch of stream messages is matched against the pattern index and appended to the routed-message log
 * with the subscriptions each matched, in one statement, then acked. Batches are handled one at a time
 * (stream order is log order); when PostgreSQL fails, the handler keeps retrying the same batch (extending the ack
 * deadline) rather than letting later messages overtake it.
 */
@Injectable()
export class StreamRouterHandler {
  private readonly routed: Counter<'kind'>;
  private stopping = false;

  constructor(
    private readonly index: SubscriptionIndex,
    private readonly principals: PrincipalDirectory,
    readonly leadership: RoutingLeadership,
    private readonly log: RoutedLogWriter,
    private readonly nats: NatsClient,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
  ) {
    this.routed = metrics.counter({
      name: 'matrix_router_routed_total',
      help: 'Stream messages appended to the routed-message log, counted once per subscription they matched, by kind',
      labelNames: ['kind'],
    });
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  @ConsumeBatch(EVENT_ROUTER_MATRIX_EVENTS, { decode: decodeMatrixEvent, ...BATCH, gate: leadership })
  matrixEvents(messages: InboundMessage<RoutedBody>[]): Promise<HandlerOutcome[]> {
    return this.route('matrix-events', MATRIX_EVENTS.name, messages);
  }

  @ConsumeBatch(EVENT_ROUTER_SENSOR_DATA, { decode: decodeSensorData, ...BATCH, gate: leadership })
  sensorData(messages: InboundMessage<RoutedBody>[]): Promise<HandlerOutcome[]> {
    return this.route('sensor-data', SENSOR_DATA.name, messages);
  }

  private async route(
    kind: SubscriptionKind,
    stream: string,
    messages: InboundMessage<RoutedBody>[],
  ): Promise<HandlerOutcome[]> {
    await this.index.ready();
    // A principal the registry copy does not hold yet (e.g. a building created a moment ago) is read
    // first, when some subscription's scope depends on it.
    const unresolved = new Set<string>();
    for (const m of messages) {
      const principal = this.index.unresolved(kind, m.subject);
      if (principal !== undefined) unresolved.add(principal);
    }
    if (unresolved.size > 0) await this.principals.prefetch(unresolved);
    const routed: RoutedMessage[] = messages.map((m) => ({
      seq: m.streamSequence,
      subject: m.subject,
      body: m.data.body,
      items: m.data.items,
    }));
    const streamName = this.nats.namespace.stream(stream);
    for (let attempt = 0; ; attempt++) {
      try {
        const matched = await this.log.route(streamName, routed, (subject) =>
          this.index.match(kind, subject),
        );
        if (matched > 0) this.routed.inc({ kind }, matched);
        return messages.map(() => Outcome.done());
      } catch (error) {
        if (this.stopping) throw error;
        const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
        this.logger.warn(
          `could not route ${messages.length} ${kind} messages (retrying in ${delay} ms): ${(error as Error).message}`,
          'StreamRouter',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        for (const message of messages) message.working();
      }
    }
  }
}
