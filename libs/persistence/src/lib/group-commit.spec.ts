import { GroupCommit } from './group-commit';

/** A commit function whose batches the test releases one by one. */
function gated() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const commit = async (jobs: readonly number[]) => {
    batches.push([...jobs]);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (jobs.includes(13) && jobs.length > 1) throw new Error('batch failed');
    if (jobs.includes(13)) throw new Error('13 cannot be done');
    return jobs.map((job) => job * 10);
  };
  const releaseNext = async () => {
    while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
  };
  return { batches, commit, releaseNext };
}

describe('GroupCommit', () => {
  it('starts a job at once when nothing is in flight, and batches what arrives meanwhile', async () => {
    const { batches, commit, releaseNext } = gated();
    const group = new GroupCommit(commit);
    const first = group.submit(1);
    const rest = [2, 3, 4].map((job) => group.submit(job));
    await releaseNext();
    await releaseNext();
    await expect(first).resolves.toBe(10);
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a batch at maxBatch', async () => {
    const { batches, commit, releaseNext } = gated();
    const group = new GroupCommit(commit, 2);
    const all = [1, 2, 3, 4, 5].map((job) => group.submit(job));
    for (let i = 0; i < 3; i += 1) await releaseNext();
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('runs the jobs of a failed batch one by one, so only the job that fails is refused', async () => {
    const { batches, commit, releaseNext } = gated();
    const group = new GroupCommit(commit);
    const first = group.submit(1);
    const others = [12, 13, 14].map((job) => group.submit(job).then(String, (e: Error) => e.message));
    for (let i = 0; i < 5; i += 1) await releaseNext();
    await first;
    await expect(Promise.all(others)).resolves.toEqual(['120', '13 cannot be done', '140']);
    expect(batches).toEqual([[1], [12, 13, 14], [12], [13], [14]]);
  });

  it('refuses every job of a batch answered with the wrong number of results, without running it again', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(async () => {
      calls += 1;
      return [];
    });
    await expect(group.submit(1)).rejects.toThrow('group commit: 0 results for 1 jobs');
    expect(calls).toBe(1);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => new GroupCommit(async (jobs: readonly number[]) => jobs, 0)).toThrow(RangeError);
  });
});
