import type { SqlSinkStatusV1 } from '@matrix/contracts';
import { RegistryError } from '../registry/registry-error';
import {
  connectionStringOf,
  sqlSinkView,
  wasCreated,
  withoutPassword,
  withoutPasswords,
} from './sql-sink-inputs';

const status = (over: Partial<SqlSinkStatusV1> = {}): SqlSinkStatusV1 => ({
  propId: 'p1',
  target: 'postgres://copy@db.example:5432/matrix?sslmode=require',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  state: 'pending',
  sensorData: { copiedThrough: 0, projectedThrough: 12 },
  events: { copiedThrough: 0, projectedThrough: 3 },
  lagSeconds: null,
  lastCopyAt: null,
  lastError: null,
  lastErrorAt: null,
  nextAttemptAt: null,
  ...over,
});

function problems(body: unknown): string[] {
  try {
    connectionStringOf(body);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return (error as RegistryError).details;
  }
  throw new Error('accepted');
}

describe('a PUT sql-sink body', () => {
  it('gives the connection string of {connectionString}', () => {
    const url = 'postgres://copy:s3cret@db.example:5432/matrix?sslmode=require';
    expect(connectionStringOf({ connectionString: url })).toBe(url);
  });

  it.each([
    [undefined, ['body: must be a JSON object']],
    [[], ['body: must be a JSON object']],
    [{}, ['connectionString: must be a non-empty string']],
    [
      { ConnectionString: 'postgres://h/db' },
      ['ConnectionString: is not a known field', 'connectionString: must be a non-empty string'],
    ],
    [
      { connectionString: 'mysql://u:secret@h/db' },
      ['connectionString: must be postgres://[user[:password]@]host[:port]/database[?parameters]'],
    ],
    [
      { connectionString: 'postgres://h:99999/db' },
      [expect.stringMatching(/^connectionString: is not a valid URL/)],
    ],
  ])('refuses %j naming each problem', (body, expected) => {
    expect(problems(body)).toEqual(expected);
  });

  it('never repeats the value in a problem', () => {
    const all = problems({ connectionString: 'postgres://u:hunter2@h:99999/db', other: 1 });
    expect(all.join('\n')).not.toContain('hunter2');
  });
});

describe('withoutPassword', () => {
  it.each([
    ['postgres://u:secret@h:5432/db', 'postgres://u@h:5432/db'],
    ['postgresql://u:se:c@r@et@h/db?sslmode=require', 'postgresql://u@h/db?sslmode=require'],
    ['postgres://u@h/db', 'postgres://u@h/db'],
    ['postgres://h/db', 'postgres://h/db'],
    ['postgres://:secret@h/db', 'postgres://h/db'],
    ['postgres://u@h/db?password=secret&sslmode=require', 'postgres://u@h/db?sslmode=require'],
    ['postgres://u@h/db?sslmode=require&sslpassword=k&PassWord=x', 'postgres://u@h/db?sslmode=require'],
    ['postgres://u@h/db?pass%77ord=secret', 'postgres://u@h/db'],
    ['postgres://u:s@h/db?application_name=a#frag', 'postgres://u@h/db?application_name=a#frag'],
    ['not a url', 'not a url'],
  ])('%s → %s', (target, expected) => {
    expect(withoutPassword(target)).toBe(expected);
  });

  it('strips every connection string of an error message', () => {
    expect(withoutPasswords('connect postgres://u:pw@h/db failed; postgresql://v:pw2@g/x too')).toBe(
      'connect postgres://u@h/db failed; postgresql://v@g/x too',
    );
  });
});

describe('a sink as REST answers it', () => {
  it('keeps the contract’s fields, without any password or unknown field', () => {
    const leaky = {
      ...status({
        target: 'postgres://copy:s3cret@db.example/matrix?password=s3cret',
        lastError: 'could not reach postgres://copy:s3cret@db.example/matrix',
      }),
      connectionString: 'postgres://copy:s3cret@db.example/matrix',
    } as SqlSinkStatusV1;
    const view = sqlSinkView(leaky);
    expect(view).toEqual(
      status({
        target: 'postgres://copy@db.example/matrix',
        lastError: 'could not reach postgres://copy@db.example/matrix',
      }),
    );
    expect(JSON.stringify(view)).not.toContain('s3cret');
  });

  it('was created when made and updated at one instant, replaced otherwise', () => {
    expect(wasCreated(status())).toBe(true);
    expect(wasCreated(status({ updatedAt: '2026-12-01T10:05:00.000Z' }))).toBe(false);
  });
});
