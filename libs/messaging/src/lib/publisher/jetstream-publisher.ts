import type { PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { HEADER } from '@matrix/contracts';
import type { NatsClient } from '../connection/nats-client';

export interface OutboundMessage {
  /** Subject without the deployment namespace. */
  subject: string;
  /** JSON-serialisable value, or bytes sent as they are. */
  payload: unknown;
  /** Deterministic id: the stream drops a repeat within its duplicate window. */
  msgId: string;
  headers?: Record<string, string>;
  correlationId?: string;
}

/** JetStream could not store a message (no stream, timeout, server unavailable): the caller must not ack upstream. */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

const encoder = new TextEncoder();

/** Publishes and waits for the stream's ack: once `publish` resolves, the message is stored. */
export class JetStreamPublisher {
  constructor(private readonly client: NatsClient) {}

  async publish(message: OutboundMessage): Promise<PubAck> {
    const data =
      message.payload instanceof Uint8Array
        ? message.payload
        : encoder.encode(JSON.stringify(message.payload));
    const hdrs = natsHeaders();
    for (const [key, value] of Object.entries(message.headers ?? {})) hdrs.set(key, value);
    if (message.correlationId) hdrs.set(HEADER.correlationId, message.correlationId);
    try {
      return await this.client.js.publish(this.client.namespace.subject(message.subject), data, {
        msgID: message.msgId,
        headers: hdrs,
      });
    } catch (error) {
      throw new PublishFailedError(
        `JetStream did not store ${message.subject}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  /**
   * Publishes every message with acks pipelined (all in flight at once, bounded by `window`) and resolves
   * when all are stored; rejects with the first failure after every publish has settled.
   */
  async publishAll(messages: readonly OutboundMessage[], window = 512): Promise<PubAck[]> {
    const acks: PubAck[] = new Array(messages.length);
    let firstError: unknown;
    for (let start = 0; start < messages.length; start += window) {
      const slice = messages.slice(start, start + window);
      const results = await Promise.allSettled(slice.map((m) => this.publish(m)));
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') acks[start + i] = result.value;
        else firstError ??= result.reason;
      });
      if (firstError) throw firstError;
    }
    return acks;
  }
}
