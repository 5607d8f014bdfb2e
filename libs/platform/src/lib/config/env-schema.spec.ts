import { ConfigError, envTable, loadEnv } from './env-schema';
import { databaseEnv, natsEnv, serviceEnv } from './env-fragments';

const schema = { ...serviceEnv(8081), ...natsEnv, ...databaseEnv };

describe('loadEnv', () => {
  it('applies the documented defaults', () => {
    expect(loadEnv(schema, {})).toEqual({
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: 8081,
      METRICS_PORT: 0,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 25000,
      OTEL_TRACES_SAMPLER: 'parentbased_always_on',
      OTEL_BSP_SCHEDULE_DELAY: 5000,
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_NAMESPACE: '',
      NATS_NKEY_SEED_FILE: '',
      NATS_CREDS_FILE: '',
      NATS_TLS_CA_FILE: '',
      NATS_TLS_CERT_FILE: '',
      NATS_TLS_KEY_FILE: '',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/matrix',
      DATABASE_POOL_MAX: 10,
    });
  });

  it('lists every invalid variable in one error', () => {
    const error = (() => {
      try {
        loadEnv(schema, {
          HTTP_PORT: 'eighty',
          LOG_LEVEL: 'loud',
          NATS_URL: 'http://x',
          NATS_NAMESPACE: 'Has.Dots',
        });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      'HTTP_PORT="eighty": must be an integer',
      'LOG_LEVEL="loud": must be one of debug, info, warn, error',
      'NATS_URL="http://x": must use nats or tls://',
      'NATS_NAMESPACE="Has.Dots": must match /^[a-z0-9_]*$/',
    ]);
    expect(error.message).toContain('HTTP_PORT');
  });

  it('renders the README env table', () => {
    expect(envTable(serviceEnv(8085))).toContain(
      '| `HTTP_PORT` | integer | `8085` | Port of the HTTP server |',
    );
  });
});
