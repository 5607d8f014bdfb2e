import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GatewayHarness } from './gateway-harness';

/*
 * @matrix-platform/sdk as a customer gets it: built, packed with `npm pack`, installed from the tarball into
 * an empty project (its dependencies from the npm cache, else the registry), and the README's two examples
 * (ES module and CommonJS) run there against a real gateway; a TypeScript file type-checks against the
 * package's declarations through both `exports` conditions.
 */

const root = path.resolve(__dirname, '../../..');
const sdk = path.join(root, 'libs/sdk');
const gw = new GatewayHarness('sdk-pack');
let work: string;

/** The environment without npm's own variables: npx/jest set `npm_config_*` naming this repository. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(env), encoding: 'utf8', timeout: 240_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`,
    );
  }
  return result.stdout;
}

/** Like `run`, without blocking the event loop: the gateway answering the child runs in this process. */
async function runAsync(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      env: cleanEnv(env),
      encoding: 'utf8',
      timeout: 120_000,
    });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stderr?: string; stdout?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failed.message}\n${failed.stderr}\n${failed.stdout}`,
    );
  }
}

/** The README's fenced `js` block whose first line is `// <name>`. */
function readmeExample(name: string): string {
  const readme = readFileSync(path.join(sdk, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.startsWith(`// ${name}`));
  if (!block) throw new Error(`libs/sdk/README.md has no js block starting with "// ${name}"`);
  return block;
}

beforeAll(async () => {
  await gw.start();
  work = mkdtempSync(path.join(tmpdir(), 'sdk-pack-'));
}, 60_000);

afterAll(async () => {
  await gw.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

it('packs the SDK, installs the tarball into an empty project and runs the README examples there', async () => {
  // Build into a folder of our own, not libs/sdk/dist, which another build may be rewriting meanwhile.
  const stage = path.join(work, 'package');
  run(process.execPath, [path.join(sdk, 'scripts/build.mjs'), path.join(stage, 'dist')], root);
  for (const file of ['package.json', 'README.md']) {
    copyFileSync(path.join(sdk, file), path.join(stage, file));
  }
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], stage)) as {
    filename: string;
    files: { path: string }[];
  }[];
  expect(packed!.files.map((f) => f.path).sort()).toEqual(
    [
      'README.md',
      'package.json',
      ...['index', 'nats', 'webhooks'].flatMap((name) =>
        ['.cjs', '.mjs', '.d.cts', '.d.mts'].map((ext) => `dist/${name}${ext}`),
      ),
    ].sort(),
  );
  for (const file of packed!.files.filter((f) => f.path.startsWith('dist/'))) {
    expect(readFileSync(path.join(stage, file.path), 'utf8')).not.toMatch(
      /from ['"]@matrix\/|require\(['"]@matrix\//,
    );
  }

  const project = path.join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'sdk-consumer', version: '1.0.0', private: true }),
  );
  run(
    'npm',
    ['install', path.join(work, packed!.filename), '--prefer-offline', '--no-audit', '--no-fund'],
    project,
  );

  const env = {
    MATRIX_URL: gw.url,
    MATRIX_ACCESS_KEY: gw.tenant.accessKey,
    MATRIX_SECRET_KEY: gw.tenant.secretKey,
    MATRIX_PROPID: gw.tenant.propid,
  };
  writeFileSync(path.join(project, 'example.mjs'), readmeExample('example.mjs'));
  writeFileSync(path.join(project, 'example.cjs'), readmeExample('example.cjs'));
  expect(JSON.parse(await runAsync(process.execPath, ['example.mjs'], project, env))).toEqual({
    building: 'Example Tower',
    zones: ['Lobby', 'Pantry'],
    mapped: 2,
  });
  expect(JSON.parse(await runAsync(process.execPath, ['example.cjs'], project, env))).toEqual({
    property: 'HQ Campus',
    envelope: 'Success',
    missing: 404,
  });

  // The declarations, through the import (.d.mts) and require (.d.cts) conditions; a wrong type must fail.
  const typed = (module: string) =>
    [
      module,
      `const matrix = new MatrixClient({ baseUrl: 'http://x', auth: basicAuth({ accessKey: 'a', secretKey: 'b' }) });`,
      `export async function name(pid: string): Promise<string> {`,
      `  const { data } = await matrix.rest.GET('/v1/buildings/{pid}', { params: { path: { pid } } });`,
      `  return data.name;`,
      `}`,
      `export const receiver: typeof WebhookReceiver = WebhookReceiver;`,
      `export const bind: typeof bindMatrixEvents = bindMatrixEvents;`,
    ].join('\n');
  writeFileSync(
    path.join(project, 'check.mts'),
    typed(
      "import { MatrixClient, basicAuth } from '@matrix-platform/sdk';\nimport { WebhookReceiver } from '@matrix-platform/sdk/webhooks';\nimport { bindMatrixEvents } from '@matrix-platform/sdk/nats';",
    ),
  );
  writeFileSync(
    path.join(project, 'check.cts'),
    typed(
      [
        "import sdk = require('@matrix-platform/sdk');",
        'const { MatrixClient, basicAuth } = sdk;',
        "import webhooks = require('@matrix-platform/sdk/webhooks');",
        'const { WebhookReceiver } = webhooks;',
        "import nats = require('@matrix-platform/sdk/nats');",
        'const { bindMatrixEvents } = nats;',
      ].join('\n'),
    ),
  );
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const flags = [
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--lib',
    'es2023,dom',
  ];
  run(process.execPath, [tsc, ...flags, 'check.mts', 'check.cts'], project);
  writeFileSync(
    path.join(project, 'wrong.mts'),
    typed(
      "import { MatrixClient, basicAuth } from '@matrix-platform/sdk';\nconst WebhookReceiver = 0, bindMatrixEvents = 0;",
    ).replace('return data.name;', 'return data.levelsCount;'),
  );
  expect(() => run(process.execPath, [tsc, ...flags, 'wrong.mts'], project)).toThrow(
    /levelsCount|not assignable to type 'string'/,
  );
}, 300_000);
