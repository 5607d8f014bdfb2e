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
  /** The signed body is not a JSON array of objects (or, in the legacy encoding, of JSON strings of objects). */
  | 'malformed_body'
  /**
   * The body is an empty array, or its first object is neither a Matrix event nor a sensor data point, or
   * of the other kind than expected. (Objects failing the contract are not refused: see `invalid`.)
   */
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

/** A POST that is not a signed batch of ours. `errors` lists details where there are any (else empty). */
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
