import type { RetryPolicyV1 } from '@matrix/contracts';

/** What to do after a failed attempt. */
export type NextStep = { kind: 'retry'; delayMs: number } | { kind: 'give-up'; reason: string };

/**
 * Exponential back-off with ±20 % jitter: `initialDelayMs · 2^(failures-1)`, at most `maxDelayMs`; a
 * `Retry-After` from the endpoint replaces the computed delay. A batch whose next attempt would come
 * later than `giveUpAfterMs` after its first attempt is given up. The defaults (5 s doubling to 4 h,
 * for 24 h) make 16 attempts over a day.
 */
export function nextStep(
  policy: RetryPolicyV1,
  failures: number,
  elapsedSinceFirstMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): NextStep {
  const base = Math.min(policy.initialDelayMs * 2 ** Math.max(0, failures - 1), policy.maxDelayMs);
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  const delayMs = retryAfterMs !== undefined ? Math.max(0, retryAfterMs) : jittered;
  if (elapsedSinceFirstMs + delayMs > policy.giveUpAfterMs) {
    return {
      kind: 'give-up',
      reason: `still failing after ${failures} attempts over ${Math.round(elapsedSinceFirstMs / 1000)} s`,
    };
  }
  return { kind: 'retry', delayMs };
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
