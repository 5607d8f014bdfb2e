import { Inject, Injectable } from '@nestjs/common';
import { AuthError } from './auth-error';
import { CLOCK, type Clock } from '../clock';
import { takeToken, type Bucket, type BucketLimits } from './token-bucket';

/** Injection token of the rate limit ({@link BucketLimits}). */
export const RATE_LIMIT = Symbol('RATE_LIMIT');

/**
 * Per-credential token buckets, in memory: each gateway instance counts on its own, so N replicas
 * admit up to N times the configured rate. Only authenticated keys get a bucket, so memory is bounded
 * by the number of credentials in use.
 */
@Injectable()
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    @Inject(RATE_LIMIT) private readonly limits: BucketLimits,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Spends one request of `accessKey`'s budget, or throws RATE_LIMITED with `retryAfterSeconds`. */
  consume(accessKey: string): void {
    const result = takeToken(this.buckets.get(accessKey), this.clock.now(), this.limits);
    this.buckets.set(accessKey, result.bucket);
    if (!result.allowed) {
      throw new AuthError(
        'RATE_LIMITED',
        `rate limit of ${this.limits.perSecond} requests/s (burst ${this.limits.burst}) exceeded for this access key; retry in ${result.retryAfterSeconds} s`,
        result.retryAfterSeconds,
      );
    }
  }
}
