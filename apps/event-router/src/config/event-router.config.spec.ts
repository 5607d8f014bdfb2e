import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { EVENT_ROUTER_ENV, loadConfig } from './event-router.config';

describe('event-router configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(
      path.join(__dirname, '../../README.md'),
      EVENT_ROUTER_ENV,
    );
    expect(actual).toBe(expected);
  });

  it('boots on the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      service: 'event-router',
      nats: { servers: ['nats://127.0.0.1:4222'], namespace: '' },
    });
  });

  it('refuses a bad port and a bad NATS URL in one error', () => {
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(/HTTP_PORT[\s\S]*NATS_URL/);
  });
});

describe('event-router delivery configuration', () => {
  it('defaults to no SSRF exemptions, 15 s leases, disabling after 5 days and 4 relaxed connections', () => {
    expect(loadConfig({}).router).toEqual({
      allowTargets: '',
      leaseMs: 15_000,
      disableAfterMs: 5 * 86_400_000,
      retentionDays: 7,
      maxSubscriptions: 5000,
      relaxedPoolMax: 4,
    });
  });

  it('takes the relaxed pool size from ROUTER_RELAXED_POOL_MAX and refuses 0', () => {
    expect(loadConfig({ ROUTER_RELAXED_POOL_MAX: '2' }).router.relaxedPoolMax).toBe(2);
    expect(() => loadConfig({ ROUTER_RELAXED_POOL_MAX: '0' })).toThrow(/ROUTER_RELAXED_POOL_MAX/);
  });

  it('refuses an allow-list entry that is not a range, an address, loopback or private', () => {
    expect(loadConfig({ ROUTER_ALLOW_TARGETS: 'loopback, 10.1.0.0/16' }).router.allowTargets).toBe(
      'loopback, 10.1.0.0/16',
    );
    expect(() => loadConfig({ ROUTER_ALLOW_TARGETS: 'intranet' })).toThrow(/ROUTER_ALLOW_TARGETS/);
  });
});

describe('event-router secret key', () => {
  it('decodes MATRIX_SECRET_KEY when given, and refuses a bad one without showing it', () => {
    expect(loadConfig({}).secretKey).toBeUndefined();
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ MATRIX_SECRET_KEY: key.toString('base64') }).secretKey?.equals(key)).toBe(true);
    const bad = () => loadConfig({ MATRIX_SECRET_KEY: 'c2hvcnQtc2VjcmV0', HTTP_PORT: '0' });
    expect(bad).toThrow(
      /HTTP_PORT[\s\S]*MATRIX_SECRET_KEY \(value not shown\): must be base64 of 32 random bytes/,
    );
    expect(bad).not.toThrow(/c2hvcnQtc2VjcmV0/);
  });
});
