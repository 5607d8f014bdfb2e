import { Injectable } from '@nestjs/common';
import {
  sensorRejectedSubject,
  validateList,
  validateSensorDataPoint,
  type SensorDataPointV1,
  type NormalisedSensorDataPoint,
} from '@matrix/contracts';
import {
  chunkPoints,
  ConsumeFrom,
  HEADER,
  JetStreamPublisher,
  Outcome,
  pointBatchMsgId,
  PublishFailedError,
  readingIdsHeader,
  readingIdsOf,
  RetryableError,
  SENSOR_NORMALISER_RAW,
  type HandlerOutcome,
  type IdentifiedPoint,
  type InboundMessage,
  type OutboundMessage,
  type RejectedReading,
} from '@matrix/messaging';
import { DeviceSlotDirectory } from '../directory/device-slot-directory';
import { normalisePoint, type NormaliseResult } from './normalise-point';

/** How long a reading waits for the device-slot directory's initial load before it is retried later. */
const DIRECTORY_WAIT_MS = 2000;

const decoder = new TextDecoder();

/**
 * Consumes SENSOR_RAW — batches (JSON arrays, `Matrix-Reading-Ids`) and, from before batching or a
 * re-drive, single readings — and normalises every point. The valid points go to SENSOR_DATA grouped by
 * subject `sensor.data.<pid>.<provider>.<type>`, in their order, as arrays of at most 250 points whose
 * `Nats-Msg-Id` derives from their reading ids; each refused point goes to `sensor.rejected.<reason>` on
 * its own. The raw message is acked only after JetStream stored all of them; a redelivery publishes the
 * same messages with the same ids, which the streams drop as duplicates.
 */
@Injectable()
export class RawReadingHandler {
  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly directory: DeviceSlotDirectory,
  ) {}

  @ConsumeFrom(SENSOR_NORMALISER_RAW, {
    decode: (json) => validateList(validateSensorDataPoint, json),
    concurrency: 64,
  })
  async handle(message: InboundMessage<SensorDataPointV1[]>): Promise<HandlerOutcome> {
    const points = message.data;
    // A re-driven reading keeps its original id (ADR-4) in a header; see redriveRejectedReadings().
    const ids = readingIdsOf(
      message.headers,
      points.length,
      message.msgId || `raw-seq:${message.streamSequence}`,
    );
    if (this.directory.version === undefined && !(await this.directory.whenLoaded(DIRECTORY_WAIT_MS))) {
      // Without the directory a missing entry proves nothing: never reject, try again later.
      return Outcome.retryIn(
        undefined,
        `device-slot directory not loaded: ${this.directory.problem ?? 'loading'}`,
      );
    }
    const ingestPid = message.headers[HEADER.ingestPid];
    const groups = new Map<string, IdentifiedPoint<NormalisedSensorDataPoint>[]>();
    const rejections: OutboundMessage[] = [];
    let rawJson: unknown;
    points.forEach((raw, i) => {
      const result = checkProperty(normalisePoint(raw, this.directory.lookup(raw.DEVID)), ingestPid);
      if (result.ok) {
        const group = groups.get(result.subject);
        const member = { id: ids[i]!, point: result.point };
        if (group) group.push(member);
        else groups.set(result.subject, [member]);
        return;
      }
      rawJson ??= JSON.parse(decoder.decode(message.raw));
      const rejection: RejectedReading = {
        reason: result.reason,
        errors: result.errors,
        rawSubject: message.subject,
        rawMsgId: ids[i]!,
        rejectedAt: new Date().toISOString(),
        directoryRevision: this.directory.version,
        point: Array.isArray(rawJson) ? rawJson[i] : rawJson,
        ...(message.headers[HEADER.ingestKeyId]
          ? { ingest: { keyId: message.headers[HEADER.ingestKeyId]!, pid: ingestPid ?? '*' } }
          : {}),
      };
      rejections.push({
        subject: sensorRejectedSubject(result.reason),
        payload: rejection,
        msgId: `rejected:${ids[i]!}`,
        correlationId: message.correlationId,
      });
    });
    const data: OutboundMessage[] = [...groups].flatMap(([subject, members]) =>
      chunkPoints(members).map((batch) => ({
        subject,
        payload: batch.body,
        msgId: pointBatchMsgId('data', batch.ids),
        headers: readingIdsHeader(batch.ids),
        correlationId: message.correlationId,
      })),
    );
    try {
      await this.publisher.publishAll([...data, ...rejections]);
    } catch (error) {
      if (error instanceof PublishFailedError) {
        throw new RetryableError(error.message, undefined, { cause: error });
      }
      throw error;
    }
    if (data.length > 0) return Outcome.done();
    return Outcome.skipped(
      `all ${points.length} rejected: ${rejections.map((r) => (r.payload as RejectedReading).reason).join(', ')}`,
    );
  }
}

/** A point normalised into another building than the one of the ingest key that posted it is refused. */
function checkProperty(result: NormaliseResult, ingestPid: string | undefined): NormaliseResult {
  if (!result.ok || ingestPid === undefined || ingestPid === '*' || result.point.PID === ingestPid) {
    return result;
  }
  return {
    ok: false,
    reason: 'foreign_device',
    errors: [
      `PID: device ${result.point.DEVID} belongs to building ${result.point.PID}, not ${ingestPid}, the building of the ingest key that posted it`,
    ],
  };
}
