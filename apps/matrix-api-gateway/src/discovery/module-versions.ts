import { publicBaseProblem } from '../config/matrix-api-gateway.config';
import { DomainError } from '../domain-error';

/**
 * The version every module is announced under: the one the documentation and the SDKs use (reference
 * §4.1, "URL: /v1/actions"). The actions API does not check it, so an SDK sending another still works.
 */
export const ANNOUNCED_VERSION = 'v1';

/** Where the actions API is served after the host, as in production (`console.smartclean.io/prod/v2`). */
export const ACTIONS_PATH_PREFIX = '/prod/v2';

/**
 * `moduleversions.json` as both SDKs read it (reference §4.1, §6.1): `base` without a scheme, and a
 * version per module; an SDK calls `https://<base>/<module>/<version>/actions`.
 */
export interface ModuleVersions {
  readonly base: string;
  readonly modules: Readonly<Record<string, { readonly version: string }>>;
}

export function moduleVersions(base: string, modules: readonly string[]): ModuleVersions {
  return {
    base,
    modules: Object.fromEntries(modules.map((module) => [module, { version: ANNOUNCED_VERSION }])),
  };
}

/**
 * The `base` of a request that came without `GATEWAY_PUBLIC_BASE` configured: its `Host` header (host and
 * port, as the client reached us) and {@link ACTIONS_PATH_PREFIX}. A missing or malformed `Host` is a 400
 * naming the header, never echoed into an answer that caches may keep.
 */
export function baseOfHost(host: string | undefined): string {
  if (!host) {
    throw new DomainError('INVALID', 'The request has no Host header to derive the base from', [
      'Host: is required (or configure GATEWAY_PUBLIC_BASE)',
    ]);
  }
  const base = `${host}${ACTIONS_PATH_PREFIX}`;
  if (host.includes('/') || publicBaseProblem(base)) {
    throw new DomainError('INVALID', 'The Host header is not host[:port]', [
      'Host: must be host[:port] (or configure GATEWAY_PUBLIC_BASE)',
    ]);
  }
  return base;
}
