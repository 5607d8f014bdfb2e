import { Client } from 'pg';
import {
  deleteKvBuckets,
  deleteTopology,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
} from '@matrix/messaging';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from '@matrix/testing';
import { Platform, SERVICES, type ServiceName } from './platform-process';

/**
 * One e2e suite's platform on its own database and NATS namespace: `start` creates them, provisions
 * and migrates, lets the suite seed buckets (`seed`) before the services start, then starts the built
 * services and opens a SQL client; `stop` stops the services with SIGTERM, removes everything and
 * answers each service's exit code.
 */
export class PlatformSuite {
  readonly namespace: string;
  database?: TestDatabase;
  platform?: Platform;
  nats?: NatsClient;
  sql?: Client;

  /**
   * `nats`: a NATS server of the suite's own instead of the test run's, and each user's nkey seed file
   * (the services', and matrix-cli's, which the suite's own client uses too).
   */
  constructor(
    private readonly label: string,
    readonly services: readonly ServiceName[] = SERVICES,
    private readonly env: NodeJS.ProcessEnv = {},
    private readonly ownNats?: { url: string; seedFile: (user: string) => string },
  ) {
    this.namespace = uniqueNamespace(label);
  }

  async start(
    seed?: (nats: NatsClient) => Promise<void>,
  ): Promise<{ platform: Platform; nats: NatsClient; sql: Client }> {
    this.database = await createTestDatabase(this.label);
    const natsUrl = this.ownNats?.url ?? testNatsUrl();
    const seedFile = this.ownNats?.seedFile;
    const platform = new Platform(
      {
        NATS_URL: natsUrl,
        NATS_NAMESPACE: this.namespace,
        DATABASE_URL: this.database.url,
        LOG_LEVEL: 'warn',
        // sql-projector's retention off: the suites write the documented examples' 2022 days, older than
        // its default retention, and a restarted projector runs a round at once.
        SQL_RETENTION_SENSOR_DATA_DAYS: '0',
        SQL_RETENTION_EVENTS_DAYS: '0',
        SQL_RETENTION_SENSOR_DATA_15M_DAYS: '0',
        ...this.env,
      },
      (app) => (seedFile ? { NATS_NKEY_SEED_FILE: seedFile(app) } : {}),
    );
    this.platform = platform;
    await platform.provision(this.services);
    const nats = await new NatsClient({
      servers: [natsUrl],
      name: `e2e-${this.label}`,
      namespace: this.namespace,
      ...(seedFile ? { credentials: { kind: 'nkey' as const, seedFile: seedFile('matrix-cli') } } : {}),
    }).connect();
    this.nats = nats;
    await seed?.(nats);
    await platform.startServices(this.services);
    const sql = new Client({ connectionString: this.database.url });
    await sql.connect();
    this.sql = sql;
    return { platform, nats, sql };
  }

  async stop(): Promise<Record<string, number | null>> {
    const codes = this.platform ? await this.platform.stop() : {};
    await this.sql?.end();
    if (this.nats) {
      await deleteTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
      await deleteKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
      await this.nats.drain();
    }
    await this.database?.drop();
    return codes;
  }
}
