import {
  loadEnv,
  natsConfig,
  natsEnv,
  serviceConfig,
  serviceEnv,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

export const SENSOR_NORMALISER_ENV = { ...serviceEnv(8084), ...natsEnv };

export interface SensorNormaliserConfig extends ServiceConfig {
  readonly nats: NatsConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): SensorNormaliserConfig {
  const e = loadEnv(SENSOR_NORMALISER_ENV, source);
  return { ...serviceConfig('sensor-normaliser', e), nats: natsConfig(e) };
}
