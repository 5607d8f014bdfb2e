import {
  chunkPoints,
  type DeviceSlotEntry,
  HEADER,
  type IdentifiedPoint,
  type NormalisedSensorDataPoint,
  pointBatchMsgId,
  readingIdsHeader,
  readingIdsOf,
  type RejectedReading,
  type SensorDataPointV1,
  sensorRejectedSubject,
} from '@matrix/contracts';
import type { InboundMessage, OutboundMessage } from '@matrix/messaging';
import { normalisePoint, type NormaliseResult } from './normalise-point';

/** What the normaliser publishes for a batch of raw messages, and what became of each message. */
export interface NormalisedBatch {
  /** `SENSOR_DATA` messages: one array per subject (split by `POINT_BATCH_LIMITS`), in stream order. */
  readonly data: OutboundMessage[];
  /** `SENSOR_REJECTED` messages, one per refused point. */
  readonly rejections: OutboundMessage[];
  /** Per raw message (same order): how many of its points were valid, and the reasons of the others. */
  readonly perMessage: { readonly valid: number; readonly rejected: string[] }[];
}

export interface NormaliseContext {
  lookup(devid: string): DeviceSlotEntry | undefined;
  readonly directoryRevision: number | undefined;
  now(): Date;
}

const decoder = new TextDecoder();

/**
 * Normalises every point of raw messages handled together (stream order) and groups the valid ones by
 * subject `sensor.data.<pid>.<provider>.<type>` across the messages, each group in stream order, so a
 * subject gets one message per batch rather than one per raw message. A message's `Nats-Msg-Id` derives
 * from the reading ids it carries: the same points in the same grouping always give the same id.
 */
export function normaliseBatch(
  messages: readonly InboundMessage<SensorDataPointV1[]>[],
  context: NormaliseContext,
): NormalisedBatch {
  const groups = new Map<string, IdentifiedPoint<NormalisedSensorDataPoint>[]>();
  /** The correlation id of the first raw message in each group (a group may span several). */
  const correlation = new Map<string, string | undefined>();
  const rejections: OutboundMessage[] = [];
  const perMessage = messages.map((message) => {
    const ingestPid = message.headers[HEADER.ingestPid];
    // `Matrix-Reading-Ids`: a re-driven reading carries its original id there (redriveRejectedReadings()).
    const ids = readingIdsOf(
      message.headers,
      message.data.length,
      message.msgId || `raw-seq:${message.streamSequence}`,
    );
    const outcome = { valid: 0, rejected: [] as string[] };
    let rawJson: unknown;
    message.data.forEach((raw, i) => {
      const result = checkProperty(normalisePoint(raw, context.lookup(raw.DEVID)), ingestPid);
      if (result.ok) {
        outcome.valid++;
        const group = groups.get(result.subject);
        const member = { id: ids[i]!, point: result.point };
        if (group) {
          group.push(member);
        } else {
          groups.set(result.subject, [member]);
          correlation.set(result.subject, message.correlationId);
        }
        return;
      }
      outcome.rejected.push(result.reason);
      rawJson ??= JSON.parse(decoder.decode(message.raw));
      const keyId = message.headers[HEADER.ingestKeyId];
      const rejection: RejectedReading = {
        reason: result.reason,
        errors: result.errors,
        rawSubject: message.subject,
        rawMsgId: ids[i]!,
        rejectedAt: context.now().toISOString(),
        directoryRevision: context.directoryRevision,
        point: (rawJson as unknown[])[i],
        ...(keyId ? { ingest: { keyId, pid: ingestPid ?? '*' } } : {}),
      };
      rejections.push({
        subject: sensorRejectedSubject(result.reason),
        payload: rejection,
        msgId: `rejected:${ids[i]!}`,
        correlationId: message.correlationId,
      });
    });
    return outcome;
  });
  const data: OutboundMessage[] = [];
  for (const [subject, members] of groups) {
    for (const batch of chunkPoints(members)) {
      data.push({
        subject,
        payload: batch.body,
        msgId: pointBatchMsgId('data', batch.ids),
        headers: readingIdsHeader(batch.ids),
        correlationId: correlation.get(subject),
      });
    }
  }
  return { data, rejections, perMessage };
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
