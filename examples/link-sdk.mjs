// Builds @matrix-platform/sdk from libs/sdk into examples/node_modules/@matrix-platform/sdk (its
// package.json and dist/), so the examples import it exactly as a project that installed it from npm
// does. It builds into that folder rather than libs/sdk/dist, which another build may be rewriting
// meanwhile. Outside this repository, `npm install @matrix-platform/sdk` takes the place of this script.
//   CLI: node examples/link-sdk.mjs
import { spawnSync } from 'node:child_process';
import { copyFile, lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.resolve(examples, '../libs/sdk');
const target = path.join(examples, 'node_modules/@matrix-platform/sdk');

if (await lstat(target).catch(() => undefined)) await rm(target, { recursive: true });
await mkdir(target, { recursive: true });
const build = spawnSync(process.execPath, [path.join(sdk, 'scripts/build.mjs'), path.join(target, 'dist')], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
await copyFile(path.join(sdk, 'package.json'), path.join(target, 'package.json'));
console.log(`installed libs/sdk as ${path.relative(process.cwd(), target)}`);
