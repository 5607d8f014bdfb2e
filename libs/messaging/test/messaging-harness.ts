import { testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import {
  BatchConsumerRunner,
  eachMessage,
  type BatchConsumerRegistration,
} from '../src/lib/consumer/batch-consumer-runner';
import type { InboundMessage, MessageDecoder } from '../src/lib/consumer/inbound-message';
import type { ConsumerLogger } from '../src/lib/consumer/message-settlement';
import type { HandlerOutcome } from '../src/lib/consumer/outcome';
import { DeadLetterPublisher, type DeadLetterKind } from '../src/lib/consumer/dead-letter-publisher';
import { deleteTopology, provisionTopology } from '../src/lib/topology/provision';
import type { ConsumerSpec, StreamSpec, Topology } from '../src/lib/topology/topology.types';

export const WORK: StreamSpec = {
  name: 'WORK',
  subjects: ['work.>'],
  description: 'test work',
  maxAgeMs: 60_000,
  duplicateWindowMs: 60_000,
  discard: 'new',
  budgetShare: 0.1,
};
export const DLQ_STREAM: StreamSpec = {
  name: 'DLQ',
  subjects: ['dlq.>'],
  description: 'test dead letters',
  maxAgeMs: 60_000,
  duplicateWindowMs: 60_000,
  discard: 'new',
  budgetShare: 0.1,
};
export const ADVISORIES: StreamSpec = {
  name: 'ADVISORIES',
  subjects: [],
  description: 'test advisories',
  maxAgeMs: 60_000,
  duplicateWindowMs: 60_000,
  discard: 'new',
  budgetShare: 0.1,
  rawSubjects: (ns) => [`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${ns.stream('WORK')}.*`],
};

export function workConsumer(durable: string, overrides: Partial<ConsumerSpec> = {}): ConsumerSpec {
  return {
    stream: WORK.name,
    durable,
    description: 'test consumer',
    filterSubjects: [`work.${durable}.>`],
    ackWaitMs: 1000,
    maxDeliver: 3,
    backoffMs: [1000, 1000],
    maxAckPending: 1000,
    ...overrides,
  };
}

export const RELAY: ConsumerSpec = {
  stream: ADVISORIES.name,
  durable: 'relay',
  description: 'test relay',
  filterSubjects: [],
  ackWaitMs: 5000,
  maxDeliver: 5,
  backoffMs: [5000],
  maxAckPending: 100,
};

export const silentLogger: ConsumerLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One NATS connection and a namespaced topology per suite, deleted afterwards. */
export class MessagingHarness {
  client!: NatsClient;
  deadLetters!: DeadLetterPublisher;
  /** What the dead-letter publisher counted: `<durable>:<kind>` (namespace stripped), in order. */
  readonly deadLettersCounted: string[] = [];
  private readonly runners: { stop(): Promise<void> }[] = [];

  constructor(
    private readonly label: string,
    readonly topology: Topology,
  ) {}

  async start(): Promise<this> {
    this.client = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${this.label}`,
      namespace: uniqueNamespace(this.label),
    }).connect();
    await provisionTopology(this.client.jsm, this.topology, this.client.namespace);
    const ns = this.client.namespace;
    this.deadLetters = new DeadLetterPublisher(this.client, (stream, consumer, kind: DeadLetterKind) => {
      if (stream !== ns.stream(WORK.name)) throw new Error(`dead letter counted for stream ${stream}`);
      this.deadLettersCounted.push(`${consumer.slice(ns.durable('').length)}:${kind}`);
    });
    return this;
  }

  /** Runs a handler of one message at a time (batches of one), `concurrency` messages side by side. */
  run<T>(registration: {
    spec: ConsumerSpec;
    decode: MessageDecoder<T>;
    handle: (message: InboundMessage<T>) => Promise<HandlerOutcome>;
    concurrency?: number;
  }): BatchConsumerRunner<T> {
    const { handle, concurrency = 1, ...rest } = registration;
    return this.runBatch({ ...rest, maxMessages: 1, maxWaitMs: 0, concurrency, handle: eachMessage(handle) });
  }

  runBatch<T>(registration: BatchConsumerRegistration<T>): BatchConsumerRunner<T> {
    const runner = new BatchConsumerRunner(this.client, this.deadLetters, registration, silentLogger);
    runner.start();
    this.runners.push(runner);
    return runner;
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
    await deleteTopology(this.client.jsm, this.topology, this.client.namespace);
    await this.client.drain();
  }

  /** Messages stored in a stream (by its un-namespaced name). */
  async count(stream: string): Promise<number> {
    return (await this.client.jsm.streams.info(this.client.namespace.stream(stream))).state.messages;
  }

  async consumerInfo(spec: ConsumerSpec) {
    return this.client.jsm.consumers.info(
      this.client.namespace.stream(spec.stream),
      this.client.namespace.durable(spec.durable),
    );
  }

  /** The last dead letter stored under `dlq.<subject>`; throws while there is none. */
  async deadLetter(subject: string) {
    const letter = await this.client.jsm.streams.getMessage(this.client.namespace.stream(DLQ_STREAM.name), {
      last_by_subj: this.client.namespace.subject(`dlq.${subject}`),
    });
    if (!letter) throw new Error(`no dead letter under dlq.${subject} yet`);
    return letter;
  }
}

export const anyJson = (json: unknown) => ({ ok: true as const, value: json });
