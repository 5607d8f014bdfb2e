import type { Subscription } from '@nats-io/transport-node';
import type { CommandReply } from '@matrix/contracts';
import type { NatsClient } from '../connection/nats-client';
import type { ConsumerLogger } from '../consumer/message-settlement';
import { CommandFailedError, CommandUnavailableError, type CommandSpec } from './command';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parse(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}

/** Typed request/reply over core NATS with validation on both ends. */
export class CommandBus {
  private readonly subscriptions: { sub: Subscription; done: Promise<void> }[] = [];

  constructor(
    private readonly client: NatsClient,
    private readonly logger: ConsumerLogger,
  ) {}

  async request<Req, Res>(spec: CommandSpec<Req, Res>, payload: Req): Promise<Res> {
    let reply: unknown;
    try {
      const message = await this.client.nc.request(
        this.client.namespace.subject(spec.subject),
        encoder.encode(JSON.stringify(payload)),
        { timeout: spec.timeoutMs ?? 5000 },
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
    const handle = async (message: {
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
