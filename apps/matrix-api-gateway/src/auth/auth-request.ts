/** The parts of an HTTP request that authentication reads (a framework-free view of it). */
export interface AuthRequest {
  readonly method: string;
  /** The path exactly as sent in the request line, percent-encoding kept, without the query string. */
  readonly path: string;
  /** Parsed query string (Express's: a repeated parameter is an array). */
  readonly query: Readonly<Record<string, unknown>>;
  /** Lower-cased header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Builds an {@link AuthRequest} from a Node/Express request. */
export function toAuthRequest(request: {
  method: string;
  originalUrl?: string;
  url: string;
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
}): AuthRequest {
  const url = request.originalUrl ?? request.url;
  const queryAt = url.indexOf('?');
  return {
    method: request.method,
    path: queryAt < 0 ? url : url.slice(0, queryAt),
    query: (request.query && typeof request.query === 'object' ? request.query : {}) as Record<
      string,
      unknown
    >,
    headers: request.headers,
  };
}
