import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf } from '../db';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import type { SendResult } from './http-sender';
import { webhookId } from './signature';

/** A row of `router.batches` as the worker needs it, with the bodies of its messages. */
export interface BatchRow {
  seq: string;
  webhook_id: string;
  subscription_id: string;
  stream: string;
  first_seq: string;
  last_seq: string;
  items: number;
  attempts: number;
  origin: 'live' | 'resend' | 'replay';
  /** The bodies of its stream messages in order, newline-joined (null when none is stored any more). */
  bodies: string | null;
  /** How many of its messages' bodies are still stored, and how many messages it has. */
  body_count: number;
  seq_count: number;
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
  items: number;
  replay: boolean;
  age_ms: number;
}

/** Bodies of a batch's messages, newline-joined (JSON.stringify output has no raw newlines), and how many. */
const BODIES = (batch: string) => `
  (select string_agg(p.body, E'\\n' order by u.o)
     from unnest(${batch}.seqs) with ordinality as u(seq, o)
     join router.processed p on p.stream = ${batch}.stream and p.seq = u.seq
    where p.body is not null) as bodies,
  (select count(*)::int
     from unnest(${batch}.seqs) as u(seq)
     join router.processed p on p.stream = ${batch}.stream and p.seq = u.seq
    where p.body is not null) as body_count`;

const BATCH_COLUMNS = (batch: string) => `
  ${batch}.seq, ${batch}.webhook_id, ${batch}.subscription_id, ${batch}.stream, ${batch}.first_seq,
  ${batch}.last_seq, ${batch}.items, ${batch}.attempts, ${batch}.origin, cardinality(${batch}.seqs) as seq_count,
  ${BODIES(batch)},
  (extract(epoch from ${batch}.next_attempt_at - clock_timestamp()) * 1000)::float8 as due_in_ms,
  coalesce((extract(epoch from clock_timestamp() - ${batch}.first_attempt_at) * 1000)::float8, 0) as since_first_ms`;

const PENDING = `
  select ${BATCH_COLUMNS('b')}
    from router.batches b
   where b.subscription_id = $1 and b.status = 'pending'
   order by b.seq limit 1`;

const HEAD = `
  select q.id, q.stream, q.stream_seq, q.items, q.replay,
         (extract(epoch from clock_timestamp() - q.enqueued_at) * 1000)::float8 as age_ms
    from router.queue q
   where q.subscription_id = $1
     and exists (select 1 from router.subscriptions s where s.id = $1 and s.lease_owner = $2 and s.status = 'active')
   order by q.id limit $3`;

/** Moves queue rows into a batch in one statement; a concurrent former (an expired lease) gets nothing. */
const FORM = `
  with taken as (delete from router.queue where id = any($1::bigint[]) returning id),
  formed as (
    insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs, origin)
    select $2, $3, $4, $5, $6, $7, $8, $9 where (select count(*) from taken) = cardinality($1::bigint[])
    returning *)
  select ${BATCH_COLUMNS('formed')} from formed`;

