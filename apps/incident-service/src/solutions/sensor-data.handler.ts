import { Injectable } from '@nestjs/common';
import {
  decodeSubjectToken,
  type NormalisedSensorDataPointV1,
  parseDevType,
  readingIdsOf,
  unixMillis,
  validateNormalisedPoint,
  validatePointList,
} from '@matrix/contracts';
import {
  ConsumeBatch,
  type HandlerOutcome,
  type InboundMessage,
  INCIDENT_SERVICE_SENSOR_DATA,
  Outcome,
} from '@matrix/messaging';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { Clock } from '../clock/clock';
import type { SolutionReading } from './solution-engine';
import { RULES_OF_SLOT_TYPE } from './solution-params';
import { SolutionsLeadership } from './solutions-leadership';
import { SolutionsService, type AppliedBatch } from './solutions.service';

/**
 * Messages taken at once, how long the first waits for more, and batches in flight: a batch is applied in
 * memory and then waits for the checkpoint that commits its effect (SolutionsService, ADR-23: every
 * second), reporting its messages in progress meanwhile. What bounds the batches in flight is the
 * consumer's 6,000 unacked messages (INCIDENT_SERVICE_SENSOR_DATA), not their number: with a cap on the
 * number (64), small batches (100 ms of messages when the service is behind) filled it, the pull loop
 * stopped taking, and the messages the client library had already received waited there without an
 * in-progress report until JetStream delivered them again — six times, then dead-lettered.
 */
export const SOLUTION_BATCH = { maxMessages: 512, maxWaitMs: 100, concurrency: 6_000 } as const;
/** How often the messages of a batch waiting for its checkpoint are reported in progress (ack wait: 10 s). */
const IN_PROGRESS_EVERY_MS = 3000;
/** Longest a batch's messages are kept in progress (its writes time out after 30 s: SolutionsService). */
const MAX_IN_PROGRESS_MS = 60_000;
/** A batch held (or reaching the handler after) longer than this is logged. */
const SLOW_BATCH_MS = 15_000;
/** Only the replica that leads the solutions pulls from SENSOR_DATA (SolutionsLeadership). */
const leadership = (handler: SolutionSensorDataHandler) => handler.leadership;

/**
 * Consumes SENSOR_DATA (`incident-service-sensor-data`, all of `sensor.data.>`; the messages of slot types
 * no solution watches are acked by their subject, unread) on the replica that leads the solutions, and
 * applies each batch of the readings they watch (SolutionsService): acked once the checkpoint holding its
 * effect committed. Each point is keyed by its reading id (`Matrix-Reading-Ids`), which is what makes
 * redelivery, replay and redrive change nothing. A batch that cannot be applied (the database is down, a
 * checkpoint failed) throws: every message is retried with the consumer's backoff (or sooner, when only the
 * state it was applied to had to be read again) and dead-lettered on its last delivery.
 */
@Injectable()
export class SolutionSensorDataHandler {
  private readonly readings: Counter<'outcome'>;
  private readonly raised: Counter<'rule' | 'created'>;

  constructor(
    private readonly solutions: SolutionsService,
    readonly leadership: SolutionsLeadership,
    private readonly clock: Clock,
    metrics: MetricsService,
    private readonly logger?: JsonLogger,
  ) {
    this.readings = metrics.counter({
      name: 'matrix_solution_readings_total',
      help: 'Readings seen by the solutions, by outcome (applied, duplicate, late, blocked, disabled)',
      labelNames: ['outcome'],
    });
    this.raised = metrics.counter({
      name: 'matrix_solution_incidents_total',
      help: 'Incidents raised by the solutions, by rule and whether this delivery created them',
      labelNames: ['rule', 'created'],
    });
  }

