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
 * package's declarations (without skipLibCheck) through both `exports` conditions, and through
 * `typesVersions` in a CommonJS project resolving modules as Node 10 (./nats there with skipLibCheck:
 * @nats-io's own declarations need `exports`).
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
      'LICENSE',
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
  // @types/node as a Node project has it (the webhooks declarations name node:http's request and response),
  // at the workspace's version.
  const typesNode = (
    JSON.parse(readFileSync(path.join(root, 'node_modules/@types/node/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  run(
    'npm',
    [
      'install',
      path.join(work, packed!.filename),
      `@types/node@${typesNode}`,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ],
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
  // Uses of the root and ./webhooks entry points that type-check only with the package's own types.
  const clientAndReceiver = [
    `const matrix = new MatrixClient({ baseUrl: 'http://x', auth: basicAuth({ accessKey: 'a', secretKey: 'b' }) });`,
    `export async function name(pid: string): Promise<string> {`,
    `  const { data } = await matrix.rest.GET('/v1/buildings/{pid}', { params: { path: { pid } } });`,
    `  return data.name;`,
    `}`,
    `export const receiver: typeof WebhookReceiver = WebhookReceiver;`,
  ];
  const typed = (module: string) =>
    [module, ...clientAndReceiver, `export const bind: typeof bindMatrixEvents = bindMatrixEvents;`].join(
      '\n',
    );
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
  // No --skipLibCheck: the package's declarations (and its dependencies') must type-check themselves.
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const common = ['--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2023,dom', '--types', 'node'];
  const flags = [...common, '--module', 'nodenext'];
  run(process.execPath, [tsc, ...flags, 'check.mts', 'check.cts'], project);
  // A CommonJS project resolving as Node 10 did (`module: commonjs` defaults to it), which reads no
  // `exports`: the subpaths' types come from `typesVersions`. TypeScript 6 deprecates node10, hence
  // --ignoreDeprecations. Each file type-checks, and the same file with wrong uses of each entry point fails
  // on exactly those lines: the types are the package's, not `any`.
  const node10 = [
    ...common,
    '--module',
    'commonjs',
    '--moduleResolution',
    'node10',
    '--ignoreDeprecations',
    '6.0',
  ];
  function expectNode10Types(file: string, flags: string[], good: string, wrongUses: string[]): void {
    writeFileSync(path.join(project, `${file}.ts`), good);
    run(process.execPath, [tsc, ...flags, `${file}.ts`], project);
    writeFileSync(path.join(project, `${file}-wrong.ts`), [good, ...wrongUses].join('\n'));
    let errors = '';
    try {
      run(process.execPath, [tsc, ...flags, `${file}-wrong.ts`], project);
    } catch (error) {
      errors = (error as Error).message;
    }
    const firstWrongLine = good.split('\n').length + 1;
    expect(
      [...errors.matchAll(new RegExp(`${file}-wrong\\.ts\\((\\d+),\\d+\\): error (TS\\d+)`, 'g'))].map(
        (m) => [m[1], m[2]],
      ),
    ).toEqual(wrongUses.map((_, i) => [String(firstWrongLine + i), 'TS2322']));
  }
  // The root and ./webhooks, every declaration checked (no --skipLibCheck).
  expectNode10Types(
    'check-node10',
    node10,
    [
      "import { MatrixClient, basicAuth } from '@matrix-platform/sdk';",
      "import { WebhookReceiver } from '@matrix-platform/sdk/webhooks';",
      ...clientAndReceiver,
    ].join('\n'),
    [
      'export const wrongRest: number = matrix.rest.GET;',
      'export const wrongReceiver: number = WebhookReceiver;',
    ],
  );
  // ./nats names @nats-io's types, whose own declarations import `@nats-io/nats-core/internal` through
  // `exports` and so do not resolve under node10: such a project needs --skipLibCheck for them.
  expectNode10Types(
    'check-node10-nats',
    [...node10, '--skipLibCheck'],
    [
      "import { bindMatrixEvents } from '@matrix-platform/sdk/nats';",
      `export const bind: typeof bindMatrixEvents = bindMatrixEvents;`,
    ].join('\n'),
    ['export const wrongBinder: number = bindMatrixEvents;'],
  );
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
