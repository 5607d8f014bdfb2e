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

export const SQL_PROJECTOR_ENV = {
  ...serviceEnv(8085),
  ...natsEnv,
  ...databaseEnv,
  SQL_TENANT_URL: env.string(
    'PostgreSQL URL customers connect to (host, port, database, parameters such as sslmode; credentials ignored), for the connection strings of tenant roles; empty = the host, port and database of DATABASE_URL',
    { default: '', pattern: /^$|^postgres(ql)?:\/\/[^/?#]+\/[^/?#]+/ },
  ),
};

export const SQL_PROJECTOR_CONFIG = Symbol('SQL_PROJECTOR_CONFIG');

export interface SqlProjectorConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  /** Where tenant roles connect (docs/sql.md, Access): SQL_TENANT_URL, or undefined for DATABASE_URL's address. */
  readonly tenants: { readonly url?: string };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): SqlProjectorConfig {
  const e = loadEnv(SQL_PROJECTOR_ENV, source);
  return {
    ...serviceConfig('sql-projector', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    tenants: e.SQL_TENANT_URL ? { url: e.SQL_TENANT_URL } : {},
  };
}
