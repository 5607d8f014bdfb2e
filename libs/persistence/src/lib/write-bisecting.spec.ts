import { DatabaseError } from 'pg';
import { writeBisecting, type RowResult } from './write-bisecting';

const pg = (code: string, message = 'refused') => {
  const error = new DatabaseError(message, 0, 'error');
  error.code = code;
  return error;
};

/**
 * A batch of `n` rows keyed `r0…`: rows in `bad` make any statement holding them fail with `code`; rows in
 * `stored` are already there (not inserted); the first `deadlocks` statements are deadlock victims.
 */
function fakeWrite(
  n: number,
  options: { bad?: number[]; stored?: number[]; code?: string; deadlocks?: number },
) {
  const statements: number[][] = [];
  let deadlocks = options.deadlocks ?? 0;
  return {
    statements,
    indices: [...Array(n).keys()],
    write: {
      keyOf: (i: number) => `r${i}`,
      insert: async (indices: readonly number[]) => {
        statements.push([...indices]);
        if (deadlocks > 0) {
          deadlocks -= 1;
          throw pg('40P01', 'deadlock detected');
        }
        const bad = indices.find((i) => options.bad?.includes(i));
        if (bad !== undefined) throw pg(options.code ?? '22P05', `bad value in r${bad}`);
        return new Set(indices.filter((i) => !options.stored?.includes(i)).map((i) => `r${i}`));
      },
    },
  };
}

describe('writeBisecting', () => {
  it('writes a clean batch in one statement, telling inserted from duplicate rows', async () => {
    const { write, indices, statements } = fakeWrite(4, { stored: [2] });
    const results: RowResult[] = [];
    await writeBisecting(write, indices, results);
    expect(statements).toEqual([[0, 1, 2, 3]]);
    expect(results.map((r) => r.kind)).toEqual(['inserted', 'inserted', 'duplicate', 'inserted']);
  });

  it.each([
    ['a data exception', '22P05'],
    ['a check violation', '23514'],
    ['a program limit', '54000'],
  ])(
    'refuses only the row that causes %s, writing the others, in about 2·log2(n) statements',
    async (_, code) => {
      const { write, indices, statements } = fakeWrite(16, { bad: [11], code });
      const results: RowResult[] = [];
      await writeBisecting(write, indices, results);
      expect(results[11]).toEqual({
        kind: 'refused',
        reason: `PostgreSQL refused the row: bad value in r11 (SQLSTATE ${code})`,
      });
      expect(results.filter((r) => r.kind === 'inserted')).toHaveLength(15);
      expect(statements.length).toBeLessThanOrEqual(2 * Math.log2(16) + 1);
    },
  );

  it('runs a deadlock victim again, then gives up after the retries', async () => {
    const retried = fakeWrite(3, { deadlocks: 2 });
    const results: RowResult[] = [];
    await writeBisecting(retried.write, retried.indices, results);
    expect(retried.statements).toHaveLength(3);
    expect(results.every((r) => r.kind === 'inserted')).toBe(true);

    const stuck = fakeWrite(3, { deadlocks: 100 });
    await expect(writeBisecting(stuck.write, stuck.indices, [], 2)).rejects.toMatchObject({ code: '40P01' });
    expect(stuck.statements).toHaveLength(3);
  });

  it('throws what is not the rows’ fault (the database is down), writing nothing more', async () => {
    const down = fakeWrite(4, { bad: [0], code: '57P01' });
    await expect(writeBisecting(down.write, down.indices, [])).rejects.toMatchObject({ code: '57P01' });
    expect(down.statements).toHaveLength(1);
  });
});
