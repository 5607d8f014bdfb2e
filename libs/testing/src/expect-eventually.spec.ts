import { expectEventually } from './expect-eventually';

describe('expectEventually', () => {
  it('returns the value of the first attempt that does not throw', async () => {
    let calls = 0;
    const value = await expectEventually(
      () => {
        calls += 1;
        expect(calls).toBeGreaterThanOrEqual(4);
        return `done after ${calls}`;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done after 4');
    expect(calls).toBe(4);
  });

  it('awaits asynchronous probes and retries rejected ones', async () => {
    let calls = 0;
    const value = await expectEventually(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return calls;
      },
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
  });

  it('rethrows the last error with the elapsed time when time runs out', async () => {
    let calls = 0;
    const failing = expectEventually(
      () => {
        calls += 1;
        throw new Error(`attempt ${calls} failed`);
      },
      { timeoutMs: 60, intervalMs: 5 },
    );
    const error: Error = await failing.then(
      () => {
        throw new Error('expected a rejection');
      },
      (reason: Error) => reason,
    );
    expect(calls).toBeGreaterThan(1);
    expect(error.message).toContain(`attempt ${calls} failed`);
    expect(error.message).toMatch(/still failing after \d+ ms \(\d+ attempts\)/);
    const elapsed = Number(/after (\d+) ms/.exec(error.message)?.[1]);
    expect(elapsed).toBeGreaterThanOrEqual(60);
    expect(error.stack).toContain('still failing after');
  });

  it('keeps the jest assertion message of the last attempt', async () => {
    let seen = 0;
    const error: Error = await expectEventually(
      () => {
        seen += 1;
        expect(seen).toBe(-1);
      },
      { timeoutMs: 30, intervalMs: 5 },
    ).then(
      () => new Error('expected a rejection'),
      (reason: Error) => reason,
    );
    // Jest colours its messages when the terminal (or Nx) asks for it.
    const plain = error.message.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/Expected: -1[\s\S]*still failing after/);
  });

  it('wraps non-Error values a probe throws', async () => {
    await expect(
      expectEventually(
        () => {
          throw 'plain string';
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/still failing after \d+ ms.*last thrown value: plain string/);
  });

  it('gives up on a probe that never settles', async () => {
    await expect(
      expectEventually(() => new Promise<never>(() => undefined), { timeoutMs: 40, intervalMs: 5 }),
    ).rejects.toThrow(/probe did not settle within \d+ ms[\s\S]*still failing after/);
  });
});
