import { Inject, Injectable } from '@nestjs/common';
import {
  chunkPoints,
  HEADER,
  POINT_BATCH_LIMITS,
  pointBatchMsgId,
  readingIdsHeader,
  sensorRawSubject,
} from '@matrix/contracts';
import {
  isStreamFull,
  JetStreamPublisher,
  type OutboundMessage,
  PublishFailedError,
} from '@matrix/messaging';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from '../config/push-ingress.config';
import type { IngestPrincipal } from '../auth/ingest-principal';
import { parseBatch, type AcceptedPoint } from './parse-batch';

export interface IngestResult {
  status: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

const PROBLEM = 'https://matrix.dev/problems/';

/** Seconds a sender is asked to wait after `Storage full`: the stream clears in minutes at best. */
export const STORAGE_FULL_RETRY_AFTER_S = 60;

/**
 * Validates a batch and answers 202 only after JetStream has stored every point of it. The points go to
 * `SENSOR_RAW` as a few messages rather than one each: per provider, on the lane of the ingest key
 * (`sensor.raw.<provider>.<keyId>.p<partition>`), each a JSON array within `POINT_BATCH_LIMITS` with their reading ids in
 * `Matrix-Reading-Ids` and a `Nats-Msg-Id` derived from those ids, so a retried batch is a duplicate.
 */
@Injectable()
export class IngestService {
  private readonly points: Counter<'outcome'>;

  constructor(
    private readonly publisher: JetStreamPublisher,
    private readonly logger: JsonLogger,
    @Inject(PUSH_INGRESS_CONFIG) private readonly config: PushIngressConfig,
    metrics: MetricsService,
  ) {
    this.points = metrics.counter({
      name: 'matrix_ingest_points_total',
      help: 'Sensor data points received, by outcome',
      labelNames: ['outcome'],
    });
  }

  async ingest(body: Buffer, correlationId: string, principal: IngestPrincipal): Promise<IngestResult> {
    const parsed = parseBatch(body.toString('utf8'), this.config.ingest.maxPoints, principal);
    if (!parsed.ok) {
      this.points.inc({ outcome: 'refused' });
      return problem(
        parsed.status,
        parsed.title,
        parsed.detail,
        parsed.errors ? { errors: parsed.errors } : {},
      );
    }
    const messages = rawMessages(parsed.points, principal, correlationId, parsed.verbatim ? body : undefined);
    try {
      const acks = await this.publisher.publishAll(messages);
      const duplicates = acks.reduce((n, ack, i) => n + (ack.duplicate ? messages[i]!.points : 0), 0);
      const accepted = parsed.points.length;
      this.points.inc({ outcome: 'accepted' }, accepted - duplicates);
      this.points.inc({ outcome: 'duplicate' }, duplicates);
      return { status: 202, body: { accepted, duplicates, correlationId } };
    } catch (error) {
      if (!(error instanceof PublishFailedError)) throw error;
      this.logger.error(`batch not stored: ${error.message}`, 'Ingest');
      if (isStreamFull(error)) {
        // SENSOR_RAW refuses new messages when full (discard new) rather than drop readings not yet
        // normalised; it frees up only as old readings age out or an operator raises its limit, so the
        // sender should back off longer than after a hiccup. Operators are alerted before this happens.
        this.points.inc({ outcome: 'storage_full' }, parsed.points.length);
        return problem(
          503,
          'Storage full',
          'The raw readings stream (SENSOR_RAW) is full, so the batch was not stored; the operators are alerted. ' +
            'Retry it unchanged later (retries never duplicate points)',
          {},
          { 'Retry-After': String(STORAGE_FULL_RETRY_AFTER_S) },
        );
      }
      this.points.inc({ outcome: 'storage_unavailable' }, parsed.points.length);
      return problem(
        503,
        'Storage unavailable',
        'JetStream could not store the batch; retry it unchanged (retries never duplicate points)',
        {},
        { 'Retry-After': '5' },
      );
    }
  }
}

/**
 * The `SENSOR_RAW` messages of an accepted batch, in order. `verbatim`, when given, is the body, which
 * holds exactly the accepted points as sent: when they fit one message, it is published as it is rather
 * than serialised again point by point.
 */
function rawMessages(
  points: readonly AcceptedPoint[],
  principal: IngestPrincipal,
  correlationId: string,
  verbatim?: Buffer,
): (OutboundMessage & { points: number })[] {
  const byProvider = new Map<string, AcceptedPoint[]>();
  for (const point of points) {
    const list = byProvider.get(point.provider);
    if (list) list.push(point);
    else byProvider.set(point.provider, [point]);
  }
  const headers = { [HEADER.ingestKeyId]: principal.keyId, [HEADER.ingestPid]: principal.pid };
  if (
    verbatim &&
    byProvider.size === 1 &&
    points.length <= POINT_BATCH_LIMITS.maxPoints &&
    verbatim.length <= POINT_BATCH_LIMITS.maxBytes
  ) {
    const ids = points.map((point) => point.id);
    return [
      {
        subject: sensorRawSubject(points[0]!.provider, principal.keyId),
        payload: verbatim,
        msgId: pointBatchMsgId('raw', ids),
        headers: { ...headers, ...readingIdsHeader(ids) },
        correlationId,
        points: ids.length,
      },
    ];
  }
  return [...byProvider].flatMap(([provider, list]) =>
    chunkPoints(list).map((batch) => ({
      subject: sensorRawSubject(provider, principal.keyId),
      payload: batch.body,
      msgId: pointBatchMsgId('raw', batch.ids),
      headers: { ...headers, ...readingIdsHeader(batch.ids) },
      correlationId,
      points: batch.ids.length,
    })),
  );
}

export function problem(
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): IngestResult {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { status, headers, body: { type: `${PROBLEM}${slug}`, title, status, detail, ...extra } };
}
