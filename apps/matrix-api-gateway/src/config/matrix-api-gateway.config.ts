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

const secretKey = secretKeyVar(
  'Master key that encrypts API credential secrets at rest (AES-256-GCM): base64 of 32 random bytes, e.g. `openssl rand -base64 32`. Required; `npm start` generates one for local use. Losing it invalidates every credential',
  true,
);

export const MATRIX_API_GATEWAY_ENV = {
  ...serviceEnv(8080),
  ...natsEnv,
  ...databaseEnv,
  MATRIX_SECRET_KEY: secretKey,
  RATE_LIMIT_PER_SECOND: env.int(
    'Requests per second each API credential may make, counted per gateway instance (token bucket refill)',
    { default: 50, min: 1, max: 100000 },
  ),
  RATE_LIMIT_BURST: env.int(
    'Requests a credential may make at once before the per-second rate applies (token bucket size), per instance',
    { default: 100, min: 1, max: 1000000 },
  ),
};

export interface AuthConfig {
  /** The decoded `MATRIX_SECRET_KEY` (32 bytes). */
  readonly secretKey: Buffer;
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
}

export interface MatrixApiGatewayConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  readonly auth: AuthConfig;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): MatrixApiGatewayConfig {
  // Required: loadEnvWithSecretKey has thrown when it is missing.
  const { values: e, secretKey: key } = loadEnvWithSecretKey(MATRIX_API_GATEWAY_ENV, source);
  return {
    ...serviceConfig('matrix-api-gateway', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    auth: {
      secretKey: key!,
      rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    },
  };
}