  @ConsumeBatch(INCIDENT_SERVICE_SENSOR_DATA, {
    decode: decodeWatched,
    ...SOLUTION_BATCH,
    gate: leadership,
  })
  async handle(messages: InboundMessage<NormalisedSensorDataPointV1[]>[]): Promise<HandlerOutcome[]> {
    const readings = messages.flatMap((message) => readingsOf(message));
    if (readings.length === 0) return messages.map(() => Outcome.skipped('no reading a solution watches'));
    // Waiting for its turn and its checkpoint can outlast the ack wait (10 s) when the service is behind:
    // the messages are reported in progress meanwhile, or JetStream would deliver them again (and, on the
    // sixth delivery, dead-letter readings that were only waiting).
    // Not past MAX_IN_PROGRESS_MS, nor once this replica no longer leads: a replica cut off from the
    // database must let go of its messages so the next leader gets them.
    const since = Date.now();
    const heartbeat = setInterval(() => {
      if (!this.leadership.isLeader || Date.now() - since > MAX_IN_PROGRESS_MS) return;
      messages.forEach((m) => m.working());
    }, IN_PROGRESS_EVERY_MS);
    let applied: AppliedBatch;
    try {
      applied = await this.solutions.apply(readings, this.clock.now());
    } finally {
      clearInterval(heartbeat);
      this.reportSlow(messages, since);
    }
    for (const [outcome, n] of Object.entries(applied.counts)) if (n > 0) this.readings.inc({ outcome }, n);
    for (const incident of applied.incidents) {
      this.raised.inc({ rule: incident.rule, created: String(incident.created) });
    }
    return messages.map(() => Outcome.done());
  }

  /**
   * Logs a batch that reached the handler late (stored long before: it waited before the handler) or
   * stayed long (waiting for its turn and its checkpoint), or that JetStream delivered again: what tells a
   * stalled consumer's messages apart from a slow checkpoint's.
   */
  private reportSlow(messages: InboundMessage<unknown>[], since: number): void {
    const held = Date.now() - since;
    const oldest = Math.min(...messages.map((m) => m.storedAt?.getTime() ?? since));
    const deliveries = Math.max(...messages.map((m) => m.deliveryCount));
    if (held < SLOW_BATCH_MS && since - oldest < SLOW_BATCH_MS && deliveries < 3) return;
    this.logger?.warn(
      `a batch of ${messages.length} messages (stream sequences ${messages[0]!.streamSequence}–${messages[messages.length - 1]!.streamSequence}, ` +
        `delivered up to ${deliveries} times) reached the handler ${((since - oldest) / 1000).toFixed(1)} s after it was stored ` +
        `and was held ${(held / 1000).toFixed(1)} s`,
      'SolutionSensorData',
    );
  }
}

/**
 * The points of a message on `sensor.data.<pid>.<provider>.<type>`: validated when a solution watches the
 * type; none, unvalidated, when not (the message is acked as skipped).
 */
export function decodeWatched(
  json: unknown,
  subject: string,
): ReturnType<typeof validatePointList<NormalisedSensorDataPointV1>> {
  const type = decodeSubjectToken(subject.slice(subject.lastIndexOf('.') + 1));
  if (!RULES_OF_SLOT_TYPE[type]) return { ok: true, value: [] };
  return validatePointList(validateNormalisedPoint, json);
}

/** The readings of a message the solutions watch, each with its reading id. */
export function readingsOf(message: InboundMessage<NormalisedSensorDataPointV1[]>): SolutionReading[] {
  const fallback = message.msgId ?? `seq:${message.streamSequence}`;
  const ids = readingIdsOf(message.headers, message.data.length, fallback);
  const out: SolutionReading[] = [];
  message.data.forEach((point, i) => {
    const { slotType } = parseDevType(point.DevType);
    if (!RULES_OF_SLOT_TYPE[slotType]) return;
    out.push({
      id: ids[i]!,
      pid: point.PID,
      propId: point.PropId,
      zoneId: point.InsID,
      devId: point.DEVID,
      devType: point.DevType,
      slotType,
      at: unixMillis(point.unixT),
      region: point.Region,
      v: point.v,
    });
  });
  return out;
}
