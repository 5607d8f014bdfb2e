/*
 * Integration tests get their servers from tools/jest/global-setup.cjs, which sets these variables
 * (reusing NATS_URL / TEST_DATABASE_URL when they are already set).
 */

function required(name: string, what: string): string {
  const value = process.env[name]?.trim();
  if (!value) {
    throw new Error(
      `${name} is not set, so there is no ${what} for this test. Integration tests get it from ` +
        'tools/jest/global-setup.cjs: run them through a jest.integration.config.cjs ' +
        '(`npx jest -c libs/<lib>/jest.integration.config.cjs`, `nx run <project>:test-integration`) or `npm test`.',
    );
  }
  return value;
}

/** URL of the JetStream-enabled nats-server of this test run. */
export function testNatsUrl(): string {
  return required('NATS_URL', 'NATS server');
}

/** Admin URL (database `postgres`) of the PostgreSQL server of this test run. */
export function testAdminDatabaseUrl(): string {
  return required('TEST_DATABASE_URL', 'PostgreSQL server');
}
