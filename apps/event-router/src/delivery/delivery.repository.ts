import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { inTransaction, poolOf } from '../db';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import { batchBody } from './batch-body';
import type { SendResult } from './http-sender';
import { webhookId } from './signature';

/** A row of `router.batches` as the worker needs it. */
export interface BatchRow {
  seq: string;
  webhook_id: string;
  subscription_id: string;
  stream: string;
  first_seq: string;
  last_seq: string;
  items: number;
  body: string;
  attempts: number;
  origin: 'live' | 'resend' | 'replay';
  /** Milliseconds until the next attempt is due (≤ 0: now). */
  due_in_ms: number;
  /** Milliseconds since the first attempt (0 before it). */
  since_first_ms: number;
}

export type Formed = { kind: 'batch'; batch: BatchRow } | { kind: 'wait'; ms: number } | { kind: 'empty' };

interface QueueRow {
  id: string;
  stream: string;
  stream_seq: string;
  body: string;
  items: number;
  replay: boolean;
  age_ms: number;
}

const BATCH_COLUMNS = `seq, webhook_id, subscription_id, stream, first_seq, last_seq, items, body, attempts, origin,
  (extract(epoch from next_attempt_at - clock_timestamp()) * 1000)::float8 as due_in_ms,
  coalesce((extract(epoch from clock_timestamp() - first_attempt_at) * 1000)::float8, 0) as since_first_ms`;

/**
 * Groups replayed queue items into the next batch: exactly as the earlier batch that started with the
 * head item (so it keeps that batch's `webhook-id`), else up to `maxSize` items, stopping before an item
 * that started an earlier batch.
 */
export function groupReplayed<R extends { stream_seq: string; items: number }>(
  rows: readonly R[],
  ends: ReadonlyMap<string, number>,
  maxSize: number,
): R[] {
  const head = rows[0]!;
  const end = ends.get(head.stream_seq);
  const take: R[] = [];
  if (end !== undefined) {
    for (const row of rows) {
      if (take.length > 0 && Number(row.stream_seq) > end) break;
      take.push(row);
    }
    return take;
  }
  let size = 0;
  for (const row of rows) {
    if (take.length > 0 && (size + row.items > maxSize || ends.has(row.stream_seq))) break;
    take.push(row);
    size += row.items;
  }
  return take;
}

