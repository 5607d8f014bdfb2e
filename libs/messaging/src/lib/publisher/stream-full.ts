/*
 * nats-server's answers to a publish that a stream did not store because it is full: `maximum bytes exceeded`
 * / `maximum messages exceeded` (err_code 10077) from a `discard: new` stream at its limit, and `insufficient
 * resources` (10023) when JetStream's whole store is full.
 */
const FULL = /maximum (bytes|messages)( per subject)? exceeded|insufficient resources/i;

/**
 * Whether a publish failed because its stream (or JetStream's store) is full rather than because JetStream
 * could not be reached; looks through `cause` (a `PublishFailedError` wraps the server's error).
 */
export function isStreamFull(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (FULL.test(e.message)) return true;
  }
  return false;
}
