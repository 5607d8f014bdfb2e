import { Injectable } from '@nestjs/common';
import { DeliverPolicy } from '@nats-io/jetstream';
import { MATRIX_EVENTS, NatsClient, SENSOR_DATA } from '@matrix/messaging';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import { PatternIndex } from './pattern-index';
import { PrincipalDirectory } from '@matrix/messaging';
import { RoutedLogWriter, type RoutedMessage } from './routed-log-writer';
import { decodeMatrixEvent, decodeSensorData } from './stream-router.handler';
import { buildIndexes, matchSubject, principalOf } from './subscription-index';

const CHUNK = 500;
const FETCH = { max_messages: 1000, expires: 2000 } as const;
const decoder = new TextDecoder();

/**
 * Replays a time range to one subscription: an ordered (ephemeral) consumer re-reads the kind's stream
 * from `from`, matches each message against this subscription's patterns and scope, and queues the
 * matches again, in stream order, marked as replayed. The delivery worker groups replayed items as the
 * batches that delivered them before, so a replayed batch keeps its `webhook-id`.
 */
@Injectable()
export class Replayer {
  constructor(
    private readonly nats: NatsClient,
    private readonly log: RoutedLogWriter,
    private readonly principals: PrincipalDirectory,
  ) {}

  async replay(sub: SubscriptionRow, from: Date, to: Date): Promise<{ scanned: number; enqueued: number }> {
    const ns = this.nats.namespace;
    const spec = sub.kind === 'matrix-events' ? MATRIX_EVENTS : SENSOR_DATA;
    const decode = sub.kind === 'matrix-events' ? decodeMatrixEvent : decodeSensorData;
    const stream = ns.stream(spec.name);
    const index: PatternIndex<{ id: string }> = buildIndexes([{ ...sub }])[sub.kind];
    const info = await this.nats.jsm.streams.info(stream);
    const end = info.state.last_seq;
    let scanned = 0;
    let enqueued = 0;
    let pending: Omit<RoutedMessage, 'subject'>[] = [];
    const flush = async () => {
      await this.log.replay(stream, sub.id, pending);
      enqueued += pending.length;
      pending = [];
    };
    if (end === 0) return { scanned, enqueued };
    const consumer = await this.nats.js.consumers.get(stream, {
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: from.toISOString(),
      // One subject as a string: a list needs nats-server 2.10.
      filter_subjects: ns.subject(spec.subjects[0]!),
    });
    const toNanos = BigInt(to.getTime()) * 1_000_000n;
    for (let done = false; !done;) {
      const batch = await consumer.fetch(FETCH);
      let got = 0;
      for await (const message of batch) {
        got++;
        if (message.seq > end || BigInt(message.info.timestampNanos) >= toNanos) {
          done = true;
          break;
        }
        scanned++;
        const subject = ns.strip(message.subject);
        const principal = principalOf(sub.kind, subject);
        if (principal !== undefined) await this.principals.prefetch([principal]);
        const resolve = (p: string) => this.principals.resolve(p);
        if (matchSubject(index as never, sub.kind, subject, resolve).length === 0) continue;
        let json: unknown;
        try {
          json = JSON.parse(decoder.decode(message.data));
        } catch {
          continue;
        }
        const decoded = decode(json, subject);
        if (!decoded.ok) continue;
        pending.push({
          seq: message.seq,
          body: decoded.value.body,
          items: decoded.value.items,
        });
        if (pending.length >= CHUNK) await flush();
        if (message.seq >= end) {
          done = true;
          break;
        }
      }
      if (got === 0) done = true;
    }
    await flush();
    return { scanned, enqueued };
  }
}
