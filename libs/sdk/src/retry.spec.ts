import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, resolveRetry, sleep } from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date as the time until it, never negative', () => {
    expect(parseRetryAfter('Mon, 07 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 07 Dec 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable value', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the ceiling each retry up to maxDelayMs, with full jitter below it', () => {
    const justBelowOne = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, options, justBelowOne))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
  });
});

describe('resolveRetry', () => {
  it('layers options over the defaults, undefined keeping the lower layer', () => {
    expect(resolveRetry({ maxAttempts: 5 }, { maxAttempts: undefined, baseDelayMs: 10 })).toEqual({
      ...DEFAULT_RETRY,
      maxAttempts: 5,
      baseDelayMs: 10,
    });
  });

  it('refuses a maxAttempts below 1', () => {
    expect(() => resolveRetry({ maxAttempts: 0 })).toThrow(/maxAttempts must be a positive integer/);
  });
});

describe('sleep', () => {
  it('rejects with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
