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
import { generateDtsBundle } from 'dts-bundle-generator';
import { workspaceSources } from '../../../tools/esbuild/build.mjs';

const sdkRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(sdkRoot, '../..');
const defaultOutdir = path.join(sdkRoot, 'dist');

/** Entry point name in dist → source file. */
export const ENTRIES = {
  index: 'src/index.ts',
  webhooks: 'src/webhooks/index.ts',
  nats: 'src/nats/index.ts',
};

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
    target: 'node24',
    format,
    packages: 'external',
    sourcemap: false,
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    // libs/contracts carries decorators: workspace files go through swc first, as for the apps.
    plugins: [await workspaceSources({ sourceMaps: false, unknownAliasIsError: true })],
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
 * Builds the package into `outdir` (default libs/sdk/dist; the npm pack test builds into a folder of its own),
 * with the workspace's LICENSE copied beside it.
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
  // The workspace's license beside dist, in the package root (npm packs a root LICENSE whatever `files` says).
  await copyFile(path.join(sdkRoot, '../../LICENSE'), path.join(outdir, '..', 'LICENSE'));
  return Date.now() - started;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ? path.resolve(process.argv[2]) : defaultOutdir;
  const ms = await buildSdk(outdir);
  console.log(`built ${path.relative(process.cwd(), outdir) || '.'} in ${ms} ms`);
}
