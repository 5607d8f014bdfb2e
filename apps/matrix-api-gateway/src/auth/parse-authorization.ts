import { AuthError } from './auth-error';

/** A parsed `Authorization` header. */
export type Presented =
  | { readonly scheme: 'SCHMAC_V1'; readonly accessKey: string; readonly signature: string }
  | { readonly scheme: 'Basic'; readonly accessKey: string; readonly secret: string }
  | { readonly scheme: 'Bearer'; readonly accessKey: string; readonly secret: string }
  /** `Bearer <JWT>`: a user token of the OIDC issuer (three dot-separated parts), verified elsewhere. */
  | { readonly scheme: 'Jwt'; readonly token: string }
  /** `x-api-key: <access_key>.<secret>` (reference §4.6 style), the same credential as Basic. */
  | { readonly scheme: 'ApiKey'; readonly accessKey: string; readonly secret: string };

const MAX_HEADER = 2048;
/** A Bearer JWT may be longer: identity providers' access tokens with roles or groups often pass 2 KB. */
const MAX_BEARER_HEADER = 8192;
// Access keys are printable ASCII without the separators of any scheme (the reference's example key
// `dummyaccesskey/abcd` contains a slash, so slashes are allowed).
const ACCESS_KEY = /^[\x21-\x7e]{1,128}$/;
const FORBIDDEN_IN_KEY = /[;:.]/;
const SIGNATURE = /^[0-9a-fA-F]{64}$/;

const fail = (message: string): never => {
  throw AuthError.unauthenticated(message);
};

/**
 * Parses `Authorization` into one of the accepted schemes or throws UNAUTHENTICATED saying what is
 * wrong with it. Pure: it never looks anything up and never throws anything else.
 *
 * - `SCHMAC_V1;<access_key>;<signature>` (64 hex characters)
 * - `Basic base64(<access_key>:<secret>)`
 * - `Bearer <access_key>.<secret>`
 * - `Bearer <JWT>` (header.payload.signature: access keys and secrets contain no ".", so a token
 *   with two dots is a JWT)
 */
export function parseAuthorization(header: string | string[] | undefined): Presented {
  if (Array.isArray(header)) return fail('send one Authorization header, not several');
  if (header === undefined || header.trim() === '') {
    return fail('missing Authorization header (SCHMAC_V1, Basic or Bearer) or x-api-key header');
  }
  const limit = /^\s*bearer\s/i.test(header) ? MAX_BEARER_HEADER : MAX_HEADER;
  if (header.length > limit) return fail(`Authorization header is longer than ${limit} characters`);
  const value = header.trim();
  if (/^SCHMAC_V1;/i.test(value)) return parseScHmac(value);
  const [scheme = '', ...rest] = value.split(/\s+/);
  switch (scheme.toLowerCase()) {
    case 'basic':
      return parseBasic(rest);
    case 'bearer':
      return parseBearer(rest);
    default:
      return fail(
        `unsupported Authorization scheme "${printable(scheme)}"; use SCHMAC_V1;<access_key>;<signature>, Basic or Bearer`,
      );
  }
}

function parseScHmac(value: string): Presented {
  const parts = value.split(';');
  if (parts.length !== 3) {
    return fail(
      `SCHMAC_V1 Authorization must be SCHMAC_V1;<access_key>;<signature> (3 parts separated by ";", got ${parts.length})`,
    );
  }
  const [, accessKey = '', signature = ''] = parts;
  checkAccessKey(accessKey.trim());
  if (!SIGNATURE.test(signature.trim())) {
    return fail('SCHMAC_V1 signature must be 64 hexadecimal characters (HMAC-SHA256)');
  }
  return { scheme: 'SCHMAC_V1', accessKey: accessKey.trim(), signature: signature.trim().toLowerCase() };
}

function parseBasic(rest: string[]): Presented {
  if (rest.length !== 1 || !rest[0]) {
    return fail('Basic Authorization must be "Basic <base64(access_key:secret)>"');
  }
  const encoded = rest[0];
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return fail('Basic credentials are not valid base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return fail('Basic credentials must be base64 of "<access_key>:<secret>" (no ":" found)');
  const accessKey = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  checkAccessKey(accessKey);
  if (!secret) return fail('Basic credentials have an empty secret');
  return { scheme: 'Basic', accessKey, secret };
}

function parseBearer(rest: string[]): Presented {
  if (rest.length !== 1 || !rest[0]) {
    return fail('Bearer Authorization must be "Bearer <access_key>.<secret>"');
  }
  const token = rest[0];
  if (token.split('.').length === 3) return { scheme: 'Jwt', token };
  const dot = token.indexOf('.');
  if (dot < 0) return fail('Bearer token must be "<access_key>.<secret>" (no "." found)');
  const accessKey = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  checkAccessKey(accessKey);
  if (!secret) return fail('Bearer token has an empty secret');
  return { scheme: 'Bearer', accessKey, secret };
}

/**
 * Parses `x-api-key: <access_key>.<secret>` (the token of `Bearer <access_key>.<secret>`). The secret
 * alone cannot name its credential: secrets are sealed, not indexed, so the access key comes with it.
 */
export function parseApiKey(header: string | string[]): Presented {
  if (Array.isArray(header)) return fail('send one x-api-key header, not several');
  const value = header.trim();
  if (value.length > MAX_HEADER) return fail(`x-api-key is longer than ${MAX_HEADER} characters`);
  const dot = value.indexOf('.');
  if (dot < 0) return fail('x-api-key must be "<access_key>.<secret>" (no "." found)');
  const accessKey = value.slice(0, dot);
  const secret = value.slice(dot + 1);
  checkAccessKey(accessKey);
  if (!secret) return fail('x-api-key has an empty secret');
  return { scheme: 'ApiKey', accessKey, secret };
}

function checkAccessKey(accessKey: string): void {
  if (!accessKey) fail('the access key is empty');
  if (!ACCESS_KEY.test(accessKey) || FORBIDDEN_IN_KEY.test(accessKey)) {
    fail('the access key has characters or a length no access key has');
  }
}

/** A short, log-safe echo of client input. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 20 ? `${clean.slice(0, 20)}…` : clean;
}
