import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { buildMatrixEvent, routingKeyOf, type MatrixPriority } from '@matrix/contracts';
import {
  CommandBus,
  deleteKvBuckets,
  deleteTopology,
  JetStreamPublisher,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
} from '@matrix/messaging';
import { runMigrations } from '@matrix/persistence';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from '@matrix/testing';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { loadConfig, type EventRouterConfig } from '../src/config/event-router.config';
import { persistenceOptions } from '../src/persistence-options';

/** One request a receiver got. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  status: number;
}

export type Reply = number | { status: number; headers?: Record<string, string>; body?: string };

/** A local HTTP endpoint on 127.0.0.1 (an ephemeral port) that records every POST and answers `reply()`. */
export class Receiver {
  readonly requests: Received[] = [];
  private server?: http.Server;
  url = '';
  /** Answers this long after a request arrived (it is recorded on arrival, with status 0 until answered). */
  delayMs = 0;

  constructor(public reply: (request: Received, index: number) => Reply = () => 200) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request: Received = {
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          status: 0,
        };
        const answer = this.reply(request, this.requests.length);
        const { status, headers, body } =
          typeof answer === 'number' ? { status: answer, headers: {}, body: undefined } : answer;
        this.requests.push(request);
        const respond = () => {
          request.status = status;
          res.writeHead(status, headers).end(body ?? (status < 300 ? 'ok' : `status ${status}`));
        };
        if (this.delayMs > 0) setTimeout(respond, this.delayMs);
        else respond();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Bodies of the requests answered 2xx, parsed. */
  delivered<T = unknown>(): T[][] {
    return this.requests
      .filter((r) => r.status >= 200 && r.status < 300)
      .map((r) => JSON.parse(r.body) as T[]);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A real NATS namespace and PostgreSQL database with the router's migrations and the topology. */
export class RouterEnvironment {
  /** Seals subscription secrets at rest, as in production. */
  readonly secretKey = randomBytes(32).toString('base64');
  database!: TestDatabase;
  namespace!: string;
  nats!: NatsClient;
  publisher!: JetStreamPublisher;
  commands!: CommandBus;
  sql!: Client;

  async start(label: string): Promise<this> {
    this.database = await createTestDatabase(label);
    this.namespace = uniqueNamespace(label);
    await runMigrations(persistenceOptions(this.config()));
    this.nats = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${label}`,
      namespace: this.namespace,
    }).connect();
    await provisionTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
    await provisionKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
    this.publisher = new JetStreamPublisher(this.nats);
    this.commands = new CommandBus(this.nats, {
      error: () => undefined,
      warn: () => undefined,
      log: () => undefined,
    } as never);
    this.sql = new Client({ connectionString: this.database.url });
    await this.sql.connect();
    return this;
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      DATABASE_URL: this.database.url,
      NATS_URL: testNatsUrl(),
      NATS_NAMESPACE: this.namespace,
      LOG_LEVEL: 'error',
      ROUTER_ALLOW_TARGETS: 'loopback',
      ROUTER_LEASE_MS: '3000',
      MATRIX_SECRET_KEY: this.secretKey,
      ...extra,
    };
  }

  config(extra: NodeJS.ProcessEnv = {}): EventRouterConfig {
    return loadConfig(this.env(extra));
  }

  async startRouter(extra: NodeJS.ProcessEnv = {}): Promise<INestApplication> {
    const app = await NestFactory.create(AppModule.forRoot(this.config(extra)), { logger: false });
    await app.init();
    return app;
  }

  /** Publishes a documented Matrix event on its routing key; `n` goes into Meta.N. */
  async publishEvent(
    principal: string,
    module: string,
    eventId: string,
    priority: MatrixPriority,
    n: number,
  ) {
    const event = buildMatrixEvent({
      principal,
      module,
      eventId,
      priority,
      description: `event ${n}`,
      occurredAt: new Date(),
      meta: { N: n },
    });
    return this.publisher.publish({
      subject: routingKeyOf({ principal, module, eventId, priority }),
      payload: event,
      msgId: `test:${principal}:${eventId}:${n}:${Date.now()}`,
    });
  }

  async stop(): Promise<void> {
    await this.sql?.end();
    if (this.nats) {
      await this.commands?.stop();
      await deleteTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
      await deleteKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
      await this.nats.drain();
    }
    await this.database?.drop();
  }
}

export const OWNER = { org: 'ORG1' };
