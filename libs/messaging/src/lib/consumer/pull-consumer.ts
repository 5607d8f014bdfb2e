import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { NatsClient } from '../connection/nats-client';
import type { ConsumerSpec } from '../topology/topology.types';
import type { ConsumerGate } from './consumer-gate';
import type { ConsumerLogger } from './message-settlement';

/**
 * The pull loop of the consumer runner (BatchConsumerRunner): pulls from one durable consumer, re-establishing itself
 * after errors (e.g. the stream is not provisioned yet) until `stop()`. `stop()` stops pulling, naks what
 * the client library still hands over, then lets the subclass finish its work in flight.
 */
export abstract class PullConsumer {
  private messages?: ConsumerMessages;
  private stopping = false;
  private loop?: Promise<void>;
  private failure?: string;
  private highestSeq = 0;
  private stopped!: () => void;
  private readonly stopSignal = new Promise<void>((resolve) => (this.stopped = resolve));
  protected readonly name: string;

  protected constructor(
    protected readonly client: NatsClient,
    protected readonly spec: ConsumerSpec,
    protected readonly logger: ConsumerLogger,
    private readonly gate?: ConsumerGate,
  ) {
    this.name = client.namespace.durable(spec.durable);
  }

  /** Why the consumer is not pulling right now (e.g. its stream is not provisioned), if so. */
  get problem(): string | undefined {
    return this.failure;
  }

  get durableName(): string {
    return this.name;
  }

  /** The highest stream sequence this consumer has received (0: none), taken or handed back. */
  get lastReceivedSeq(): number {
    return this.highestSeq;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped();
    await this.messages?.close();
    await this.loop;
    await this.finish();
  }

  /** How many messages the client library may buffer ahead of the handler. */
  protected abstract readonly pullBuffer: number;

  /** Takes one pulled message; resolves when the loop may pull the next one (back-pressure). */
  protected abstract take(message: JsMsg): Promise<void>;

  /** After the loop has ended on `stop()`: settle or hand back what was taken, wait for work in flight. */
  protected abstract finish(): Promise<void>;

  private async run(): Promise<void> {
    const stream = this.client.namespace.stream(this.spec.stream);
    let pause = 500;
    while (!this.stopping) {
      try {
        if (this.gate) {
          await Promise.race([this.gate.opened(), this.stopSignal]);
          if (this.stopping) break;
        }
        const consumer = await this.client.js.consumers.get(stream, this.name);
        const messages = await consumer.consume({ max_messages: this.pullBuffer });
        this.messages = messages;
        this.failure = undefined;
        pause = 500;
        if (this.stopping) {
          // stop() came while the consumer was being set up: its close() did not see this one.
          await messages.close();
          break;
        }
        let closed = false;
        if (this.gate) {
          void this.gate.closed().then(() => {
            closed = true;
            void messages.close();
          });
        }
        for await (const message of messages) {
          if (message.seq > this.highestSeq) this.highestSeq = message.seq;
          if (this.stopping || closed) {
            message.nak();
            continue;
          }
          await this.take(message);
        }
      } catch (error) {
        if (this.stopping) break;
        this.failure = `${stream}/${this.name}: ${(error as Error).message}`;
        this.logger.warn(
          `consumer ${this.failure}; retrying in ${pause} ms (is the topology provisioned?)`,
          'Consumer',
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(pause * 2, 15000);
      }
    }
  }
}
