import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import { takeToken, type Bucket, type BucketLimits } from './token-bucket';

/** What a shared bucket gave: `granted` tokens (0 … want), or when one is back. */
export interface TokenGrant {
  readonly granted: number;
  /** Milliseconds until one token is back; 0 when something was granted. */
  readonly retryAfterMs: number;
}

/** Buckets every gateway replica takes from, so a credential's limit holds in total. */
export abstract class RateLimitStore {
  abstract take(accessKey: string, want: number, limits: BucketLimits, nowMs: number): Promise<TokenGrant>;
}

/**
 * The shared buckets in PostgreSQL (`registry.rate_limit_buckets`, an unlogged table): one statement per
 * lease, atomic under the row's lock, so replicas cannot both spend the same token.
 */
@Injectable()
export class PgRateLimitStore extends RateLimitStore {
  constructor(private readonly db: Database) {
    super();
  }

  async take(accessKey: string, want: number, limits: BucketLimits, nowMs: number): Promise<TokenGrant> {
    const [row] = await this.db.query<{ granted: number; retry_after_ms: number }>(
      'select granted, retry_after_ms from registry.take_rate_tokens($1, $2, $3, $4, $5)',
      [accessKey, want, limits.perSecond, limits.burst, nowMs],
    );
    if (!row) throw new Error('registry.take_rate_tokens returned no row');
    return { granted: row.granted, retryAfterMs: row.retry_after_ms };
  }
}

/**
 * Buckets in this process's memory: the limit of one replica. The gateway's fallback while the shared buckets
 * are unavailable, and the store of unit tests.
 */
export class InMemoryRateLimitStore extends RateLimitStore {
  private readonly buckets = new Map<string, Bucket>();

  async take(accessKey: string, want: number, limits: BucketLimits, nowMs: number): Promise<TokenGrant> {
    let granted = 0;
    while (granted < want) {
      const result = takeToken(this.buckets.get(accessKey), nowMs, limits);
      this.buckets.set(accessKey, result.bucket);
      if (!result.allowed) {
        return granted > 0
          ? { granted, retryAfterMs: 0 }
          : { granted, retryAfterMs: result.retryAfterSeconds * 1000 };
      }
      granted += 1;
    }
    return { granted, retryAfterMs: 0 };
  }

  clear(): void {
    this.buckets.clear();
  }
}
