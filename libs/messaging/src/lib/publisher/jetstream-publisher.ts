import type { PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { HEADER } from '@matrix/contracts';
import {
  activeContext,
  contextWithSpan,
  extractTraceContext,
  failSpan,
  injectTraceHeaders,
  SpanKind,
  startSpan,
  tracingEnabled,
} from '@matrix/platform';
import type { NatsClient } from '../connection/nats-client';

export interface OutboundMessage {
  /** Subject without the deployment namespace. */
  subject: string;
  /** JSON-serialisable value, or bytes sent as they are. */
  payload: unknown;
  /** Deterministic id: the stream drops a repeat within its duplicate window. */
  msgId: string;
  /**
   * Sent as they are. A `traceparent` here (e.g. an outbox row's, written in the request that caused it)
   * is the parent of the publish's span instead of the active context; with tracing on the message then
   * carries the publish span's own `traceparent`.
   */
  headers?: Record<string, string>;
  correlationId?: string;
}

/** `send sensor.raw`, `send matrix`: the span name, without the subject's high-cardinality tokens. */
function sendSpanName(subject: string): string {
  const tokens = subject.split('.', 2);
  return `send ${tokens[0] === 'sensor' ? tokens.join('.') : tokens[0]}`;
}

/** JetStream could not store a message (no stream, timeout, server unavailable): the caller must not ack upstream. */
export class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';
}

const encoder = new TextEncoder();

/**
 * Publishes and waits for the stream's ack: once `publish` resolves, the message is stored. With tracing on,
 * each publish is a PRODUCER span whose context the message carries in `traceparent` (W3C trace context).
 */
export class JetStreamPublisher {
  constructor(private readonly client: NatsClient) {}

  publish(message: OutboundMessage): Promise<PubAck> {
    if (!tracingEnabled()) return this.send(message, message.headers);
    const given = message.headers;
    const parent = given?.[HEADER.traceparent] !== undefined ? extractTraceContext(given) : activeContext();
    const data = message.payload instanceof Uint8Array ? message.payload : undefined;
    // Messaging attribute names as the (still incubating) OpenTelemetry messaging conventions spell them.
    const span = startSpan(
      sendSpanName(message.subject),
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': message.subject,
          'messaging.message.id': message.msgId,
          ...(data ? { 'messaging.message.body.size': data.length } : {}),
        },
      },
      parent,
    );
    const headers: Record<string, string> = { ...given };
    delete headers.tracestate;
    injectTraceHeaders(contextWithSpan(parent, span), headers);
    return this.send(message, headers).then(
      (ack) => {
        span.setAttribute('messaging.nats.stream.sequence', ack.seq);
        span.end();
        return ack;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    );
  }

  private async send(message: OutboundMessage, headers: Record<string, string> | undefined): Promise<PubAck> {
    const data =
      message.payload instanceof Uint8Array
        ? message.payload
        : encoder.encode(JSON.stringify(message.payload));
    const hdrs = natsHeaders();
    for (const [key, value] of Object.entries(headers ?? {})) hdrs.set(key, value);
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
