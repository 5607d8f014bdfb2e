// Builds the publishable package into libs/sdk/dist: for each entry point (".", "./webhooks", "./nats")
// an ES module (.mjs), a CommonJS module (.cjs) and bundled declarations (.d.mts and .d.cts, the same text).
// esbuild bundles the workspace code the SDK imports (libs/contracts through the `@matrix/*` aliases), so the
// published files import no `@matrix/*` path; npm packages stay external and are the package's dependencies.
// dts-bundle-generator inlines the declarations of that workspace code the same way.
//   CLI: node libs/sdk/scripts/build.mjs [outdir]   (default libs/sdk/dist)
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import swc from '@swc/core';
import { generateDtsBundle } from 'dts-bundle-generator';

const sdkRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(sdkRoot, '../..');
const defaultOutdir = path.join(sdkRoot, 'dist');

/** Entry point name in dist → source file. */
export const ENTRIES = {
  index: 'src/index.ts',
  webhooks: 'src/webhooks/index.ts',
  nats: 'src/nats/index.ts',
};

async function aliases() {
  const { paths } = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
  return Object.fromEntries(
    Object.entries(paths).map(([alias, [target]]) => [alias, path.join(root, target)]),
  );
}

// The contract classes carry class-validator/class-transformer decorators; esbuild does not emit decorator
// metadata, so workspace .ts files go through swc first, as tools/esbuild/build.mjs does for the apps.
function workspaceSources(targets) {
  return {
    name: 'matrix-workspace-sources',
    setup(build) {
      build.onResolve({ filter: /^@matrix\// }, (args) => {
        const target = targets[args.path];
        if (!target) return { errors: [{ text: `unknown workspace alias ${args.path}` }] };
        return { path: target };
      });
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const { code } = await swc.transform(await readFile(args.path, 'utf8'), {
          filename: args.path,
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

/** Every npm package the bundles import must be a dependency of the package, at the workspace's version. */
async function checkDependencies(metafiles) {
  const sdk = JSON.parse(await readFile(path.join(sdkRoot, 'package.json'), 'utf8'));
  const workspace = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const pinned = { ...workspace.devDependencies, ...workspace.dependencies };
  const problems = [];
  const imported = new Set();
  for (const metafile of metafiles) {
    for (const output of Object.values(metafile.outputs)) {
      for (const { path: specifier, external } of output.imports) {
        if (!external || specifier.startsWith('node:')) continue;
        imported.add(
          specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0],
        );
      }
    }
  }
  for (const name of [...imported].sort()) {
    const declared = sdk.dependencies?.[name] ?? sdk.peerDependencies?.[name];
    if (!declared) problems.push(`${name} is imported but not a dependency of libs/sdk/package.json`);
    else if (declared !== pinned[name]) {
      problems.push(`${name} is ${declared} in libs/sdk/package.json but ${pinned[name]} in the workspace`);
    }
  }
  for (const name of Object.keys(sdk.dependencies ?? {})) {
    if (!imported.has(name))
      problems.push(`${name} is a dependency of libs/sdk/package.json but never imported`);
  }
  if (problems.length > 0) throw new Error(`libs/sdk dependencies:\n  ${problems.join('\n  ')}`);
}

async function buildJs(format, outdir) {
  const extension = format === 'esm' ? '.mjs' : '.cjs';
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(
      Object.entries(ENTRIES).map(([name, file]) => [name, path.join(sdkRoot, file)]),
    ),
    outdir,
    outExtension: { '.js': extension },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    packages: 'external',
    sourcemap: false,
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [workspaceSources(await aliases())],
  });
  return result.metafile;
}

function buildDts() {
  const texts = generateDtsBundle(
    Object.values(ENTRIES).map((file) => ({
      filePath: path.join(sdkRoot, file),
      output: { noBanner: true, exportReferencedTypes: false },
    })),
    { preferredConfigPath: path.join(sdkRoot, 'tsconfig.lib.json') },
  );
  return Object.keys(ENTRIES).map((name, i) => [name, texts[i]]);
}

/**
 * Builds the package into `outdir` (default libs/sdk/dist; the npm pack test builds into a folder of its own).
 * @returns {Promise<number>} milliseconds taken
 */
export async function buildSdk(outdir = defaultOutdir) {
  const started = Date.now();
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await checkDependencies([await buildJs('esm', outdir), await buildJs('cjs', outdir)]);
  for (const [name, text] of buildDts()) {
    await writeFile(path.join(outdir, `${name}.d.mts`), text);
    await copyFile(path.join(outdir, `${name}.d.mts`), path.join(outdir, `${name}.d.cts`));
  }
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ? path.resolve(process.argv[2]) : defaultOutdir;
  const ms = await buildSdk(outdir);
  console.log(`built ${path.relative(process.cwd(), outdir) || '.'} in ${ms} ms`);
}
