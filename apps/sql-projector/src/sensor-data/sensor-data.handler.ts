import { Injectable } from '@nestjs/common';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_BATCH_SIZE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import {
  HEADER,
  type NormalisedSensorDataPointV1,
  readingIdsOf,
  validateNormalisedPoint,
  validatePointList,
} from '@matrix/contracts';
import {
  ConsumeBatch,
  type HandlerOutcome,
  type InboundMessage,
  Outcome,
  PrincipalDirectory,
  RetryableError,
  SQL_PROJECTOR_SENSOR_DATA,
} from '@matrix/messaging';
import { inSpan, MetricsService, SpanKind } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { projectionLag } from '../projection-lag';
import { sensorDataRow } from './sensor-data-row';
import { SensorDataRepository } from './sensor-data.repository';

/**
 * Messages taken at once (each carries up to `POINT_BATCH_LIMITS.maxPoints` points; the repository writes
 * them in statements of at most `SENSOR_DATA_ROWS_PER_STATEMENT` rows), and how long the first message of a
 * batch waits for more. `maxMessages` is kept low since the normaliser groups points into fuller messages:
 * batches of 64 such messages held up to 16,000 points at once, and garbage collection rose from 14% to
 * 22% of the projector's CPU.
 */
export const SENSOR_DATA_BATCH = { maxMessages: 16, maxWaitMs: 50, concurrency: 2 } as const;

/**
 * Consumes SENSOR_DATA into `matrix.sensor_data` and its 15-minute rollup in batches, idempotent by
 * reading id: a message is a JSON array of points, and each point's row is keyed `data:<reading id>` from
 * `Matrix-Reading-Ids` (a message without them, which the platform never publishes, is keyed by its
 * `Nats-Msg-Id`). A message that is one point object (the shape from before batching) is dead-lettered
 * undecoded, naming the shape. A message is settled by its rows: all inserted or already there →
 * ack; a row PostgreSQL refuses → the message is dead-lettered with the reason (its other rows are
 * written, and writing them again is a no-op). A batch the database cannot take at all (it is down)
 * throws, so every message is retried with the consumer's backoff.
 */
@Injectable()
export class SensorDataHandler {
  private readonly rows: Counter<'outcome'>;
  private readonly lag: ReturnType<typeof projectionLag>;

  constructor(
    private readonly repository: SensorDataRepository,
    private readonly principals: PrincipalDirectory,
    metrics: MetricsService,
  ) {
    this.rows = metrics.counter({
      name: 'matrix_projector_rows_total',
      help: 'Sensor data rows, by outcome (inserted, duplicate, refused)',
      labelNames: ['outcome'],
    });
    this.lag = projectionLag(metrics, 'sensor_data');
  }

  @ConsumeBatch(SQL_PROJECTOR_SENSOR_DATA, {
    decode: (json) => validatePointList(validateNormalisedPoint, json),
    ...SENSOR_DATA_BATCH,
  })
  async handle(messages: InboundMessage<NormalisedSensorDataPointV1[]>[]): Promise<HandlerOutcome[]> {
    const counts = { inserted: 0, duplicate: 0, refused: 0 };
    const rows: unknown[][] = [];
    /** The message of each row. */
    const owners: number[] = [];
    const refusals: string[][] = messages.map(() => []);
    const inserted = messages.map(() => 0);
    const propertyOf = await this.propertiesOf(messages);
    messages.forEach((message, m) => {
      const fallback = message.msgId ?? `seq:${message.streamSequence}`;
      const listed = message.headers[HEADER.readingIds] !== undefined;
      const ids = listed
        ? readingIdsOf(message.headers, message.data.length, fallback).map((id) => `data:${id}`)
        : readingIdsOf({}, message.data.length, fallback);
      message.data.forEach((point, i) => {
        try {
          rows.push(sensorDataRow(ids[i]!, message.streamSequence, point, propertyOf(point.PID)));
          owners.push(m);
        } catch (error) {
          // e.g. a unixT beyond the range of a date: no statement could ever store it.
          refusals[m]!.push(`point ${i}: cannot be a sensor_data row: ${(error as Error).message}`);
          counts.refused++;
        }
      });
    });
    // With tracing on: one span for the batch's write (its statements, one transaction each).
    const results = await inSpan(
      'INSERT matrix.sensor_data',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
          [ATTR_DB_OPERATION_NAME]: 'INSERT',
          [ATTR_DB_COLLECTION_NAME]: 'matrix.sensor_data',
          [ATTR_DB_OPERATION_BATCH_SIZE]: rows.length,
        },
      },
      () => this.repository.write(rows),
    );
    results.forEach((result, j) => {
      const m = owners[j]!;
      if (result.kind === 'refused') {
        const single = messages[m]!.data.length === 1;
        refusals[m]!.push(single ? result.reason : `row ${rows[j]![0] as string}: ${result.reason}`);
      }
      if (result.kind === 'inserted') inserted[m]!++;
      counts[result.kind]++;
    });
    for (const [outcome, n] of Object.entries(counts)) if (n > 0) this.rows.inc({ outcome }, n);
    this.lag(messages);
    return messages.map((message, m) => {
      if (refusals[m]!.length > 0) return Outcome.rejected(refusals[m]!.join('; '));
      if (inserted[m]! > 0) return Outcome.done();
      return Outcome.skipped(`${message.data.length} point(s) already projected`);
    });
  }

  /**
   * The property of each building of the batch as the registry has it (`PRINCIPALS`): a row's `propid` is
   * that, not the `PropId` a point carries (which an ingest key's holder could set for a device the
   * registry does not hold), because the tenants' row-level security goes by it. A building the directory
   * does not hold keeps the point's `PropId`; while the directory cannot be read, the batch is retried.
   */
  private async propertiesOf(
    messages: InboundMessage<NormalisedSensorDataPointV1[]>[],
  ): Promise<(pid: string) => string | undefined> {
    const pids = new Set<string>();
    for (const message of messages) for (const point of message.data) pids.add(point.PID);
    await this.principals.prefetch(pids);
    const properties = new Map<string, string | undefined>();
    for (const pid of pids) {
      const entry = this.principals.resolve(pid);
      if (!entry && !this.principals.loaded) {
        throw new RetryableError(
          `the principal directory is not loaded: ${this.principals.problem ?? 'starting'}`,
        );
      }
      properties.set(pid, entry?.type === 'building' ? entry.property : undefined);
    }
    return (pid) => properties.get(pid);
  }
}
