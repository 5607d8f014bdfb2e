import { takeToken, type Bucket } from './token-bucket';

const limits = { perSecond: 2, burst: 3 };

describe('takeToken', () => {
  it('starts full and spends the burst, then refuses', () => {
    let bucket: Bucket | undefined;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = takeToken(bucket, 1_000, limits);
      outcomes.push(result.allowed);
      bucket = result.bucket;
    }
    expect(outcomes).toEqual([true, true, true, false]);
    expect(bucket?.tokens).toBe(0);
  });

  it('refills at perSecond and never beyond the burst', () => {
    const empty: Bucket = { tokens: 0, updatedMs: 0 };
    expect(takeToken(empty, 499, limits).allowed).toBe(false);
    const half = takeToken(empty, 500, limits);
    expect(half).toMatchObject({ allowed: true, bucket: { tokens: 0, updatedMs: 500 } });
    expect(takeToken(empty, 60_000, limits).bucket.tokens).toBe(2); // capped at 3, minus the one taken
  });

  it('tells how many whole seconds until a token is back, at least 1', () => {
    const slow = { perSecond: 0.1, burst: 1 };
    const refused = takeToken({ tokens: 0.25, updatedMs: 0 }, 0, slow);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 8 }); // 0.75 tokens at 0.1/s = 7.5 s
    expect(takeToken({ tokens: 0.9, updatedMs: 0 }, 0, limits)).toMatchObject({ retryAfterSeconds: 1 });
  });

  it('ignores a clock that goes backwards instead of minting tokens', () => {
    const result = takeToken({ tokens: 0, updatedMs: 10_000 }, 5_000, limits);
    expect(result.allowed).toBe(false);
  });
});
