import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SDK_VERSION } from './version';

const sdkRoot = path.resolve(__dirname, '..');

describe('the package', () => {
  it('has REST v1 types generated from the current apps/matrix-api-gateway/openapi.json', () => {
    const run = spawnSync(
      process.execPath,
      [path.join(sdkRoot, 'scripts/generate-rest-types.mjs'), '--check'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names the declarations of every subpath export in typesVersions, for moduleResolution node10', () => {
    const pkg = JSON.parse(readFileSync(path.join(sdkRoot, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { require?: { types: string } }>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    const subpaths = Object.entries(pkg.exports).filter(
      ([subpath, target]) => subpath !== '.' && typeof target === 'object',
    );
    expect(subpaths.length).toBeGreaterThan(0);
    expect(pkg.typesVersions).toEqual({
      '*': Object.fromEntries(
        subpaths.map(([subpath, target]) => [
          subpath.slice(2),
          [(target as { require: { types: string } }).require.types],
        ]),
      ),
    });
  });

  it('fails its test targets when they find no tests', () => {
    const project = JSON.parse(readFileSync(path.join(sdkRoot, 'project.json'), 'utf8')) as {
      targets: Record<string, { options?: { command?: string } }>;
    };
    const commands = Object.values(project.targets).map((target) => target.options?.command ?? '');
    expect(commands.filter((command) => command.includes('jest'))).toHaveLength(2);
    expect(commands.filter((command) => command.includes('--passWithNoTests'))).toEqual([]);
  });

  it('reports the version of its package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(sdkRoot, 'package.json'), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
