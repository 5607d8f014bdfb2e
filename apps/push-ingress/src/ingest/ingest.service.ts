import { Inject, Injectable } from '@nestjs/common';
import { JetStreamPublisher, PublishFailedError } from '@matrix/messaging';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from '../config/push-ingress.config';
import { parseBatch } from './parse-batch';

export interface IngestResult {
  status: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

const PROBLEM = 'https://matrix.dev/problems/';

/** Validates a batch and answers 202 only after JetStream has stored every point of it. */
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

  async ingest(body: string, correlationId: string): Promise<IngestResult> {
    const parsed = parseBatch(body, this.config.ingest.maxPoints);
    if (!parsed.ok) {
      this.points.inc({ outcome: 'refused' });
      return problem(
        parsed.status,
        parsed.title,
        parsed.detail,
        parsed.errors ? { errors: parsed.errors } : {},
      );
    }
    try {
      const acks = await this.publisher.publishAll(
        parsed.points.map((p) => ({ subject: p.subject, payload: p.point, msgId: p.msgId, correlationId })),
      );
      const duplicates = acks.filter((ack) => ack.duplicate).length;
      this.points.inc({ outcome: 'accepted' }, acks.length - duplicates);
      this.points.inc({ outcome: 'duplicate' }, duplicates);
      return { status: 202, body: { accepted: acks.length, duplicates, correlationId } };
    } catch (error) {
      if (!(error instanceof PublishFailedError)) throw error;
      this.logger.error(`batch not stored: ${error.message}`, 'Ingest');
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
