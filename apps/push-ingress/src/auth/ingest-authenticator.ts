import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { JsonLogger, MetricsService } from '@matrix/platform';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from '../config/push-ingress.config';
import { authenticateIngestKey, type IngestAuthResult } from './authenticate-ingest-key';
import { IngestKeyDirectory } from './ingest-key-directory';
import type { IngestPrincipal } from './ingest-principal';

/**
 * Who posts when `INGEST_AUTH=disabled`: no key, and `pid` `*`, which push-ingress and sensor-normaliser
 * read as "any building" (no building or provider check). For local experiments only.
 */
export const ANONYMOUS_PRINCIPAL: IngestPrincipal = { keyId: 'anonymous', pid: '*' };

/** Authenticates each batch by its ingest key (see {@link authenticateIngestKey}), or not at all when disabled. */
@Injectable()
export class IngestAuthenticator implements OnApplicationBootstrap {
  private readonly required: boolean;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly directory: IngestKeyDirectory,
    private readonly logger: JsonLogger,
    @Inject(PUSH_INGRESS_CONFIG) config: PushIngressConfig,
    metrics: MetricsService,
  ) {
    this.required = config.ingest.auth === 'required';
    this.outcomes = metrics.counter({
      name: 'matrix_ingest_auth_total',
      help: 'Ingest key checks of POST /v1/sensor-data, by outcome (ok, missing, malformed, unknown, mismatch, not_loaded, disabled)',
      labelNames: ['outcome'],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.required) {
      this.logger.warn(
        'INGEST_AUTH=disabled: POST /v1/sensor-data accepts batches without an ingest key and for any building; use this for local experiments only',
        'IngestAuthenticator',
      );
    }
  }

  /**
   * A key the directory does not hold is looked up in the INGEST_KEYS bucket before it is refused: the
   * gateway answers a new key once its entry is in the bucket (docs/authentication.md), and this
   * replica's watch may deliver it a moment later, so a client that posts at once is not refused.
   */
  async authenticate(authorization: string | undefined): Promise<IngestAuthResult> {
    if (!this.required) {
      this.outcomes.inc({ outcome: 'disabled' });
      return { ok: true, principal: ANONYMOUS_PRINCIPAL };
    }
    let result = authenticateIngestKey(authorization, this.directory);
    if (!result.ok && result.keyId !== undefined && (await this.directory.fetch(result.keyId))) {
      result = authenticateIngestKey(authorization, this.directory);
    }
    this.outcomes.inc({ outcome: result.ok ? 'ok' : result.reason });
    return result;
  }
}
