import { readFileSync } from 'node:fs';

const START = '<!-- op-status:start -->';
const END = '<!-- op-status:end -->';

/** One row of docs/api.md's op status table: `| \`op\` | \`module\` | documented in | status | details |`. */
export interface OpStatusRow {
  readonly op: string;
  readonly module: string;
  readonly status: string;
  /** The status starts with `implemented`; the others start with `not yet` or `refused`. */
  readonly implemented: boolean;
}

const CODE = /^`([^`\s]+)`$/;
const STATUS = /^(implemented|not yet|refused)\b/;

/**
 * The op status table of docs/api.md (between the `op-status` markers), every row checked: an op and a
 * module each written as one code span, a status that starts with `implemented`, `not yet` or `refused`,
 * and no op twice. Throws naming the first row that is not so.
 */
export function readOpStatusTable(apiDocPath: string): OpStatusRow[] {
  const page = readFileSync(apiDocPath, 'utf8');
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${apiDocPath} has no ${START} … ${END} table`);
  const lines = page
    .slice(start + START.length, end)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const [header, separator, ...body] = lines;
  if (!header?.startsWith('| op |') || !separator?.startsWith('| ---')) {
    throw new Error(`the op status table of ${apiDocPath} must start with its header row and separator`);
  }
  const rows: OpStatusRow[] = [];
  const seen = new Set<string>();
  for (const line of body) {
    const cells = line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim());
    const op = CODE.exec(cells[0] ?? '')?.[1];
    const module = CODE.exec(cells[1] ?? '')?.[1];
    const status = cells[3] ?? '';
    const kind = STATUS.exec(status)?.[1];
    if (cells.length !== 5 || !op || !module || !kind) {
      throw new Error(
        `op status row \`${line}\` is not | \`op\` | \`module\` | documented in | implemented… / not yet… / refused… | details |`,
      );
    }
    if (seen.has(op)) throw new Error(`the op status table lists ${op} twice`);
    seen.add(op);
    rows.push({ op, module, status, implemented: kind === 'implemented' });
  }
  return rows;
}

/**
 * Where the table and the code disagree about the ops `inScope` says a check covers: a row `implemented`
 * for an op not in `served`, a served op whose row says otherwise, a served op without a row. Empty when
 * they agree; each entry says what to change.
 */
export function opStatusMismatches(
  rows: readonly OpStatusRow[],
  served: ReadonlySet<string>,
  inScope: (op: string) => boolean,
): string[] {
  const problems: string[] = [];
  const listed = new Map(rows.map((row) => [row.op, row]));
  for (const row of rows) {
    if (!inScope(row.op)) continue;
    if (row.implemented && !served.has(row.op)) {
      problems.push(`docs/api.md says ${row.op} is "${row.status}", but the code does not serve it`);
    }
    if (!row.implemented && served.has(row.op)) {
      problems.push(`the code serves ${row.op}, but docs/api.md says "${row.status}": mark it implemented`);
    }
  }
  for (const op of [...served].sort()) {
    if (inScope(op) && !listed.has(op)) {
      problems.push(`the code serves ${op}, which docs/api.md's op status table does not list: add its row`);
    }
  }
  return problems;
}
