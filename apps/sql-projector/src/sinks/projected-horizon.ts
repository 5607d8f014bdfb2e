import { Injectable } from '@nestjs/common';
import {
  NatsClient,
  SQL_PROJECTOR_MATRIX_EVENTS,
  SQL_PROJECTOR_SENSOR_DATA,
  type ConsumerSpec,
} from '@matrix/messaging';
import type { SinkPositions } from './sink-target';

/** How long one look at the consumers serves every sink. */
const FRESH_MS = 250;

/**
 * How far the dedicated database is complete, per stream: the ack floor of sql-projector's durable
 * consumer. Every message up to it has been acked, and the projector acks a message only once its rows are
 * committed (or it was dead-lettered), so every row with a `stream_seq` up to it that will ever be written
 * is there — a copy that reads up to it never passes a row still being written by a concurrent batch.
 */
@Injectable()
export class ProjectedHorizon {
  private cached?: { at: number; value: Promise<SinkPositions> };

  constructor(private readonly nats: NatsClient) {}

  get(): Promise<SinkPositions> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > FRESH_MS) {
      const value = this.read();
      // A failed look is not kept: the next caller asks again.
      value.catch(() => (this.cached = undefined));
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }

  private async read(): Promise<SinkPositions> {
    const [sensorData, events] = await Promise.all([
      this.ackFloor(SQL_PROJECTOR_SENSOR_DATA),
      this.ackFloor(SQL_PROJECTOR_MATRIX_EVENTS),
    ]);
    return { sensor_data: sensorData, events };
  }

  /** The consumer's ack floor, and when it was created (the epoch its sequences belong to). */
  private async ackFloor(spec: ConsumerSpec): Promise<{ through: number; epoch: string }> {
    const ns = this.nats.namespace;
    const info = await this.nats.jsm.consumers.info(ns.stream(spec.stream), ns.durable(spec.durable));
    return { through: info.ack_floor.stream_seq, epoch: info.created };
  }
}
