import {
  databaseConfig,
  databaseEnv,
  env,
  loadEnvWithSecretKey,
  natsConfig,
  natsEnv,
  secretKeyVar,
  serviceConfig,
  serviceEnv,
  type DatabaseConfig,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

/** Longest retention one can set (100 years); 0 means forever. */
const MAX_RETENTION_DAYS = 36_500;

export const SQL_PROJECTOR_ENV = {
  ...serviceEnv(8085),
  ...natsEnv,
  ...databaseEnv,
  SQL_TENANT_URL: env.string(
    'PostgreSQL URL customers connect to (host, port, database, parameters such as sslmode; credentials ignored), for the connection strings of tenant roles; empty = the host, port and database of DATABASE_URL',
    { default: '', pattern: /^$|^postgres(ql)?:\/\/[^/?#]+\/[^/?#]+/ },
  ),
  MATRIX_SECRET_KEY: secretKeyVar(
    'Master key that seals the connection strings of customer-hosted sinks at rest (AES-256-GCM); the same key as the gateway’s. Without it a sink cannot be set (the command answers UNAVAILABLE) and sinks already set are not copied; `npm start` and the k8s manifests set it',
    false,
  ),
  SQL_SINK_POLL_MS: env.int(
    'Milliseconds a caught-up customer-hosted sink waits before it looks for new rows again',
    { default: 1000, min: 50, max: 60_000 },
  ),
  SQL_SINK_MAX_BACKOFF_SECONDS: env.int(
    'Longest wait between two attempts at a customer-hosted sink that keeps failing (the wait doubles from 1 s up to this, with jitter)',
    { default: 300, min: 1, max: 3600 },
  ),
  SQL_SINK_ROWS_PER_COPY: env.int(
    'Most rows of one table one copy step reads from the dedicated database and writes into a sink in one transaction',
    { default: 5000, min: 100, max: 100_000 },
  ),
  SQL_RETENTION_SENSOR_DATA_DAYS: env.int(
    'Days matrix.sensor_data keeps a point: a daily partition (a monthly one made before daily partitioning) is dropped once all of its range is older; 0 = forever',
    { default: 400, min: 0, max: MAX_RETENTION_DAYS },
  ),
  SQL_RETENTION_EVENTS_DAYS: env.int(
    'Days matrix.events keeps an event: a monthly partition is dropped once all of its month is older; 0 = forever',
    { default: 400, min: 0, max: MAX_RETENTION_DAYS },
  ),
  SQL_RETENTION_SENSOR_DATA_15M_DAYS: env.int(
    'Days matrix.sensor_data_15m keeps a 15-minute bucket (deleted in batches once older); 0 = forever',
    { default: 0, min: 0, max: MAX_RETENTION_DAYS },
  ),
  SQL_RETENTION_EVERY_MINUTES: env.int(
    'Minutes between retention rounds (one replica runs them, the first when it starts leading)',
    { default: 60, min: 1, max: 1440 },
  ),
  COMPACTION_ENABLED: env.oneOf(
    'Whether one replica rebuilds the indexes of each closed partition of matrix.sensor_data once (`REINDEX INDEX CONCURRENTLY`; docs/sql.md, Index compaction)',
    ['true', 'false'] as const,
    { default: 'true' },
  ),
  COMPACTION_INTERVAL_SECONDS: env.int(
    'Seconds between two compaction runs (the first when a replica starts leading)',
    {
      default: 600,
      min: 1,
      max: 86_400,
    },
  ),
  COMPACTION_GRACE_SECONDS: env.int(
    'Seconds after the end of a partition’s range before it is compacted (late points still go in afterwards)',
    { default: 3600, min: 0, max: 30 * 86_400 },
  ),
  COMPACTION_MAX_PER_RUN: env.int('Most partitions one compaction run rebuilds, oldest first', {
    default: 4,
    min: 1,
    max: 1000,
  }),
};

export const SQL_PROJECTOR_CONFIG = Symbol('SQL_PROJECTOR_CONFIG');

export interface SqlProjectorConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  /** Where tenant roles connect (docs/sql.md, Access): SQL_TENANT_URL, or undefined for DATABASE_URL's address. */
  readonly tenants: { readonly url?: string };
  /** The decoded `MATRIX_SECRET_KEY` (32 bytes), when given: it seals the sinks' connection strings. */
  readonly secretKey?: Buffer;
  /** Customer-hosted sinks (docs/sql.md, Customer-hosted sink). */
  readonly sinks: { readonly pollMs: number; readonly maxBackoffMs: number; readonly rowsPerCopy: number };
  /** Retention of the dedicated database's tables (docs/sql.md, Retention); 0 days = forever. */
  readonly retention: {
    readonly sensorDataDays: number;
    readonly eventsDays: number;
    readonly sensorData15mDays: number;
    readonly everyMs: number;
  };
  /** Compaction of closed partitions of matrix.sensor_data (docs/sql.md, Index compaction). */
  readonly compaction: {
    readonly enabled: boolean;
    readonly everyMs: number;
    readonly graceMs: number;
    readonly maxPerRun: number;
  };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): SqlProjectorConfig {
  const { values: e, secretKey } = loadEnvWithSecretKey(SQL_PROJECTOR_ENV, source);
  return {
    ...serviceConfig('sql-projector', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    tenants: e.SQL_TENANT_URL ? { url: e.SQL_TENANT_URL } : {},
    ...(secretKey ? { secretKey } : {}),
    sinks: {
      pollMs: e.SQL_SINK_POLL_MS,
      maxBackoffMs: e.SQL_SINK_MAX_BACKOFF_SECONDS * 1000,
      rowsPerCopy: e.SQL_SINK_ROWS_PER_COPY,
    },
    retention: {
      sensorDataDays: e.SQL_RETENTION_SENSOR_DATA_DAYS,
      eventsDays: e.SQL_RETENTION_EVENTS_DAYS,
      sensorData15mDays: e.SQL_RETENTION_SENSOR_DATA_15M_DAYS,
      everyMs: e.SQL_RETENTION_EVERY_MINUTES * 60_000,
    },
    compaction: {
      enabled: e.COMPACTION_ENABLED === 'true',
      everyMs: e.COMPACTION_INTERVAL_SECONDS * 1000,
      graceMs: e.COMPACTION_GRACE_SECONDS * 1000,
      maxPerRun: e.COMPACTION_MAX_PER_RUN,
    },
  };
}
