/** A token bucket's state: tokens left at `updatedMs`. */
export interface Bucket {
  readonly tokens: number;
  readonly updatedMs: number;
}

/** Refill rate and size of a bucket. */
export interface BucketLimits {
  /** Tokens added per second. */
  readonly perSecond: number;
  /** Most tokens the bucket holds (the burst a caller may spend at once). */
  readonly burst: number;
}

/** Outcome of {@link takeToken}: the bucket to keep, and when a refused caller may retry. */
export type TakeResult =
  | { readonly allowed: true; readonly bucket: Bucket }
  | { readonly allowed: false; readonly bucket: Bucket; readonly retryAfterSeconds: number };

/**
 * Refills `bucket` for the time elapsed until `nowMs` and takes one token if there is one. A missing
 * bucket starts full. A refusal says how many whole seconds until one token is there (at least 1).
 */
export function takeToken(bucket: Bucket | undefined, nowMs: number, limits: BucketLimits): TakeResult {
  const elapsedSeconds = bucket ? Math.max(0, nowMs - bucket.updatedMs) / 1000 : 0;
  const tokens = bucket
    ? Math.min(limits.burst, bucket.tokens + elapsedSeconds * limits.perSecond)
    : limits.burst;
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedMs: nowMs } };
  const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / limits.perSecond));
  return { allowed: false, bucket: { tokens, updatedMs: nowMs }, retryAfterSeconds };
}
