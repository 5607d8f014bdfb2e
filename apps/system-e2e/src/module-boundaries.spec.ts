import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/* The lint rules that keep the architecture honest, checked on code that breaks them. */

const root = path.resolve(__dirname, '../../..');

/** Lints `code` as if it were the file at `filePath` (ESLint's CLI: its flat config is ESM). */
async function problems(filePath: string, code: string): Promise<string[]> {
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'lint-')), 'report.json');
  const run = spawnSync(
    path.join(root, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', path.join(root, filePath), '--format', 'json', '--output-file', report],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  if (run.error) throw run.error;
  const [result] = JSON.parse(readFileSync(report, 'utf8')) as {
    messages: { ruleId: string; message: string }[];
  }[];
  rmSync(path.dirname(report), { recursive: true, force: true });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

beforeAll(() => {
  // The boundary rule needs Nx's cached project graph; without one it skips itself with a warning.
  const graph = spawnSync(path.join(root, 'node_modules/.bin/nx'), ['show', 'projects'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (graph.status !== 0) throw new Error(`nx show projects failed: ${graph.stderr}`);
});

describe('module boundaries', () => {
  it('keeps NestJS, TypeORM and NATS out of the contracts', async () => {
    expect(
      await problems(
        'libs/contracts/src/lint-probe.ts',
        "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
      ),
    ).toEqual([expect.stringMatching(/^@nx\/enforce-module-boundaries: .*@nestjs\/common/)]);
  });

  it('forbids a library to depend on an app', async () => {
    const found = await problems(
      'libs/messaging/src/lint-probe.ts',
      "import { AppModule } from '../../../apps/push-ingress/src/app.module';\nexport const x = AppModule;\n",
    );
    expect(found.some((p) => p.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('keeps the test harness out of production code', async () => {
    expect(
      await problems(
        'apps/push-ingress/src/lint-probe.ts',
        "import { expectEventually } from '@matrix/testing';\nexport const x = expectEventually;\n",
      ),
    ).toContainEqual(expect.stringMatching(/^no-restricted-imports: .*Test-only library/));
  });

  it('refuses a promise that nobody awaits', async () => {
    expect(
      await problems(
        'apps/push-ingress/src/lint-probe.ts',
        'export async function save(): Promise<void> {}\nexport function handle(): void {\n  save();\n}\n',
      ),
    ).toEqual([expect.stringMatching(/^@typescript-eslint\/no-floating-promises: /)]);
  });

  it('refuses a switch over a union that misses a case', async () => {
    expect(
      await problems(
        'apps/push-ingress/src/lint-probe.ts',
        "export function code(kind: 'a' | 'b'): number {\n  switch (kind) {\n    case 'a':\n      return 1;\n  }\n  return 0;\n}\n",
      ),
    ).toEqual([expect.stringMatching(/^@typescript-eslint\/switch-exhaustiveness-check: .*"b"/)]);
  });

  it('lets an app use the shared libraries', async () => {
    expect(
      await problems(
        'apps/push-ingress/src/lint-probe.ts',
        "import { parseDevType } from '@matrix/contracts';\nexport const x = parseDevType;\n",
      ),
    ).toEqual([]);
  });
});
