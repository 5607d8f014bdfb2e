import { DEFAULT_RETRY } from '@matrix/contracts';
import { nextStep, parseRetryAfter } from './retry-schedule';

describe('retry schedule', () => {
  it('doubles from the initial delay with jitter, capped', () => {
    const policy = { ...DEFAULT_RETRY, initialDelayMs: 1000, maxDelayMs: 5000 };
    expect(nextStep(policy, 1, 0, undefined, () => 0.5)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(nextStep(policy, 3, 0, undefined, () => 0.5)).toEqual({ kind: 'retry', delayMs: 4000 });
    expect(nextStep(policy, 9, 0, undefined, () => 0.5)).toEqual({ kind: 'retry', delayMs: 5000 });
    expect(nextStep(policy, 1, 0, undefined, () => 0)).toEqual({ kind: 'retry', delayMs: 800 });
    expect(nextStep(policy, 1, 0, undefined, () => 0.9999)).toMatchObject({ delayMs: 1200 });
  });

  it('spans about a day by default, then gives up', () => {
    let elapsed = 0;
    let failures = 0;
    for (;;) {
      failures++;
      const step = nextStep(DEFAULT_RETRY, failures, elapsed, undefined, () => 0.5);
      if (step.kind === 'give-up') break;
      elapsed += step.delayMs;
    }
    expect(failures).toBeGreaterThanOrEqual(12);
    expect(elapsed).toBeGreaterThan(18 * 3_600_000);
    expect(elapsed).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('honours Retry-After in seconds or as a date', () => {
    expect(nextStep(DEFAULT_RETRY, 1, 0, 120_000)).toEqual({ kind: 'retry', delayMs: 120_000 });
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000 + 30_000).toUTCString(), 10_000)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
