// What every benchmark under bench/ needs around its measurements: a log line prefix, a sleep, whole
// number flags with their ranges, and cleanup that runs once — at the end, on failure, on Ctrl-C or
// SIGTERM, and when the run outlives its hard limit.

export const log = (message) => process.stderr.write(`[bench] ${message}\n`);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `whole(name, min, max)`: the flag `--name` as a whole number in [min, max], else a clear error. */
export function wholeFlags(flags) {
  return (name, min, max) => {
    const value = Number(flags[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

/**
 * Cleanup steps, run once in reverse order of registration (a failing step is logged, the rest still
 * run). SIGINT/SIGTERM clean up and exit 130; a run longer than `hardLimitMs` cleans up and exits 1.
 */
export function cleanupOnExit(hardLimitMs) {
  /** @type {{ name: string, run: () => Promise<unknown> }[]} */
  const steps = [];
  let cleaning;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const { name, run } of steps.reverse()) {
        try {
          await run();
        } catch (error) {
          log(`cleanup "${name}" failed: ${error.message}`);
        }
      }
    })();
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().then(() => process.exit(130));
    });
  }
  setTimeout(() => {
    log(`the run took longer than ${hardLimitMs / 60_000} min: cleaning up and stopping`);
    void cleanup().then(() => process.exit(1));
  }, hardLimitMs).unref();
  return { onCleanup: (name, run) => steps.push({ name, run }), cleanup };
}
