import { sqlSinkUrlProblems, type SqlSinkProgressV1, type SqlSinkStatusV1 } from '@matrix/contracts';
import { fields, isObject, Problems } from '../workforce/inputs';

/*
 * What crosses the gateway for a customer-hosted SQL sink: the connection string goes in (checked here,
 * so a bad one is a 400 before sql-projector is asked) and never comes out. sql-projector answers targets
 * without their password; the gateway strips passwords again from whatever it passes on, so a tenant's
 * credential cannot reach an answer even if a reply carried one.
 */

/** The connection string of a `PUT …/sql-sink` body `{connectionString}`; a 400 names each problem, never the value. */
export function connectionStringOf(body: unknown): string {
  const problems = new Problems();
  const json = fields(body, ['connectionString'], problems);
  if (isObject(body)) problems.list.push(...sqlSinkUrlProblems(json['connectionString']));
  problems.throwIfAny('SQL sink');
  return json['connectionString'] as string;
}

/** Query parameters that carry a secret in a libpq URI (`password`, `sslpassword`). */
const SECRET_PARAMETER = /password/i;

function parameterName(pair: string): string {
  const name = pair.split('=', 1)[0]!;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * `target` without a password: the one in the user info (`user:secret@host`, split as WHATWG URL
 * parsing splits it: the authority ends at the first `/`, `?` or `#`, the user info at its last `@`, the
 * user name at the first `:`) and any `password`/`sslpassword` query parameter libpq would read.
 */
export function withoutPassword(target: string): string {
  const match = /^([^:/?#]+:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(target);
  if (!match) return target;
  const [, scheme, authority = '', path = '', query, fragment = ''] = match;
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  let host = authority;
  if (at >= 0 && colon >= 0 && colon < at) {
    const user = authority.slice(0, colon);
    host = user === '' ? authority.slice(at + 1) : `${user}@${authority.slice(at + 1)}`;
  }
  const kept = (query ?? '')
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !SECRET_PARAMETER.test(parameterName(pair)));
  return `${scheme}${host}${path}${kept.length > 0 ? `?${kept.join('&')}` : ''}${fragment}`;
}

/** Every `postgres://…` / `postgresql://…` in a text (an error message) without its password. */
export function withoutPasswords(text: string): string {
  return text.replace(/postgres(ql)?:\/\/\S+/gi, (url) => withoutPassword(url));
}

const progress = (p: SqlSinkProgressV1): SqlSinkProgressV1 => ({
  copiedThrough: p.copiedThrough,
  projectedThrough: p.projectedThrough,
});

/** A sink's status as REST v1 answers it: the contract's fields only, no password anywhere. */
export function sqlSinkView(status: SqlSinkStatusV1): SqlSinkStatusV1 {
  return {
    propId: status.propId,
    target: withoutPassword(status.target),
    createdAt: status.createdAt,
    updatedAt: status.updatedAt,
    state: status.state,
    sensorData: progress(status.sensorData),
    events: progress(status.events),
    lagSeconds: status.lagSeconds,
    lastCopyAt: status.lastCopyAt,
    lastError: status.lastError === null ? null : withoutPasswords(status.lastError),
    lastErrorAt: status.lastErrorAt,
    nextAttemptAt: status.nextAttemptAt,
  };
}

/**
 * Whether a set made the sink (201) rather than replaced its target (200): sql-projector stamps a new
 * sink's `createdAt` and `updatedAt` with one instant and keeps `createdAt` when the target changes.
 */
export const wasCreated = (status: SqlSinkStatusV1): boolean => status.createdAt === status.updatedAt;
