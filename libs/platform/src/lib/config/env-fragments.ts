import { env } from './env-schema';

/** Variables every service reads, so names match across services. */
export function serviceEnv(defaultPort: number) {
  return {
    HTTP_HOST: env.string('Interface the HTTP server (API, health, metrics) listens on', {
      default: '0.0.0.0',
    }),
    HTTP_PORT: env.int('Port of the HTTP server', { default: defaultPort, min: 1, max: 65535 }),
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
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly shutdownTimeoutMs: number;
}

export interface NatsConfig {
  readonly servers: string[];
  readonly namespace: string;
}

export interface DatabaseConfig {
  readonly url: string;
  readonly poolMax: number;
}

type ServiceEnvValues = {
  HTTP_HOST: string;
  HTTP_PORT: number;
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error';
  SHUTDOWN_TIMEOUT_MS: number;
};

/** Maps the shared variables to the nested config every service carries. */
export function serviceConfig(service: string, e: ServiceEnvValues): ServiceConfig {
  return {
    service,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

export function natsConfig(e: { NATS_URL: string; NATS_NAMESPACE: string }): NatsConfig {
  return { servers: e.NATS_URL.split(',').map((s) => s.trim()), namespace: e.NATS_NAMESPACE };
}

export function databaseConfig(e: { DATABASE_URL: string; DATABASE_POOL_MAX: number }): DatabaseConfig {
  return { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX };
}
