// Builds the publishable package into libs/sdk/dist: for each entry point (".", "./webhooks", "./nats")
// an ES module (.mjs), a CommonJS module (.cjs) and bundled declarations (.d.mts and .d.cts, the same text).
// esbuild bundles the workspace code the SDK imports (libs/contracts through the `@matrix/*` aliases), so the
// published files import no `@matrix/*` path; npm packages stay external and are the package's dependencies.
// dts-bundle-generator inlines the declarations of that workspace code the same way.
//   CLI: node libs/sdk/scripts/build.mjs
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { generateDtsBundle } from 'dts-bundle-generator';

const sdkRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(sdkRoot, '../..');
const outdir = path.join(sdkRoot, 'dist');

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

function workspaceAliases(targets) {
  return {
    name: 'matrix-workspace-aliases',
    setup(build) {
      build.onResolve({ filter: /^@matrix\// }, (args) => {
        const target = targets[args.path];
        if (!target) return { errors: [{ text: `unknown workspace alias ${args.path}` }] };
        return { path: target };
      });
    },
  };
}

async function buildJs(format) {
  const extension = format === 'esm' ? '.mjs' : '.cjs';
  await esbuild.build({
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
    logLevel: 'warning',
    plugins: [workspaceAliases(await aliases())],
  });
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

export async function buildSdk() {
  const started = Date.now();
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await buildJs('esm');
  await buildJs('cjs');
  for (const [name, text] of buildDts()) {
    await writeFile(path.join(outdir, `${name}.d.mts`), text);
    await copyFile(path.join(outdir, `${name}.d.mts`), path.join(outdir, `${name}.d.cts`));
  }
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ms = await buildSdk();
  console.log(`built libs/sdk/dist in ${ms} ms`);
}
