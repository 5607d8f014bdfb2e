import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** An encrypted secret as stored in `registry.credentials` (AES-256-GCM). */
export interface SealedSecret {
  readonly ciphertext: Buffer;
  /** 12 random bytes, new for every seal. */
  readonly iv: Buffer;
  /** 16-byte GCM authentication tag. */
  readonly tag: Buffer;
}

/** A sealed secret that does not open: wrong master key, or the stored bytes were changed. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

const ALGORITHM = 'aes-256-gcm';

/** Decodes `MATRIX_SECRET_KEY` (base64 or base64url of exactly 32 bytes); throws a message without the value. */
export function parseSecretKey(raw: string): Buffer {
  const text = raw.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw new Error('must be base64 of 32 random bytes');
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) {
    throw new Error(
      `must be base64 of 32 random bytes (got ${key.length}); generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

/**
 * Encrypts secrets at rest under the master key (`MATRIX_SECRET_KEY`): secrets the platform must use again
 * and so cannot hash — API credential secrets (SC-HMAC needs the server to recompute the HMAC), push
 * subscriptions' signing secrets and endpoint credentials. AES-256-GCM, with additional authenticated data
 * naming the owner (an access key, a subscription and column) so a ciphertext copied elsewhere does not open.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error(`SecretBox needs a 32-byte key, got ${key.length} bytes`);
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, associatedData: string): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag() };
  }

  open(sealed: SealedSecret, associatedData: string): string {
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, sealed.iv);
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SecretBoxError(
        `the secret of ${associatedData} does not decrypt: MATRIX_SECRET_KEY is not the key it was sealed with, or the stored bytes were changed`,
        { cause: error },
      );
    }
  }
}
