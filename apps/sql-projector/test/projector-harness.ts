import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  CommandBus,
  deleteKvBuckets,
  deleteTopology,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
  type Topology,
} from '@matrix/messaging';
import { Database, runMigrations } from '@matrix/persistence';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from '@matrix/testing';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/sql-projector.config';
import { persistenceOptions } from '../src/persistence-options';
import { RETAIN_FOREVER } from './projector-fixtures';

export interface ProjectorHarnessOptions {
  /** The streams and consumers provisioned (default MATRIX_TOPOLOGY), e.g. with a shorter duplicate window. */
  topology?: Topology;
  /** Variables added to (or overriding) the service's environment. */
  env?: Record<string, string>;
  /** Runs once the topology and KV buckets exist, before the app is created (e.g. to seed a KV bucket). */
  beforeApp?: (harness: ProjectorHarness) => Promise<void> | void;
  /** Runs on the created app before `app.init()` starts its consumers (e.g. to spy on a repository). */
  beforeInit?: (app: INestApplication) => Promise<void> | void;
}

const quiet = { error: () => undefined, warn: () => undefined, log: () => undefined } as never;

/**
 * sql-projector in-process on a fresh database (its migrations run) and NATS namespace with the topology
 * and KV buckets provisioned; retention is off (RETAIN_FOREVER) and so is compaction, so no sweep or
 * rebuild races a test's rows.
 */
export class ProjectorHarness {
  db!: TestDatabase;
  nats!: NatsClient;
  app!: INestApplication;
  /** The app's own pool on the test database. */
  sql!: Database;
  commands!: CommandBus;

  /** The service's environment (set by `start`), e.g. for a second instance on the same database. */
  env: Record<string, string> = {};

  constructor(
    private readonly label: string,
    private readonly options: ProjectorHarnessOptions = {},
  ) {}

  private get topology(): Topology {
    return this.options.topology ?? MATRIX_TOPOLOGY;
  }

  async start(): Promise<this> {
    this.db = await createTestDatabase(this.label);
    const namespace = uniqueNamespace(this.label);
    this.env = {
      DATABASE_URL: this.db.url,
      NATS_URL: testNatsUrl(),
      NATS_NAMESPACE: namespace,
      LOG_LEVEL: 'error',
      ...RETAIN_FOREVER,
      // No REINDEX runs under a test's rows (test/compaction.integration-spec.ts tests the job itself).
      COMPACTION_ENABLED: 'false',
      ...this.options.env,
    };
    await runMigrations(persistenceOptions(loadConfig(this.env)));
    this.nats = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${this.label}`,
      namespace,
    }).connect();
    await provisionTopology(this.nats.jsm, this.topology, this.nats.namespace);
    await provisionKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
    this.commands = new CommandBus(this.nats, quiet);
    await this.options.beforeApp?.(this);
    this.app = await this.createApp({}, this.options.beforeInit);
    this.sql = this.app.get(Database);
    return this;
  }

  /** Another sql-projector on this harness's database and namespace (initialised; the caller closes it). */
  async createApp(
    env: Record<string, string> = {},
    beforeInit?: (app: INestApplication) => Promise<void> | void,
  ): Promise<INestApplication> {
    const app = await NestFactory.create(AppModule.forRoot(loadConfig({ ...this.env, ...env })), {
      logger: false,
    });
    await beforeInit?.(app);
    await app.init();
    return app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    if (this.nats) {
      await deleteTopology(this.nats.jsm, this.topology, this.nats.namespace);
      await deleteKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
      await this.nats.drain();
    }
    await this.db?.drop();
  }
}
