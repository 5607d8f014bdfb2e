import type { MatrixAuth } from './auth';
import { MatrixApiError, MatrixNetworkError, type RequestDescription } from './errors';
import {
  backoffDelay,
  parseRetryAfter,
  resolveRetry,
  RETRYABLE_STATUSES,
  sleep,
  type RetryOptions,
} from './retry';
import { scHmacHeaders, type ScHmacScope } from './sc-hmac';
import { SDK_VERSION } from './version';

/** Options every request of a client shares. */
export interface TransportOptions {
  readonly auth: MatrixAuth;
  readonly retry?: RetryOptions;
  /** Per attempt, in milliseconds (default 30,000): an attempt running longer is aborted. */
  readonly timeoutMs?: number;
  /** Sent as `User-Agent` (default `matrix-platform-sdk/<version>`). */
  readonly userAgent?: string;
  /** Called before each retry's wait (see {@link RetryEvent}); what it throws fails the call. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** A failed attempt about to be sent again, as `onRetry` sees it (e.g. to log or count rate limiting). */
export interface RetryEvent {
  readonly request: RequestDescription;
  /** The attempt that failed (1 = the first request). */
  readonly attempt: number;
  /** The answer's status (429, 502, 503 or 504); absent when there was no answer. */
  readonly status?: number;
  /** Why there was no answer (connection failed, attempt timed out); absent when there was one. */
  readonly error?: unknown;
  /** How long the client waits before the next attempt: the answer's `Retry-After`, else the back-off. */
  readonly delayMs: number;
}

/** Options one call may set over the client's. */
export interface CallOptions {
  /**
   * Whether a failed attempt may be sent again. Default: yes for GET and HEAD, and for a request with an
   * `Idempotency-Key` header; no for other writes and for actions API ops (whose POSTs may not be
   * idempotent) unless set. A 429 is retried either way: the gateway refused it before doing anything.
   */
  readonly retry?: boolean | RetryOptions;
  /** Aborts the call, waiting back-offs included; the signal's reason is thrown as it is. */
  readonly signal?: AbortSignal;
  /** Per attempt, over the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/** One request, before authentication. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body?: Uint8Array | string;
  /** What SC-HMAC signs for this request. */
  readonly scope: ScHmacScope;
  /** Safe to send again by itself (GET, an `Idempotency-Key`), before `CallOptions.retry` is applied. */
  readonly idempotent: boolean;
  readonly description: RequestDescription;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Characters of a 2xx body that is not JSON kept in the error. */
const BODY_SNIPPET = 200;

/**
 * Sends requests with the client's authentication, retries and timeouts; answers the `Response` of the
 * first 2xx attempt, else throws {@link MatrixApiError} or {@link MatrixNetworkError}.
 */
export class Transport {
  constructor(
    readonly options: TransportOptions,
    /** Back-off jitter source; tests pin it. */
    private readonly random: () => number = Math.random,
  ) {}

  async send(request: OutgoingRequest, call: CallOptions = {}): Promise<Response> {
    return (await this.sendCounted(request, call)).response;
  }

  /**
   * Like {@link send}, answering the 2xx body parsed as JSON (`undefined` when empty). A 2xx body that is
   * not JSON (a proxy's HTML page, a truncated answer) is thrown as {@link MatrixApiError} with the
   * answer's status and the start of its text as `body`.
   */
  async sendJson(request: OutgoingRequest, call: CallOptions = {}): Promise<unknown> {
    const { response, attempts } = await this.sendCounted(request, call);
    return this.parseJson(request, response, attempts, await response.text());
  }

