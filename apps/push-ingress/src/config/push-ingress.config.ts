import {
  env,
  loadEnv,
  natsConfig,
  natsEnv,
  serviceConfig,
  serviceEnv,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

export const PUSH_INGRESS_ENV = {
  ...serviceEnv(8081),
  ...natsEnv,
  INGEST_MAX_BODY_BYTES: env.int('Largest request body accepted; larger gets 413', {
    default: 5 * 1024 * 1024,
    min: 1024,
  }),
  INGEST_MAX_POINTS: env.int('Most data points in one batch; more gets 413', { default: 10000, min: 1 }),
};

export interface PushIngressConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly ingest: { readonly maxBodyBytes: number; readonly maxPoints: number };
}

export const PUSH_INGRESS_CONFIG = Symbol('PUSH_INGRESS_CONFIG');

export function loadConfig(source: NodeJS.ProcessEnv = process.env): PushIngressConfig {
  const e = loadEnv(PUSH_INGRESS_ENV, source);
  return {
    ...serviceConfig('push-ingress', e),
    nats: natsConfig(e),
    ingest: { maxBodyBytes: e.INGEST_MAX_BODY_BYTES, maxPoints: e.INGEST_MAX_POINTS },
  };
}
