import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { opStatusMismatches, readOpStatusTable } from './op-status-table';

const HEAD = '| op | module | documented in | status | details |\n| --- | --- | --- | --- | --- |\n';

describe('the op status table of docs/api.md', () => {
  let dir: string;
  const page = (table: string) => {
    const file = path.join(dir, 'api.md');
    writeFileSync(file, `# API\n\n<!-- op-status:start -->\n${table}<!-- op-status:end -->\n\nmore\n`);
    return file;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'op-status-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads each row: op, module, status, and whether the status says implemented', () => {
    const rows = readOpStatusTable(
      page(
        HEAD +
          '| `scgrids.readZone` | `scgrids` | App. A | implemented | [Ops](#ops) |\n' +
          '| `scgrids.uploadImage` | `scgrids` | §4.8 | not yet (issue #16) | reference §4.8 |\n' +
          '| `scbi.kpiJob` | `scbi` | §4.8 | refused: outside the API | |\n',
      ),
    );
    expect(rows).toEqual([
      { op: 'scgrids.readZone', module: 'scgrids', status: 'implemented', implemented: true },
      { op: 'scgrids.uploadImage', module: 'scgrids', status: 'not yet (issue #16)', implemented: false },
      { op: 'scbi.kpiJob', module: 'scbi', status: 'refused: outside the API', implemented: false },
    ]);
  });

  it.each([
    [
      'an op not in one code span',
      '| scgrids.readZone | `scgrids` | App. A | implemented | |\n',
      /is not \| `op`/,
    ],
    ['an unknown status', '| `scgrids.readZone` | `scgrids` | App. A | served | |\n', /is not \| `op`/],
    ['a missing cell', '| `scgrids.readZone` | `scgrids` | implemented |\n', /is not \| `op`/],
    [
      'an op twice',
      '| `scgrids.a` | `scgrids` | A | implemented | |\n| `scgrids.a` | `scgrids` | A | not yet | |\n',
      /lists scgrids\.a twice/,
    ],
  ])('refuses %s, naming it', (_case, rows, message) => {
    expect(() => readOpStatusTable(page(HEAD + rows))).toThrow(message);
  });

  it('refuses a page without the markers or the header', () => {
    const file = path.join(dir, 'bare.md');
    writeFileSync(file, '# API\n');
    expect(() => readOpStatusTable(file)).toThrow(/has no <!-- op-status:start -->/);
    expect(() => readOpStatusTable(page('| `scgrids.a` | `scgrids` | A | implemented | |\n'))).toThrow(
      /must start with its header row/,
    );
  });

  it('tells each disagreement with the code apart, within the ops a check covers', () => {
    const rows = readOpStatusTable(
      page(
        HEAD +
          '| `scgrids.claimed` | `scgrids` | A | implemented | |\n' +
          '| `scgrids.hidden` | `scgrids` | A | not yet (issue #16) | |\n' +
          '| `scgrids.fine` | `scgrids` | A | implemented | |\n' +
          '| `scteams.elsewhere` | `scworkforcemanagement` | A | implemented | |\n',
      ),
    );
    const served = new Set(['scgrids.hidden', 'scgrids.fine', 'scgrids.unlisted', 'scteams.other']);
    expect(opStatusMismatches(rows, served, (op) => op.startsWith('scgrids.'))).toEqual([
      'docs/api.md says scgrids.claimed is "implemented", but the code does not serve it',
      'the code serves scgrids.hidden, but docs/api.md says "not yet (issue #16)": mark it implemented',
      "the code serves scgrids.unlisted, which docs/api.md's op status table does not list: add its row",
    ]);
  });
});
