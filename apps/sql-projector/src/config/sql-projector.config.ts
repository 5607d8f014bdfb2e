import {
  databaseConfig,
  databaseEnv,
  env,
  loadEnv,
  natsConfig,
  natsEnv,
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
  SQL_RETENTION_SENSOR_DATA_DAYS: env.int(
    'Days matrix.sensor_data keeps a point: a monthly partition is dropped once all of its month is older; 0 = forever',
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
};

export const SQL_PROJECTOR_CONFIG = Symbol('SQL_PROJECTOR_CONFIG');

export interface SqlProjectorConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  /** Where tenant roles connect (docs/sql.md, Access): SQL_TENANT_URL, or undefined for DATABASE_URL's address. */
  readonly tenants: { readonly url?: string };
  /** Retention of the dedicated database's tables (docs/sql.md, Retention); 0 days = forever. */
  readonly retention: {
    readonly sensorDataDays: number;
    readonly eventsDays: number;
    readonly sensorData15mDays: number;
    readonly everyMs: number;
  };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): SqlProjectorConfig {
  const e = loadEnv(SQL_PROJECTOR_ENV, source);
  return {
    ...serviceConfig('sql-projector', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    tenants: e.SQL_TENANT_URL ? { url: e.SQL_TENANT_URL } : {},
    retention: {
      sensorDataDays: e.SQL_RETENTION_SENSOR_DATA_DAYS,
      eventsDays: e.SQL_RETENTION_EVENTS_DAYS,
      sensorData15mDays: e.SQL_RETENTION_SENSOR_DATA_15M_DAYS,
      everyMs: e.SQL_RETENTION_EVERY_MINUTES * 60_000,
    },
  };
}
