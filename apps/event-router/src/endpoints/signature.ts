import { createHash, createHmac, randomBytes } from 'node:crypto';

/*
 * Standard Webhooks signing (symmetric, `v1`): `webhook-signature` is the space-separated list of
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, one per secret in use, so a
 * receiver verifies with either the old or the new secret while one is being rotated.
 */

const PREFIX = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

function key(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('signing secrets start with whsec_');
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

export function sign(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map(
      (secret) =>
        `v1,${createHmac('sha256', key(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
    )
    .join(' ');
}

/**
 * The `webhook-id` of a batch: derived from the subscription and the stream sequences it is made of, so a
 * retry, a resend and a replay of the same messages carry the same id (the receiver's idempotency key).
 */
export function webhookId(subscriptionId: string, stream: string, firstSeq: number, lastSeq: number): string {
  const digest = createHash('sha256').update(`${subscriptionId}|${stream}|${firstSeq}|${lastSeq}`).digest();
  return `msg_${digest
    .subarray(0, 18)
    .toString('base64url')
    .replace(/[-_]/g, (c) => (c === '-' ? 'A' : 'B'))}`;
}

/** A secret as shown back: its last four characters. */
export function secretHint(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}
