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
});
