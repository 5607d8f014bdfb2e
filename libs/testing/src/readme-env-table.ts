import { readFileSync, writeFileSync } from 'node:fs';
import { envTable, type EnvSchema } from '@matrix/platform';

const START = '<!-- env-table:start -->';
const END = '<!-- env-table:end -->';

/**
 * Asserts that an app README documents exactly its configuration schema between the env-table markers.
 * Run the spec with `UPDATE_DOCS=1` to rewrite the table from the schema instead.
 */
export function checkReadmeEnvTable(
  readmePath: string,
  schema: EnvSchema,
): { expected: string; actual: string } {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${readmePath} has no ${START} … ${END} section`);
  const expected = `\n${envTable(schema)}\n`;
  const actual = readme.slice(start + START.length, end);
  if (process.env['UPDATE_DOCS'] === '1' && actual !== expected) {
    writeFileSync(readmePath, readme.slice(0, start + START.length) + expected + readme.slice(end));
    return { expected, actual: expected };
  }
  return { expected, actual };
}
