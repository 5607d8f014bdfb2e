import { AuthError } from './auth-error';
import { RateLimiter } from './rate-limiter';
import { InMemoryRateLimitStore, RateLimitStore, type TokenGrant } from './rate-limit-store';
import type { BucketLimits } from './token-bucket';

/** A shared store that records the leases asked of it (and can be made to fail). */
class CountingStore extends RateLimitStore {
  readonly wants: number[] = [];
  failing = false;
  private readonly shared = new InMemoryRateLimitStore();

  async take(accessKey: string, want: number, limits: BucketLimits, nowMs: number): Promise<TokenGrant> {
    this.wants.push(want);
    if (this.failing) throw new Error('connection refused');
    return this.shared.take(accessKey, want, limits, nowMs);
  }
}

async function outcome(limiter: RateLimiter, key: string): Promise<'ok' | AuthError> {
  try {
    await limiter.consume(key);
    return 'ok';
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
}

describe('RateLimiter', () => {
  it('keeps one bucket per access key and throws RATE_LIMITED with retryAfterSeconds', async () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 2 }, { now: () => now }, new CountingStore());
    await limiter.consume('AK1');
    await limiter.consume('AK1');
    await limiter.consume('AK2');
    const refused = await outcome(limiter, 'AK1');
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 1 });
    now = 1_000;
    await expect(limiter.consume('AK1')).resolves.toBeUndefined();
  });

  it('holds the limit across replicas: two limiters on one shared store admit the burst once, not twice', async () => {
    const now = 0;
    const store = new CountingStore();
    const limits = { perSecond: 1, burst: 4 };
    const first = new RateLimiter(limits, { now: () => now }, store);
    const second = new RateLimiter(limits, { now: () => now }, store);
    const results: ('ok' | AuthError)[] = [];
    for (let i = 0; i < 12; i += 1) results.push(await outcome(i % 2 ? second : first, 'AK1'));
    expect(results.filter((r) => r === 'ok')).toHaveLength(4);
  });

  it('leases a tenth of a second of rate at a time and spends it in memory', async () => {
    const store = new CountingStore();
    const limiter = new RateLimiter({ perSecond: 50, burst: 100 }, { now: () => 0 }, store);
    for (let i = 0; i < 20; i += 1) await limiter.consume('AK1');
    expect(store.wants).toEqual([5, 5, 5, 5]);
  });

  it('drops a lease not spent within a second (it stays spent in the shared bucket)', async () => {
    let now = 0;
    const store = new CountingStore();
    const limits = { perSecond: 10, burst: 2 };
    const limiter = new RateLimiter(limits, { now: () => now }, store);
    await limiter.consume('AK1'); // leases 1 (a tenth of 10/s)
    now = 1_000;
    await limiter.consume('AK1');
    expect(store.wants).toEqual([1, 1]);
  });

  it('lets concurrent requests of one key share the lease in flight', async () => {
    const store = new CountingStore();
    const limiter = new RateLimiter({ perSecond: 40, burst: 40 }, { now: () => 0 }, store);
    await Promise.all([1, 2, 3, 4].map(() => limiter.consume('AK1')));
    expect(store.wants).toEqual([4]);
  });

  it('refuses the requests a lease in flight could not cover once the shared bucket is empty', async () => {
    const store = new CountingStore();
    const limiter = new RateLimiter({ perSecond: 1 / 60, burst: 1 }, { now: () => 0 }, store);
    const results = await Promise.all([1, 2, 3].map(() => outcome(limiter, 'AK1')));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok')).toEqual([
      expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: 60 }),
      expect.objectContaining({ code: 'RATE_LIMITED', retryAfterSeconds: 60 }),
    ]);
  });

  it('admits a wave of concurrent requests the bucket can take, leasing for all of them that wait', async () => {
    const store = new CountingStore();
    const limiter = new RateLimiter({ perSecond: 50, burst: 100 }, { now: () => 0 }, store);
    const results = await Promise.all(Array.from({ length: 30 }, () => outcome(limiter, 'AK1')));
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
    // The first lease is a tenth of a second's rate; the next covers every request still waiting.
    expect(store.wants).toEqual([5, 25]);
  });

  it('decides alone when the shared buckets do not answer within 500 ms', async () => {
    const hanging = new (class extends RateLimitStore {
      take(): Promise<TokenGrant> {
        return new Promise(() => undefined);
      }
    })();
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, { now: () => 0 }, hanging);
    await expect(limiter.consume('AK1')).resolves.toBeUndefined();
    expect(await outcome(limiter, 'AK1')).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('limits per replica while the shared buckets fail, and asks them again after 5 s', async () => {
    let now = 0;
    const store = new CountingStore();
    store.failing = true;
    const limiter = new RateLimiter({ perSecond: 1, burst: 2 }, { now: () => now }, store);
    expect([await outcome(limiter, 'AK1'), await outcome(limiter, 'AK1')]).toEqual(['ok', 'ok']);
    expect(await outcome(limiter, 'AK1')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(store.wants).toHaveLength(1); // not asked again while it is marked down
    store.failing = false;
    now = 5_000;
    await limiter.consume('AK1');
    expect(store.wants).toHaveLength(2);
  });
});
