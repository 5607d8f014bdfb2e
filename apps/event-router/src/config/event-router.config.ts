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
import { parseAllowList } from './allow-list';

const DAY_MS = 86_400_000;

const secretKey = secretKeyVar(
  'Master key that seals subscription signing secrets and endpoint credentials at rest (AES-256-GCM); the same key as the gateway’s. Without it they are stored as given (a warning at boot); `npm start` and the k8s manifests set it. Losing it makes sealed subscriptions undeliverable until their secrets are rotated and credentials set again',
  false,
);

export const EVENT_ROUTER_ENV = {
  ...serviceEnv(8082),
  ...natsEnv,
  ...databaseEnv,
  MATRIX_SECRET_KEY: secretKey,
  ROUTER_ALLOW_TARGETS: {
    ...env.string(
      'Targets exempt from the SSRF guard, where plain http is allowed too: comma-separated CIDR ranges or addresses, `loopback`, `private`; empty in production',
      { default: '' },
    ),
    parse(raw: string): string {
      parseAllowList(raw);
      return raw;
    },
  },
  ROUTER_LEASE_MS: env.int(
    'How long a replica holds a subscription’s delivery lease without renewing it (another replica takes over after that)',
    { default: 15_000, min: 1000, max: 600_000 },
  ),
  ROUTER_DISABLE_AFTER_MS: env.int(
    'A subscription whose every attempt failed for this long is disabled (operator event SUBSCRIPTION_DISABLED)',
    { default: 5 * DAY_MS, min: 1000 },
  ),
  ROUTER_RETENTION_DAYS: env.int('Finished batches and their attempts are kept this many days', {
    default: 7,
    min: 1,
    max: 365,
  }),
  ROUTER_RELAXED_POOL_MAX: env.int(
    'Connections of the second pool (`synchronous_commit = off`) for attempt records and lease renewals, besides DATABASE_POOL_MAX',
    { default: 4, min: 1, max: 200 },
  ),
  ROUTER_MAX_SUBSCRIPTIONS_PER_REPLICA: env.int(
    'Subscriptions one replica delivers at most at once (the rest are left to other replicas)',
    { default: 5000, min: 1 },
  ),
};

export interface RouterConfig {
  readonly allowTargets: string;
  readonly leaseMs: number;
  readonly disableAfterMs: number;
  readonly retentionDays: number;
  readonly maxSubscriptions: number;
  /** Connections of DeliveryRepository's `synchronous_commit = off` pool. */
  readonly relaxedPoolMax: number;
}

export interface EventRouterConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  readonly router: RouterConfig;
  /** The decoded `MATRIX_SECRET_KEY` (32 bytes), when given. */
  readonly secretKey?: Buffer;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): EventRouterConfig {
  const { values: e, secretKey } = loadEnvWithSecretKey(EVENT_ROUTER_ENV, source);
  return {
    ...(secretKey ? { secretKey } : {}),
    ...serviceConfig('event-router', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    router: {
      allowTargets: e.ROUTER_ALLOW_TARGETS,
      leaseMs: e.ROUTER_LEASE_MS,
      disableAfterMs: e.ROUTER_DISABLE_AFTER_MS,
      retentionDays: e.ROUTER_RETENTION_DAYS,
      maxSubscriptions: e.ROUTER_MAX_SUBSCRIPTIONS_PER_REPLICA,
      relaxedPoolMax: e.ROUTER_RELAXED_POOL_MAX,
    },
  };
}
