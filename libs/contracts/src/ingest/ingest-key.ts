import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * ⚠️ Ingest keys are a persistent contract: the key format is in every sensor gateway's configuration,
 * and the bucket name and entry shape are shared by matrix-api-gateway (writes) and push-ingress (reads).
 * Changing either is a migration, not a refactor.
 */

/** JetStream KV bucket of ingest keys: key = key id, value = {@link IngestKeyEntry} (a hash, never the secret). */
export const INGEST_KEYS_BUCKET = 'INGEST_KEYS';

/** A key id: 12 characters of lowercase base32 (60 random bits). Not secret; appears in logs and subjects. */
export const INGEST_KEY_ID_PATTERN = /^[a-z2-7]{12}$/;

/** The whole key as a gateway sends it (`Authorization: Bearer <key>`): `mik_<id>_<secret>`. */
export const INGEST_KEY_PATTERN = /^mik_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;

/** A provider a key may be limited to: the part of `DevType` before `#` (e.g. `SMARTCLEAN`). */
export const INGEST_PROVIDER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A new random key id. */
export function newIngestKeyId(): string {
  let id = '';
  for (const byte of randomBytes(12)) id += BASE32[byte & 31];
  return id;
}

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newIngestSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function formatIngestKey(id: string, secret: string): string {
  return `mik_${id}_${secret}`;
}

/** Splits a key into id and secret; `undefined` when it is not of the form `mik_<id>_<secret>`. */
export function parseIngestKey(key: string): { id: string; secret: string } | undefined {
  const match = INGEST_KEY_PATTERN.exec(key);
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

/**
 * SHA-256 (lowercase hex) of the secret, which is all that is ever stored. Plain SHA-256 is right here: the
 * secret is 256 random bits, so there is nothing for a slow, salted password hash to protect against.
 */
export function hashIngestSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` hashes to `secretHash`, compared in constant time. */
export function ingestSecretMatches(secret: string, secretHash: string): boolean {
  if (!SHA256_HEX.test(secretHash)) return false;
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(actual, Buffer.from(secretHash, 'hex'));
}

/**
 * One ingest key as matrix-api-gateway puts it into {@link INGEST_KEYS_BUCKET} (KV key = `id`). A revoked key
 * is deleted from the bucket, so every entry present is valid.
 */
export interface IngestKeyEntry {
  readonly id: string;
  /**
   * The building (project) the key belongs to: the `PID` of the data points it may post, and the
   * `IngestPrincipal.pid` push-ingress stamps on them.
   */
  readonly pid: string;
  /** When set, the only provider the key may post points for. */
  readonly provider: string | null;
  /** A label, e.g. the physical gateway it is installed on. */
  readonly name: string;
  /** {@link hashIngestSecret} of the secret. */
  readonly secretHash: string;
  readonly createdAt: string;
}

/**
 * Reads a KV value into an entry for `id` (the KV key must equal the value's `id`). Returns every problem
 * when it cannot be used, so the reader can log them and treat the key as unknown.
 */
export function parseIngestKeyEntry(
  id: string,
  value: unknown,
): { ok: true; entry: IngestKeyEntry } | { ok: false; errors: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: ['value: must be a JSON object'] };
  }
  const v = value as Record<string, unknown>;
  const errors: string[] = [];
  if (!INGEST_KEY_ID_PATTERN.test(id)) errors.push('key: must be a 12-character key id');
  if (v['id'] !== id) errors.push('id: must equal the KV key');
  if (typeof v['pid'] !== 'string' || v['pid'] === '') errors.push('pid: must be a non-empty string');
  const provider = v['provider'] ?? null;
  if (provider !== null && (typeof provider !== 'string' || !INGEST_PROVIDER_PATTERN.test(provider))) {
    errors.push('provider: must be a provider name or null');
  }
  if (typeof v['name'] !== 'string') errors.push('name: must be a string');
  if (typeof v['secretHash'] !== 'string' || !SHA256_HEX.test(v['secretHash'])) {
    errors.push('secretHash: must be 64 lowercase hexadecimal characters (SHA-256)');
  }
  if (typeof v['createdAt'] !== 'string') errors.push('createdAt: must be a string');
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    entry: {
      id,
      pid: v['pid'] as string,
      provider: provider as string | null,
      name: v['name'] as string,
      secretHash: v['secretHash'] as string,
      createdAt: v['createdAt'] as string,
    },
  };
}
