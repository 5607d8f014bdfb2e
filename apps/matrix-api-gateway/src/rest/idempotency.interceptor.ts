import {
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { stableStringify } from '@matrix/contracts';
import { Database } from '@matrix/persistence';
import { DomainError } from '../domain-error';

const KEY = /^[\x21-\x7e]{1,255}$/;
const IN_PROGRESS = 0;
const OMITS = 'idempotent-replay-omits';

/**
 * Top-level fields of the answer that are not kept for replays (a secret shown once, such as an issued
 * ingest key): a replay answers the rest, so the platform never stores them.
 */
export const IdempotentReplayOmits = (...fields: string[]) => SetMetadata(OMITS, fields);

/**
 * `Idempotency-Key` on REST POSTs: the first request with a key runs and its answer is kept for 24 h; a
 * retry with the same key and the same request gets that answer again (`Idempotent-Replayed: true`), one
 * with another request is refused (422), one while the first still runs gets 409. Fields named by
 * `@IdempotentReplayOmits` are left out of the kept answer.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private lastPurge = 0;

  constructor(
    private readonly db: Database,
    private readonly reflector: Reflector,
  ) {}

  /** Deletes expired records at most once a minute per instance, not on every keyed POST. */
  private async purgeExpired(): Promise<void> {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.db.query(
      `delete from registry.idempotency_keys where created_on < now() - interval '24 hours'`,
    );
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { principal?: { accessKey: string } }>();
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return next.handle();
    return from(this.run(context, next, request, String(key)));
  }

  private async run(
    context: ExecutionContext,
    next: CallHandler,
    request: FastifyRequest & { principal?: { accessKey: string } },
    key: string,
  ): Promise<unknown> {
    if (!KEY.test(key)) {
      throw new DomainError('INVALID', 'Idempotency-Key must be 1–255 visible ASCII characters');
    }
    const owner = request.principal?.accessKey ?? 'anonymous';
    const hash = createHash('sha256')
      .update(`${request.method} ${pathOf(request.url)}\n${stableStringify(request.body ?? null)}`)
      .digest('hex');
    const response = context.switchToHttp().getResponse<FastifyReply>();
    await this.purgeExpired();
    // An expired record (older than 24 h, not purged yet) is taken over as if it were absent.
    const claimed = await this.db.query(
      `insert into registry.idempotency_keys (access_key, key, request_hash, status) values ($1, $2, $3, $4)
       on conflict (access_key, key) do update
         set request_hash = excluded.request_hash, status = excluded.status, body = null, created_on = now()
         where registry.idempotency_keys.created_on < now() - interval '24 hours'
       returning key`,
      [owner, key, hash, IN_PROGRESS],
    );
    if (claimed.length === 0) {
      const [stored] = await this.db.query<{ request_hash: string; status: number; body: unknown }>(
        'select request_hash, status, body from registry.idempotency_keys where access_key = $1 and key = $2',
        [owner, key],
      );
      if (!stored || stored.request_hash !== hash) {
        throw new DomainError('LIMIT_VIOLATED', 'this Idempotency-Key was used for a different request');
      }
      if (stored.status === IN_PROGRESS) {
        throw new DomainError('CONFLICT', 'a request with this Idempotency-Key is still running');
      }
      void response.status(stored.status).header('Idempotent-Replayed', 'true');
      return stored.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const omits = this.reflector.get<string[] | undefined>(OMITS, context.getHandler()) ?? [];
      await this.db.query(
        'update registry.idempotency_keys set status = $3, body = $4::jsonb where access_key = $1 and key = $2',
        [
          owner,
          key,
          // The handler's success status (a transition answers 200), else a POST's 201 Created.
          this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 201,
          JSON.stringify(omit(body ?? null, omits)),
        ],
      );
      return body;
    } catch (error) {
      await this.db.query('delete from registry.idempotency_keys where access_key = $1 and key = $2', [
        owner,
        key,
      ]);
      throw error;
    }
  }
}

function omit(body: unknown, fields: string[]): unknown {
  if (fields.length === 0 || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([field]) => !fields.includes(field)));
}

/** The path of a request URL as sent (percent-encoding kept), without its query string. */
function pathOf(url: string): string {
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? url : url.slice(0, queryAt);
}
