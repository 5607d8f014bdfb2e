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

  it('reports the version of its package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(sdkRoot, 'package.json'), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
  });
});
