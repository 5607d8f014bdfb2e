import { Injectable } from '@nestjs/common';
import { validatePointList, validateSensorDataPoint, type SensorDataPointV1 } from '@matrix/contracts';
import {
  ConsumeBatch,
  JetStreamPublisher,
  Outcome,
  PublishFailedError,
  RetryableError,
  SENSOR_NORMALISER_RAW,
  SENSOR_NORMALISER_RAW_PARTITIONED,
  type HandlerOutcome,
  type InboundMessage,
} from '@matrix/messaging';
import { DeviceSlotDirectory } from '../directory/device-slot-directory';
import { normaliseBatch } from './normalise-batch';

/** How long a reading waits for the device-slot directory's initial load before it is retried later. */
const DIRECTORY_WAIT_MS = 2000;

/**
 * Raw messages handled together: at most this many, handed over this long after the first at the latest,
 * one batch at a time per partition (stream order, so every lane keeps its order). Under load the batches fill up, and
 * a subject gets one `SENSOR_DATA` message per batch instead of one per raw message. A larger
 * `maxMessages` would hardly make fewer messages (a message holds at most `POINT_BATCH_LIMITS.maxPoints`)
 * but would keep more points alive at once, which measurably costs garbage collection.
 */
export const RAW_BATCH = { maxMessages: 16, maxWaitMs: 10, concurrency: 1 } as const;

/**
 * Consumes SENSOR_RAW — JSON arrays of points with their reading ids in `Matrix-Reading-Ids`, from
 * push-ingress or a re-drive — in batches of raw messages, and normalises every point. A message that is one
 * point object (the shape from before batching) is dead-lettered undecoded, naming the shape. The valid
 * points go to SENSOR_DATA grouped by subject `sensor.data.<pid>.<provider>.<type>` across the raw messages
 * of the batch, in stream order, as arrays within `POINT_BATCH_LIMITS` whose `Nats-Msg-Id` derives from their
 * reading ids; each refused point goes to `sensor.rejected.<reason>` on its own. The raw messages are acked
 * only after JetStream stored all of it; a redelivery publishes the same points again (dropped as duplicates
 * when grouped as before, else absorbed by their reading ids downstream, ADR-10).
 */
@Injectable()
export class RawReadingHandler {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly directory: DeviceSlotDirectory,
  ) {}

  /**
   * The live lanes: the partitions of SENSOR_RAW this replica holds a lease on (its fair share), each pulled on
   * its own, one batch at a time — a lane is in one partition, so it keeps its order with any number of replicas.
   */
  @ConsumeBatch(SENSOR_NORMALISER_RAW_PARTITIONED, {
    decode: (json) => validatePointList(validateSensorDataPoint, json),
    ...RAW_BATCH,
  })
  handlePartition(messages: InboundMessage<SensorDataPointV1[]>[]): Promise<HandlerOutcome[]> {
    return this.handle(messages);
  }

  /** Raw messages on the four-token subjects from before partitions (an upgrade's leftovers, old re-drives). */
  @ConsumeBatch(SENSOR_NORMALISER_RAW, {
    decode: (json) => validatePointList(validateSensorDataPoint, json),
    ...RAW_BATCH,
  })
  async handle(messages: InboundMessage<SensorDataPointV1[]>[]): Promise<HandlerOutcome[]> {
    if (this.directory.version === undefined && !(await this.directory.whenLoaded(DIRECTORY_WAIT_MS))) {
      // Without the directory a missing entry proves nothing: never reject, try again later.
      const reason = `device-slot directory not loaded: ${this.directory.problem ?? 'loading'}`;
      return messages.map(() => Outcome.retryIn(undefined, reason));
    }
    const { directory } = this;
    const batch = normaliseBatch(messages, {
      lookup: (devid) => directory.lookup(devid),
      directoryRevision: directory.version,
      now: () => new Date(),
    });
    try {
      await this.publisher.publishAll([...batch.data, ...batch.rejections]);
    } catch (error) {
      if (error instanceof PublishFailedError) {
        throw new RetryableError(error.message, undefined, { cause: error });
      }
      throw error;
    }
    return batch.perMessage.map(({ valid, rejected }) =>
      valid > 0 ? Outcome.done() : Outcome.skipped(`all ${rejected.length} rejected: ${rejected.join(', ')}`),
    );
  }
}
