import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/* The folder rules of .dependency-cruiser.cjs (run over apps/ and libs/ by `npm test`), checked on
   small trees that break them and one that keeps them. */

const root = path.resolve(__dirname, '../../..');
const trees: string[] = [];

/** Writes `files` (path → source) into a fresh folder and cruises it with the project's rules. */
function violations(files: Record<string, string>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'folder-rules-'));
  trees.push(dir);
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  const run = spawnSync(
    path.join(root, 'node_modules/.bin/depcruise'),
    [
      ...new Set(Object.keys(files).map((file) => file.split('/')[0]!)),
      '--config',
      path.join(root, '.dependency-cruiser.cjs'),
      '--output-type',
      'json',
    ],
    { cwd: dir, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 },
  );
  if (run.error) throw run.error;
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

afterAll(() => {
  for (const dir of trees) rmSync(dir, { recursive: true, force: true });
});

describe('folder rules', () => {
  it('refuses two folders of an app that import each other', () => {
    expect(
      violations({
        'apps/demo/src/orders/orders.service.ts':
          "import { price } from '../billing/price';\nexport const total = () => price();\n",
        'apps/demo/src/billing/price.ts':
          "import { total } from '../orders/orders.service';\nexport const price = () => 1;\nexport const again = total;\n",
      }),
    ).toEqual([
      'no-folder-cycles: apps/demo/src/billing -> apps/demo/src/orders',
      'no-folder-cycles: apps/demo/src/orders -> apps/demo/src/billing',
    ]);
  });

  it('refuses a cycle through a third folder, in a library too', () => {
    const found = violations({
      'libs/kit/src/lib/a/a.ts': "import { b } from '../b/b';\nexport const a = () => b();\n",
      'libs/kit/src/lib/b/b.ts': "import { c } from '../c/c';\nexport const b = () => c();\n",
      'libs/kit/src/lib/c/c.ts':
        "import { a } from '../a/a';\nexport const c = () => 1;\nexport const d = a;\n",
    });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((line) => line.startsWith('no-folder-cycles: libs/kit/src/lib/'))).toBe(true);
  });

  it('refuses config/ importing a feature of its app', () => {
    expect(
      violations({
        'apps/demo/src/config/demo.config.ts':
          "import { DEFAULT_LIMIT } from '../orders/limits';\nexport const limit = DEFAULT_LIMIT;\n",
        'apps/demo/src/orders/limits.ts': 'export const DEFAULT_LIMIT = 10;\n',
      }),
    ).toEqual([
      'config-imports-no-feature: apps/demo/src/config/demo.config.ts -> apps/demo/src/orders/limits.ts',
    ]);
  });

  it('refuses a path into another app', () => {
    expect(
      violations({
        'apps/demo/src/orders/orders.service.ts': 'export const total = () => 1;\n',
        'libs/kit/src/index.ts':
          "import { total } from '../../../apps/demo/src/orders/orders.service';\nexport const t = total;\n",
      }),
    ).toEqual([
      'no-app-internals-from-elsewhere: libs/kit/src/index.ts -> apps/demo/src/orders/orders.service.ts',
    ]);
  });

  it('accepts data flowing one way, config read by features and top-level files', () => {
    expect(
      violations({
        'apps/demo/src/app.module.ts':
          "import { total } from './orders/orders.service';\nimport { limit } from './config/demo.config';\nexport const app = [total, limit];\n",
        'apps/demo/src/config/demo.config.ts': 'export const limit = 10;\n',
        'apps/demo/src/orders/orders.service.ts':
          "import { price } from '../billing/price';\nimport { limit } from '../config/demo.config';\nexport const total = () => price() * limit;\n",
        'apps/demo/src/billing/price.ts': 'export const price = () => 1;\n',
      }),
    ).toEqual([]);
  });
});
