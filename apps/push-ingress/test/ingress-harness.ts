import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HEADER } from '@matrix/contracts';
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

export const BUILDING = 'a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f';

export const point = (overrides: Record<string, unknown> = {}) => ({
  DEVID: 'pc-lobby',
  DevType: 'SMARTCLEAN#PPLCTR',
  unixT: Date.parse('2026-11-26T08:15:30Z'),
  v: { count: 2, out_count: 0 },
  PID: BUILDING,
  ...overrides,
});

export class IngressHarness {
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

export const bearer = (key: TestIngestKey | string) => ({
  authorization: `Bearer ${typeof key === 'string' ? key : key.key}`,
});
