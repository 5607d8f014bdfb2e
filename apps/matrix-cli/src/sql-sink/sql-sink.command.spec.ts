import type { CommandBus } from '@matrix/messaging';
import { UsageError } from '../redrive/redrive.command';
import { parseSqlSinkArgs, runSqlSink } from './sql-sink.command';

const URL = 'postgres://copy:hunter2@db.example:5432/matrix?sslmode=require';

describe('matrix-cli sql-sink arguments', () => {
  it('reads an action, a property and for set a connection string', () => {
    expect(parseSqlSinkArgs(['set', '--property', 'prop-1', '--url', URL])).toEqual({
      action: 'set',
      propId: 'prop-1',
      url: URL,
    });
    expect(parseSqlSinkArgs(['set', '--property', 'p', '--url', '-'])).toEqual({
      action: 'set',
      propId: 'p',
      url: '-',
    });
    expect(parseSqlSinkArgs(['show', '--property', 'p'])).toEqual({ action: 'show', propId: 'p' });
    expect(parseSqlSinkArgs(['remove', '--property', 'p'])).toEqual({ action: 'remove', propId: 'p' });
  });

  it.each([
    [[], /one action[\s\S]*--property is required/],
    [['drop', '--property', 'p'], /one action/],
    [['show'], /--property is required/],
    [['set', '--property', 'p'], /--url is required for set/],
    [['set', '--property', 'p', '--url', 'mysql://u:hunter2@h/db'], /^--url: must be postgres:\/\//],
    [['set', '--property', 'p', '--url', 'postgres://u:hunter2@h:99999/db'], /^--url: is not a valid URL/],
    [['show', '--property', 'p', '--url', URL], /--url is for set only/],
    [['remove', '--property', 'p', '--force'], /Unknown option/],
  ])('refuses %j naming what is wrong', (args, message) => {
    expect(() => parseSqlSinkArgs(args as string[])).toThrow(UsageError);
    expect(() => parseSqlSinkArgs(args as string[])).toThrow(message);
  });

  it('never repeats the connection string in a refusal', () => {
    for (const url of [
      'mysql://u:hunter2@h/db',
      'postgres://u:hunter2@h:99999/db',
      'postgres://u:hunter2@h',
    ]) {
      expect(() => parseSqlSinkArgs(['set', '--property', 'p', '--url', url])).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
      );
    }
  });
});

describe('matrix-cli sql-sink requests', () => {
  /** A command bus that records each request and answers `reply`. */
  function bus(reply: unknown) {
    const sent: { subject: string; payload: unknown }[] = [];
    const fake = {
      request: async (spec: { subject: string }, payload: unknown) => {
        sent.push({ subject: spec.subject, payload });
        return reply;
      },
    } as unknown as Pick<CommandBus, 'request'>;
    return { sent, fake };
  }

  it('sends set with the connection string and prints the reply as JSON', async () => {
    const status = {
      propId: 'p',
      target: 'postgres://copy@db.example:5432/matrix?sslmode=require',
      state: 'pending',
    };
    const { sent, fake } = bus(status);
    const lines = await runSqlSink({ action: 'set', propId: 'p', url: URL }, fake);
    expect(sent).toEqual([{ subject: 'sql.sink.set.v1', payload: { propId: 'p', connectionString: URL } }]);
    expect(JSON.parse(lines.join('\n'))).toEqual(status);
    expect(lines[0]).toBe('{');
  });

  it.each([
    ['show', 'sql.sink.show.v1'],
    ['remove', 'sql.sink.remove.v1'],
  ] as const)('sends %s with the property alone', async (action, subject) => {
    const reply = { propId: 'p', target: 'postgres://copy@db/matrix' };
    const { sent, fake } = bus(reply);
    const lines = await runSqlSink({ action, propId: 'p' }, fake);
    expect(sent).toEqual([{ subject, payload: { propId: 'p' } }]);
    expect(JSON.parse(lines.join('\n'))).toEqual(reply);
  });
});
