import { Injectable } from '@nestjs/common';
import type { Transaction } from '@matrix/persistence';
import {
  formatIngestKey,
  hashIngestSecret,
  newIngestKeyId,
  newIngestSecret,
  type IngestKeyEntry,
} from '@matrix/contracts';
import type { KV } from '@nats-io/kv';
import { INGEST_KEYS, NatsClient, openKvBucket } from '@matrix/messaging';
import { JsonLogger } from '@matrix/platform';
import type { Outbox } from '../outbox/outbox';
import { BuildingsService } from '../registry/buildings.service';
import type { RegistryAccess } from '../auth/registry-access';
import { decodeCursor, encodeCursor, RegistryDb } from '../registry/registry-db';
import { notFound, RegistryError } from '../registry/registry-error';
import type { Page } from '../registry/registry.types';
import { validateInput } from '../registry/validate-input';
import { CreateIngestKeyInput } from './create-ingest-key.input';
import type { IngestKey, IssuedIngestKey } from './ingest-key.types';

export const INGEST_KEY_PAGE = { default: 100, max: 1000 };

/** How long issuing waits for the new key to reach INGEST_KEYS before it answers anyway. */
export const ISSUED_KEY_WAIT_MS = 5000;

type Row = Record<string, unknown>;

/**
 * Ingest keys of a building (docs/authentication.md): issued and revoked by an admin of its property. Each
 * change reaches the INGEST_KEYS KV bucket through the outbox, in the same transaction: issuing puts the
 * entry (with the secret's SHA-256, never the secret), revoking deletes it, so push-ingress refuses the key
 * as soon as it has seen the delete. A new key is answered once its entry is in the bucket (push-ingress
 * reads the bucket for a key its watch has not delivered yet), so it works at once; if the outbox's relay
 * is behind for more than {@link ISSUED_KEY_WAIT_MS}, it is answered anyway and works once relayed.
 */
