import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { formatIngestKey, HEADER, newIngestSecret } from '@matrix/contracts';
import {
  deleteKvBuckets,
  deleteTopology,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
} from '@matrix/messaging';
import {
  deleteIngestKey,
  expectEventually,
  putIngestKey,
  testNatsUrl,
  uniqueNamespace,
  type TestIngestKey,
} from '@matrix/testing';
import { AppModule } from '../src/app.module';
import { IngestKeyDirectory } from '../src/auth/ingest-key-directory';
import { loadConfig } from '../src/config/push-ingress.config';

/*
 * push-ingress (its whole app module, on a random port) against the real nats-server, on a namespaced
 * topology and INGEST_KEYS bucket; keys are put into the bucket as the gateway's outbox relay puts them.
 */

const BUILDING = 'a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f';

const point = (overrides: Record<string, unknown> = {}) => ({
  DEVID: 'pc-lobby',
  DevType: 'SMARTCLEAN#PPLCTR',
  unixT: Date.parse('2026-11-26T08:15:30Z'),
  v: { count: 2, out_count: 0 },
  PID: BUILDING,
  ...overrides,
});

class IngressHarness {
  client!: NatsClient;
  app!: INestApplication;
  url!: string;
  private namespace!: string;

  constructor(private readonly label: string) {}

  async start(options: { bucket: boolean; env?: NodeJS.ProcessEnv }): Promise<this> {
    this.namespace = uniqueNamespace(this.label);
    this.client = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${this.label}`,
      namespace: this.namespace,
    }).connect();
    await provisionTopology(this.client.jsm, MATRIX_TOPOLOGY, this.client.namespace);
    if (options.bucket) await this.provisionBucket();
    const config = loadConfig({
      NATS_URL: testNatsUrl(),
      NATS_NAMESPACE: this.namespace,
      LOG_LEVEL: 'error',
      ...options.env,
    });
    this.app = await NestFactory.create(AppModule.forRoot(config), { logger: false, bodyParser: false });
    await this.app.listen(0, '127.0.0.1');
    this.url = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
    return this;
  }

  provisionBucket(): Promise<unknown> {
    return provisionKvBuckets(this.client.nc, MATRIX_KV_BUCKETS, this.client.namespace);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    if (this.client) {
      await deleteTopology(this.client.jsm, MATRIX_TOPOLOGY, this.client.namespace);
      await deleteKvBuckets(this.client.nc, MATRIX_KV_BUCKETS, this.client.namespace);
      await this.client.drain();
    }
  }

  /** Registers a key and waits until push-ingress's directory has it. */
  async key(options: { pid?: string; provider?: string } = {}): Promise<TestIngestKey> {
    const key = await putIngestKey(this.client.nc, this.client.namespace, { pid: BUILDING, ...options });
    const directory = this.app.get(IngestKeyDirectory);
    await expectEventually(() => expect(directory.version).toBeGreaterThanOrEqual(key.revision));
    return key;
  }

  /** POSTs `body` as JSON, or a string as it is. */
  async post(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.url}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async ready(): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.url}/health/ready`);
    return { status: response.status, body: await response.json() };
  }

  /** Every message on the namespace's SENSOR_RAW stream, with its headers. */
  async rawMessages(): Promise<
    { subject: string; headers: Record<string, string | undefined>; body: string }[]
  > {
    const stream = this.client.namespace.stream('SENSOR_RAW');
    const info = await this.client.jsm.streams.info(stream);
    const messages = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
      const m = await this.client.jsm.streams.getMessage(stream, { seq });
      if (!m) continue;
      messages.push({
        subject: m.subject,
        headers: {
          key: m.header?.get(HEADER.ingestKeyId) || undefined,
          pid: m.header?.get(HEADER.ingestPid) || undefined,
        },
        body: new TextDecoder().decode(m.data),
      });
    }
    return messages;
  }
}

const bearer = (key: TestIngestKey | string) => ({
  authorization: `Bearer ${typeof key === 'string' ? key : key.key}`,
});

