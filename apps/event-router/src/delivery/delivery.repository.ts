import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import { Pool } from 'pg';
import type { EventRouterConfig } from '../config/event-router.config';
import { ROUTER_CONFIG } from '../config/router-config.token';

import { CHANNEL } from '../notifications/channel';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import type { SendResult } from '../endpoints/http-sender';
import { webhookId } from '../endpoints/signature';

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
  /** How many messages it has. */
  seq_count: number;
  /** Milliseconds until the next attempt is due (≤ 0: now). */
  due_in_ms: number;
  /** Milliseconds since the first attempt (0 before it). */
  since_first_ms: number;
}

export type Formed = { kind: 'batch'; batch: BatchRow } | { kind: 'wait'; ms: number } | { kind: 'empty' };

/** A replayed item of `router.queue`. */
interface QueueRow {
  id: string;
  stream: string;
  stream_seq: string;
  items: number;
}

/**
 * Bodies of a batch's messages in order, newline-joined (JSON.stringify output has no raw newlines): one
 * line per message still stored, so the caller counts them to see whether any was pruned.
 */
const BODIES = (batch: string) => `
  (select string_agg(p.body, E'\\n' order by u.o)
     from unnest(${batch}.seqs) with ordinality as u(seq, o)
     join router.processed p on p.stream = ${batch}.stream and p.seq = u.seq
    where p.body is not null) as bodies`;

const BATCH_COLUMNS = (batch: string) => `
  ${batch}.seq, ${batch}.webhook_id, ${batch}.subscription_id, ${batch}.stream, ${batch}.first_seq,
  ${batch}.last_seq, ${batch}.items, ${batch}.attempts, ${batch}.origin, cardinality(${batch}.seqs) as seq_count,
  ${BODIES(batch)},
  (extract(epoch from ${batch}.next_attempt_at - clock_timestamp()) * 1000)::float8 as due_in_ms,
  coalesce((extract(epoch from clock_timestamp() - ${batch}.first_attempt_at) * 1000)::float8, 0) as since_first_ms`;

const PENDING = `
  select ${BATCH_COLUMNS('b')}
    from router.batches b
   where b.subscription_id = $1 and b.status = 'pending' and b.seq <> all($2::bigint[])
   order by b.seq limit 1`;

const HEAD = `
  select q.id, q.stream, q.stream_seq, q.items
    from router.queue q
   where q.subscription_id = $1
     and exists (select 1 from router.subscriptions s where s.id = $1 and s.lease_owner = $2 and s.status = 'active')
   order by q.id limit $3`;

/**
 * The live path of forming a batch, in one statement: under the lease and while no replayed item waits,
 * read the subscription's messages in the log after its cursor (at most `maxSize` items, a message never
 * split) and, if the batch is full or its first message waited `maxWaitMs`, move the cursor past them
 * (only from where it was read: a concurrent former gets nothing) and insert a batch whose `webhook-id` is
 * computed as `webhookId()` does. Answers the head's state (and the batch when one was formed). When
 * nothing is there and the log went far past the cursor, the cursor follows, so that the next read of a
 * subscription matching rarely does not scan what it already passed.
 */
