import { Injectable } from '@nestjs/common';
import type { SubscriptionKind } from '@matrix/contracts';
import { DataSource } from 'typeorm';
import { CHANNEL, inTransaction, poolOf } from '../db';
import type { IndexedSubscription } from './subscription-index';

/** One stream message to route: its canonical JSON text (an event object, or an array of points). */
export interface RoutedMessage {
  seq: number;
  subject: string;
  body: string;
  items: number;
}

export interface QueueEntry {
  subscriptionId: string;
  seq: number;
  body: string;
  items: number;
}

/** NOTIFY payloads are limited to 8000 bytes: beyond that every worker is woken. */
const MAX_NOTIFY = 7000;

export function notifyPayload(ids: Iterable<string>): string {
  const payload = [...new Set(ids)].join(',');
  return payload.length > MAX_NOTIFY ? '*' : payload;
}

const INSERT_QUEUE = `
  insert into router.queue (subscription_id, stream, stream_seq, body, items, replay)
  select s, $1, q, b, n, $6 from unnest($2::uuid[], $3::bigint[], $4::text[], $5::int[]) as t(s, q, b, n)`;

/**
 * Appends matched messages to the per-subscription queues in PostgreSQL: the point where a stream
 * message may be acked. One transaction per consumer batch: the messages' sequences go into
 * `router.processed` (a redelivered message that was already routed is not queued again), the queue rows
 * of the new ones are inserted in stream order, and one NOTIFY wakes the subscriptions' workers on
 * every replica when it commits.
 */
@Injectable()
export class Enqueuer {
  constructor(private readonly dataSource: DataSource) {}

  async route(
    stream: string,
    messages: readonly RoutedMessage[],
    match: (subject: string) => IndexedSubscription[],
  ): Promise<number> {
    if (messages.length === 0) return 0;
    return inTransaction(poolOf(this.dataSource), async (client) => {
      const { rows } = await client.query<{ seq: string }>(
        `insert into router.processed (stream, seq) select $1, unnest($2::bigint[])
         on conflict do nothing returning seq`,
        [stream, messages.map((m) => m.seq)],
      );
      const fresh = new Set(rows.map((r) => Number(r.seq)));
      const entries: QueueEntry[] = [];
      for (const message of messages) {
        if (!fresh.has(message.seq)) continue;
        for (const subscription of match(message.subject)) {
          entries.push({
            subscriptionId: subscription.id,
            seq: message.seq,
            body: message.body,
            items: message.items,
          });
        }
      }
      await insertQueue(client, stream, entries, false);
      return entries.length;
    });
  }

  /** Queues replayed messages for one subscription (no `processed` check: they were routed before). */
  async replay(stream: string, entries: readonly QueueEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await inTransaction(poolOf(this.dataSource), (client) => insertQueue(client, stream, entries, true));
  }
}

async function insertQueue(
  client: { query(text: string, values?: unknown[]): Promise<unknown> },
  stream: string,
  entries: readonly QueueEntry[],
  replay: boolean,
): Promise<void> {
  if (entries.length === 0) return;
  await client.query(INSERT_QUEUE, [
    stream,
    entries.map((e) => e.subscriptionId),
    entries.map((e) => e.seq),
    entries.map((e) => e.body),
    entries.map((e) => e.items),
    replay,
  ]);
  await client.query('select pg_notify($1, $2)', [
    CHANNEL.queue,
    notifyPayload(entries.map((e) => e.subscriptionId)),
  ]);
}

export type { SubscriptionKind };
