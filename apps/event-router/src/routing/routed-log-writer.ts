import { Injectable } from '@nestjs/common';
import { Database, inTransaction } from '@matrix/persistence';
import { ROUTE_LOCK } from '../db';
import { CHANNEL } from '../notifications/channel';
import type { IndexedSubscription } from './subscription-index';

/** One stream message to route: its canonical JSON text (an event object, or an array of points). */
export interface RoutedMessage {
  seq: number;
  subject: string;
  body: string;
  items: number;
}

/**
 * Appends the matched messages to the routed-message log (`router.route()`, under the log's advisory lock:
 * positions become visible in order) with the subscriptions each matched; a redelivered message that was
 * routed before is not appended twice. One NOTIFY wakes the subscriptions' workers on every replica.
 */
const ROUTE = `select router.route($1, $2, $3, $4, $5, $6) as n`;

/** Replayed messages: their bodies are stored again if they were pruned, and they go to the replay queue. */
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
 * Appends matched messages to the routed-message log in PostgreSQL: the point where a stream message may
 * be acked. One statement per consumer batch, whatever the number of subscriptions: each matched message
 * is stored once with the ids of the subscriptions it matched (unmatched ones are not stored); delivery
 * workers read their subscription's messages from the log after their cursor.
 */
@Injectable()
export class RoutedLogWriter {
  constructor(private readonly db: Database) {}

  async route(
    stream: string,
    messages: readonly RoutedMessage[],
    match: (subject: string) => IndexedSubscription[],
  ): Promise<number> {
    const seqs: number[] = [];
    const bodies: string[] = [];
    const items: number[] = [];
    const subs: string[] = [];
    for (const message of messages) {
      const matched = match(message.subject);
      if (matched.length === 0) continue;
      seqs.push(message.seq);
      bodies.push(message.body);
      items.push(message.items);
      subs.push(matched.map((s) => s.id).join(','));
    }
    if (seqs.length === 0) return 0;
    const { rows } = await this.db.pool.query<{ n: number }>({
      name: 'router.route',
      text: ROUTE,
      values: [stream, seqs, bodies, items, subs, CHANNEL.work],
    });
    return rows[0]?.n ?? 0;
  }

  /** Puts replayed messages (stream order) in one subscription's replay queue (`router.queue`). */
  async replay(
    stream: string,
    subscriptionId: string,
    messages: readonly Omit<RoutedMessage, 'subject'>[],
  ): Promise<void> {
    if (messages.length === 0) return;
    await inTransaction(this.db.pool, async (client) => {
      // Under the log's lock like routing: a position taken here and committed after a later one would let
      // an idle cursor (which follows the visible end of the log) pass a routed message not yet visible.
      await client.query(`select pg_advisory_xact_lock(${ROUTE_LOCK})`);
      await client.query(REPLAY, [
        stream,
        messages.map((m) => m.seq),
        messages.map((m) => m.body),
        messages.map((m) => m.items),
        subscriptionId,
      ]);
      await client.query('select pg_notify($1, $2)', [CHANNEL.work, subscriptionId]);
    });
  }
}
