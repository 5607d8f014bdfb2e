import { ingestSecretMatches, parseIngestKey, type IngestKeyEntry } from '@matrix/contracts';
import type { IngestPrincipal } from './ingest-principal';

/** Where keys are looked up: the INGEST_KEYS directory (a fake in unit tests). */
export interface IngestKeyLookup {
  /** False until every key of the bucket is loaded: a missing key may then still exist. */
  readonly loaded: boolean;
  lookup(id: string): IngestKeyEntry | undefined;
}

/** Why a request was refused; `reason` labels the metric. */
export interface IngestAuthRefusal {
  readonly ok: false;
  readonly status: 401 | 503;
  readonly reason: 'missing' | 'malformed' | 'unknown' | 'mismatch' | 'not_loaded';
  readonly detail: string;
  /** The id of a well-formed key that is not in the directory (`unknown`). */
  readonly keyId?: string;
}

export type IngestAuthResult = { readonly ok: true; readonly principal: IngestPrincipal } | IngestAuthRefusal;

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/**
 * Authenticates `Authorization: Bearer mik_<id>_<secret>` against the directory: the key must exist (not
 * revoked) and its secret hash to the stored SHA-256, compared in constant time. Every refusal is 401 with
 * a message that says what to fix, except while the directory is still loading (503: try again shortly),
 * so a valid key is never refused because push-ingress has just started.
 */
export function authenticateIngestKey(
  authorization: string | undefined,
  keys: IngestKeyLookup,
): IngestAuthResult {
  if (authorization === undefined || authorization.trim() === '') {
    return refuse(
      401,
      'missing',
      'send the ingest key of the building as Authorization: Bearer mik_<id>_<secret>',
    );
  }
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) {
    return refuse(401, 'malformed', 'the Authorization header must be Bearer mik_<id>_<secret>');
  }
  const parsed = parseIngestKey(token);
  if (!parsed) {
    return refuse(
      401,
      'malformed',
      'the bearer token is not an ingest key (mik_ + 12-character id + _ + 43-character secret)',
    );
  }
  if (!keys.loaded) {
    return refuse(503, 'not_loaded', 'the ingest keys are still being loaded; retry in a few seconds');
  }
  const entry = keys.lookup(parsed.id);
  if (!entry) {
    return { ...refuse(401, 'unknown', `unknown or revoked ingest key ${parsed.id}`), keyId: parsed.id };
  }
  if (!ingestSecretMatches(parsed.secret, entry.secretHash)) {
    return refuse(401, 'mismatch', `the secret of ingest key ${parsed.id} does not match`);
  }
  return {
    ok: true,
    principal: {
      keyId: entry.id,
      pid: entry.pid,
      ...(entry.provider !== null ? { provider: entry.provider } : {}),
    },
  };
}

function refuse(status: 401 | 503, reason: IngestAuthRefusal['reason'], detail: string): IngestAuthRefusal {
  return { ok: false, status, reason, detail };
}