/** Delivery state in PostgreSQL: leases, batches formed from the queue, attempts. */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return poolOf(this.dataSource);
  }

  /**
   * Renews this replica's delivery leases and takes free or expired ones (`for update skip locked`: two
   * replicas never take the same subscription), at most `max`; answers the subscriptions now held.
   */
  async claimLeases(owner: string, leaseMs: number, max: number): Promise<SubscriptionRow[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `with claim as (
         select id from router.subscriptions
          where status = 'active' and (lease_owner = $1 or lease_until is null or lease_until < now())
          order by (lease_owner is not distinct from $1) desc, created_at
          limit $3
          for update skip locked)
       update router.subscriptions s
          set lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
         from claim where s.id = claim.id
       returning s.*`,
      [owner, leaseMs, max],
    );
    return rows;
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.pool.query(
      `update router.subscriptions set lease_owner = null, lease_until = null where lease_owner = $1`,
      [owner],
    );
  }

  /** The oldest batch of the subscription not yet delivered or given up. */
  async pendingBatch(subscriptionId: string): Promise<BatchRow | undefined> {
    const { rows } = await this.pool.query<BatchRow>(
      `select ${BATCH_COLUMNS} from router.batches
        where subscription_id = $1 and status = 'pending' order by seq limit 1`,
      [subscriptionId],
    );
    return rows[0];
  }

  /**
   * Forms the next batch from the head of the queue, under the lease: up to `maxSize` items (a message is
   * never split), once the oldest has waited `maxWaitMs` or the batch is full. Replayed items that an
   * earlier batch delivered are grouped exactly as that batch was, so they keep its `webhook-id`.
   */
  async formBatch(sub: SubscriptionRow, owner: string): Promise<Formed> {
    return inTransaction(this.pool, async (client) => {
      const lease = await client.query(
        `select 1 from router.subscriptions where id = $1 and lease_owner = $2 and status = 'active' for update`,
        [sub.id, owner],
      );
      if (lease.rowCount === 0) return { kind: 'empty' };
      const { rows } = await client.query<QueueRow>(
        `select id, stream, stream_seq, body, items, replay,
                (extract(epoch from clock_timestamp() - enqueued_at) * 1000)::float8 as age_ms
           from router.queue where subscription_id = $1 order by id limit $2`,
        [sub.id, sub.batch_max_size],
      );
      if (rows.length === 0) return { kind: 'empty' };
      const head = rows[0]!;
      let take: QueueRow[];
      let origin: 'live' | 'replay' = 'live';
      if (head.replay) {
        origin = 'replay';
        const replayed = rows.filter((r) => r.replay && r.stream === head.stream);
        const recorded = await client.query<{ first_seq: string; last_seq: string }>(
          `select distinct on (first_seq) first_seq, last_seq from router.batches
            where subscription_id = $1 and stream = $2 and first_seq = any($3::bigint[])
            order by first_seq, seq desc`,
          [sub.id, head.stream, replayed.map((r) => r.stream_seq)],
        );
        const ends = new Map(recorded.rows.map((r) => [r.first_seq, Number(r.last_seq)]));
        take = groupReplayed(replayed, ends, sub.batch_max_size);
      } else {
        take = [];
        let size = 0;
        for (const row of rows) {
          if (row.replay || row.stream !== head.stream) break;
          if (take.length > 0 && size + row.items > sub.batch_max_size) break;
          take.push(row);
          size += row.items;
        }
        const full = size >= sub.batch_max_size || take.length < rows.length;
        const waited = head.age_ms >= sub.batch_max_wait_ms;
        if (!full && !waited) return { kind: 'wait', ms: Math.ceil(sub.batch_max_wait_ms - head.age_ms) };
      }
      const first = Number(take[0]!.stream_seq);
      const last = Number(take[take.length - 1]!.stream_seq);
      const id = webhookId(sub.id, head.stream, first, last);
      const body = batchBody(
        sub.kind,
        sub.encoding,
        take.map((r) => r.body),
      );
      const inserted = await client.query<BatchRow>(
        `insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, body, origin)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${BATCH_COLUMNS}`,
        [id, sub.id, head.stream, first, last, take.reduce((n, r) => n + r.items, 0), body, origin],
      );
      await client.query(`delete from router.queue where id = any($1::bigint[])`, [take.map((r) => r.id)]);
      return { kind: 'batch', batch: inserted.rows[0]! };
    });
  }

  /**
   * Records an attempt and its consequence for the batch (delivered, retry at a time, or given up) and for
   * the subscription's failure clock; answers since when the subscription has been failing (null when
   * this attempt succeeded).
   */
  async recordAttempt(
    batch: BatchRow,
    result: SendResult,
    next:
      | { kind: 'delivered' }
      | { kind: 'retry'; delayMs: number }
      | { kind: 'give-up'; reason: string }
      | { kind: 'hold' },
  ): Promise<{ failingForMs: number | null }> {
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `insert into router.attempts (batch_seq, subscription_id, webhook_id, attempt, outcome, status_code, latency_ms, response)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          batch.seq,
          batch.subscription_id,
          batch.webhook_id,
          batch.attempts + 1,
          result.outcome,
          result.statusCode,
          result.latencyMs,
          result.response,
        ],
      );
      const error =
        next.kind === 'delivered'
          ? null
          : `${result.outcome}${result.statusCode ? ` ${result.statusCode}` : ''}: ${(result.response ?? '').slice(0, 200)}`;
      await client.query(
        `update router.batches set
           attempts = attempts + 1,
           first_attempt_at = coalesce(first_attempt_at, clock_timestamp()),
           status = $2,
           next_attempt_at = clock_timestamp() + $3 * interval '1 millisecond',
           finished_at = case when $2 = 'pending' then null else clock_timestamp() end,
           last_error = $4
         where seq = $1`,
        [
          batch.seq,
          next.kind === 'delivered' ? 'delivered' : next.kind === 'give-up' ? 'failed' : 'pending',
          next.kind === 'retry' ? next.delayMs : 0,
          next.kind === 'give-up' ? `given up: ${next.reason}; last: ${error}` : error,
        ],
      );
      const { rows } = await client.query<{ failing_ms: number | null }>(
        `update router.subscriptions
            set failing_since = case when $2 then null else coalesce(failing_since, clock_timestamp()) end
          where id = $1
          returning (extract(epoch from clock_timestamp() - failing_since) * 1000)::float8 as failing_ms`,
        [batch.subscription_id, next.kind === 'delivered'],
      );
      return { failingForMs: rows[0]?.failing_ms ?? null };
    });
  }

  /** Disables a subscription (its worker stops; its queue and pending batch stay for a re-enable). */
  async disable(subscriptionId: string, reason: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `update router.subscriptions set status = 'disabled', status_reason = $2, updated_at = now(),
              lease_owner = null, lease_until = null
        where id = $1 and status = 'active'`,
      [subscriptionId, reason],
    );
    if (rowCount) await this.pool.query(`select pg_notify('router_subscriptions', $1)`, [subscriptionId]);
    return (rowCount ?? 0) > 0;
  }

  /** Forgets routed sequences after 2 days and finished batches (with their attempts) after the retention. */
  async prune(retentionDays: number): Promise<void> {
    await this.pool.query(`delete from router.processed where at < now() - interval '2 days'`);
    await this.pool.query(
      `delete from router.batches where status <> 'pending' and finished_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
  }
}
