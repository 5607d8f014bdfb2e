import { Injectable } from '@nestjs/common';
import { NormalisedSensorDataPointV1, validateContract } from '@matrix/contracts';
import {
  ConsumeBatch,
  Outcome,
  SQL_PROJECTOR_SENSOR_DATA,
  type HandlerOutcome,
  type InboundMessage,
} from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { sensorDataRow } from './sensor-data-row';
import { SensorDataRepository } from './sensor-data.repository';

/** Points written per statement at most, and how long the first point of a batch waits for more. */
export const SENSOR_DATA_BATCH = { maxMessages: 500, maxWaitMs: 50, concurrency: 2 } as const;

/**
 * Consumes SENSOR_DATA into `matrix.sensor_data` and its 15-minute rollup in batches: one statement per
 * batch, idempotent by message id. Each message is settled by its own row: inserted → ack, already
 * there → ack (skipped), refused by PostgreSQL → dead letter with the reason. A batch the database
 * cannot take at all (it is down) throws, so every message is retried with the consumer's backoff.
 */
@Injectable()
export class SensorDataHandler {
  private readonly rows: Counter<'outcome'>;

  constructor(
    private readonly repository: SensorDataRepository,
    metrics: MetricsService,
  ) {
    this.rows = metrics.counter({
      name: 'matrix_projector_rows_total',
      help: 'Sensor data rows, by outcome (inserted, duplicate, refused)',
      labelNames: ['outcome'],
    });
  }

  @ConsumeBatch(SQL_PROJECTOR_SENSOR_DATA, {
    decode: (json) => validateContract(NormalisedSensorDataPointV1, json),
    ...SENSOR_DATA_BATCH,
  })
  async handle(messages: InboundMessage<NormalisedSensorDataPointV1>[]): Promise<HandlerOutcome[]> {
    const outcomes = new Array<HandlerOutcome>(messages.length);
    const counts = { inserted: 0, duplicate: 0, refused: 0 };
    const rows: unknown[][] = [];
    const positions: number[] = [];
    messages.forEach((message, i) => {
      try {
        rows.push(
          sensorDataRow(
            message.msgId ?? `seq:${message.streamSequence}`,
            message.streamSequence,
            message.data,
          ),
        );
        positions.push(i);
      } catch (error) {
        // e.g. a unixT beyond the range of a date: no statement could ever store it.
        outcomes[i] = Outcome.rejected(`cannot be a sensor_data row: ${(error as Error).message}`);
        counts.refused++;
      }
    });
    const results = await this.repository.write(rows);
    results.forEach((result, j) => {
      const i = positions[j]!;
      switch (result.kind) {
        case 'inserted':
          outcomes[i] = Outcome.done();
          break;
        case 'duplicate':
          outcomes[i] = Outcome.skipped(`row ${rows[j]![0] as string} already projected`);
          break;
        case 'refused':
          outcomes[i] = Outcome.rejected(result.reason);
          break;
      }
      counts[result.kind]++;
    });
    for (const [outcome, n] of Object.entries(counts)) if (n > 0) this.rows.inc({ outcome }, n);
    return outcomes;
  }
}
