// Builds @matrix-platform/sdk from libs/sdk and links it as examples/node_modules/@matrix-platform/sdk, so
// the examples import it exactly as a project that installed it from npm does. Outside this repository,
// `npm install @matrix-platform/sdk` takes the place of this script.
//   CLI: node examples/link-sdk.mjs
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.resolve(examples, '../libs/sdk');

const build = spawnSync(process.execPath, [path.join(sdk, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const scope = path.join(examples, 'node_modules/@matrix-platform');
const link = path.join(scope, 'sdk');
await mkdir(scope, { recursive: true });
if (await lstat(link).catch(() => undefined)) await rm(link, { recursive: true });
await symlink(path.relative(scope, sdk), link, 'dir');
console.log(`linked ${path.relative(process.cwd(), link)} -> libs/sdk`);
