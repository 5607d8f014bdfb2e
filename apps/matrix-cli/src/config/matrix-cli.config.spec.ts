import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { loadConfig, MATRIX_CLI_ENV } from './matrix-cli.config';

describe('matrix-cli configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(path.join(__dirname, '../../README.md'), MATRIX_CLI_ENV);
    expect(actual).toBe(expected);
  });

  it('provisions one replica by default and up to five on a cluster', () => {
    expect(loadConfig({}).streamReplicas).toBe(1);
    expect(loadConfig({ NATS_STREAM_REPLICAS: '3' }).streamReplicas).toBe(3);
    expect(() => loadConfig({ NATS_STREAM_REPLICAS: '7' })).toThrow(ConfigError);
  });

  it('splits a 7 GiB JetStream budget by default and reads per-stream overrides of size and retention', () => {
    expect(loadConfig({}).capacity).toEqual({ budgetBytes: 7 * 1024 ** 3, maxBytes: {}, maxAgeMs: {} });
    expect(
      loadConfig({
        NATS_JETSTREAM_BUDGET: '50GB',
        NATS_STREAM_MAX_BYTES: 'SENSOR_RAW=20GB,DEVICE_SLOTS=512MiB',
        NATS_STREAM_MAX_AGE: 'SENSOR_RAW=1d',
      }).capacity,
    ).toEqual({
      budgetBytes: 50 * 1024 ** 3,
      maxBytes: { SENSOR_RAW: 20 * 1024 ** 3, DEVICE_SLOTS: 512 * 1024 ** 2 },
      maxAgeMs: { SENSOR_RAW: 86_400_000 },
    });
  });

  it('names every bad capacity variable at once', () => {
    expect(() =>
      loadConfig({
        NATS_JETSTREAM_BUDGET: '8 gigs',
        NATS_STREAM_MAX_BYTES: 'raw=1GB',
        NATS_STREAM_MAX_AGE: 'SENSOR_RAW=1w',
      }),
    ).toThrow(
      /NATS_JETSTREAM_BUDGET="8 gigs": "8 gigs" is not a size[\s\S]*NATS_STREAM_MAX_BYTES="raw=1GB": "raw=1GB" must be NAME=value[\s\S]*NATS_STREAM_MAX_AGE="SENSOR_RAW=1w": "1w" is not a duration/,
    );
  });
});
