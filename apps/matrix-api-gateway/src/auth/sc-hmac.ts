import { createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of a request that SC-HMAC v1 signs (reference §4.2). */
export interface SigningInput {
  /** The URL module segment (`scgrids`, `attendance`, …; `rest` for REST v1). */
  readonly module: string;
  readonly propid: string;
  readonly op: string;
  readonly accessKey: string;
  /** Epoch seconds, exactly as sent in `x-sc-time`. */
  readonly time: string | number;
}

/** `<module>/<propid>/<op>/<access_key>/<epoch>`: the SC-HMAC v1 string to sign. */
export function stringToSign({ module, propid, op, accessKey, time }: SigningInput): string {
  return `${module}/${propid}/${op}/${accessKey}/${time}`;
}

/** Lowercase hex of HMAC-SHA256 (key = the secret's UTF-8 bytes, message = the UTF-8 string to sign). */
export function signature(secret: string, text: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(text, 'utf8').digest('hex');
}

/**
 * True when `given` is the signature of `text` under `secret`. Compares in constant time; hex case is
 * ignored, and anything that is not 64 hex characters is simply a mismatch.
 */
export function verifySignature(secret: string, text: string, given: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  const expected = Buffer.from(signature(secret, text), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