const LIVE_CTES = (sub: string, owner: string, size: string, wait: string) => `
  lease as (
    select 1 from router.subscriptions where id = ${sub} and lease_owner = ${owner} and status = 'active'),
  cur as (select pos from router.cursors where subscription_id = ${sub}),
  replays as (select exists (select 1 from router.queue where subscription_id = ${sub}) as waiting),
  head as (
    select p.pos, p.stream, p.seq, p.items,
           (extract(epoch from clock_timestamp() - p.at) * 1000)::float8 as age_ms,
           row_number() over (order by p.pos) as rn,
           sum(p.items) over (order by p.pos) as running
      from (select * from router.processed
             where pos > (select pos from cur) and ${sub} = any(subs) and exists (select 1 from lease)
             order by pos limit ${size}) p),
  first as (select * from head where rn = 1),
  pick as (select h.* from head h, first f where h.stream = f.stream and (h.rn = 1 or h.running <= ${size})),
  state as (
    select (select count(*) from pick)::int as n,
           (select count(*) from head)::int as total,
           coalesce((select max(running) from pick), 0)::int as size,
           (select age_ms from first) as age_ms,
           (select waiting from replays) as replay,
           (select stream from first) as stream,
           (select min(seq) from pick) as first_seq,
           (select max(seq) from pick) as last_seq,
           (select max(pos) from pick) as last_pos),
  ready as (
    select * from state where n > 0 and not replay and (size >= ${size} or n < total or age_ms >= ${wait})),
  tail as (select max(pos) as pos from router.processed where not exists (select 1 from head)),
  moved as (
    update router.cursors c
       set pos = coalesce((select last_pos from ready), (select pos from tail))
     where c.subscription_id = ${sub} and c.pos = (select pos from cur) and exists (select 1 from lease)
       and (exists (select 1 from ready) or (select pos from tail) > c.pos + ${10_000})
    returning c.pos),
  formed as (
    insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs, origin)
    select 'msg_' || translate(encode(substring(sha256(convert_to(
             ${sub}::text || '|' || r.stream || '|' || r.first_seq || '|' || r.last_seq, 'UTF8')) from 1 for 18),
             'base64'), '+/', 'AB'),
           ${sub}, r.stream, r.first_seq, r.last_seq, r.size,
           (select array_agg(seq order by rn) from pick), 'live'
      from ready r where exists (select 1 from moved)
    returning *)`;

const LIVE_RESULT = `st.total, st.replay, st.age_ms, f.seq is not null as formed, ${BATCH_COLUMNS('f')}`;

const FORM_LIVE = `
  with ${LIVE_CTES('$1', '$2', '$3', '$4')}
  select ${LIVE_RESULT} from state st left join formed f on true`;

/** Moves replay-queue rows into a batch in one statement; a concurrent former (an expired lease) gets nothing. */
const FORM = `
  with taken as (delete from router.queue where id = any($1::bigint[]) returning id),
  formed as (
    insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs, origin)
    select $2, $3, $4, $5, $6, $7, $8, $9 where (select count(*) from taken) = cardinality($1::bigint[])
    returning *)
  select ${BATCH_COLUMNS('formed')} from formed`;

const RECORD_CTES = `
  attempt as (
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
    where seq = $1),
  failing as (
    update router.subscriptions
       set failing_since = case when $12 then null else coalesce(failing_since, clock_timestamp()) end
     where id = $2 and (not $12 or failing_since is not null)
    returning failing_since)`;

const RECORD = `
  with ${RECORD_CTES}
  select (select (extract(epoch from clock_timestamp() - failing_since) * 1000)::float8 from failing) as failing_ms`;

/**
 * A delivered attempt's record and the forming of the next live batch in one statement (one round trip
 * and one commit per POST in steady flow). The record's own snapshot does not see the batch formed here,
 * so `more_pending` still means "another batch was pending before".
 */
const RECORD_AND_FORM = `
  with ${RECORD_CTES}, ${LIVE_CTES('$2', '$13', '$14', '$15')}
  select exists (select 1 from router.batches b
                  where b.subscription_id = $2 and b.status = 'pending' and b.seq <> $1) as more_pending,
         ${LIVE_RESULT}
    from state st left join formed f on true`;

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

/** What the live forming statement answers: the head's state, and the batch when one was formed. */
type LiveState = BatchRow & { total: number; replay: boolean; age_ms: number | null; formed: boolean };

/** The live forming's outcome; undefined when replayed items wait (they go first, formed apart). */
function liveOutcome(sub: SubscriptionRow, state: LiveState): Formed | undefined {
  if (state.formed) return { kind: 'batch', batch: state };
  if (state.replay) return undefined;
  if (state.total === 0) return { kind: 'empty' };
  // Not full and not old enough yet (or formed by someone else meanwhile: look again soon).
  return { kind: 'wait', ms: Math.max(1, Math.ceil(sub.batch_max_wait_ms - (state.age_ms ?? 0))) };
}

