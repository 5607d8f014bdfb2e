import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new access key: `AK` + 20 base32 characters (100 random bits); readable, safe in URLs and logs. */
export function newAccessKey(): string {
  const bytes = randomBytes(20);
  let key = 'AK';
  for (const byte of bytes) key += BASE32[byte & 31];
  return key;
}

/** A new secret: 32 random bytes, base64url (43 characters). */
export function newSecretKey(): string {
  return randomBytes(32).toString('base64url');
}

/** The shape of access keys this gateway issues. */
export const ACCESS_KEY_PATTERN = /^AK[A-Z2-7]{20}$/;
