import { SecretBox } from '@matrix/platform';
import type { SubscriptionRow } from './subscription-row';

/** The columns of `router.subscriptions` that hold secrets: signing secrets and endpoint credentials. */
export type SealedColumn = 'auth' | 'secrets';

const FORMAT = 'v1';

/**
 * Seals the secrets of a subscription at rest: its signing secrets (which cannot be hashed, the router
 * signs with them) and its endpoint credentials (Basic password, OAuth2 client secret, static header).
 * With `MATRIX_SECRET_KEY` each of the two jsonb columns holds `{"sealed": "v1.<iv>.<tag>.<ciphertext>"}`,
 * AES-256-GCM with `<subscription id>:<column>` as additional data (a value copied onto another row or
 * column does not open); without a key they hold the value as given. Reading accepts both, so a key can be
 * introduced later: `sealExisting()` seals the rows stored before it at boot.
 */
export class SubscriptionSealer {
  private readonly box: SecretBox | undefined;

  constructor(key: Buffer | undefined) {
    this.box = key ? new SecretBox(key) : undefined;
  }

  get sealing(): boolean {
    return this.box !== undefined;
  }

  /** The jsonb text to store for a column. */
  store(id: string, column: SealedColumn, value: unknown): string {
    const json = JSON.stringify(value);
    if (!this.box) return json;
    const { iv, tag, ciphertext } = this.box.seal(json, `${id}:${column}`);
    const sealed = [FORMAT, iv, tag, ciphertext].map((x) =>
      typeof x === 'string' ? x : x.toString('base64'),
    );
    return JSON.stringify({ sealed: sealed.join('.') });
  }

  /** A column's value as stored (parsed jsonb), opened when sealed. */
  read<T>(id: string, column: SealedColumn, stored: unknown): T {
    if (!isSealed(stored)) return stored as T;
    if (!this.box) {
      throw new Error(`subscription ${id}: its ${column} are sealed and MATRIX_SECRET_KEY is not set`);
    }
    const [format, iv, tag, ciphertext] = stored.sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) {
      throw new Error(`subscription ${id}: its ${column} are sealed in an unknown format`);
    }
    const b64 = (text: string) => Buffer.from(text, 'base64');
    return JSON.parse(
      this.box.open({ iv: b64(iv), tag: b64(tag), ciphertext: b64(ciphertext) }, `${id}:${column}`),
    ) as T;
  }

  /** A row as read from the table, with its secrets opened. */
  open<R extends Pick<SubscriptionRow, 'id' | 'auth' | 'secrets'>>(row: R): R {
    return {
      ...row,
      auth: this.read(row.id, 'auth', row.auth),
      secrets: this.read(row.id, 'secrets', row.secrets),
    };
  }
}

export function isSealed(value: unknown): value is { sealed: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { sealed?: unknown }).sealed === 'string'
  );
}
