import { Injectable } from '@nestjs/common';
import type { AttemptViewV1, BatchViewV1, Page } from '@matrix/contracts';
import { Database } from '@matrix/persistence';
import type { Pool } from 'pg';

import { CHANNEL } from '../notifications/channel';
import { pageCursor } from '../page-cursor';

interface BatchListRow {
  webhook_id: string;
  seq: string;
  status: BatchViewV1['status'];
  origin: BatchViewV1['origin'];
  items: number;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  finished_at: Date | null;
  last_error: string | null;
  stream: string;
  first_seq: string;
  last_seq: string;
}

function batchView(row: BatchListRow): BatchViewV1 {
  return {
    id: row.webhook_id,
    status: row.status,
    origin: row.origin,
    items: row.items,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    lastError: row.last_error,
    stream: row.stream,
    firstSequence: Number(row.first_seq),
    lastSequence: Number(row.last_seq),
  };
}

/**
 * The delivery log as its owner sees it: a subscription's batches and attempts (newest first), and
 * resending a batch. Callers check the subscription's owner first (`ownedSubscription`).
 */
@Injectable()
export class DeliveryLogRepository {
  constructor(private readonly db: Database) {}

  private get pool(): Pool {
    return this.db.pool;
  }

  async attempts(subscriptionId: string, limit: number, after?: string): Promise<Page<AttemptViewV1>> {
    const before = pageCursor.decode(after);
    const { rows } = await this.pool.query<{
      id: string;
      webhook_id: string;
      attempt: number;
      at: Date;
      outcome: string;
      status_code: number | null;
      latency_ms: number;
      response: string | null;
    }>(
      `select id, webhook_id, attempt, at, outcome, status_code, latency_ms, response from router.attempts
        where subscription_id = $1 and ($2::bigint is null or id < $2) order by id desc limit $3`,
      [subscriptionId, before, limit + 1],
    );
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      batchId: r.webhook_id,
      attempt: r.attempt,
      at: r.at.toISOString(),
      outcome: r.outcome,
      statusCode: r.status_code,
      latencyMs: r.latency_ms,
      response: r.response,
    }));
    return rows.length > limit ? { items, next: pageCursor.encode(items[items.length - 1]!.id) } : { items };
  }

  async batches(
    subscriptionId: string,
    limit: number,
    after?: string,
    status?: string,
  ): Promise<Page<BatchViewV1>> {
    const before = pageCursor.decode(after);
    const { rows } = await this.pool.query<BatchListRow>(
      `select webhook_id, seq, status, origin, items, attempts, created_at, next_attempt_at, finished_at, last_error,
              stream, first_seq, last_seq
         from router.batches
        where subscription_id = $1 and ($2::bigint is null or seq < $2) and ($3::text is null or status = $3)
        order by seq desc limit $4`,
      [subscriptionId, before, status ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    return rows.length > limit
      ? { items: items.map(batchView), next: pageCursor.encode(items[items.length - 1]!.seq) }
      : { items: items.map(batchView) };
  }

  /**
   * Queues the latest batch with this webhook-id again, after what is already pending (same id, same
   * messages), while its messages are still stored (2 days); undefined otherwise.
   */
  async resend(subscriptionId: string, webhookId: string): Promise<BatchViewV1 | undefined> {
    const { rows } = await this.pool.query<BatchListRow>(
      `insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs, origin)
       select webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs, 'resend'
         from (select * from router.batches where subscription_id = $1 and webhook_id = $2
                order by seq desc limit 1) b
        where (select count(*) from router.processed p
                where p.stream = b.stream and p.seq = any(b.seqs) and p.body is not null) = cardinality(b.seqs)
       returning webhook_id, seq, status, origin, items, attempts, created_at, next_attempt_at, finished_at,
                 last_error, stream, first_seq, last_seq`,
      [subscriptionId, webhookId],
    );
    if (rows[0]) await this.pool.query('select pg_notify($1, $2)', [CHANNEL.work, subscriptionId]);
    return rows[0] ? batchView(rows[0]) : undefined;
  }
}
