import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { deadLetterSubject, HEADER } from '@matrix/contracts';
import type { NatsClient } from '../connection/nats-client';

/**
 * Why a message was dead-lettered, as a bounded label: its handler (or decoding) refused it, its handler
 * still asked for a retry on the last delivery, or the server gave up with no outcome at all (the consumer
 * crashed or hung on every delivery: the max-deliveries advisory).
 */
export type DeadLetterKind = 'rejected' | 'retries_exhausted' | 'no_outcome';

/** Told of each dead letter stored (not of a re-publish the DLQ stream dropped as a duplicate). */
export type DeadLetterCounter = (stream: string, consumer: string, kind: DeadLetterKind) => void;

export interface DeadLetter {
  /** Subject the message was published on, as received (with the namespace). */
  wireSubject: string;
  data: Uint8Array;
  headers?: MsgHdrs;
  stream: string;
  sequence: number;
  consumer: string;
  deliveries: number;
  reason: string;
  kind: DeadLetterKind;
}

/**
 * Stores a message a consumer gave up on in the DLQ stream, with its original bytes and headers and the
 * reason. The id `dlq:<stream>:<seq>` makes the handler path and the advisory path agree on one copy. Every
 * dead letter passes here, so here it is counted (`matrix_dead_letters_total`, wired by MessagingModule).
 */
export class DeadLetterPublisher {
  constructor(
    private readonly client: NatsClient,
    private readonly counted: DeadLetterCounter = () => undefined,
  ) {}

  async publish(letter: DeadLetter): Promise<void> {
    const ns = this.client.namespace;
    const original = ns.strip(letter.wireSubject);
    const hdrs = natsHeaders();
    for (const [key, values] of letter.headers ?? []) {
      if (key.toLowerCase().startsWith('nats-')) continue;
      for (const value of values) hdrs.append(key, value);
    }
    hdrs.set(HEADER.dlqReason, letter.reason.replace(/[\r\n]+/g, ' ').slice(0, 1024));
    hdrs.set(HEADER.dlqStream, letter.stream);
    hdrs.set(HEADER.dlqSequence, String(letter.sequence));
    hdrs.set(HEADER.dlqConsumer, letter.consumer);
    hdrs.set(HEADER.dlqDeliveries, String(letter.deliveries));
    hdrs.set(HEADER.dlqSubject, original);
    const ack = await this.client.js.publish(ns.subject(deadLetterSubject(original)), letter.data, {
      msgID: `dlq:${letter.stream}:${letter.sequence}`,
      headers: hdrs,
    });
    // The handler path and the advisory path may both store one message: count it once.
    if (!ack.duplicate) this.counted(letter.stream, letter.consumer, letter.kind);
  }
}
