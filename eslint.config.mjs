import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const apps = [
  'push-ingress',
  'sensor-normaliser',
  'event-router',
  'matrix-api-gateway',
  'incident-service',
  'sql-projector',
  'matrix-cli',
  'system-e2e',
];

/** Tag rules; specs and integration tests may also use the test harness (type:testing). */
function depConstraints(forTests) {
  const testing = forTests ? ['type:testing'] : [];
  // The published SDK (libs/sdk) is a client of the services: their tests call them through it, their code never.
  const sdk = forTests ? ['type:sdk'] : [];
  return [
    {
      sourceTag: 'type:app',
      onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:domain', 'type:testing', ...sdk],
    },
    {
      sourceTag: 'type:e2e',
      onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing', ...sdk],
    },
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contracts', ...testing] },
    { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', ...testing] },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
    {
      sourceTag: 'type:contracts',
      onlyDependOnLibsWithTags: ['type:contracts', ...testing],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', '@nats-io/*', 'nats'],
    },
    {
      // Published to npm: it bundles libs/contracts at build and depends on no framework or service code.
      sourceTag: 'type:sdk',
      onlyDependOnLibsWithTags: ['type:contracts', ...testing],
      bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'express', 'fastify'],
    },
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    ...apps.map((app) => ({
      sourceTag: `scope:${app}`,
      onlyDependOnLibsWithTags: [`scope:${app}`, 'scope:shared'],
    })),
  ];
}

const boundaries = (forTests) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(forTests) },
];

export default tseslint.config(
  { ignores: ['**/dist', '**/node_modules', '**/.nx', 'tmp/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error; a switch over a union must name every case.
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // No lint-probe.ts exists: apps/system-e2e/src/module-boundaries.spec.ts lints code under that name
        // from standard input, and the project service types a file that is on no disk only this way.
        projectService: { allowDefaultProject: ['apps/*/src/lint-probe.ts', 'libs/*/src/lint-probe.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'apps/system-e2e/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true), '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Production code never imports the test harness.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'libs/testing/**', 'apps/system-e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@matrix/testing', message: 'Test-only library: import it from specs only.' }] },
      ],
    },
  },
);
