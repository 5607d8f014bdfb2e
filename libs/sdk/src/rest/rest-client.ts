import createClient, { type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import type { ScHmacAuth } from '../auth';
import type { CallOptions, Transport } from '../transport';
import type { paths } from './openapi.generated';

type GetOperation<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;
type OkJson<O> = O extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

/** REST v1 list routes answering `{items, nextCursor}` (keyset pages: pass `nextCursor` back as `cursor`). */
export type CursorListPath = {
  [P in keyof paths]: OkJson<GetOperation<P>> extends { items: unknown[]; nextCursor: unknown } ? P : never;
}[keyof paths];

/** Every REST v1 route answering pages with a `nextCursor` (lists, and the zone map's `{zones, nextCursor}`). */
export type CursorPagePath = {
  [P in keyof paths]: OkJson<GetOperation<P>> extends { nextCursor: unknown } ? P : never;
}[keyof paths];

/** The page body of a cursor route. */
export type CursorPage<P extends CursorPagePath> = OkJson<GetOperation<P>>;

/** An item of a `{items, nextCursor}` list. */
export type CursorItem<P extends CursorListPath> =
  OkJson<GetOperation<P>> extends { items: (infer I)[] } ? I : never;

/** A request's options: openapi-fetch's (`params`, `body`, `headers`, `signal`) plus the SDK's. */
export type RestInit<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'patch' | 'delete',
> = MaybeOptionalInit<paths[P], M> & CallOptions;

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: unknown } ? P : never;
}[keyof paths];
type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type InitParam<Init> =
  RequiredKeysOf<Init> extends never
    ? [(Init & CallOptions & { [key: string]: unknown })?]
    : [Init & CallOptions & { [key: string]: unknown }];

/** The operation of a path and method (a conditional, so it meets FetchResponse's constraint). */
type OperationOf<P extends keyof paths, M extends HttpMethod> =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- openapi-fetch's own constraint
  paths[P][M & keyof paths[P]] extends Record<string | number, any> ? paths[P][M & keyof paths[P]] : never;

/** openapi-fetch's answer without its error branch: the SDK throws `MatrixApiError` instead. */
type Answered<R> = Extract<R, { data: unknown }>;

/** A typed request method: `client.GET('/v1/buildings/{pid}', { params: { path: { pid } } })`. */
export type RestMethod<M extends HttpMethod> = <
  P extends PathsWith<M>,
  Init extends MaybeOptionalInit<paths[P], M>,
>(
  path: P,
  ...init: InitParam<Init>
) => Promise<Answered<FetchResponse<OperationOf<P, M>, Init, `${string}/${string}`>>>;

/**
 * The REST v1 client: openapi-fetch's typed `GET`/`POST`/`PUT`/`PATCH`/`DELETE` over every route of the
 * gateway's OpenAPI document (types in `openapi.generated.ts`), answering `{data, response}`. An answer
 * outside 2xx, or a 2xx whose body is not JSON, is thrown as `MatrixApiError`. Plus `pages` and `paginate` over cursor lists.
 */
export interface MatrixRestClient {
  readonly GET: RestMethod<'get'>;
  readonly POST: RestMethod<'post'>;
  readonly PUT: RestMethod<'put'>;
  readonly PATCH: RestMethod<'patch'>;
  readonly DELETE: RestMethod<'delete'>;
  /** Each page of a cursor route, from `cursor` (or the first) until `nextCursor` is null. */
  pages<P extends CursorPagePath>(
    path: P,
    init: RestInit<P, 'get'>,
  ): AsyncGenerator<CursorPage<P>, void, undefined>;
  /** Each item of a `{items, nextCursor}` list, across pages. */
  paginate<P extends CursorListPath>(
    path: P,
    init: RestInit<P, 'get'>,
  ): AsyncGenerator<CursorItem<P>, void, undefined>;
}

/** What the SDK reads from openapi-fetch's `Request` beyond the standard fields (set by `init`). */
type SdkRequest = Request & Partial<Pick<CallOptions, 'retry' | 'timeoutMs'>>;

export function createRestClient(baseUrl: string, transport: Transport): MatrixRestClient {
  const auth = transport.options.auth;
  const propId = auth.type === 'sc-hmac' ? (auth as ScHmacAuth).propId : undefined;
  const client = createClient<paths>({
    baseUrl,
    // openapi-fetch builds the Request (path, query, JSON body); the transport signs, sends and retries it.
    // Extra `init` keys (`retry`, `timeoutMs`) arrive as properties of the Request.
    fetch: async (request: SdkRequest) => {
      const url = new URL(request.url);
      const method = request.method.toUpperCase();
      const headers = new Headers(request.headers);
      // The gateway signs over the x-sc-propid header when one is sent (docs/authentication.md), so a
      // caller's header is kept and signed; else the credential's property is sent and signed.
      if (propId !== undefined && !headers.has('x-sc-propid')) headers.set('x-sc-propid', propId);
      const signedPropId = headers.get('x-sc-propid') ?? propId ?? '';
      const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
      return transport.sendCheckedJson(
        {
          method,
          url,
          headers,
          body,
          scope: { module: 'rest', propid: signedPropId, op: `${method}:${url.pathname}` },
          idempotent: method === 'GET' || method === 'HEAD' || headers.has('idempotency-key'),
          description: { method, path: url.pathname },
        },
        { retry: request.retry, timeoutMs: request.timeoutMs, signal: request.signal },
      );
    },
  });

  async function* pages<P extends CursorPagePath>(path: P, init: RestInit<P, 'get'>) {
    const params = (init as { params?: { query?: Record<string, unknown> } }).params ?? {};
    let cursor = params.query?.cursor as string | undefined;
    const seen = new Set<string>();
    for (;;) {
      const query = { ...params.query, ...(cursor === undefined ? {} : { cursor }) };
      const { data } = await (client.GET as (p: string, i: unknown) => Promise<{ data: unknown }>)(path, {
        ...init,
        params: { ...params, query },
      });
      const page = data as CursorPage<P> & { nextCursor: string | null };
      yield page;
      if (page.nextCursor === null || page.nextCursor === undefined) return;
      // A server answering a cursor it answered before would page forever.
      if (seen.has(page.nextCursor)) {
        throw new Error(`GET ${path} answered the cursor ${page.nextCursor} twice`);
      }
      seen.add(page.nextCursor);
      cursor = page.nextCursor;
    }
  }

  async function* paginate<P extends CursorListPath>(path: P, init: RestInit<P, 'get'>) {
    for await (const page of pages(path as CursorPagePath, init as never)) {
      yield* (page as unknown as { items: CursorItem<P>[] }).items;
    }
  }

  return {
    GET: client.GET,
    POST: client.POST,
    PUT: client.PUT,
    PATCH: client.PATCH,
    DELETE: client.DELETE,
    pages,
    paginate,
  } as unknown as MatrixRestClient;
}
