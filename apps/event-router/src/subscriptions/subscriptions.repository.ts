import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  DEFAULT_BATCH,
  DEFAULT_RETRY,
  type Page,
  type SubscriptionInputV1,
  type SubscriptionOwnerV1,
  type SubscriptionUpdateV1,
} from '@matrix/contracts';
import { JsonLogger } from '@matrix/platform';
import { Database, inTransaction } from '@matrix/persistence';
import type { Pool, PoolClient } from 'pg';

import { CHANNEL } from '../notifications/channel';
import { pageCursor } from '../page-cursor';
import type { StoredSecret, SubscriptionRow } from './subscription-row';
import { SubscriptionSealer } from './subscription-sealer';

const OWNED = `org = $1 and ($2::text is null or property = $2)`;
const ownerParams = (owner: SubscriptionOwnerV1) => [owner.org, owner.property ?? null];

/** `router.subscriptions`, always filtered by owner. */
@Injectable()
export class SubscriptionsRepository implements OnApplicationBootstrap {
  constructor(
    private readonly db: Database,
    private readonly sealer: SubscriptionSealer,
    private readonly logger: JsonLogger,
  ) {}

  /** Seals the secrets of subscriptions stored before MATRIX_SECRET_KEY was set (or warns that it is not). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.sealer.sealing) {
      this.logger.warn(
        'MATRIX_SECRET_KEY is not set: subscription signing secrets and endpoint credentials are stored unsealed',
        'SubscriptionsRepository',
      );
      return;
    }
    const { rows } = await this.pool.query<Pick<SubscriptionRow, 'id' | 'auth' | 'secrets'>>(
      `select id, auth, secrets from router.subscriptions where not (auth ? 'sealed') or not (secrets ? 'sealed')`,
    );
    for (const row of rows) {
      await this.pool.query(`update router.subscriptions set auth = $2, secrets = $3 where id = $1`, [
        row.id,
        this.sealer.store(row.id, 'auth', this.sealer.read(row.id, 'auth', row.auth)),
        this.sealer.store(row.id, 'secrets', this.sealer.read(row.id, 'secrets', row.secrets)),
      ]);
    }
    if (rows.length > 0) {
      this.logger.log(`sealed the secrets of ${rows.length} subscriptions`, 'SubscriptionsRepository');
    }
  }

  private opened(rows: SubscriptionRow[]): SubscriptionRow[] {
    return rows.map((row) => this.sealer.open(row));
  }

  private get pool(): Pool {
    return this.db.pool;
  }

  private async changed(client: PoolClient | Pool, id: string): Promise<void> {
    await client.query('select pg_notify($1, $2)', [CHANNEL.subscriptions, id]);
  }

  async create(
    owner: SubscriptionOwnerV1,
    input: SubscriptionInputV1,
    scope: string[] | null,
    secret: string,
  ): Promise<SubscriptionRow> {
    const batch = input.batch ?? DEFAULT_BATCH;
    const secrets: StoredSecret[] = [{ secret, createdAt: new Date().toISOString(), expiresAt: null }];
    const id = randomUUID();
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<SubscriptionRow>(
        `insert into router.subscriptions (id, org, property, kind, url, patterns, buildings, scope, auth,
           batch_max_size, batch_max_wait_ms, retry, encoding, rate_limit_per_second, description, secrets,
           concurrency)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) returning *`,
        [
          id,
          owner.org,
          owner.property ?? null,
          input.kind,
          input.url,
          input.patterns,
          input.buildings ?? null,
          scope,
          this.sealer.store(id, 'auth', input.auth ?? { type: 'none' }),
          batch.maxSize,
          batch.maxWaitMs,
          JSON.stringify(input.retry ?? DEFAULT_RETRY),
          input.encoding ?? 'objects',
          input.rateLimitPerSecond ?? null,
          input.description ?? null,
          this.sealer.store(id, 'secrets', secrets),
          input.concurrency ?? 1,
        ],
      );
      // Its messages start with those routed from now on: the cursor starts at the end of the log.
      await client.query(
        `insert into router.cursors (subscription_id, pos)
         select $1, coalesce(max(pos), 0) from router.processed`,
        [rows[0]!.id],
      );
      await this.changed(client, rows[0]!.id);
      return this.sealer.open(rows[0]!);
    });
  }

  async get(owner: SubscriptionOwnerV1, id: string): Promise<SubscriptionRow | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `select * from router.subscriptions where ${OWNED} and id = $3`,
      [...ownerParams(owner), id],
    );
    return rows[0] && this.sealer.open(rows[0]);
  }

  async list(owner: SubscriptionOwnerV1, limit: number, after?: string): Promise<Page<SubscriptionRow>> {
    const from = pageCursor.decode(after);
    const [at, id] = from ? (JSON.parse(from) as [string, string]) : [null, null];
    const { rows } = await this.pool.query<SubscriptionRow>(
      `select * from router.subscriptions
        where ${OWNED} and ($3::timestamptz is null or (created_at, id) > ($3::timestamptz, $4::uuid))
        order by created_at, id limit $5`,
      [...ownerParams(owner), at, id, limit + 1],
    );
    const items = this.opened(rows.slice(0, limit));
    const last = items[items.length - 1];
    return rows.length > limit && last
      ? { items, next: pageCursor.encode(JSON.stringify([last.created_at.toISOString(), last.id])) }
      : { items };
  }

  async update(
    owner: SubscriptionOwnerV1,
    id: string,
    patch: SubscriptionUpdateV1,
    scope: string[] | null,
  ): Promise<SubscriptionRow | undefined> {
    const sets: string[] = [];
    const values: unknown[] = [...ownerParams(owner), id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.url !== undefined) set('url', patch.url);
    if (patch.patterns !== undefined) set('patterns', patch.patterns);
    if (patch.buildings !== undefined) set('buildings', patch.buildings);
    if (scope !== null) set('scope', scope);
    if (patch.auth !== undefined) set('auth', this.sealer.store(id, 'auth', patch.auth));
    if (patch.batch !== undefined) {
      set('batch_max_size', patch.batch.maxSize);
      set('batch_max_wait_ms', patch.batch.maxWaitMs);
    }
    if (patch.retry !== undefined) set('retry', JSON.stringify(patch.retry));
    if (patch.encoding !== undefined) set('encoding', patch.encoding);
    if (patch.rateLimitPerSecond !== undefined) set('rate_limit_per_second', patch.rateLimitPerSecond);
    if (patch.concurrency !== undefined) set('concurrency', patch.concurrency);
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.status === 'active') {
      sets.push(`status = 'active', status_reason = null, failing_since = null`);
    } else if (patch.status === 'disabled') {
      sets.push(
        `status = 'disabled', status_reason = 'disabled by its owner', lease_owner = null, lease_until = null`,
      );
    }
    sets.push('updated_at = clock_timestamp()');
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<SubscriptionRow>(
        `update router.subscriptions set ${sets.join(', ')} where ${OWNED} and id = $3 returning *`,
        values,
      );
      if (rows[0]) await this.changed(client, id);
      return rows[0] && this.sealer.open(rows[0]);
    });
  }

  async delete(owner: SubscriptionOwnerV1, id: string): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(`delete from router.subscriptions where ${OWNED} and id = $3`, [
        ...ownerParams(owner),
        id,
      ]);
      if (rowCount) await this.changed(client, id);
      return (rowCount ?? 0) > 0;
    });
  }

  async setSecrets(
    owner: SubscriptionOwnerV1,
    id: string,
    secrets: StoredSecret[],
  ): Promise<SubscriptionRow | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `update router.subscriptions set secrets = $4, updated_at = clock_timestamp()
        where ${OWNED} and id = $3 returning *`,
      [...ownerParams(owner), id, this.sealer.store(id, 'secrets', secrets)],
    );
    if (rows[0]) await this.changed(this.pool, id);
    return rows[0] && this.sealer.open(rows[0]);
  }
}
