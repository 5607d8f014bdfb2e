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
  type EnvVar,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

const secretKey = secretKeyVar(
  'Master key that encrypts API credential secrets at rest (AES-256-GCM): base64 of 32 random bytes, e.g. `openssl rand -base64 32`. Required; `npm start` generates one for local use. Losing it invalidates every credential',
  true,
);

/** A host name, an IPv4 address or a bracketed IPv6 one, an optional port, then optional path segments. */
const PUBLIC_BASE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/;

/**
 * What is wrong with `value` as the `base` of the SDKs' service discovery (reference §4.1, §6), which
 * they complete as `https://<base>/<module>/<version>/actions`: so no scheme and no trailing slash.
 * Undefined when it is one.
 */
export function publicBaseProblem(value: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    return 'must not start with a scheme: the SDKs prepend https:// (e.g. api.example.com/prod/v2)';
  }
  if (value.endsWith('/')) return 'must not end with /: the SDKs append /<module>/<version>/actions';
  if (!PUBLIC_BASE.test(value)) return 'must be host[:port][/path], e.g. api.example.com/prod/v2';
  return undefined;
}

const publicBase: EnvVar<string> = {
  type: 'host[:port][/path]',
  description:
    "The `base` that `GET /matrix/utils/modules/moduleversions.json` answers: where SDKs reach this gateway's actions API from outside, without a scheme (the SDKs prepend `https://`), e.g. `api.example.com/prod/v2`. Unset: each request's `Host` header + `/prod/v2`. Set it behind a proxy or load balancer",
  parse(raw) {
    const problem = publicBaseProblem(raw);
    if (problem) throw new Error(problem);
    return raw;
  },
};

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
  GATEWAY_PUBLIC_BASE: publicBase,
};

export interface AuthConfig {
  /** The decoded `MATRIX_SECRET_KEY` (32 bytes). */
  readonly secretKey: Buffer;
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
}

export interface DiscoveryConfig {
  /** `GATEWAY_PUBLIC_BASE`; undefined: derived from each request's `Host` header. */
  readonly publicBase?: string;
}

export interface MatrixApiGatewayConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  readonly auth: AuthConfig;
  readonly discovery: DiscoveryConfig;
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
    discovery: { publicBase: e.GATEWAY_PUBLIC_BASE },
  };
}
