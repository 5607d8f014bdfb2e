// Helpers for the benchmarks' child processes (load generators, raw servers): each gets its settings as
// one JSON argument and must end by itself, whatever happens to its parent.

/**
 * The JSON spec in argv[2]; exits 64 naming the first missing key, or a host other than 127.0.0.1 when
 * the spec has one.
 */
export function readSpec(program, required) {
  const spec = JSON.parse(process.argv[2] ?? '{}');
  for (const key of required) {
    if (spec[key] === undefined) {
      process.stderr.write(`${program}: missing "${key}" in the spec\n`);
      process.exit(64);
    }
  }
  if (spec.host !== undefined && spec.host !== '127.0.0.1') {
    process.stderr.write(`${program}: loads go to 127.0.0.1 only\n`);
    process.exit(64);
  }
  return spec;
}

/** Exits 2 after `ms`, whatever is still going on. */
export function hardTimeLimit(program, ms) {
  setTimeout(() => {
    process.stderr.write(`${program}: hard time limit reached\n`);
    process.exit(2);
  }, ms).unref();
}

/**
 * Listens on an ephemeral 127.0.0.1 port, prints `listening <port>` for the parent, and closes on
 * SIGTERM/SIGINT or after `maxLifetimeMs`.
 */
export function serveUntilStopped(server, maxLifetimeMs = 10 * 60_000) {
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setTimeout(stop, maxLifetimeMs).unref();
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}
