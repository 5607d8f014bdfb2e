module.exports = {
  displayName: 'system-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '../../tools/jest/global-setup.cjs',
  globalTeardown: '../../tools/jest/global-teardown.cjs',
  setupFilesAfterEnv: ['../../tools/jest/slow-test-timeout.cjs'],
};
