/**
 * Why a feature refused an operation. Features throw these (or their own subclasses, such as
 * `RegistryError`); each HTTP surface's one exception filter maps the code to its envelope: the Matrix
 * actions envelope (`actions/actions-exception.filter.ts`) or REST v1's problem details
 * (`rest/rest-exception.filter.ts`).
 */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** A lifecycle rule refuses the change (an incident's status); the message names the rule. */
  | 'INVALID_TRANSITION'
  | 'LIMIT_VIOLATED'
  | 'INVALID'
  | 'UNAVAILABLE';

export class DomainError extends Error {
  override readonly name: string = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Each problem, for INVALID (e.g. `name: is required`). */
    readonly details: string[] = [],
    /** Seconds after which the caller may retry (UNAVAILABLE); sent as `Retry-After`. */
    readonly retryAfterSeconds?: number,
    /** `cause`: the error this one translates (e.g. a command bus timeout). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
