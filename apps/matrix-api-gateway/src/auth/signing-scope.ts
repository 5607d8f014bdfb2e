import { AuthError } from './auth-error';
import type { AuthRequest } from './auth-request';

/** What SC-HMAC v1 binds a request to, besides the access key and time. */
export interface SigningScope {
  readonly module: string;
  readonly op: string;
  /** Empty on REST when neither `x-sc-propid` nor the credential names a property (org-wide key). */
  readonly propid: string;
  /** Whether every part came from the request itself (false: propid is the credential's property). */
  readonly fromRequest: boolean;
}

/** `/prod/v2/<module>/<version>/actions`: the Matrix actions API (reference §4.1). */
const ACTIONS_PATH = /^\/prod\/v2\/([^/]+)\/[^/]+\/actions\/?$/;
const PROPID = /^[A-Za-z0-9_-]{1,128}$/;

const fail = (message: string): never => {
  throw AuthError.unauthenticated(message);
};

/** True for requests to the Matrix actions API (`/prod/v2/…`), false for REST. */
export function isActionsRequest(path: string): boolean {
  return path === '/prod/v2' || path.startsWith('/prod/v2/');
}

/**
 * The module, op and propid that an SC-HMAC v1 signature covers for this request.
 *
 * - Actions API: module = the URL segment after `/prod/v2/`, op and propid from the query, both
 *   required (the Python SDK refuses to sign without propid).
 * - REST (`/v1/...`): module `rest`, op `<METHOD>:<path>` (path as sent, no query), propid from
 *   `x-sc-propid` when sent, else the credential's property (`credentialPropId`), else the empty string.
 */
export function signingScope(request: AuthRequest, credentialPropId: string | null): SigningScope {
  if (isActionsRequest(request.path)) {
    const match = ACTIONS_PATH.exec(request.path);
    if (!match?.[1]) {
      return fail('SC-HMAC signing needs the path /prod/v2/<module>/<version>/actions');
    }
    return {
      module: match[1],
      op: singleQueryValue(request, 'op'),
      propid: singleQueryValue(request, 'propid'),
      fromRequest: true,
    };
  }
  const sent = headerPropId(request);
  return {
    module: 'rest',
    op: `${request.method.toUpperCase()}:${request.path}`,
    propid: sent ?? credentialPropId ?? '',
    fromRequest: sent !== null || credentialPropId === null,
  };
}

function singleQueryValue(request: AuthRequest, name: 'op' | 'propid'): string {
  const value = request.query[name];
  if (Array.isArray(value)) return fail(`query parameter ${name} appears more than once`);
  if (typeof value !== 'string' || value === '') {
    return fail(
      `query parameter ${name} is required when signing with SCHMAC_V1 (it is part of the string to sign)`,
    );
  }
  return value;
}

function headerPropId(request: AuthRequest): string | null {
  const value = request.headers['x-sc-propid'];
  if (value === undefined) return null;
  if (Array.isArray(value) || !PROPID.test(value)) {
    return fail('x-sc-propid must be one property id (letters, digits, "_" or "-")');
  }
  return value;
}