  /**
   * Like {@link send}, with the 2xx body checked as {@link sendJson} checks it, answered as a `Response`
   * again (for openapi-fetch, which would otherwise throw a bare `SyntaxError` on a proxy's HTML page).
   */
  async sendCheckedJson(request: OutgoingRequest, call: CallOptions = {}): Promise<Response> {
    const { response, attempts } = await this.sendCounted(request, call);
    const text = await response.text();
    this.parseJson(request, response, attempts, text);
    const headers = new Headers(response.headers);
    // openapi-fetch parses any body but a 204's, a HEAD's or an unchunked one of Content-Length 0: an empty
    // chunked 200 would be a SyntaxError there. The body is read whole now, so it is not chunked.
    headers.delete('transfer-encoding');
    if (text === '') headers.set('content-length', '0');
    return new Response(text === '' ? null : text, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }

  private parseJson(request: OutgoingRequest, response: Response, attempts: number, text: string): unknown {
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      const snippet = text.length > BODY_SNIPPET ? `${text.slice(0, BODY_SNIPPET)}…` : text;
      throw new MatrixApiError({
        status: response.status,
        body: snippet,
        reason: `answer is not JSON: ${snippet}`,
        request: request.description,
        requestId: requestIdOf(response),
        attempts,
        cause: error,
      });
    }
  }

  private async sendCounted(
    request: OutgoingRequest,
    call: CallOptions,
  ): Promise<{ response: Response; attempts: number }> {
    const retry = resolveRetry(this.options.retry, typeof call.retry === 'object' ? call.retry : undefined);
    const mayRetry =
      typeof call.retry === 'boolean' ? call.retry : call.retry !== undefined || request.idempotent;
    const timeoutMs = call.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      const headers = new Headers(request.headers);
      await this.authenticate(headers, request.scope);
      if (!headers.has('user-agent')) {
        headers.set('user-agent', this.options.userAgent ?? `matrix-platform-sdk/${SDK_VERSION}`);
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
      const last = attempt >= retry.maxAttempts;
      let response: Response;
      try {
        response = await fetch(request.url, { method: request.method, headers, body: request.body, signal });
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (mayRetry && !last) {
          const delayMs = backoffDelay(attempt, retry, this.random);
          this.options.onRetry?.({ request: request.description, attempt, error, delayMs });
          await sleep(delayMs, call.signal);
          continue;
        }
        throw new MatrixNetworkError({
          request: request.description,
          cause: error,
          timedOut: timeout.aborted,
          attempts: attempt,
        });
      }
      if (response.ok) return { response, attempts: attempt };
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      const retryable =
        RETRYABLE_STATUSES.has(response.status) && (mayRetry || response.status === 429) && !last;
      if (retryable && (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs)) {
        await response.body?.cancel();
        const delayMs = retryAfterMs ?? backoffDelay(attempt, retry, this.random);
        this.options.onRetry?.({ request: request.description, attempt, status: response.status, delayMs });
        await sleep(delayMs, call.signal);
        continue;
      }
      throw new MatrixApiError({
        status: response.status,
        body: await readBody(response),
        request: request.description,
        requestId: requestIdOf(response),
        retryAfterMs,
        attempts: attempt,
      });
    }
  }

  private async authenticate(headers: Headers, scope: ScHmacScope): Promise<void> {
    const auth = this.options.auth;
    switch (auth.type) {
      case 'sc-hmac': {
        const signed = scHmacHeaders(scope, auth.accessKey, auth.secretKey, Math.floor(Date.now() / 1000));
        headers.set('authorization', signed.authorization);
        headers.set('x-sc-time', signed['x-sc-time']);
        headers.set('x-sc-identity', 'external');
        return;
      }
      case 'basic':
        headers.set(
          'authorization',
          `Basic ${Buffer.from(`${auth.accessKey}:${auth.secretKey}`, 'utf8').toString('base64')}`,
        );
        return;
      case 'bearer': {
        const token = typeof auth.token === 'function' ? await auth.token() : auth.token;
        headers.set('authorization', `Bearer ${token}`);
        return;
      }
    }
  }
}

/** The body as JSON when it parses, else as text (`undefined` when empty or unreadable). */
async function readBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-request-id') ?? response.headers.get('x-amzn-requestid') ?? undefined;
}
