// Jest globalTeardown: stops what tools/jest/global-setup.cjs started in this Jest process (servers
// that were already running are left alone), after the last project that used them.
const STATE = Symbol.for('matrix.jest.infra');

module.exports = async function globalTeardown() {
  const state = globalThis[STATE];
  if (!state?.infra) return;
  state.users -= 1;
  if (state.users > 0) return;
  const pending = state.infra;
  state.infra = undefined;
  const { nats, postgres } = await pending;
  const results = await Promise.allSettled([postgres.stop(), nats.stop()]);
  const failed = results.filter((result) => result.status === 'rejected');
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map((result) => result.reason),
      'Stopping the integration-test infrastructure failed',
    );
  }
};
