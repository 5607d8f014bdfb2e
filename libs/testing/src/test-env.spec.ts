import { testAdminDatabaseUrl, testNatsUrl } from './test-env';

describe('test environment', () => {
  const saved = { NATS_URL: process.env['NATS_URL'], TEST_DATABASE_URL: process.env['TEST_DATABASE_URL'] };

  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('reads the URLs globalSetup exported', () => {
    process.env['NATS_URL'] = 'nats://127.0.0.1:4999';
    process.env['TEST_DATABASE_URL'] = 'postgres://postgres@127.0.0.1:5999/postgres';
    expect(testNatsUrl()).toBe('nats://127.0.0.1:4999');
    expect(testAdminDatabaseUrl()).toBe('postgres://postgres@127.0.0.1:5999/postgres');
  });

  it('says how to run integration tests when the URLs are missing', () => {
    delete process.env['NATS_URL'];
    process.env['TEST_DATABASE_URL'] = ' ';
    expect(() => testNatsUrl()).toThrow(/NATS_URL is not set.*jest\.integration\.config\.cjs/s);
    expect(() => testAdminDatabaseUrl()).toThrow(/TEST_DATABASE_URL is not set.*npm test/s);
  });
});
