import { headers as natsHeaders, type MsgHdrs, type Subscription } from '@nats-io/transport-node';
import { HEADER, type CommandReply } from '@matrix/contracts';
import {
  activeContext,
  contextWithSpan,
  extractTraceContext,
  failSpan,
  inSpan,
  injectTraceHeaders,
  SpanKind,
  startSpan,
  tracingEnabled,
  withContext,
  type Span,
} from '@matrix/platform';
import type { NatsClient } from '../connection/nats-client';
import type { ConsumerLogger } from '../consumer/message-settlement';
import { CommandFailedError, CommandUnavailableError, type CommandSpec } from './command';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parse(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}

/**
 * Typed request/reply over core NATS with validation on both ends. With tracing on, a request is a CLIENT
 * span whose context travels in the request's `traceparent` header, and serving it a SERVER span under it.
 */
export class CommandBus {
  private readonly subscriptions: { sub: Subscription; done: Promise<void> }[] = [];

  constructor(
    private readonly client: NatsClient,
    private readonly logger: ConsumerLogger,
  ) {}

  request<Req, Res>(spec: CommandSpec<Req, Res>, payload: Req): Promise<Res> {
    if (!tracingEnabled()) return this.send(spec, payload);
    return inSpan(
      `request ${spec.subject}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': spec.subject },
      },
      (span) => this.send(spec, payload, span),
    );
  }

  private async send<Req, Res>(spec: CommandSpec<Req, Res>, payload: Req, span?: Span): Promise<Res> {
    let reply: unknown;
    let headers: MsgHdrs | undefined;
    if (span) {
      const trace: Record<string, string> = {};
      injectTraceHeaders(contextWithSpan(activeContext(), span), trace);
      headers = natsHeaders();
      for (const [key, value] of Object.entries(trace)) headers.set(key, value);
    }
    try {
      const message = await this.client.nc.request(
        this.client.namespace.subject(spec.subject),
        encoder.encode(JSON.stringify(payload)),
        { timeout: spec.timeoutMs ?? 5000, ...(headers ? { headers } : {}) },
      );
      reply = parse(message.data);
    } catch (error) {
      throw new CommandUnavailableError(`${spec.subject}: ${(error as Error).message}`, { cause: error });
    }
    const envelope = reply as CommandReply<unknown>;
    if (envelope && envelope.ok === false) {
      throw new CommandFailedError(envelope.error.code, envelope.error.message);
    }
    if (!envelope || envelope.ok !== true) {
      throw new CommandFailedError('BAD_REPLY', `${spec.subject}: reply is not an envelope`);
    }
    const decoded = spec.decodeReply(envelope.data, spec.subject);
    if (!decoded.ok) {
      throw new CommandFailedError('BAD_REPLY', `${spec.subject}: ${decoded.errors.join('; ')}`);
    }
    return decoded.value;
  }

  /** Serves a command; instances share the load through a queue group named after the subject. */
  serve<Req, Res>(spec: CommandSpec<Req, Res>, handler: (request: Req) => Promise<Res>): void {
    const subject = this.client.namespace.subject(spec.subject);
    const sub = this.client.nc.subscribe(subject, { queue: subject });
    const inFlight = new Set<Promise<void>>();
    const handle = (message: {
      data: Uint8Array;
      headers?: MsgHdrs;
      respond(data: Uint8Array): boolean;
    }): Promise<void> => {
      if (!tracingEnabled()) return answerRequest(message);
      const traceparent = message.headers?.get(HEADER.traceparent);
      const tracestate = message.headers?.get('tracestate');
      const parent = extractTraceContext(
        traceparent ? { traceparent, ...(tracestate ? { tracestate } : {}) } : {},
      );
      const span = startSpan(
        `handle ${spec.subject}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'messaging.system': 'nats', 'messaging.destination.name': spec.subject },
        },
        parent,
      );
      return withContext(contextWithSpan(parent, span), () => answerRequest(message)).then(
        () => span.end(),
        (error: unknown) => {
          failSpan(span, error);
          span.end();
        },
      );
    };
    const answerRequest = async (message: {
      data: Uint8Array;
      respond(data: Uint8Array): boolean;
    }): Promise<void> => {
      const answer = (body: CommandReply<Res>) => message.respond(encoder.encode(JSON.stringify(body)));
      try {
        const decoded = spec.decodeRequest(parse(message.data), spec.subject);
        if (!decoded.ok) {
          answer({ ok: false, error: { code: 'INVALID_REQUEST', message: decoded.errors.join('; ') } });
          return;
        }
        answer({ ok: true, data: await handler(decoded.value) });
      } catch (error) {
        const code =
          typeof (error as { code?: unknown }).code === 'string'
            ? (error as { code: string }).code
            : 'INTERNAL';
        if (code === 'INTERNAL') {
          this.logger.error(`${spec.subject} failed: ${(error as Error).stack}`, 'CommandBus');
        }
        answer({
          ok: false,
          error: { code, message: code === 'INTERNAL' ? 'internal error' : (error as Error).message },
        });
      }
    };
    const done = (async () => {
      for await (const message of sub) {
        const task = handle(message).finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      await Promise.all([...inFlight]);
    })();
    this.subscriptions.push({ sub, done });
  }

  /** Stops taking new requests and waits for the ones being answered. */
  async stop(): Promise<void> {
    for (const { sub } of this.subscriptions) await sub.drain().catch(() => undefined);
    await Promise.all(this.subscriptions.map(({ done }) => done));
  }
}
