import { Injectable } from '@nestjs/common';
import { sensorRejectedSubject, validateContract, SensorDataPointV1 } from '@matrix/contracts';
import {
  ConsumeFrom,
  HEADER,
  JetStreamPublisher,
  Outcome,
  PublishFailedError,
  RetryableError,
  SENSOR_NORMALISER_RAW,
  type HandlerOutcome,
  type InboundMessage,
  type RejectedReading,
} from '@matrix/messaging';
import { DeviceSlotDirectory } from '../directory/device-slot-directory';
import { normalisePoint } from './normalise-point';

/** How long a reading waits for the device-slot directory's initial load before it is retried later. */
const DIRECTORY_WAIT_MS = 2000;

/** Consumes SENSOR_RAW; publishes each reading to SENSOR_DATA, or to SENSOR_REJECTED with the reason. */
@Injectable()
export class RawReadingHandler {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly directory: DeviceSlotDirectory,
  ) {}

  @ConsumeFrom(SENSOR_NORMALISER_RAW, {
    decode: (json) => validateContract(SensorDataPointV1, json),
    concurrency: 64,
  })
  async handle(message: InboundMessage<SensorDataPointV1>): Promise<HandlerOutcome> {
    // A re-driven reading keeps its original id (ADR-4) in a header; see redriveRejectedReadings().
    const id = message.headers[HEADER.readingId] || message.msgId || `raw-seq:${message.streamSequence}`;
    if (this.directory.version === undefined && !(await this.directory.whenLoaded(DIRECTORY_WAIT_MS))) {
      // Without the directory a missing entry proves nothing: never reject, try again later.
      return Outcome.retryIn(
        undefined,
        `device-slot directory not loaded: ${this.directory.problem ?? 'loading'}`,
      );
    }
    const result = normalisePoint(message.data, this.directory.lookup(message.data.DEVID));
    try {
      if (result.ok) {
        await this.publisher.publish({
          subject: result.subject,
          payload: result.point,
          msgId: `data:${id}`,
          correlationId: message.correlationId,
        });
        return Outcome.done();
      }
      const rejection: RejectedReading = {
        reason: result.reason,
        errors: result.errors,
        rawSubject: message.subject,
        rawMsgId: id,
        rejectedAt: new Date().toISOString(),
        directoryRevision: this.directory.version,
        point: JSON.parse(new TextDecoder().decode(message.raw)),
      };
      await this.publisher.publish({
        subject: sensorRejectedSubject(result.reason),
        payload: rejection,
        msgId: `rejected:${id}`,
        correlationId: message.correlationId,
      });
      return Outcome.skipped(`rejected (${result.reason}): ${result.errors.join('; ')}`);
    } catch (error) {
      if (error instanceof PublishFailedError) {
        throw new RetryableError(error.message, undefined, { cause: error });
      }
      throw error;
    }
  }
}
