// Folder rules that ESLint's module-boundary rule cannot see (it works between Nx projects, not inside
// one): data flows one way between the folders of an app or a library. Run by `npm test` (scripts/test.mjs)
// as `depcruise apps libs --config .dependency-cruiser.cjs`; apps/system-e2e/src/folder-rules.spec.ts shows
// each rule failing on a deliberately bad import.
const path = require('node:path');

/** Production code only: specs and integration tests may reach across folders to set things up. */
const PRODUCTION = { path: '^(apps|libs)/[^/]+/src/', pathNot: '\\.spec\\.ts$' };

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment:
        'A folder imports a folder that imports it back (directly or through others). Move the piece that ' +
        'causes the back edge to the folder that owns it, or let the importing side own a narrow interface.',
      severity: 'error',
      scope: 'folder',
      from: PRODUCTION,
      to: { circular: true },
    },
    {
      name: 'config-imports-no-feature',
      comment: 'config/ reads and validates the environment; it must not depend on a feature of its app.',
      severity: 'error',
      from: { path: '^(apps|libs)/([^/]+)/src/config/' },
      to: { path: '^(apps|libs)/$2/src/', pathNot: ['^(apps|libs)/$2/src/config/'] },
    },
    {
      name: 'no-app-internals-from-elsewhere',
      comment:
        'An app is imported by nobody: share code through a library (libs/), never a path into an app.',
      severity: 'error',
      from: { path: '^(apps|libs)/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$2/' },
    },
    {
      name: 'sdk-imports-contracts-only',
      comment:
        'libs/sdk is published to npm with libs/contracts bundled into it; any other workspace code would ' +
        'drag framework or service code into the package.',
      severity: 'error',
      from: { path: '^libs/sdk/' },
      to: { path: '^(apps|libs)/', pathNot: ['^libs/(sdk|contracts)/'] },
    },
    {
      name: 'no-sdk-in-services',
      comment: 'The SDK is a client of the services: their tests may call them through it, their code never.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '^libs/sdk/' },
      to: { path: '^libs/sdk/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '(^|/)(dist|tmp)/', '\\.spec\\.ts$', '/test/', '^apps/system-e2e/'] },
    includeOnly: PRODUCTION.path,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.base.json') },
    tsPreCompilationDeps: true,
    moduleSystems: ['es6', 'cjs'],
  },
};
