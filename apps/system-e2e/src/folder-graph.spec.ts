import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/* docs/architecture.md shows each app's and library's folders and the folders each imports; the page is
   checked against the code, like the env tables of the app READMEs. */

const root = path.resolve(__dirname, '../../..');
const START = '<!-- folder-graph:start (node tools/folder-graph.mjs --write) -->';
const END = '<!-- folder-graph:end -->';

describe('the folder graph in docs/architecture.md', () => {
  it('is the one the code has (UPDATE_DOCS=1 or `node tools/folder-graph.mjs --write` rewrites it)', () => {
    const args = ['tools/folder-graph.mjs', ...(process.env['UPDATE_DOCS'] === '1' ? ['--write'] : [])];
    const run = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    const page = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    const documented = page.slice(page.indexOf(START) + START.length, page.indexOf(END)).trim();
    const generated = process.env['UPDATE_DOCS'] === '1' ? documented : run.stdout.trim();
    expect(generated).toContain('**apps/matrix-api-gateway**');
    if (documented !== generated) {
      throw new Error(
        'docs/architecture.md shows another folder graph than the code has; rewrite it with ' +
          '`node tools/folder-graph.mjs --write` and read what changed',
      );
    }
  });
});
