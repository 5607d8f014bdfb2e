/** Why a POST was refused; the codes are stable, the messages are for people. */
export type WebhookErrorCode =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is missing. */
  | 'missing_headers'
  /** `webhook-timestamp` is not a number of seconds. */
  | 'invalid_timestamp'
  /** `webhook-timestamp` is further from now than the receiver's tolerance (a replayed or delayed POST). */
  | 'timestamp_out_of_tolerance'
  /** No `v1,` signature in `webhook-signature` matches any of the receiver's secrets. */
  | 'invalid_signature'
  /** The signed body is not a JSON array (or, in the legacy encoding, an element is not JSON). */
  | 'malformed_body'
  /** The body is a JSON array, but not of Matrix events or of sensor data points (or not of the expected kind). */
  | 'invalid_items';

/** The HTTP status a receiver answers for each code: signature problems 401, body problems 400. */
const STATUS: Record<WebhookErrorCode, 400 | 401> = {
  missing_headers: 401,
  invalid_timestamp: 401,
  timestamp_out_of_tolerance: 401,
  invalid_signature: 401,
  malformed_body: 400,
  invalid_items: 400,
};

/**
 * A POST that is not a signed batch of ours. `errors` lists the problems of the body's items as
 * `[index].field: problem` (the checks of the Matrix contracts), empty for the other codes.
 */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  readonly status: 400 | 401;

  constructor(
    readonly code: WebhookErrorCode,
    message: string,
    readonly errors: readonly string[] = [],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}
