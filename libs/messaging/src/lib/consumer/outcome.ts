/** What a handler decided about one message; the runtime maps it to ack / nak / term + dead letter. */
export type HandlerOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string; readonly delayMs?: number }
  | { readonly kind: 'rejected'; readonly reason: string };

export const Outcome = {
  /** Processed: ack. */
  done: (): HandlerOutcome => ({ kind: 'done' }),
  /** Nothing to do for this message: ack, with the reason logged at debug level. */
  skipped: (reason: string): HandlerOutcome => ({ kind: 'skipped', reason }),
  /** Try again later (nak with a delay); after the consumer's last delivery it is dead-lettered. */
  retryIn: (delayMs: number | undefined, reason: string): HandlerOutcome => ({
    kind: 'retry',
    delayMs,
    reason,
  }),
  /** It will never succeed: dead-letter it now with the reason, then term. */
  rejected: (reason: string): HandlerOutcome => ({ kind: 'rejected', reason }),
} as const;

/** Thrown by a handler for a transient failure; maps to a nak after `delayMs` (or the consumer's backoff). */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  constructor(
    message: string,
    readonly delayMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
