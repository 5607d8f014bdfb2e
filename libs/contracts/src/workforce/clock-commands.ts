import type { Checked } from '../subscriptions/subscription.v1';
import { isObject } from './command-decoders';

/*
 * ⚠️ The test clock of incident-service (like Stripe's test clocks): with `CLOCK_CONTROL=on` — tests and
 * demos only; off by default, and then nobody answers this subject — `workforce.clock.advance.v1` moves
 * the service's clock forward by `seconds` and answers its new time. Everything in incident-service
 * that reads the time (the escalation timer, the actions) reads this clock.
 */

export interface ClockAdvanceV1 {
  /** Seconds to add to the clock (a positive integer, at most 30 days). */
  seconds: number;
}

export interface ClockNowV1 {
  /** The service's time after the advance, ISO 8601 (UTC). */
  now: string;
}

/** The most one advance moves the clock (30 days). */
export const MAX_CLOCK_ADVANCE_SECONDS = 30 * 86_400;

export function checkClockAdvance(json: unknown): Checked<ClockAdvanceV1> {
  if (!isObject(json)) return { ok: false, errors: ['request: must be an object'] };
  const { seconds } = json;
  if (
    !Number.isSafeInteger(seconds) ||
    (seconds as number) < 1 ||
    (seconds as number) > MAX_CLOCK_ADVANCE_SECONDS
  ) {
    return { ok: false, errors: [`seconds: must be an integer from 1 to ${MAX_CLOCK_ADVANCE_SECONDS}`] };
  }
  return { ok: true, value: { seconds: seconds as number } };
}

/** The clock command (structurally a `CommandSpec` of @matrix/messaging); the NATS namespace prefixes its subject. */
export const CLOCK_ADVANCE_COMMAND = {
  subject: 'workforce.clock.advance.v1',
  decodeRequest: (json: unknown): Checked<ClockAdvanceV1> => checkClockAdvance(json),
  decodeReply: (json: unknown): Checked<ClockNowV1> =>
    isObject(json) && typeof json.now === 'string' && !Number.isNaN(Date.parse(json.now))
      ? { ok: true, value: { now: json.now } }
      : { ok: false, errors: ['now: must be an ISO 8601 time'] },
} as const;
