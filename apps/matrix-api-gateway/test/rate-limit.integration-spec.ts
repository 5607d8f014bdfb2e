import type { INestApplication } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/matrix-api-gateway.config';
import { createGatewayApp } from '../src/gateway-http-adapter';
import { GatewayHarness, type Keys } from './gateway-harness';

const BURST = 6;

/** A REST v1 read with Basic credentials against one replica; answers the status. */
async function read(baseUrl: string, keys: Keys, propid: string): Promise<number> {
  const response = await fetch(`${baseUrl}/v1/properties/${propid}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${keys.accessKey}:${keys.secretKey}`).toString('base64')}`,
    },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the rate limit shared by gateway replicas (PostgreSQL buckets)', () => {
  const harness = new GatewayHarness(
    'rate-limit',
    {},
    {
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: String(BURST),
    },
  );
  let second: INestApplication;
  let secondUrl: string;

  beforeAll(async () => {
    await harness.start();
    second = await createGatewayApp(AppModule.forRoot(loadConfig(harness.env)), { logger: false });
    await second.listen(0, '127.0.0.1');
    secondUrl = (await second.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await second?.close();
    await harness.stop();
  });

  it('admits one key its burst in total across two replicas, not a burst per replica', async () => {
    const keys = await harness.readKey();
    const started = Date.now();
    const statuses: { replica: number; status: number }[] = [];
    for (let i = 0; i < 4 * BURST; i += 1) {
      const replica = i % 2;
      statuses.push({
        replica,
        status: await read(replica ? secondUrl : harness.url, keys, harness.tenant.propid),
      });
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    const admitted = statuses.filter((s) => s.status === 200);
    // The burst, plus the tokens refilled at 1/s while the requests ran; per replica it would be 2 × BURST.
    expect(admitted.length).toBeGreaterThanOrEqual(BURST);
    expect(admitted.length).toBeLessThanOrEqual(BURST + Math.ceil(elapsedSeconds));
    expect(new Set(admitted.map((s) => s.replica))).toEqual(new Set([0, 1]));
    expect(statuses.filter((s) => s.status !== 200).every((s) => s.status === 429)).toBe(true);
  });

  it('keeps GCRA buckets in registry.take_rate_tokens: burst, refill, retry-after, per key', async () => {
    const db = harness.app.get(Database);
    const take = async (key: string, want: number, nowMs: number) =>
      (
        await db.query<{ granted: number; retry_after_ms: number }>(
          'select granted, retry_after_ms from registry.take_rate_tokens($1, $2, 2, 3, $3)',
          [key, want, nowMs],
        )
      )[0];
    expect(await take('K1', 5, 0)).toEqual({ granted: 3, retry_after_ms: 0 });
    expect(await take('K1', 1, 0)).toEqual({ granted: 0, retry_after_ms: 500 });
    expect(await take('K1', 1, 250)).toEqual({ granted: 0, retry_after_ms: 250 });
    expect(await take('K1', 2, 500)).toEqual({ granted: 1, retry_after_ms: 0 });
    expect(await take('K2', 1, 500)).toEqual({ granted: 1, retry_after_ms: 0 });
    // Long idle: full again, never more than the burst.
    expect(await take('K1', 10, 60_000)).toEqual({ granted: 3, retry_after_ms: 0 });
    // A replica whose clock is behind cannot mint tokens: the bucket's time wins.
    expect(await take('K1', 1, 59_000)).toEqual({ granted: 0, retry_after_ms: 1_500 });
  });
});
