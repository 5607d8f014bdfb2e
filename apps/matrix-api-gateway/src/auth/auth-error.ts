/** Why a request was refused by authentication, authorization or the rate limit. */
export type AuthErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'RATE_LIMITED';

const STATUS: Record<AuthErrorCode, 401 | 403 | 404 | 429> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

/**
 * A refused request. The message says what is wrong in words a client can act on; each surface's
 * exception filter translates `code` to its own error body (actions: `TOKEN_INVALID` envelope, REST:
 * problem+json). Never thrown for a server fault.
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly status: 401 | 403 | 404 | 429;

  constructor(
    readonly code: AuthErrorCode,
    message: string,
    /** Seconds until the request may be retried (RATE_LIMITED only); sent as `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = STATUS[code];
  }

  static unauthenticated(message: string): AuthError {
    return new AuthError('UNAUTHENTICATED', message);
  }
}
