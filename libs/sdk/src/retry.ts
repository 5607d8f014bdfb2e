/** When and how often a request is sent again. */
export interface RetryOptions {
  /** Requests sent at most, the first included (default 3; 1 turns retries off). */
  readonly maxAttempts?: number;
  /** The back-off before retry n is a random time in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))) (default 200). */
  readonly baseDelayMs?: number;
  /** Cap of the computed back-off (default 10,000). */
  readonly maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this is not waited for: the error is thrown at once (default 60,000).
   * A shorter one is waited for exactly, instead of the computed back-off.
   */
  readonly maxRetryAfterMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** HTTP statuses worth another attempt: rate limited, or a gateway or service that is briefly away. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function resolveRetry(...layers: (RetryOptions | undefined)[]): ResolvedRetryOptions {
  const merged = { ...DEFAULT_RETRY };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {}) as [keyof RetryOptions, number | undefined][]) {
      if (value !== undefined) merged[key] = value;
    }
  }
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1) {
    throw new RangeError(`retry.maxAttempts must be a positive integer, not ${merged.maxAttempts}`);
  }
  return merged;
}

/**
 * `Retry-After` in milliseconds: delay-seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`,
 * measured from `nowMs`, never negative). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names a day of the week; a bare number is never read as a date.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Full-jitter exponential back-off before retry `retry` (1 = the first retry). */
export function backoffDelay(retry: number, options: ResolvedRetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
