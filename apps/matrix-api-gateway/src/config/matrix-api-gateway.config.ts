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

export const MATRIX_API_GATEWAY_ENV = { ...serviceEnv(8080), ...natsEnv, ...databaseEnv };

export interface MatrixApiGatewayConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): MatrixApiGatewayConfig {
  const e = loadEnv(MATRIX_API_GATEWAY_ENV, source);
  return { ...serviceConfig('matrix-api-gateway', e), nats: natsConfig(e), db: databaseConfig(e) };
}
