module.exports = {
  displayName: 'sdk:integration',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.integration-spec.ts'],
  globalSetup: '../../tools/jest/global-setup.cjs',
  globalTeardown: '../../tools/jest/global-teardown.cjs',
  setupFilesAfterEnv: ['../../tools/jest/slow-test-timeout.cjs'],
};
