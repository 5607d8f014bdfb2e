import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import type { Role } from './principal';
import type { Credential } from './credential.types';
import type { SealedSecret } from '@matrix/platform';

/** A credential row with its sealed secret. */
export interface StoredCredential extends Credential {
  readonly sealed: SealedSecret;
}

type Row = Record<string, unknown>;

const COLUMNS = `access_key, org_id, prop_id, role, label, secret_ciphertext, secret_iv, secret_tag,
  created_on, revoked_on, last_used_on`;

/** SQL access to `registry.credentials`. */
@Injectable()
export class CredentialsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Inserts a credential when its organisation exists and its property (if any) belongs to that
   * organisation; returns false otherwise.
   */
  async insert(
    credential: Omit<StoredCredential, 'createdOn' | 'revokedOn' | 'lastUsedOn'>,
  ): Promise<boolean> {
    const rows = await this.db.query<Row>(
      `insert into registry.credentials (access_key, org_id, prop_id, role, label, secret_ciphertext, secret_iv, secret_tag)
       select $1, o.org_id, $3, $4, $5, $6, $7, $8 from registry.organisations o
        where o.org_id = $2
          and ($3::text is null or exists (select 1 from registry.properties p where p.prop_id = $3 and p.org_id = o.org_id))
       returning access_key`,
      [
        credential.accessKey,
        credential.orgId,
        credential.propId,
        credential.role,
        credential.label,
        credential.sealed.ciphertext,
        credential.sealed.iv,
        credential.sealed.tag,
      ],
    );
    return rows.length === 1;
  }

  async find(accessKey: string): Promise<StoredCredential | null> {
    const rows = await this.db.query<Row>(
      `select ${COLUMNS} from registry.credentials where access_key = $1`,
      [accessKey],
    );
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Credentials of an organisation, or of one of its properties, oldest first. */
  async list(orgId: string, propId?: string): Promise<Credential[]> {
    const rows = await this.db.query<Row>(
      `select ${COLUMNS} from registry.credentials
        where org_id = $1 and ($2::text is null or prop_id = $2)
        order by created_on, access_key`,
      [orgId, propId ?? null],
    );
    return rows.map((row) => withoutSecret(toStored(row)));
  }

  /** Marks the credential revoked; false when it is unknown or was already revoked. */
  async revoke(accessKey: string, at: Date): Promise<boolean> {
    const rows = await this.db.query<Row>(
      `update registry.credentials set revoked_on = $2 where access_key = $1 and revoked_on is null returning access_key`,
      [accessKey, at],
    );
    return rows.length === 1;
  }

  /** Replaces the sealed secret of an active credential; false when it is unknown or revoked. */
  async replaceSecret(accessKey: string, sealed: SealedSecret): Promise<boolean> {
    const rows = await this.db.query<Row>(
      `update registry.credentials set secret_ciphertext = $2, secret_iv = $3, secret_tag = $4
        where access_key = $1 and revoked_on is null returning access_key`,
      [accessKey, sealed.ciphertext, sealed.iv, sealed.tag],
    );
    return rows.length === 1;
  }

  /** Sets `last_used_on`, unless it was already set less than a minute before `at`. */
  async touch(accessKey: string, at: Date): Promise<void> {
    await this.db.query(
      `update registry.credentials set last_used_on = $2
        where access_key = $1 and (last_used_on is null or last_used_on < $2::timestamptz - interval '1 minute')`,
      [accessKey, at],
    );
  }
}

function toStored(row: Row): StoredCredential {
  return {
    accessKey: row['access_key'] as string,
    orgId: row['org_id'] as string,
    propId: (row['prop_id'] as string | null) ?? null,
    role: row['role'] as Role,
    label: (row['label'] as string | null) ?? null,
    createdOn: row['created_on'] as Date,
    revokedOn: (row['revoked_on'] as Date | null) ?? null,
    lastUsedOn: (row['last_used_on'] as Date | null) ?? null,
    sealed: {
      ciphertext: row['secret_ciphertext'] as Buffer,
      iv: row['secret_iv'] as Buffer,
      tag: row['secret_tag'] as Buffer,
    },
  };
}

function withoutSecret(stored: StoredCredential): Credential {
  const { sealed: _sealed, ...credential } = stored;
  return credential;
}
