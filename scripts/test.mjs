#!/usr/bin/env node
// The README's test command: installs what is missing, then lint, folder rules, typecheck, build, and every test
// (unit, integration against real NATS + PostgreSQL, system end-to-end on the built bundles) in one
// Jest run. Prints a plain `N passed, N failed` line and fails when no test ran. On a node older than
// package.json's engines it runs itself under the pinned current Node.js (scripts/lib/supported-node.mjs).
//   node scripts/test.mjs [--skip-lint] [jest args…]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './lib/ensure-dependencies.mjs';
import { runOnSupportedNode } from './lib/supported-node.mjs';

await runOnSupportedNode(fileURLToPath(import.meta.url));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APPS = [
  'push-ingress',
  'sensor-normaliser',
  'event-router',
  'matrix-api-gateway',
  'incident-service',
  'sql-projector',
  'matrix-cli',
];
const args = process.argv.slice(2);
const skipLint = args.includes('--skip-lint');
const jestArgs = args.filter((arg) => arg !== '--skip-lint');

function step(title, command, commandArgs) {
  const started = Date.now();
  console.log(`» ${title}`);
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status}) after ${seconds} s`);
    console.log('0 passed, 1 failed');
    process.exit(result.status || 1);
  }
  console.log(`✔ ${title} (${seconds} s)`);
}

ensureDependencies(root);
const bin = (name) => path.join(root, 'node_modules/.bin', name);
if (!skipLint) {
  // The module-boundary rule reads Nx's cached project graph and silently skips itself without one.
  step('project graph', bin('nx'), ['show', 'projects']);
  step('lint', bin('eslint'), ['apps', 'libs', 'tools', 'bench', 'examples', '--max-warnings=0']);
  step('folder rules', bin('depcruise'), ['apps', 'libs', '--config', '.dependency-cruiser.cjs']);
  step('format', bin('prettier'), ['--check', '--log-level=warn', '.']);
}
step('typecheck', bin('tsc'), ['-p', 'tsconfig.typecheck.json']);
for (const app of APPS) step(`build ${app}`, process.execPath, ['tools/esbuild/build.mjs', app]);

const results = path.join(root, 'tmp/jest-results.json');
mkdirSync(path.dirname(results), { recursive: true });
rmSync(results, { force: true });
const jest = spawnSync(
  bin('jest'),
  ['-c', 'jest.config.cjs', '--ci', '--maxWorkers=2', '--json', `--outputFile=${results}`, ...jestArgs],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TZ: 'UTC' } },
);

let summary;
try {
  summary = JSON.parse(readFileSync(results, 'utf8'));
} catch {
  console.error('✖ Jest wrote no results');
  console.log('0 passed, 1 failed');
  process.exit(jest.status || 1);
}
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(
  `${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
if (summary.numTotalTests === 0) {
  console.error('✖ no test ran');
  process.exit(1);
}
if (summary.numRuntimeErrorTestSuites > 0)
  console.error(`✖ ${summary.numRuntimeErrorTestSuites} suite(s) failed to run`);
process.exit(jest.status === 0 && summary.success ? 0 : 1);
