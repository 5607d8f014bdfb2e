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
  | 'QUERY_LENGTH_EXCEEDED'
  | 'RATE_LIMITED'
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
  QUERY_LENGTH_EXCEEDED: 413,
  RATE_LIMITED: 429,
  failure: 500,
};

/** Thrown by the actions surface itself (missing query parameters, unknown op). */
export class ActionError extends Error {
  override readonly name = 'ActionError';
  constructor(
    readonly code: ActionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
