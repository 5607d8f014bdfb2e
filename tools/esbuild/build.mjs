// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.cjs.
// esbuild does not emit decorator metadata, which NestJS DI and class-validator need, so every
// workspace .ts file is transpiled by swc (legacy decorators + metadata) before esbuild bundles it.
// npm packages stay external: the runtime image installs node_modules.
//   CLI:    node tools/esbuild/build.mjs <app-name>
//   import: `await buildApp(name)` (scripts/start.mjs builds every app in one process this way)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import swc from '@swc/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let aliasesPromise;
/** tsconfig.base.json path aliases (`@matrix/*`) as absolute file paths; read once. */
function loadAliases() {
  aliasesPromise ??= readFile(path.join(root, 'tsconfig.base.json'), 'utf8').then((text) =>
    Object.fromEntries(
      Object.entries(JSON.parse(text).compilerOptions.paths).map(([alias, [target]]) => [
        alias,
        path.join(root, target),
      ]),
    ),
  );
  return aliasesPromise;
}

/**
 * The esbuild plugin that resolves the `@matrix/*` aliases to workspace files and transpiles every workspace
 * .ts file with swc (legacy decorators + metadata) before esbuild bundles it. Also used by the SDK's package
 * build (libs/sdk/scripts/build.mjs), which wants no source maps and an error for an unknown alias.
 * @param {{ sourceMaps?: boolean, unknownAliasIsError?: boolean }} [options]
 */
export async function workspaceSources({ sourceMaps = true, unknownAliasIsError = false } = {}) {
  const aliases = await loadAliases();
  return {
    name: 'matrix-workspace-sources',
    setup(build) {
      build.onResolve({ filter: /^@matrix\// }, (args) => {
        const target = aliases[args.path];
        if (target) return { path: target };
        return unknownAliasIsError
          ? { errors: [{ text: `unknown workspace alias ${args.path}` }] }
          : undefined;
      });
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        const { code } = await swc.transform(source, {
          filename: args.path,
          ...(sourceMaps ? { sourceMaps: 'inline' } : {}),
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'es6' },
        });
        return { contents: code, loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/**
 * Bundles apps/<name>/src/main.ts into dist/apps/<name>/main.cjs.
 * @param {string} name
 * @returns {Promise<number>} milliseconds taken
 */
export async function buildApp(name) {
  const started = Date.now();
  await esbuild.build({
    entryPoints: [path.join(root, 'apps', name, 'src/main.ts')],
    outfile: path.join(root, 'dist/apps', name, 'main.cjs'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    keepNames: true,
    logLevel: 'warning',
    plugins: [await workspaceSources()],
  });
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: node tools/esbuild/build.mjs <app-name>');
    process.exit(2);
  }
  const ms = await buildApp(name);
  console.log(`built dist/apps/${name}/main.cjs in ${ms} ms`);
}
