import { SQL_SINK_COMMANDS, sqlSinkUrlProblems } from './sql-sink-commands';

describe('sqlSinkUrlProblems', () => {
  it.each([
    'postgres://app:pw@db.example.com:5432/facilities',
    'postgresql://db/facilities?sslmode=verify-full&application_name=matrix',
    'postgres://db/facilities?user=app&password=p%40ss&connect_timeout=10',
  ])('accepts %s', (url) => {
    expect(sqlSinkUrlProblems(url)).toEqual([]);
  });

  it.each([
    [42, 'must be a non-empty string'],
    ['', 'must be a non-empty string'],
    ['mysql://db/facilities', 'must be postgres://'],
    ['postgres://db', 'must be postgres://'],
    ['postgres://db/x?host=10.0.0.1', 'parameter "host" is not accepted'],
    [
      'postgres://db/x?sslrootcert=/etc/passwd&sslkey=/k',
      'parameter "sslrootcert", "sslkey" is not accepted',
    ],
    [`postgres://db/${'x'.repeat(2100)}`, 'at most 2048 characters'],
  ])('refuses %s, naming connectionString', (url, problem) => {
    const problems = sqlSinkUrlProblems(url);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^connectionString: /);
    expect(problems[0]).toContain(problem);
  });

  it('is what the set command decodes with, beside propId', () => {
    const decoded = SQL_SINK_COMMANDS.set.decodeRequest(
      { propId: '', connectionString: 'x' },
      'sql.sink.set.v1',
    );
    expect(decoded).toEqual({
      ok: false,
      errors: ['propId: must be a non-empty string', expect.stringMatching(/^connectionString: /)],
    });
  });
});
