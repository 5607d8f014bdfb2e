import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { deadLetterSubject, HEADER } from '@matrix/contracts';
import type { NatsClient } from '../connection/nats-client';

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
}

/**
 * Stores a message a consumer gave up on in the DLQ stream, with its original bytes and headers and the
 * reason. The id `dlq:<stream>:<seq>` makes the handler path and the advisory path agree on one copy.
 */
export class DeadLetterPublisher {
  constructor(private readonly client: NatsClient) {}

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
    await this.client.js.publish(ns.subject(deadLetterSubject(original)), letter.data, {
      msgID: `dlq:${letter.stream}:${letter.sequence}`,
      headers: hdrs,
    });
  }
}
