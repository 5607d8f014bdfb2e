/** The Matrix actions API error codes (docs/api.md lists them with their HTTP status). */
export type ActionErrorCode =
  | 'MISSING_PARAMETERS'
  | 'WRONG_PARAMETERS'
  | 'UNKNOWN_OPERATION'
  | 'LIMIT_VIOLATED'
  | 'ALREADY_EXISTS'
  | 'TOKEN_INVALID'
  | 'IMPLICIT_DENY'
  | 'NOT_FOUND'
  | 'INVALID_TRANSITION'
  | 'QUERY_LENGTH_EXCEEDED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'failure';

export const ACTION_ERROR_STATUS: Record<ActionErrorCode, number> = {
  MISSING_PARAMETERS: 400,
  WRONG_PARAMETERS: 400,
  UNKNOWN_OPERATION: 400,
  LIMIT_VIOLATED: 400,
  ALREADY_EXISTS: 400,
  TOKEN_INVALID: 401,
  IMPLICIT_DENY: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  QUERY_LENGTH_EXCEEDED: 413,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  failure: 500,
};

/** Thrown by the actions surface and the features' op handlers (missing query parameters, unknown op, bad body). */
export class ActionError extends Error {
  override readonly name = 'ActionError';
  constructor(
    readonly code: ActionErrorCode,
    message: string,
    /** Seconds after which the caller may retry (SERVICE_UNAVAILABLE); sent as `Retry-After`. */
    readonly retryAfterSeconds?: number,
    /** `cause`: the error this one translates (e.g. a command bus timeout). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
