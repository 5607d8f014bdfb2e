import { Injectable } from '@nestjs/common';
import { NormalisedSensorDataPointV1, validateContract } from '@matrix/contracts';
import {
  ConsumeFrom,
  Outcome,
  SQL_PROJECTOR_SENSOR_DATA,
  type HandlerOutcome,
  type InboundMessage,
} from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { sensorDataRow } from './sensor-data-row';
import { SensorDataRepository } from './sensor-data.repository';

/** Consumes SENSOR_DATA into `matrix.sensor_data`, one row per data point, idempotent by message id. */
@Injectable()
export class SensorDataHandler {
  private readonly rows: Counter<'outcome'>;

  constructor(
    private readonly repository: SensorDataRepository,
    metrics: MetricsService,
  ) {
    this.rows = metrics.counter({
      name: 'matrix_projector_rows_total',
      help: 'Sensor data rows, by outcome',
      labelNames: ['outcome'],
    });
  }

  @ConsumeFrom(SQL_PROJECTOR_SENSOR_DATA, {
    decode: (json) => validateContract(NormalisedSensorDataPointV1, json),
    concurrency: 32,
  })
  async handle(message: InboundMessage<NormalisedSensorDataPointV1>): Promise<HandlerOutcome> {
    const msgId = message.msgId ?? `seq:${message.streamSequence}`;
    const inserted = await this.repository.insert(sensorDataRow(msgId, message.streamSequence, message.data));
    this.rows.inc({ outcome: inserted ? 'inserted' : 'duplicate' });
    return inserted ? Outcome.done() : Outcome.skipped(`row ${msgId} already projected`);
  }
}
