import type { MatrixAuth } from './auth';
import { MatrixActionsClient, type ActionDefaults } from './actions/actions-client';
import { createRestClient, type MatrixRestClient } from './rest/rest-client';
import type { RetryOptions } from './retry';
import { Transport, type RetryEvent } from './transport';

export interface MatrixClientOptions {
  /** The gateway, e.g. `http://127.0.0.1:8080` (REST v1 under `/v1`, the actions API under `/prod/v2`). */
  readonly baseUrl: string;
  readonly auth: MatrixAuth;
  /** Where the actions API is served (default `<baseUrl>/prod/v2`). */
  readonly actionsBaseUrl?: string;
  /** Defaults of the actions API's `org`, `pid` and `propid` (`propid` also falls back to `auth.propId`). */
  readonly actions?: ActionDefaults;
  /** Retries on 429/502/503/504 and network errors (see {@link RetryOptions}). */
  readonly retry?: RetryOptions;
  /** Per attempt, in milliseconds (default 30,000). */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /**
   * Called before each retry's wait with the attempt that failed, its status (or network error) and the
   * wait (`Retry-After`, else the back-off): to log or count retries, e.g. how often the gateway answered
   * 429. Synchronous; what it throws fails the call.
   */
  readonly onRetry?: (event: RetryEvent) => void;
}

/**
 * A client of one Matrix gateway with one credential: `rest` (REST v1, typed from the OpenAPI document)
 * and `actions` (the Matrix actions API of every module).
 */
export class MatrixClient {
  readonly rest: MatrixRestClient;
  readonly actions: MatrixActionsClient;

  constructor(options: MatrixClientOptions) {
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    const transport = new Transport({
      auth: options.auth,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      userAgent: options.userAgent,
      onRetry: options.onRetry,
    });
    this.rest = createRestClient(baseUrl, transport);
    this.actions = new MatrixActionsClient(
      options.actionsBaseUrl ?? `${baseUrl}/prod/v2`,
      transport,
      options.actions,
    );
  }
}