const RECORD = `
  with attempt as (
    insert into router.attempts (batch_seq, subscription_id, webhook_id, attempt, outcome, status_code, latency_ms, response)
    values ($1, $2, $3, $4, $5, $6, $7, $8)),
  batch as (
    update router.batches set
      attempts = attempts + 1,
      first_attempt_at = coalesce(first_attempt_at, clock_timestamp()),
      status = $9,
      next_attempt_at = clock_timestamp() + $10 * interval '1 millisecond',
      finished_at = case when $9 = 'pending' then null else clock_timestamp() end,
      last_error = $11
    where seq = $1)
  update router.subscriptions
     set failing_since = case when $12 then null else coalesce(failing_since, clock_timestamp()) end
   where id = $2
  returning (extract(epoch from clock_timestamp() - failing_since) * 1000)::float8 as failing_ms,
            exists (select 1 from router.batches b
                     where b.subscription_id = $2 and b.status = 'pending' and b.seq <> $1) as more_pending`;

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

  /** The oldest batch of the subscription not yet delivered or given up, with its bodies. */
  async pendingBatch(subscriptionId: string): Promise<BatchRow | undefined> {
    const { rows } = await this.pool.query<BatchRow>(PENDING, [subscriptionId]);
    return rows[0];
  }

  /**
   * Forms the next batch from the head of the queue, under the lease: up to `maxSize` items (a message is
   * never split), once the oldest has waited `maxWaitMs` or the batch is full. Replayed items that an
   * earlier batch delivered are grouped exactly as that batch was, so they keep its `webhook-id`.
   */
  async formBatch(sub: SubscriptionRow, owner: string): Promise<Formed> {
    const { rows } = await this.pool.query<QueueRow>(HEAD, [sub.id, owner, sub.batch_max_size]);
    if (rows.length === 0) return { kind: 'empty' };
    const head = rows[0]!;
    let take: QueueRow[];
    let origin: 'live' | 'replay' = 'live';
    if (head.replay) {
      origin = 'replay';
      const replayed: QueueRow[] = [];
      for (const row of rows) {
        if (!row.replay || row.stream !== head.stream) break;
        replayed.push(row);
      }
      const recorded = await this.pool.query<{ first_seq: string; last_seq: string }>(
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
    const seqs = take.map((r) => r.stream_seq);
    const first = Number(seqs[0]);
    const last = Number(seqs[seqs.length - 1]);
    const formed = await this.pool.query<BatchRow>(FORM, [
      take.map((r) => r.id),
      webhookId(sub.id, head.stream, first, last),
      sub.id,
      head.stream,
      first,
      last,
      take.reduce((n, r) => n + r.items, 0),
      seqs,
      origin,
    ]);
    // Nothing formed: another former took these rows (a lease that expired under us).
    return formed.rows[0] ? { kind: 'batch', batch: formed.rows[0] } : { kind: 'empty' };
  }

  /**
   * Records an attempt and its consequence for the batch (delivered, retry at a time, given up, or held
   * for a re-enable) and for the subscription's failure clock, in one statement; answers how long the
   * subscription has been failing (null when this attempt succeeded).
   */
  async recordAttempt(
    batch: BatchRow,
    result: SendResult,
    next:
      | { kind: 'delivered' }
      | { kind: 'retry'; delayMs: number }
      | { kind: 'give-up'; reason: string }
      | { kind: 'hold' },
  ): Promise<{ failingForMs: number | null; morePending: boolean }> {
    const error =
      next.kind === 'delivered'
        ? null
        : `${result.outcome}${result.statusCode ? ` ${result.statusCode}` : ''}: ${(result.response ?? '').slice(0, 200)}`;
    const { rows } = await this.pool.query<{ failing_ms: number | null; more_pending: boolean }>(RECORD, [
      batch.seq,
      batch.subscription_id,
      batch.webhook_id,
      batch.attempts + 1,
      result.outcome,
      result.statusCode,
      result.latencyMs,
      result.response,
      next.kind === 'delivered' ? 'delivered' : next.kind === 'give-up' ? 'failed' : 'pending',
      next.kind === 'retry' ? next.delayMs : 0,
      next.kind === 'give-up' ? `given up: ${next.reason}; last: ${error}` : error,
      next.kind === 'delivered',
    ]);
    return { failingForMs: rows[0]?.failing_ms ?? null, morePending: rows[0]?.more_pending ?? true };
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

  /**
   * Forgets routed messages after 2 days unless a queued item or a pending batch still needs the body, and
   * finished batches (with their attempts) after the retention.
   */
  async prune(retentionDays: number): Promise<void> {
    await this.pool.query(
      `delete from router.processed p
        where p.at < now() - interval '2 days'
          and not exists (select 1 from router.queue q where q.stream = p.stream and q.stream_seq = p.seq)
          and not exists (select 1 from router.batches b where b.status = 'pending' and b.stream = p.stream
                             and p.seq between b.first_seq and b.last_seq)`,
    );
    await this.pool.query(
      `delete from router.batches where status <> 'pending' and finished_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
  }
}