describe('push-ingress with INGEST_AUTH=required (the default)', () => {
  const h = new IngressHarness('ingest-auth');
  beforeAll(() => h.start({ bucket: true }));
  afterAll(() => h.stop());

  it('is ready once the ingest keys are loaded', async () => {
    await expectEventually(async () => expect((await h.ready()).status).toBe(200));
  });

  it('refuses a batch without a key with 401, a Bearer challenge and problem+json, and stores nothing', async () => {
    const response = await fetch(`${h.url}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([point()]),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="push-ingress"');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      title: 'Unauthorized',
      status: 401,
      detail: expect.stringContaining('Authorization: Bearer mik_<id>_<secret>'),
    });
    expect(await h.rawMessages()).toEqual([]);
  });

  it('refuses a malformed header, an unknown key and a wrong secret with 401 invalid_token', async () => {
    const key = await h.key();
    const wrongSecret = formatIngestKey(key.id, newIngestSecret());
    const unknown = formatIngestKey('zzzzzzzzzzzz', key.key.slice(-43));
    for (const [headers, detail] of [
      [{ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 'must be Bearer'],
      [bearer('mik_short'), 'not an ingest key'],
      [bearer(unknown), 'unknown or revoked ingest key zzzzzzzzzzzz'],
      [bearer(wrongSecret), `the secret of ingest key ${key.id} does not match`],
    ] as const) {
      const response = await h.post([point()], headers);
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status: 401,
        detail: expect.stringContaining(detail),
      });
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer realm="push-ingress", error="invalid_token"',
      );
    }
    expect(await h.rawMessages()).toEqual([]);
  });

  it('accepts a batch with a good key and stamps the key and its building on the raw messages', async () => {
    const key = await h.key();
    const response = await h.post(
      [point(), point({ unixT: Date.parse('2026-11-26T08:16:30Z') })],
      bearer(key),
    );
    expect(response).toMatchObject({ status: 202, body: { accepted: 2, duplicates: 0 } });
    const mine = (await h.rawMessages()).filter((m) => m.headers.key === key.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((m) => m.headers.pid === BUILDING)).toBe(true);
  });

  it('stores a body of point objects as it was posted, and the points serialised again when it rewrote one', async () => {
    const key = await h.key();
    const asSent = `[ ${JSON.stringify(point({ unixT: Date.parse('2026-11-26T08:17:30Z') }), null, 1)} ]`;
    expect((await h.post(asSent, bearer(key))).status).toBe(202);
    const legacy = point({ DevType: 'ODRDTR', v: { amm: 0.4, alc: 1.2, no2: 0.01 } });
    const strings = [JSON.stringify(point({ unixT: Date.parse('2026-11-26T08:18:30Z') }))];
    expect((await h.post([legacy], bearer(key))).status).toBe(202);
    expect((await h.post(strings, bearer(key))).status).toBe(202);
    const bodies = (await h.rawMessages()).filter((m) => m.headers.key === key.id).map((m) => m.body);
    expect(bodies).toEqual([
      asSent,
      JSON.stringify([{ ...legacy, DevType: 'SMARTCLEAN#ODRDTR' }]),
      JSON.stringify([JSON.parse(strings[0]!)]),
    ]);
  });

  it('holds a key to its building and provider', async () => {
    const key = await h.key({ provider: 'ACME' });
    const response = await h.post([point()], bearer(key));
    expect(response.status).toBe(403);
    expect(response.body.errors[0].problems[0]).toContain('provider SMARTCLEAN is not ACME');
    const elsewhere = await h.key({ pid: 'another-building' });
    expect((await h.post([point()], bearer(elsewhere))).status).toBe(403);
  });

  it('refuses a key within moments of its deletion from INGEST_KEYS (revocation)', async () => {
    const key = await h.key();
    expect((await h.post([point({ v: { count: 7, out_count: 0 } })], bearer(key))).status).toBe(202);
    await deleteIngestKey(h.client.nc, h.client.namespace, key.id);
    await expectEventually(async () => {
      const response = await h.post([point({ v: { count: 8, out_count: 0 } })], bearer(key));
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status: 401,
        detail: `unknown or revoked ingest key ${key.id}`,
      });
    });
  });

  it('checks the key before the body: an unauthenticated batch that is not JSON is still 401', async () => {
    const response = await fetch(`${h.url}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'not json',
    });
    expect(response.status).toBe(401);
  });
});

describe('push-ingress before the INGEST_KEYS bucket exists', () => {
  const h = new IngressHarness('ingest-auth-nobucket');
  beforeAll(() => h.start({ bucket: false }));
  afterAll(() => h.stop());

  it('answers 503 with Retry-After to a well-formed key, reports not ready naming the bucket, and recovers once provisioned', async () => {
    const key = formatIngestKey('abcdefgh2345', newIngestSecret());
    const early = await h.post([point()], bearer(key));
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('2');
    expect(early.body).toMatchObject({ title: 'Ingest keys loading', status: 503 });
    await expectEventually(async () => {
      const ready = await h.ready();
      expect(ready.status).toBe(503);
      expect(JSON.stringify(ready.body)).toContain(
        `KV bucket ${h.client.namespace.stream('INGEST_KEYS')} does not exist: run matrix-cli provision (is NATS_NAMESPACE right?)`,
      );
    });

    await h.provisionBucket();
    const registered = await h.key();
    expect((await h.post([point()], bearer(registered))).status).toBe(202);
    expect((await h.ready()).status).toBe(200);
  });
});

describe('push-ingress with INGEST_AUTH=disabled', () => {
  const h = new IngressHarness('ingest-auth-off');
  beforeAll(() => h.start({ bucket: false, env: { INGEST_AUTH: 'disabled' } }));
  afterAll(() => h.stop());

  it('accepts batches without a key, for any building, as the anonymous principal, and needs no bucket', async () => {
    await expectEventually(async () => expect((await h.ready()).status).toBe(200));
    const response = await h.post([point(), point({ PID: 'another-building', DEVID: 'pc-elsewhere' })]);
    expect(response).toMatchObject({ status: 202, body: { accepted: 2 } });
    const messages = await h.rawMessages();
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.headers.key === 'anonymous' && m.headers.pid === '*')).toBe(true);
  });
});
