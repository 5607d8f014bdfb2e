import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { PUSH_INGRESS_ENV, loadConfig } from './push-ingress.config';

describe('push-ingress configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(
      path.join(__dirname, '../../README.md'),
      PUSH_INGRESS_ENV,
    );
    expect(actual).toBe(expected);
  });

  it('boots on the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      service: 'push-ingress',
      nats: { servers: ['nats://127.0.0.1:4222'], namespace: '' },
      ingest: { auth: 'required' },
    });
  });

  it('turns ingest authentication off only when asked to, and refuses anything else', () => {
    expect(loadConfig({ INGEST_AUTH: 'disabled' }).ingest.auth).toBe('disabled');
    expect(() => loadConfig({ INGEST_AUTH: 'off' })).toThrow(/INGEST_AUTH/);
  });

  it('refuses a bad port and a bad NATS URL in one error', () => {
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(/HTTP_PORT[\s\S]*NATS_URL/);
  });
});
