import { ConfigError, env } from './env-schema';
import { tracingConfig, tracingEnv, type TracingConfig, type TracingEnvValues } from './tracing-env';

/** Variables every service reads, so names match across services. */
export function serviceEnv(defaultPort: number) {
  return {
    HTTP_HOST: env.string('Interface the HTTP server (API, health, metrics) listens on', {
      default: '0.0.0.0',
    }),
    HTTP_PORT: env.int('Port of the HTTP server', { default: defaultPort, min: 1, max: 65535 }),
    METRICS_PORT: env.int(
      'Port of a second listener serving only `/metrics` and `/health/*` (Kubernetes scrapes and probes); 0 or `HTTP_PORT` = none, both on `HTTP_PORT`. When set, `HTTP_PORT` answers 404 to `/metrics`',
      { default: 0, min: 0, max: 65535 },
    ),
    LOG_LEVEL: env.oneOf(
      'Lowest level logged (JSON lines on stdout)',
      ['debug', 'info', 'warn', 'error'] as const,
      {
        default: 'info',
      },
    ),
    SHUTDOWN_TIMEOUT_MS: env.int('Longest a graceful shutdown waits for in-flight work before exiting', {
      default: 25000,
      min: 1000,
    }),
    ...tracingEnv,
  };
}

export const natsEnv = {
  NATS_URL: env.url('NATS server URL(s), comma-separated', ['nats', 'tls'], {
    default: 'nats://127.0.0.1:4222',
  }),
  NATS_NAMESPACE: env.string(
    'Prefix for subjects (`<ns>.`) and stream names (`<NS>_`) so several deployments can share one NATS account; empty = the documented subjects',
    { default: '', pattern: /^[a-z0-9_]*$/ },
  ),
  NATS_NKEY_SEED_FILE: env.file(
    "File holding this service's NATS nkey seed (`SU…`, from a Secret; docs/nats-security.md); unset = connect without credentials (a local server without users)",
  ),
  NATS_CREDS_FILE: env.file(
    'Instead of `NATS_NKEY_SEED_FILE`: a `.creds` file (user JWT and seed) for a NATS server in operator/JWT mode',
  ),
  NATS_TLS_CA_FILE: env.file(
    "PEM file of the CA that signed the NATS server's certificate (with `tls://` URLs); unset = the system's trust store",
  ),
  NATS_TLS_CERT_FILE: env.file(
    'PEM client certificate, when the NATS server verifies clients (`verify: true`); with `NATS_TLS_KEY_FILE`',
  ),
  NATS_TLS_KEY_FILE: env.file('PEM private key of `NATS_TLS_CERT_FILE`'),
};

export const databaseEnv = {
  DATABASE_URL: env.url('PostgreSQL connection URL', ['postgres', 'postgresql'], {
    default: 'postgres://postgres@127.0.0.1:5432/matrix',
  }),
  DATABASE_POOL_MAX: env.int('Connections in the pool', { default: 10, min: 1, max: 200 }),
};

export interface ServiceConfig {
  readonly service: string;
  readonly http: { readonly host: string; readonly port: number };
  /** METRICS_PORT: `/metrics` and `/health/*` on their own listener (and `/metrics` off the public port). */
  readonly metricsPort?: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly shutdownTimeoutMs: number;
  readonly tracing: TracingConfig;
}

export interface NatsConfig {
  readonly servers: string[];
  readonly namespace: string;
  readonly credentials:
    | { readonly kind: 'none' }
    | { readonly kind: 'nkey'; readonly seedFile: string }
    | { readonly kind: 'creds'; readonly credsFile: string };
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string };
}

export interface DatabaseConfig {
  readonly url: string;
  readonly poolMax: number;
}

type ServiceEnvValues = TracingEnvValues & {
  HTTP_HOST: string;
  HTTP_PORT: number;
  METRICS_PORT: number;
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error';
  SHUTDOWN_TIMEOUT_MS: number;
};

/** Maps the shared variables to the nested config every service carries. */
export function serviceConfig(service: string, e: ServiceEnvValues): ServiceConfig {
  return {
    service,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    ...(e.METRICS_PORT > 0 && e.METRICS_PORT !== e.HTTP_PORT ? { metricsPort: e.METRICS_PORT } : {}),
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    tracing: tracingConfig(service, e),
  };
}

export function natsConfig(e: {
  NATS_URL: string;
  NATS_NAMESPACE: string;
  NATS_NKEY_SEED_FILE?: string;
  NATS_CREDS_FILE?: string;
  NATS_TLS_CA_FILE?: string;
  NATS_TLS_CERT_FILE?: string;
  NATS_TLS_KEY_FILE?: string;
}): NatsConfig {
  const problems: string[] = [];
  if (e.NATS_NKEY_SEED_FILE && e.NATS_CREDS_FILE) {
    problems.push('NATS_NKEY_SEED_FILE and NATS_CREDS_FILE: set one of them, not both');
  }
  if (Boolean(e.NATS_TLS_CERT_FILE) !== Boolean(e.NATS_TLS_KEY_FILE)) {
    problems.push('NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE: set both or neither');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const credentials: NatsConfig['credentials'] = e.NATS_NKEY_SEED_FILE
    ? { kind: 'nkey', seedFile: e.NATS_NKEY_SEED_FILE }
    : e.NATS_CREDS_FILE
      ? { kind: 'creds', credsFile: e.NATS_CREDS_FILE }
      : { kind: 'none' };
  const tls = {
    ...(e.NATS_TLS_CA_FILE ? { caFile: e.NATS_TLS_CA_FILE } : {}),
    ...(e.NATS_TLS_CERT_FILE ? { certFile: e.NATS_TLS_CERT_FILE } : {}),
    ...(e.NATS_TLS_KEY_FILE ? { keyFile: e.NATS_TLS_KEY_FILE } : {}),
  };
  return {
    servers: e.NATS_URL.split(',').map((s) => s.trim()),
    namespace: e.NATS_NAMESPACE,
    credentials,
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  };
}

export function databaseConfig(e: { DATABASE_URL: string; DATABASE_POOL_MAX: number }): DatabaseConfig {
  return { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX };
}
