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

export const EVENT_ROUTER_ENV = { ...serviceEnv(8082), ...natsEnv, ...databaseEnv };

export interface EventRouterConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): EventRouterConfig {
  const e = loadEnv(EVENT_ROUTER_ENV, source);
  return { ...serviceConfig('event-router', e), nats: natsConfig(e), db: databaseConfig(e) };
}
