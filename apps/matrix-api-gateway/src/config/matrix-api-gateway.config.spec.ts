import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { MATRIX_API_GATEWAY_ENV, loadConfig } from './matrix-api-gateway.config';

describe('matrix-api-gateway configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(
      path.join(__dirname, '../../README.md'),
      MATRIX_API_GATEWAY_ENV,
    );
    expect(actual).toBe(expected);
  });

  it('boots on the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      service: 'matrix-api-gateway',
      nats: { servers: ['nats://127.0.0.1:4222'], namespace: '' },
    });
  });

  it('refuses a bad port and a bad NATS URL in one error', () => {
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(/HTTP_PORT[\s\S]*NATS_URL/);
  });
});
