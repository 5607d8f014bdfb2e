import {
  ConfigError,
  databaseConfig,
  databaseEnv,
  env,
  loadEnv,
  natsConfig,
  parseSecretKey,
  natsEnv,
  serviceConfig,
  serviceEnv,
  type DatabaseConfig,
  type EnvVar,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

// The key is parsed after loadEnv so that a bad value is never echoed into the error (loadEnv quotes
// what it was given).
const secretKeyVar: EnvVar<string> = {
  type: 'base64 (32 bytes)',
  description:
    'Master key that encrypts API credential secrets at rest (AES-256-GCM): base64 of 32 random bytes, e.g. `openssl rand -base64 32`. Required; `npm start` generates one for local use. Losing it invalidates every credential',
  required: true,
  parse: (raw) => raw,
};

export const MATRIX_API_GATEWAY_ENV = {
  ...serviceEnv(8080),
  ...natsEnv,
  ...databaseEnv,
  MATRIX_SECRET_KEY: secretKeyVar,
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
  const problems: string[] = [];
  let secretKey: Buffer | undefined;
  const rawKey = source['MATRIX_SECRET_KEY'];
  if (rawKey) {
    try {
      secretKey = parseSecretKey(rawKey);
    } catch (error) {
      problems.push(`MATRIX_SECRET_KEY (value not shown): ${(error as Error).message}`);
    }
  }
  let e: ReturnType<typeof loadEnv<typeof MATRIX_API_GATEWAY_ENV>> | undefined;
  try {
    e = loadEnv(MATRIX_API_GATEWAY_ENV, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.unshift(...error.problems);
  }
  if (problems.length > 0 || !e || !secretKey) throw new ConfigError(problems);
  return {
    ...serviceConfig('matrix-api-gateway', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    auth: {
      secretKey,
      rateLimit: { perSecond: e.RATE_LIMIT_PER_SECOND, burst: e.RATE_LIMIT_BURST },
    },
  };
}
