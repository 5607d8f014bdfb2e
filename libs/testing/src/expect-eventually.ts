/** Options of {@link expectEventually}. */
export interface EventuallyOptions {
  /** Give up after this long (default 10 000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Retries `probe` until it returns (or resolves) without throwing, and returns its value. Use it
 * for asynchronous consumers instead of fixed sleeps:
 * `await expectEventually(async () => expect(await repo.count()).toBe(1))`.
 * On timeout it rethrows the probe's last error, its message extended with the elapsed time and the
 * number of attempts. A probe that never settles is abandoned when the time is up.
 */
export async function expectEventually<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50 }: EventuallyOptions = {},
): Promise<T> {
  const started = Date.now();
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    const remaining = timeoutMs - (Date.now() - started);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        Promise.resolve().then(probe),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`probe did not settle within ${Math.max(remaining, 0)} ms`)),
            Math.max(remaining, 0),
          );
        }),
      ]);
    } catch (error) {
      lastError = error;
    } finally {
      clearTimeout(timer);
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) throw timedOut(lastError, elapsed, attempts);
    await pause(Math.min(intervalMs, timeoutMs - elapsed));
  }
}

function timedOut(lastError: unknown, elapsed: number, attempts: number): Error {
  const note = `expectEventually: still failing after ${elapsed} ms (${attempts} attempts)`;
  if (!(lastError instanceof Error)) {
    return new Error(`${note}; last thrown value: ${String(lastError)}`, { cause: lastError });
  }
  const original = lastError.message;
  lastError.message = `${original}\n\n${note}`;
  // Jest prints `stack`, which captured the old message when the error was created.
  if (lastError.stack?.includes(original)) {
    lastError.stack = lastError.stack.replace(original, lastError.message);
  }
  return lastError;
}
