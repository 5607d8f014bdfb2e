/** REST v1's error body: RFC 9457 `application/problem+json` (docs/api.md, "REST v1"). */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  /** Field-level reasons of a 400, e.g. `nmae: is not a known field`. */
  readonly errors?: readonly string[];
  readonly [key: string]: unknown;
}

/** The actions API's error envelope `{status, code, message}` (docs/api.md, "Errors"). */
export interface ActionErrorEnvelope {
  readonly status: number;
  /** `MISSING_PARAMETERS`, `WRONG_PARAMETERS`, `UNKNOWN_OPERATION`, `TOKEN_INVALID`, `NOT_FOUND`, … */
  readonly code: string;
  readonly message: string;
}

/** Where a failed request went. */
export interface RequestDescription {
  readonly method: string;
  /** The URL path, without the query string. */
  readonly path: string;
  /** The actions API's op (`scgrids.readBuilding`); absent on REST v1. */
  readonly op?: string;
}

/**
 * An HTTP answer outside 2xx from the gateway (after any retries), or an actions API answer in 2xx whose
 * body is not JSON (`body` is then the start of its text). `problem` is set for REST v1 bodies,
 * `envelope` for actions API bodies; `body` is the parsed JSON (or text) whatever its shape.
 */
export class MatrixApiError extends Error {
  override readonly name = 'MatrixApiError';
  readonly status: number;
  /** The envelope's `code`, or the problem's `type` (e.g. `about:blank`, `…/problems/invalid-transition`). */
  readonly code: string | undefined;
  readonly problem: ProblemDetails | undefined;
  readonly envelope: ActionErrorEnvelope | undefined;
  readonly body: unknown;
  readonly method: string;
  readonly path: string;
  readonly op: string | undefined;
  /** `x-request-id` (or `x-amzn-requestid`) of the answer when the server sent one. */
  readonly requestId: string | undefined;
  /** The answer's `Retry-After`, in milliseconds, when it had one. */
  readonly retryAfterMs: number | undefined;
  /** How many requests were sent (1 + retries). */
  readonly attempts: number;

  constructor(init: {
    status: number;
    body: unknown;
    request: RequestDescription;
    requestId?: string;
    retryAfterMs?: number;
    attempts: number;
    /** What went wrong, over the one read from the body. */
    reason?: string;
    cause?: unknown;
  }) {
    const problem = asProblem(init.body);
    const envelope = problem ? undefined : asEnvelope(init.body);
    const reason =
      init.reason ??
      problem?.detail ??
      problem?.title ??
      envelope?.message ??
      (typeof init.body === 'string' ? init.body : '');
    const where = init.request.op ? `${init.request.op} (${init.request.path})` : init.request.path;
    super(
      `${init.request.method} ${where}: ${init.status}${reason ? ` ${reason}` : ''}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.status = init.status;
    this.problem = problem;
    this.envelope = envelope;
    this.code = envelope?.code ?? problem?.type;
    this.body = init.body;
    this.method = init.request.method;
    this.path = init.request.path;
    this.op = init.request.op;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
  }
}

/** No HTTP answer: the connection failed or the attempt timed out (after any retries). `cause` says why. */
export class MatrixNetworkError extends Error {
  override readonly name = 'MatrixNetworkError';
  readonly method: string;
  readonly path: string;
  readonly op: string | undefined;
  /** True when the last attempt ran out of `timeoutMs`. */
  readonly timedOut: boolean;
  readonly attempts: number;

  constructor(init: { request: RequestDescription; cause: unknown; timedOut: boolean; attempts: number }) {
    const where = init.request.op ? `${init.request.op} (${init.request.path})` : init.request.path;
    const why = init.timedOut ? 'timed out' : ((init.cause as Error)?.message ?? String(init.cause));
    super(`${init.request.method} ${where}: ${why} after ${init.attempts} attempt(s)`, { cause: init.cause });
    this.method = init.request.method;
    this.path = init.request.path;
    this.op = init.request.op;
    this.timedOut = init.timedOut;
    this.attempts = init.attempts;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asProblem(body: unknown): ProblemDetails | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.type !== 'string' || typeof body.title !== 'string' || typeof body.status !== 'number') {
    return undefined;
  }
  return body as ProblemDetails;
}

function asEnvelope(body: unknown): ActionErrorEnvelope | undefined {
  if (!isRecord(body) || typeof body.code !== 'string' || typeof body.message !== 'string') return undefined;
  return {
    status: typeof body.status === 'number' ? body.status : 0,
    code: body.code,
    message: body.message,
  };
}
