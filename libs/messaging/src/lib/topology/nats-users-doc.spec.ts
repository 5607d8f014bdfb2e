import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { natsUsersTable } from './nats-authorization';

const DOC = path.join(__dirname, '../../../../../docs/nats-security.md');
const START = '<!-- nats-users:start -->';
const END = '<!-- nats-users:end -->';

describe('docs/nats-security.md', () => {
  it('shows the NATS users as their permissions are derived (UPDATE_DOCS=1 rewrites the table)', () => {
    const doc = readFileSync(DOC, 'utf8');
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    expect([start >= 0, end > start]).toEqual([true, true]);
    const expected = `\n${natsUsersTable()}\n`;
    const actual = doc.slice(start + START.length, end);
    if (process.env['UPDATE_DOCS'] === '1' && actual !== expected) {
      writeFileSync(DOC, doc.slice(0, start + START.length) + expected + doc.slice(end));
      return;
    }
    expect(actual).toBe(expected);
  });
});
