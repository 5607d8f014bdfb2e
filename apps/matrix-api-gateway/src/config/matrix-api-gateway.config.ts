import {
  ConfigError,
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
import { MEDIA_ENV, mediaConfig, type MediaConfig } from './media.config';

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
  // Empty = unset (a default, so deployments need not name it: docs and manifests read "(empty)").
  default: '',
  parse(raw) {
    if (raw === '') return raw;
    const problem = publicBaseProblem(raw);
    if (problem) throw new Error(problem);
    return raw;
  },
};

/** An optional http(s) URL (env.url is required, and these are off when unset). */
function optionalHttpUrl(description: string): EnvVar<string> {
  return {
    type: 'url',
    description,
    default: '',
    parse(raw) {
      if (raw === '') return raw;
      const url = new URL(raw);
      // Keys fetched over plain http could be swapped on the way: only a loopback address (tests) may use it.
      const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new Error('must use https:// (http:// only for a loopback address)');
      }
      return raw;
    },
  };
}

export const MATRIX_API_GATEWAY_ENV = {
  ...serviceEnv(8080),
  ...natsEnv,
  ...databaseEnv,
  MATRIX_SECRET_KEY: secretKey,
  RATE_LIMIT_PER_SECOND: env.int(
    'Requests per second each API credential may make, in total across all gateway replicas (token bucket refill; buckets in PostgreSQL)',
    { default: 50, min: 1, max: 100000 },
  ),
  RATE_LIMIT_BURST: env.int(
    'Requests a credential may make at once before the per-second rate applies (token bucket size), across all replicas',
    { default: 100, min: 1, max: 1000000 },
  ),
  ...MEDIA_ENV,
  GATEWAY_PUBLIC_BASE: publicBase,
  AUTH_OIDC_ISSUER: env.string(
    "User Bearer JWTs: the OIDC issuer whose tokens the gateway accepts, exactly as the tokens' `iss` claim. Unset (with the other `AUTH_OIDC_*`): user JWTs are refused. Set all three or none",
    { default: '' },
  ),
  AUTH_OIDC_AUDIENCE: env.string(
    "User Bearer JWTs: the audience a token's `aud` must contain (the client id or API identifier registered at the issuer)",
    { default: '' },
  ),
  AUTH_OIDC_JWKS_URL: optionalHttpUrl(
    "User Bearer JWTs: the issuer's JWKS (its `jwks_uri`), fetched when a token names a key not seen yet, at most once every 30 s",
  ),
};

/** The three `AUTH_OIDC_*` variables, or a configuration error naming those missing. */
function oidcConfig(e: {
  AUTH_OIDC_ISSUER?: string;
  AUTH_OIDC_AUDIENCE?: string;
  AUTH_OIDC_JWKS_URL?: string;
}): OidcConfig | undefined {
  const given = {
    AUTH_OIDC_ISSUER: e.AUTH_OIDC_ISSUER,
    AUTH_OIDC_AUDIENCE: e.AUTH_OIDC_AUDIENCE,
    AUTH_OIDC_JWKS_URL: e.AUTH_OIDC_JWKS_URL,
  };
  const missing = Object.entries(given)
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map(
        (name) =>
          `${name} is required when any AUTH_OIDC_* variable is set (user Bearer JWTs need issuer, audience and JWKS URL)`,
      ),
    );
  }
  return { issuer: e.AUTH_OIDC_ISSUER!, audience: e.AUTH_OIDC_AUDIENCE!, jwksUrl: e.AUTH_OIDC_JWKS_URL! };
}

/** Where user Bearer JWTs come from (see docs/authentication.md, "User JWTs"). */
export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
}

export interface AuthConfig {
  /** The decoded `MATRIX_SECRET_KEY` (32 bytes). */
  readonly secretKey: Buffer;
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** Undefined: user Bearer JWTs are refused. */
  readonly oidc?: OidcConfig;
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
  /** `MEDIA_STORE` and, for `s3`, the bucket. */
  readonly media: MediaConfig;
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
      oidc: oidcConfig(e),
    },
    discovery: { publicBase: e.GATEWAY_PUBLIC_BASE || undefined },
    media: mediaConfig(e),
  };
}
