import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthError } from './auth-error';
import { CLOCK, type Clock } from '../clock';
import { InMemoryRateLimitStore, RateLimitStore, type TokenGrant } from './rate-limit-store';
import type { BucketLimits } from './token-bucket';

/** Injection token of the rate limit ({@link BucketLimits}). */
export const RATE_LIMIT = Symbol('RATE_LIMIT');

/** A lease covers this share of a second's rate: 0.1 s → at 50/s, one shared-bucket call per 5 requests. */
const LEASE_SECONDS = 0.1;
/** Leased tokens not spent by then are dropped (they stay spent in the shared bucket: never too many). */
const LEASE_TTL_MS = 1000;
/** Leases one request waits for before it gives up to others racing for the same key's tokens. */
const MAX_LEASES_PER_REQUEST = 4;
/** Longest a lease may take before this replica decides alone (a database that hangs must not hang the API). */
const STORE_TIMEOUT_MS = 500;
/** Leases kept before expired ones are swept out. */
const SWEEP_AT = 10_000;
/** After the shared buckets failed, how long this replica decides alone before asking them again. */
const STORE_RETRY_MS = 5000;

interface Lease {
  tokens: number;
  readonly expiresMs: number;
}

/**
 * Per-credential rate limit that holds across gateway replicas: the buckets live in PostgreSQL
 * ({@link RateLimitStore}) and every replica takes tokens from them in small leases (a tenth of a second's rate,
 * at least 1, at most the burst) that it spends in memory. Every admitted request spends a token of the shared
 * bucket, so all replicas together admit at most the burst plus the rate over any window; a lease a replica does
 * not use within a second is dropped (the caller then gets a little less than the limit, never more).
 *
 * If the shared bucket cannot be reached the replica falls back to a bucket of its own (the limit per replica,
 * as before) and says so in the log: the database being away does not turn the API off.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly leases = new Map<string, Lease>();
  private readonly leasing = new Map<string, Promise<TokenGrant>>();
  /** Requests of each key waiting for tokens: a lease covers them all (up to the burst). */
  private readonly waiting = new Map<string, number>();
  private readonly fallback = new InMemoryRateLimitStore();
  private readonly leaseSize: number;
  /** Set while the shared buckets are unavailable: until then, this replica's own buckets decide. */
  private storeDownUntilMs?: number;

  constructor(
    @Inject(RATE_LIMIT) private readonly limits: BucketLimits,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: RateLimitStore,
  ) {
    this.leaseSize = Math.min(limits.burst, Math.max(1, Math.ceil(limits.perSecond * LEASE_SECONDS)));
  }

  /** Spends one request of `accessKey`'s budget, or throws RATE_LIMITED with `retryAfterSeconds`. */
  async consume(accessKey: string): Promise<void> {
    if (this.spendLeased(accessKey)) return;
    this.waiting.set(accessKey, (this.waiting.get(accessKey) ?? 0) + 1);
    try {
      for (let leases = 0; leases < MAX_LEASES_PER_REQUEST; leases += 1) {
        const grant = await this.lease(accessKey);
        if (this.spendLeased(accessKey)) return;
        if (grant.granted === 0) this.refuse(grant.retryAfterMs);
      }
    } finally {
      const left = (this.waiting.get(accessKey) ?? 1) - 1;
      if (left > 0) this.waiting.set(accessKey, left);
      else this.waiting.delete(accessKey);
    }
    // Others spent every token the leases brought: the bucket is as good as empty.
    this.refuse(0);
  }

  private spendLeased(accessKey: string): boolean {
    const lease = this.leases.get(accessKey);
    if (!lease) return false;
    if (lease.expiresMs <= this.clock.now() || lease.tokens < 1) {
      this.leases.delete(accessKey);
      return false;
    }
    lease.tokens -= 1;
    return true;
  }

  /** One lease in flight per key: concurrent requests of a key wait for it rather than each taking one. */
  private lease(accessKey: string): Promise<TokenGrant> {
    const inFlight = this.leasing.get(accessKey);
    if (inFlight) return inFlight;
    const leasing = this.takeLease(accessKey).finally(() => this.leasing.delete(accessKey));
    this.leasing.set(accessKey, leasing);
    return leasing;
  }

  private async takeLease(accessKey: string): Promise<TokenGrant> {
    const nowMs = this.clock.now();
    // Enough for every request of the key waiting now (up to the burst), at least a tenth of a second's rate.
    const want = Math.min(this.limits.burst, Math.max(this.leaseSize, this.waiting.get(accessKey) ?? 1));
    const grant =
      this.storeDownUntilMs !== undefined && nowMs < this.storeDownUntilMs
        ? await this.fallback.take(accessKey, want, this.limits, nowMs)
        : await this.takeShared(accessKey, want, nowMs).then(
            (taken) => this.storeAnswered(taken),
            (error: unknown) => this.storeFailed(accessKey, want, nowMs, error),
          );
    if (grant.granted > 0) {
      if (this.leases.size >= SWEEP_AT) this.sweep(nowMs);
      this.leases.set(accessKey, { tokens: grant.granted, expiresMs: nowMs + LEASE_TTL_MS });
    }
    return grant;
  }

  /** A lease from the shared buckets, within a bound (a database that hangs must not hang every request). */
  private takeShared(accessKey: string, want: number, nowMs: number): Promise<TokenGrant> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${STORE_TIMEOUT_MS} ms`)),
        STORE_TIMEOUT_MS,
      );
    });
    return Promise.race([this.store.take(accessKey, want, this.limits, nowMs), timeout]).finally(() =>
      clearTimeout(timer),
    );
  }

  private storeAnswered(grant: TokenGrant): TokenGrant {
    if (this.storeDownUntilMs !== undefined) {
      this.logger.log('the shared rate-limit buckets answer again');
      this.storeDownUntilMs = undefined;
      this.fallback.clear();
    }
    return grant;
  }

  /** The shared bucket failed: this replica's own buckets decide (per-replica limit) for a while. */
  private storeFailed(accessKey: string, want: number, nowMs: number, error: unknown): Promise<TokenGrant> {
    if (this.storeDownUntilMs === undefined) {
      this.logger.warn(
        `shared rate-limit buckets unavailable, limiting per replica for now: ${(error as Error).message}`,
      );
    }
    this.storeDownUntilMs = nowMs + STORE_RETRY_MS;
    return this.fallback.take(accessKey, want, this.limits, nowMs);
  }

  private sweep(nowMs: number): void {
    for (const [key, lease] of this.leases) if (lease.expiresMs <= nowMs) this.leases.delete(key);
  }

  private refuse(retryAfterMs: number): never {
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw new AuthError(
      'RATE_LIMITED',
      `rate limit of ${this.limits.perSecond} requests/s (burst ${this.limits.burst}) exceeded for this access key; retry in ${retryAfterSeconds} s`,
      retryAfterSeconds,
    );
  }
}
