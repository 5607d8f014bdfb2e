import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { IngestAuthRefusal } from '../auth/authenticate-ingest-key';
import { IngestAuthenticator } from '../auth/ingest-authenticator';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from '../config/push-ingress.config';
import { IngestService, problem, type IngestResult } from './ingest.service';
import { BodyTooLargeError, readBody } from './read-body';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i;

@Controller('v1/sensor-data')
export class SensorDataController {
  constructor(
    private readonly ingest: IngestService,
    private readonly auth: IngestAuthenticator,
    @Inject(PUSH_INGRESS_CONFIG) private readonly config: PushIngressConfig,
  ) {}

  /**
   * A batch of data points in the general data format (JSON array of objects, or of JSON strings), posted
   * with the building's ingest key (`Authorization: Bearer mik_…`), checked before the body is read.
   */
  @Post()
  async post(@Req() request: Request, @Res() response: Response): Promise<void> {
    const correlationId = String(request.headers['x-correlation-id'] ?? randomUUID());
    send(response, await this.handle(request, correlationId), correlationId);
  }

  private async handle(request: Request, correlationId: string): Promise<IngestResult> {
    const auth = await this.auth.authenticate(request.headers.authorization);
    if (!auth.ok) return refusal(auth);
    const type = request.headers['content-type'] ?? '';
    if (!JSON_TYPE.test(type)) {
      return problem(
        415,
        'Unsupported media type',
        `Content-Type must be application/json, got "${type || 'none'}"`,
      );
    }
    try {
      return await this.ingest.ingest(
        await readBody(request, this.config.ingest.maxBodyBytes),
        correlationId,
        auth.principal,
      );
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return problem(413, 'Body too large', error.message, { limitBytes: this.config.ingest.maxBodyBytes });
      }
      throw error;
    }
  }
}

function refusal(auth: IngestAuthRefusal): IngestResult {
  if (auth.status === 503) {
    return problem(503, 'Ingest keys loading', auth.detail, {}, { 'Retry-After': '2' });
  }
  // RFC 6750 §3: a challenge on every 401; error="invalid_token" when a token was sent but is not valid.
  const challenge =
    auth.reason === 'missing'
      ? 'Bearer realm="push-ingress"'
      : 'Bearer realm="push-ingress", error="invalid_token"';
  return problem(401, 'Unauthorized', auth.detail, {}, { 'WWW-Authenticate': challenge });
}

function send(response: Response, result: IngestResult, correlationId: string): void {
  response.status(result.status).set({ ...result.headers, 'x-correlation-id': correlationId });
  if (result.status >= 400) response.type('application/problem+json').send(JSON.stringify(result.body));
  else response.json(result.body);
}
