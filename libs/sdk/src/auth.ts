/**
 * How the client authenticates (docs/authentication.md, "Schemes"):
 * - `sc-hmac`: SC-HMAC v1, the secret never leaves the client; works on both surfaces.
 * - `basic`: `access_key:secret` over Basic; both surfaces; for trying things out, over TLS only.
 * - `bearer`: a user JWT of the configured OIDC issuer (both surfaces), or `<access_key>.<secret>`
 *   (REST v1 only: the actions API answers 401, since Matrix's Bearer means a user token there).
 */
export type MatrixAuth = ScHmacAuth | BasicAuth | BearerAuth;

export interface ScHmacAuth {
  readonly type: 'sc-hmac';
  readonly accessKey: string;
  readonly secretKey: string;
  /**
   * The property the credential belongs to. Signed into REST v1 requests and sent as `x-sc-propid`;
   * the actions API's `propid` when a call names none. Leave it out for an organisation-wide credential.
   */
  readonly propId?: string;
}

export interface BasicAuth {
  readonly type: 'basic';
  readonly accessKey: string;
  readonly secretKey: string;
}

export interface BearerAuth {
  readonly type: 'bearer';
  /** The token, or a function answering the current one (called before every attempt, e.g. to refresh a JWT). */
  readonly token: string | (() => string | Promise<string>);
}

/** SC-HMAC v1 with an access key and its secret. */
export function scHmacAuth(keys: { accessKey: string; secretKey: string; propId?: string }): ScHmacAuth {
  return { type: 'sc-hmac', ...keys };
}

/** Basic `access_key:secret`. */
export function basicAuth(keys: { accessKey: string; secretKey: string }): BasicAuth {
  return { type: 'basic', ...keys };
}

/** Bearer: a user JWT (or a function answering one), or `{accessKey, secretKey}` as `<access_key>.<secret>`. */
export function bearerAuth(
  token: string | (() => string | Promise<string>) | { accessKey: string; secretKey: string },
): BearerAuth {
  if (typeof token === 'object') return { type: 'bearer', token: `${token.accessKey}.${token.secretKey}` };
  return { type: 'bearer', token };
}