@Injectable()
export class IngestKeysService {
  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
    private readonly nats: NatsClient,
    private readonly logger: JsonLogger,
  ) {}

  private kv?: Promise<KV>;

  async issue(access: RegistryAccess, pid: string, input: unknown, strict = false): Promise<IssuedIngestKey> {
    const data = validateInput(CreateIngestKeyInput, input, strict);
    await this.buildings.load(access, pid, 'admin');
    const id = newIngestKeyId();
    const secret = newIngestSecret();
    const secretHash = hashIngestSecret(secret);
    const issued = await this.db.transaction(async (tx, outbox) => {
      const [row] = await tx.query(
        `insert into registry.ingest_keys (id, pid, provider, name, secret_hash, created_by)
         values ($1, $2, $3, $4, $5, $6) returning *`,
        [id, pid, data.provider ?? null, data.name, secretHash, access.actor],
      );
      const key = toIngestKey(row);
      const entry: IngestKeyEntry = {
        id,
        pid,
        provider: key.provider,
        name: key.name,
        secretHash,
        createdAt: key.createdAt.toISOString(),
      };
      await outbox.directory({ kind: 'kv-put', bucket: INGEST_KEYS.name, key: id, value: entry });
      return { ...key, key: formatIngestKey(id, secret) };
    });
    await this.untilInBucket(id);
    return issued;
  }

  /**
   * Waits until INGEST_KEYS holds `id` (polling, backing off from 10 to 200 ms): any entry will do — a
   * delete means the put was relayed and the key revoked meanwhile. The whole wait, NATS requests
   * included, ends after ISSUED_KEY_WAIT_MS.
   */
  private async untilInBucket(id: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ISSUED_KEY_WAIT_MS);
    });
    const poll = async (): Promise<'seen' | 'late'> => {
      const kv = await this.bucket();
      for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
        if (await kv.get(id)) return 'seen';
        const waited = await Promise.race([deadline, new Promise((r) => setTimeout(r, pause, 'again'))]);
        if (waited === 'late') return 'late';
      }
    };
    const polling = poll();
    polling.catch(() => undefined); // a failure after the deadline has nobody to tell
    try {
      const outcome = await Promise.race([polling, deadline]);
      if (outcome === 'late') {
        this.logger.warn(
          `ingest key ${id} issued but not in INGEST_KEYS after ${ISSUED_KEY_WAIT_MS} ms (is the outbox relay running?); push-ingress refuses it until it is`,
          'IngestKeysService',
        );
      }
    } catch (error) {
      this.kv = undefined;
      this.logger.warn(
        `ingest key ${id} issued; could not see it in INGEST_KEYS: ${(error as Error).message}`,
        'IngestKeysService',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** The INGEST_KEYS bucket, opened once (again after a failure). */
  private bucket(): Promise<KV> {
    this.kv ??= openKvBucket(this.nats.nc, INGEST_KEYS, this.nats.namespace);
    return this.kv;
  }

  /** Keys of the building by id; revoked ones only with `includeRevoked`. */
  async list(
    access: RegistryAccess,
    pid: string,
    options: { includeRevoked?: boolean; cursor?: string; limit?: number } = {},
  ): Promise<Page<IngestKey>> {
    await this.buildings.load(access, pid, 'admin');
    const limit = options.limit ?? INGEST_KEY_PAGE.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > INGEST_KEY_PAGE.max) {
      throw new RegistryError('INVALID', `limit must be a whole number from 1 to ${INGEST_KEY_PAGE.max}`);
    }
    const rows = await this.db.query(
      `select * from registry.ingest_keys where pid = $1 and id > $2 and ($3 or revoked_at is null)
       order by id limit $4`,
      [pid, decodeCursor(options.cursor), options.includeRevoked === true, limit + 1],
    );
    const items = rows.slice(0, limit).map(toIngestKey);
    return rows.length > limit ? { items, next: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  /** Revokes a key for good. Revoking a revoked key changes nothing. */
  async revoke(access: RegistryAccess, pid: string, id: string): Promise<void> {
    await this.buildings.load(access, pid, 'admin');
    await this.db.transaction(async (tx, outbox) => {
      const revoked = await tx.query(
        `update registry.ingest_keys set revoked_at = now(), revoked_by = $3
         where id = $1 and pid = $2 and revoked_at is null returning id`,
        [id, pid, access.actor],
      );
      if (revoked.length > 0) {
        await outbox.directory({ kind: 'kv-delete', bucket: INGEST_KEYS.name, key: id });
        return;
      }
      const [known] = await tx.query('select 1 from registry.ingest_keys where id = $1 and pid = $2', [
        id,
        pid,
      ]);
      if (!known) throw notFound('ingest key', id);
    });
  }
}

/**
 * Removes every key of a building that is being removed, in the removing transaction: the keys still valid
 * leave the INGEST_KEYS bucket through the outbox first, so none outlives its building.
 */
export async function removeBuildingIngestKeys(tx: Transaction, outbox: Outbox, pid: string): Promise<void> {
  const keys = await tx.query<{ id: string; revoked_at: Date | null }>(
    'delete from registry.ingest_keys where pid = $1 returning id, revoked_at',
    [pid],
  );
  for (const key of keys.filter((k) => k.revoked_at === null).sort((a, b) => a.id.localeCompare(b.id))) {
    await outbox.directory({ kind: 'kv-delete', bucket: INGEST_KEYS.name, key: key.id });
  }
}

function toIngestKey(r: Row | undefined): IngestKey {
  if (!r) throw new Error('ingest key row missing');
  return {
    id: r['id'] as string,
    pid: r['pid'] as string,
    provider: (r['provider'] as string) ?? null,
    name: r['name'] as string,
    createdBy: (r['created_by'] as string) ?? null,
    createdAt: r['created_at'] as Date,
    revokedBy: (r['revoked_by'] as string) ?? null,
    revokedAt: (r['revoked_at'] as Date) ?? null,
  };
}
