import type { NatsClient } from '../connection/nats-client';
import { eachMessage, type BatchConsumerRegistration } from '../consumer/batch-consumer-runner';
import { Outcome } from '../consumer/outcome';
import { DEAD_LETTER_RELAY } from '../topology/matrix-topology';
import type { ConsumerSpec } from '../topology/topology.types';
import type { DeadLetterPublisher } from '../consumer/dead-letter-publisher';

/**
 * The JSON body of `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>`: nats-server's shape,
 * read only here, so it is not one of the platform's contracts (libs/contracts).
 */
export interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

function decodeAdvisory(
  json: unknown,
): { ok: true; value: MaxDeliveriesAdvisory } | { ok: false; errors: string[] } {
  const a = json as Partial<MaxDeliveriesAdvisory> | null;
  if (a && typeof a.stream === 'string' && typeof a.consumer === 'string' && Number.isInteger(a.stream_seq)) {
    return {
      ok: true,
      value: {
        stream: a.stream,
        consumer: a.consumer,
        stream_seq: a.stream_seq as number,
        deliveries: a.deliveries ?? 0,
      },
    };
  }
  return { ok: false, errors: ['not a max-deliveries advisory'] };
}

/**
 * Advisories taken at once (each relayed on its own, side by side), how long the first waits for more,
 * and one batch at a time. Advisories are rare; a batch bounds the copies in flight after an outage.
 */
export const RELAY_BATCH = { maxMessages: 16, maxWaitMs: 50, concurrency: 1 } as const;

/**
 * The server gives up on a message on its own when no delivery ended in an ack or term (the handler's
 * process crashed or hung on every delivery). This relay turns each such advisory into a dead letter
 * holding the original message, so a poison message that kills its consumer is still kept with a reason.
 * It runs on the one consumer runtime like every consumer, each advisory settled by its own outcome.
 */
export function deadLetterRelay(
  client: NatsClient,
  deadLetters: DeadLetterPublisher,
  spec: ConsumerSpec = DEAD_LETTER_RELAY,
): BatchConsumerRegistration<MaxDeliveriesAdvisory> {
  return {
    spec,
    decode: decodeAdvisory,
    ...RELAY_BATCH,
    handle: eachMessage(async ({ data }) => {
      const stored = await client.jsm.streams
        .getMessage(data.stream, { seq: data.stream_seq })
        .catch(() => null);
      if (!stored) {
        return Outcome.skipped(`message ${data.stream}#${data.stream_seq} is no longer in the stream`);
      }
      await deadLetters.publish({
        wireSubject: stored.subject,
        data: stored.data,
        headers: stored.header,
        stream: data.stream,
        sequence: data.stream_seq,
        consumer: data.consumer,
        deliveries: data.deliveries,
        reason: `max deliveries (${data.deliveries}) reached without an outcome: the handler crashed or timed out on every delivery`,
        kind: 'no_outcome',
      });
      return Outcome.done();
    }),
  };
}
