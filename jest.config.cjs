// Every test of the workspace in one Jest run (the README's test command): unit specs, integration
// specs against real NATS + PostgreSQL (tools/jest/global-setup.cjs finds or starts them), and the
// system end-to-end suite against the built service bundles.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

const CONFIG_NAMES = ['jest.config.cjs', 'jest.integration.config.cjs', 'jest.e2e.config.cjs'];
const projects = ['apps', 'libs'].flatMap((group) =>
  readdirSync(path.join(__dirname, group))
    .sort()
    .flatMap((name) =>
      CONFIG_NAMES.map((config) => path.join(group, name, config)).filter((config) =>
        existsSync(path.join(__dirname, config)),
      ),
    ),
);

module.exports = {
  projects: projects.map((config) => `<rootDir>/${config}`),
  globalSetup: '<rootDir>/tools/jest/global-setup.cjs',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.cjs',
};