type Next =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'give-up'; reason: string }
  | { kind: 'hold' };

/** RECORD's parameters $1–$12. */
function recordValues(batch: BatchRow, result: SendResult, next: Next, error: string | null): unknown[] {
  return [
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
  ];
}

/** Delivery state in PostgreSQL: leases, batches formed from the routed-message log and the replay queue, attempts. */
@Injectable()
export class DeliveryRepository implements OnApplicationShutdown {
  /**
   * Connections with `synchronous_commit = off` for writes whose loss in a PostgreSQL crash is harmless:
   * an attempt's record (the batch is then sent again, under the same webhook-id) and lease renewals.
   * Routing and forming batches stay synchronous.
   */
  private readonly relaxed: Pool;

  constructor(
    private readonly db: Database,
    @Inject(ROUTER_CONFIG) config: EventRouterConfig,
  ) {
    this.relaxed = new Pool({
      connectionString: config.db.url,
      max: config.router.relaxedPoolMax,
      application_name: `${config.service}-relaxed`,
      options: '-c synchronous_commit=off',
    });
    this.relaxed.on('error', () => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relaxed.end();
  }

  private get pool(): Pool {
    return this.db.pool;
  }

  /**
   * Renews this replica's delivery leases and takes free or expired ones (`for update skip locked`: two
   * replicas never take the same subscription), at most `max`; answers the subscriptions now held.
   */
  async claimLeases(owner: string, leaseMs: number, max: number): Promise<SubscriptionRow[]> {
    // Own leases are renewed (waiting for a row lock a moment if an attempt is being recorded); free or
    // expired ones are taken without waiting (`skip locked`: another replica is taking them).
    const { rows } = await this.relaxed.query<SubscriptionRow>(
      `with renewed as (
         update router.subscriptions set lease_until = now() + $2 * interval '1 millisecond'
          where lease_owner = $1 and status = 'active'
         returning *),
       free as (
         select id from router.subscriptions
          where status = 'active' and (lease_owner is null or lease_until is null or lease_until < now())
            and lease_owner is distinct from $1
          order by created_at
          limit greatest(0, $3 - (select count(*) from renewed))
          for update skip locked),
       taken as (
         update router.subscriptions s
            set lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
           from free where s.id = free.id
         returning s.*)
       select * from renewed union all select * from taken`,
      [owner, leaseMs, max],
    );
    return rows;
  }

  /**
   * The active subscriptions this replica holds the lease of whose deliveries are failing (failing_since
   * set): how many, and the `limit` failing longest with seconds since their first failure of this run.
   */
  async failingSubscriptions(
    owner: string,
    limit: number,
  ): Promise<{ total: number; longest: { id: string; seconds: number }[] }> {
    const { rows } = await this.relaxed.query<{ id: string; seconds: number; total: number }>(
      `select id, extract(epoch from now() - failing_since)::float8 as seconds, count(*) over ()::int as total
         from router.subscriptions
        where lease_owner = $1 and status = 'active' and failing_since is not null
        order by failing_since
        limit $2`,
      [owner, limit],
    );
    return {
      total: rows[0]?.total ?? 0,
      longest: rows.map(({ id, seconds }) => ({ id, seconds: Math.max(0, seconds) })),
    };
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.pool.query(
      `update router.subscriptions set lease_owner = null, lease_until = null where lease_owner = $1`,
      [owner],
    );
  }

  /**
   * The oldest batch of the subscription not yet delivered or given up, with its bodies, leaving out the
   * batches other lanes of the subscription work on.
   */
  async pendingBatch(subscriptionId: string, except: readonly string[] = []): Promise<BatchRow | undefined> {
    const { rows } = await this.pool.query<BatchRow>({
      name: 'router.pending',
      text: PENDING,
      values: [subscriptionId, except],
    });
    return rows[0];
  }

  /**
   * Forms the next batch, under the lease: replayed items first (grouped exactly as the earlier batch that
   * delivered them, so they keep its `webhook-id`), then the subscription's messages in the log after its
   * cursor: up to `maxSize` items (a message is never split), once the oldest has waited `maxWaitMs` or
   * the batch is full.
   */
  async formBatch(sub: SubscriptionRow, owner: string): Promise<Formed> {
    const { rows } = await this.pool.query<LiveState>({
      name: 'router.form-live',
      text: FORM_LIVE,
      values: [sub.id, owner, sub.batch_max_size, sub.batch_max_wait_ms],
    });
    return liveOutcome(sub, rows[0]!) ?? this.formReplayed(sub, owner);
  }

  /** Replayed items at the head: grouped as the batches that delivered them before. */
  private async formReplayed(sub: SubscriptionRow, owner: string): Promise<Formed> {
    const { rows } = await this.pool.query<QueueRow>(HEAD, [sub.id, owner, sub.batch_max_size]);
    const head = rows[0];
    if (!head) return { kind: 'empty' };
    const replayed: QueueRow[] = [];
    for (const row of rows) {
      if (row.stream !== head.stream) break;
      replayed.push(row);
    }
    const recorded = await this.pool.query<{ first_seq: string; last_seq: string }>(
      `select distinct on (first_seq) first_seq, last_seq from router.batches
        where subscription_id = $1 and stream = $2 and first_seq = any($3::bigint[])
        order by first_seq, seq desc`,
      [sub.id, head.stream, replayed.map((r) => r.stream_seq)],
    );
    const ends = new Map(recorded.rows.map((r) => [r.first_seq, Number(r.last_seq)]));
    const take = groupReplayed(replayed, ends, sub.batch_max_size);
    const origin = 'replay';
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
    next: Next,
  ): Promise<{ failingForMs: number | null }> {
    const error =
      next.kind === 'delivered'
        ? null
        : `${result.outcome}${result.statusCode ? ` ${result.statusCode}` : ''}: ${(result.response ?? '').slice(0, 200)}`;
    const { rows } = await this.relaxed.query<{ failing_ms: number | null }>({
      name: 'router.record',
      text: RECORD,
      values: recordValues(batch, result, next, error),
    });
    return { failingForMs: rows[0]?.failing_ms ?? null };
  }

  /**
   * Records a delivered attempt and, in the same statement, forms the next live batch (see FORM_LIVE);
   * answers whether another batch was pending already (then the formed one, if any, waits its turn) and
   * what forming gave (undefined: replayed items are waiting, form them with formBatch).
   */
  async recordDeliveredAndForm(
    batch: BatchRow,
    result: SendResult,
    sub: SubscriptionRow,
    owner: string,
  ): Promise<{ morePending: boolean; next: Formed | undefined }> {
    const { rows } = await this.pool.query<LiveState & { more_pending: boolean }>({
      name: 'router.record-and-form',
      text: RECORD_AND_FORM,
      values: [
        ...recordValues(batch, result, { kind: 'delivered' }, null),
        owner,
        sub.batch_max_size,
        sub.batch_max_wait_ms,
      ],
    });
    const state = rows[0]!;
    return { morePending: state.more_pending, next: liveOutcome(sub, state) };
  }

  /** Disables a subscription (its worker stops; its queue and pending batch stay for a re-enable). */
  async disable(subscriptionId: string, reason: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `update router.subscriptions set status = 'disabled', status_reason = $2, updated_at = now(),
              lease_owner = null, lease_until = null
        where id = $1 and status = 'active'`,
      [subscriptionId, reason],
    );
    if (rowCount) await this.pool.query(`select pg_notify($1, $2)`, [CHANNEL.subscriptions, subscriptionId]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Forgets routed messages after 2 days once every active subscription's cursor is past them, unless a
   * replayed item or a pending batch still needs the body; and finished batches (with their attempts)
   * after the retention.
   */
  async prune(retentionDays: number): Promise<void> {
    await this.pool.query(
      `delete from router.processed p
        where p.at < now() - interval '2 days'
          and p.pos <= coalesce((select min(c.pos) from router.cursors c
                                   join router.subscriptions s on s.id = c.subscription_id
                                  where s.status = 'active'), p.pos)
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
