import { Injectable } from '@nestjs/common';
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

/** A queue row of one subscription for one stream message. */
export interface QueueEntry {
  subscriptionId: string;
  seq: number;
  items: number;
}

/** NOTIFY payloads are limited to 8000 bytes: beyond that every worker is woken. */
const MAX_NOTIFY = 7000;

export function notifyPayload(ids: Iterable<string>): string {
  const payload = [...new Set(ids)].join(',');
  return payload.length > MAX_NOTIFY ? '*' : payload;
}

/**
 * Records routed messages (with the body of those some subscription matched, once) and queues the rows
 * of the messages that were new: a redelivered message that was routed before is not queued twice.
 */
const ROUTE = `
  with fresh as (
    insert into router.processed (stream, seq, body, items)
    select $1, seq, body, items from unnest($2::bigint[], $3::text[], $4::int[]) as m(seq, body, items)
    on conflict do nothing
    returning seq)
  , queued as (
    insert into router.queue (subscription_id, stream, stream_seq, items)
    select s, $1, q, n from unnest($5::uuid[], $6::bigint[], $7::int[]) with ordinality as t(s, q, n, o)
     where q in (select seq from fresh)
     order by o
    returning subscription_id)
  , woken as (select string_agg(distinct subscription_id::text, ',') as ids, count(*)::int as n from queued)
  select n from woken
    left join lateral (
      select pg_notify($8, case when length(ids) > ${MAX_NOTIFY} then '*' else ids end) where n > 0
    ) notified on true`;

/** Replayed messages: their bodies are stored again if they were pruned, and they are queued as replays. */
const REPLAY = `
  with bodies as (
    insert into router.processed (stream, seq, body, items)
    select $1, seq, body, items from unnest($2::bigint[], $3::text[], $4::int[]) as m(seq, body, items)
    on conflict (stream, seq) do update set body = excluded.body, items = excluded.items
    returning seq)
  insert into router.queue (subscription_id, stream, stream_seq, items, replay)
  select $5, $1, seq, items, true from unnest($2::bigint[], $4::int[]) with ordinality as m(seq, items, o)
   where seq in (select seq from bodies)
   order by o`;

/**
 * Appends matched messages to the per-subscription queues in PostgreSQL: the point where a stream
 * message may be acked. One transaction per consumer batch: the messages go into `router.processed`
 * (bodies only of matched ones, each once however many subscriptions match), the queue rows of the new
 * ones are inserted in stream order, and one NOTIFY wakes the subscriptions' workers on every replica.
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
    const subs: string[] = [];
    const seqs: number[] = [];
    const items: number[] = [];
    const bodies = messages.map((message) => {
      const matched = match(message.subject);
      for (const s of matched) {
        subs.push(s.id);
        seqs.push(message.seq);
        items.push(message.items);
      }
      return matched.length > 0 ? message.body : null;
    });
    // One statement (atomic on its own): the NOTIFY goes out when it commits.
    const { rows } = await poolOf(this.dataSource).query<{ n: number }>({
      name: 'router.route',
      text: ROUTE,
      values: [
        stream,
        messages.map((m) => m.seq),
        bodies,
        messages.map((m) => m.items),
        subs,
        seqs,
        items,
        CHANNEL.queue,
      ],
    });
    return rows[0]?.n ?? 0;
  }

  /** Queues replayed messages (stream order) for one subscription. */
  async replay(
    stream: string,
    subscriptionId: string,
    messages: readonly Omit<RoutedMessage, 'subject'>[],
  ): Promise<void> {
    if (messages.length === 0) return;
    await inTransaction(poolOf(this.dataSource), async (client) => {
      await client.query(REPLAY, [
        stream,
        messages.map((m) => m.seq),
        messages.map((m) => m.body),
        messages.map((m) => m.items),
        subscriptionId,
      ]);
      await client.query('select pg_notify($1, $2)', [CHANNEL.queue, subscriptionId]);
    });
  }
}
