// Jest globalSetup for integration tests (jest.integration.config.cjs of every project).
// Finds or starts a JetStream nats-server and PostgreSQL (tools/infra/infra.mjs, test mode) once per
// Jest process and hands them to the test workers as NATS_URL and TEST_DATABASE_URL (an admin URL on
// the `postgres` database; suites create their own databases with @matrix/testing).
// Integration tests are never skipped: when the infrastructure cannot be had, this throws.
const STATE = Symbol.for('matrix.jest.infra');

/**
 * Loads infra.mjs with Node's own loader. An absolute path (not a file: URL) because Jest's swc
 * transform may turn this import() into require(), which Node 20.19+ serves as require(esm).
 */
function loadInfra() {
  return import(`${__dirname}/../infra/infra.mjs`);
}

async function start() {
  const infra = await loadInfra();
  const nats = await infra.ensureNats({ mode: 'test' });
  let postgres;
  try {
    postgres = await infra.ensurePostgres({ mode: 'test' });
  } catch (error) {
    await nats.stop();
    throw error;
  }
  process.env.NATS_URL = nats.url;
  process.env.TEST_DATABASE_URL = postgres.adminUrl;
  return { nats, postgres };
}

/**
 * Idempotent within one Jest process: a second call (another project config sharing this run)
 * reuses the first call's servers; each call is matched by one globalTeardown call.
 */
module.exports = async function globalSetup() {
  const state = (globalThis[STATE] ??= { users: 0, infra: undefined });
  state.users += 1;
  state.infra ??= start();
  try {
    await state.infra;
  } catch (error) {
    state.users -= 1;
    state.infra = undefined;
    throw new Error(
      'Integration tests need a JetStream nats-server and PostgreSQL; one of them could not be found or started.\n' +
        `${error instanceof Error ? error.message : String(error)}\n` +
        'Fix the problem above, or set NATS_URL / TEST_DATABASE_URL to running servers.',
      { cause: error },
    );
  }
};
