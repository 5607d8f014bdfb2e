import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import {
  actionCommandV1,
  WORKFORCE_ACTIONS_SUBJECT,
  type ActionCommandReplyV1,
  type ActionCommandV1,
  type MatrixEventV1,
} from '@matrix/contracts';
import {
  CommandBus,
  CommandFailedError,
  deleteKvBuckets,
  deleteTopology,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
} from '@matrix/messaging';
import { runMigrations } from '@matrix/persistence';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from '@matrix/testing';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/clock/clock';
import { loadConfig } from '../src/config/incident-service.config';
import { persistenceOptions } from '../src/persistence-options';

export type Answer = { ok: true; reply: ActionCommandReplyV1 } | { ok: false; code: string; message: string };

/** The building every workforce spec works in (what the gateway resolves and forwards). */
const B1 = { pid: 'b1', org: 'ACME', propId: 'p1', name: 'HQ', timeZone: 'Asia/Singapore' };

/** The command the gateway forwards for `op` in building B1, from an admin of its property. */
export const workforceCommand = (
  op: string,
  args: Record<string, unknown>,
  zones: ActionCommandV1['zones'] = {},
  extra: Partial<ActionCommandV1> = {},
): ActionCommandV1 => ({
  module: 'scworkforcemanagement',
  op,
  org: 'ACME',
  pid: 'b1',
  propid: 'p1',
  args,
  caller: { accessKey: 'AK1', org: 'ACME', property: 'p1', role: 'admin' },
  building: B1,
  zones,
  ...extra,
});

/** The reply's `data` of an answer that must have succeeded. */
export function dataOf(answer: Answer): Record<string, any> {
  if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
  return answer.reply.data as Record<string, any>;
}

const quiet = { error: () => undefined, warn: () => undefined, log: () => undefined } as never;

/**
 * incident-service on a fresh database (its migrations run) and NATS namespace, driven with the typed
 * command the gateway forwards; every Matrix event it publishes under `matrix.>` is collected.
 */
export class WorkforceHarness {
  db!: TestDatabase;
  nats!: NatsClient;
  app!: INestApplication;
  sql!: Client;
  commands!: CommandBus;
  readonly events: { subject: string; event: MatrixEventV1 }[] = [];

  /** The service's environment (set by `start`), e.g. for a second instance on the same database. */
  env: Record<string, string> = {};

  /** `clock` replaces the service's clock (a test clock the spec moves); `env` adds variables. */
  constructor(
    private readonly label: string,
    private readonly options: { clock?: Clock; env?: Record<string, string> } = {},
  ) {}

  async start(): Promise<this> {
    this.db = await createTestDatabase(this.label);
    const namespace = uniqueNamespace(this.label);
    const env = {
      DATABASE_URL: this.db.url,
      NATS_URL: testNatsUrl(),
      NATS_NAMESPACE: namespace,
      LOG_LEVEL: 'error',
      ...this.options.env,
    };
    this.env = env;
    await runMigrations(persistenceOptions(loadConfig(env)));
    this.nats = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${this.label}`,
      namespace,
    }).connect();
    await provisionTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
    await provisionKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
    this.nats.nc.subscribe(this.nats.namespace.subject('matrix.>'), {
      callback: (_error, message) => {
        this.events.push({
          subject: this.nats.namespace.strip(message.subject),
          event: message.json<MatrixEventV1>(),
        });
      },
    });
    await this.nats.nc.flush();
    this.commands = new CommandBus(this.nats, quiet);
    this.sql = new Client({ connectionString: this.db.url });
    await this.sql.connect();
    this.app = await this.createApp();
    return this;
  }

  /** Another incident-service on this harness's database and namespace (initialised; the caller closes it). */
  async createApp(env: Record<string, string> = {}): Promise<INestApplication> {
    const module = AppModule.forRoot(loadConfig({ ...this.env, ...env }));
    const app = this.options.clock
      ? (
          await Test.createTestingModule({ imports: [module] })
            .overrideProvider(Clock)
            .useValue(this.options.clock)
            .compile()
        ).createNestApplication({ logger: false })
      : await NestFactory.create(module, { logger: false });
    await app.init();
    return app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.sql?.end();
    if (this.nats) {
      await deleteTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
      await deleteKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
      await this.nats.drain();
    }
    await this.db?.drop();
  }

  /** Sends the forwarded command and answers its reply or its refusal. */
  async call(command: ActionCommandV1): Promise<Answer> {
    try {
      return {
        ok: true,
        reply: await this.commands.request(actionCommandV1(WORKFORCE_ACTIONS_SUBJECT, 5_000), command),
      };
    } catch (error) {
      if (error instanceof CommandFailedError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }

  async count(table: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: string }>(
      `select count(*)::text as n from workforce.${table}`,
    );
    return Number(rows[0]!.n);
  }
}
