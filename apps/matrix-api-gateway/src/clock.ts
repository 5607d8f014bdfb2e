/** Current time in epoch milliseconds; injected so tests control skew, TTLs and token buckets. */
export interface Clock {
  now(): number;
}

/** Injection token of the {@link Clock} used by authentication and credentials. */
export const CLOCK = Symbol('CLOCK');

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
