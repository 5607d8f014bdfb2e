import { Injectable } from '@nestjs/common';
import { sensorRejectedSubject, validateContract, SensorDataPointV1 } from '@matrix/contracts';
import {
  ConsumeFrom,
  JetStreamPublisher,
  Outcome,
  PublishFailedError,
  RetryableError,
  SENSOR_NORMALISER_RAW,
  type HandlerOutcome,
  type InboundMessage,
} from '@matrix/messaging';
import { normalisePoint } from './normalise-point';

/** Consumes SENSOR_RAW; publishes each reading to SENSOR_DATA, or to SENSOR_REJECTED with the reason. */
@Injectable()
export class RawReadingHandler {
  constructor(private readonly publisher: JetStreamPublisher) {}

  @ConsumeFrom(SENSOR_NORMALISER_RAW, {
    decode: (json) => validateContract(SensorDataPointV1, json),
    concurrency: 64,
  })
  async handle(message: InboundMessage<SensorDataPointV1>): Promise<HandlerOutcome> {
    const id = message.msgId ?? `raw-seq:${message.streamSequence}`;
    const result = normalisePoint(message.data);
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
      await this.publisher.publish({
        subject: sensorRejectedSubject(result.reason),
        payload: {
          reason: result.reason,
          errors: result.errors,
          rawSubject: message.subject,
          rawMsgId: id,
          rejectedAt: new Date().toISOString(),
          point: JSON.parse(new TextDecoder().decode(message.raw)),
        },
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
