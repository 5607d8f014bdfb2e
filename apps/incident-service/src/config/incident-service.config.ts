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

export const INCIDENT_SERVICE_ENV = { ...serviceEnv(8083), ...natsEnv, ...databaseEnv };

export interface IncidentServiceConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): IncidentServiceConfig {
  const e = loadEnv(INCIDENT_SERVICE_ENV, source);
  return { ...serviceConfig('incident-service', e), nats: natsConfig(e), db: databaseConfig(e) };
}
