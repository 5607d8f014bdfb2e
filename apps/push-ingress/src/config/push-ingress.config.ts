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
  INGEST_AUTH: env.oneOf(
    '`required`: every batch needs `Authorization: Bearer <ingest key>` (keys from the INGEST_KEYS bucket); `disabled`: no authentication and no building/provider check, for local experiments only (a warning is logged at boot)',
    ['required', 'disabled'] as const,
    { default: 'required' },
  ),
};

export interface PushIngressConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly ingest: {
    readonly maxBodyBytes: number;
    readonly maxPoints: number;
    /** Whether batches must carry an ingest key (`disabled` is for local experiments only). */
    readonly auth: 'required' | 'disabled';
  };
}

export const PUSH_INGRESS_CONFIG = Symbol('PUSH_INGRESS_CONFIG');

export function loadConfig(source: NodeJS.ProcessEnv = process.env): PushIngressConfig {
  const e = loadEnv(PUSH_INGRESS_ENV, source);
  return {
    ...serviceConfig('push-ingress', e),
    nats: natsConfig(e),
    ingest: { maxBodyBytes: e.INGEST_MAX_BODY_BYTES, maxPoints: e.INGEST_MAX_POINTS, auth: e.INGEST_AUTH },
  };
}
