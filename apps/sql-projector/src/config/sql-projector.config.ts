import {
  databaseConfig,
  databaseEnv,
  loadEnv,
  natsConfig,
  natsEnv,
  serviceConfig,
  serviceEnv,
  type DatabaseConfig,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

export const SQL_PROJECTOR_ENV = { ...serviceEnv(8085), ...natsEnv, ...databaseEnv };

export interface SqlProjectorConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): SqlProjectorConfig {
  const e = loadEnv(SQL_PROJECTOR_ENV, source);
  return { ...serviceConfig('sql-projector', e), nats: natsConfig(e), db: databaseConfig(e) };
}
