import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { INCIDENT_SERVICE_ENV, loadConfig } from './incident-service.config';

describe('incident-service configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(
      path.join(__dirname, '../../README.md'),
      INCIDENT_SERVICE_ENV,
    );
    expect(actual).toBe(expected);
  });

  it('boots on the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      service: 'incident-service',
      nats: { servers: ['nats://127.0.0.1:4222'], namespace: '' },
      escalation: { sweepMs: 1000 },
      clock: { control: false },
    });
    expect(loadConfig({ CLOCK_CONTROL: 'on', ESCALATION_SWEEP_MS: '250' })).toMatchObject({
      escalation: { sweepMs: 250 },
      clock: { control: true },
    });
    expect(() => loadConfig({ CLOCK_CONTROL: 'yes', ESCALATION_SWEEP_MS: '0' })).toThrow(
      /ESCALATION_SWEEP_MS[\s\S]*CLOCK_CONTROL/,
    );
  });

  it('refuses a bad port and a bad NATS URL in one error', () => {
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(/HTTP_PORT[\s\S]*NATS_URL/);
  });
});
