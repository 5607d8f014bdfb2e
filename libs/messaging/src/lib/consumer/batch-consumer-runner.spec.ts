import type { JsMsg } from '@nats-io/jetstream';
import { expectEventually } from '@matrix/testing';
import type { NatsClient } from '../connection/nats-client';
import type { DeadLetter, DeadLetterPublisher } from './dead-letter-publisher';
import { Namespace, type ConsumerSpec } from '../topology/topology.types';
import { BatchConsumerRunner, eachMessage, outcomesOfBatch } from './batch-consumer-runner';
import { gateTerm, type ConsumerGate } from './consumer-gate';
import type { InboundMessage } from './inbound-message';
import { Outcome, RetryableError, type HandlerOutcome } from './outcome';

const SPEC: ConsumerSpec = {
  stream: 'WORK',
  durable: 'batch',
  description: 'unit',
  filterSubjects: ['work.>'],
  ackWaitMs: 1000,
  maxDeliver: 3,
  backoffMs: [100, 200],
  maxAckPending: 100,
};

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

interface FakeMessage {
  subject: string;
  seq: number;
  acks: string[];
}

function fakeMessage(seq: number, body: string, deliveryCount = 1): JsMsg & FakeMessage {
  const acks: string[] = [];
  return {
    subject: `work.batch.${seq}`,
    seq,
    data: new TextEncoder().encode(body),
    headers: undefined,
    time: new Date(),
    info: { deliveryCount, stream: 'WORK', consumer: 'batch' },
    acks,
    ack: () => void acks.push('ack'),
    nak: (delay?: number) => void acks.push(`nak:${delay ?? 0}`),
    term: () => void acks.push('term'),
    working: () => undefined,
  } as unknown as JsMsg & FakeMessage;
}

/** A NatsClient whose consumer yields `messages`, then waits until closed. */
function fakeClient(messages: JsMsg[]): NatsClient {
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const stream = {
    close: async () => close(),
    async *[Symbol.asyncIterator]() {
      yield* messages;
      await closed;
    },
  };
  return {
    namespace: new Namespace(''),
    js: { consumers: { get: async () => ({ consume: async () => stream }) } },
  } as unknown as NatsClient;
}

function fakeDeadLetters() {
  const letters: DeadLetter[] = [];
  const publisher = { publish: async (letter: DeadLetter) => void letters.push(letter) };
  return { letters, publisher: publisher as unknown as DeadLetterPublisher };
}

const json = (value: unknown) => JSON.stringify(value);
const numbers = (json: unknown) =>
  typeof (json as { n?: unknown }).n === 'number'
    ? { ok: true as const, value: json as { n: number } }
    : { ok: false as const, errors: ['n: must be a number'] };

describe('BatchConsumerRunner', () => {
  it('settles each message of a batch by its own outcome; undecodable ones never reach the handler', async () => {
    const messages = [
      fakeMessage(1, json({ n: 1 })),
      fakeMessage(2, '{not json'),
      fakeMessage(3, json({ n: 3 })),
      fakeMessage(4, json({ n: 'four' })),
      fakeMessage(5, json({ n: 5 })),
      fakeMessage(6, json({ n: 6 }), 3),
    ];
    const batches: number[][] = [];
    const dead = fakeDeadLetters();
    const runner = new BatchConsumerRunner(
      fakeClient(messages),
      dead.publisher,
      {
        spec: SPEC,
        decode: numbers,
        maxMessages: 6,
        maxWaitMs: 60_000,
        handle: async (batch: InboundMessage<{ n: number }>[]) => {
          batches.push(batch.map((m) => m.data.n));
          return [
            Outcome.done(),
            Outcome.skipped('seen'),
            Outcome.retryIn(undefined, 'later'),
            Outcome.retryIn(undefined, 'still failing'),
          ];
        },
      },
      silent,
    );
    runner.start();
    await expectEventually(() => expect(messages.every((m) => m.acks.length > 0)).toBe(true));
    await runner.stop();

    expect(batches).toEqual([[1, 3, 5, 6]]);
    expect(messages.map((m) => m.acks)).toEqual([
      ['ack'],
      ['term'],
      ['ack'],
      ['term'],
      ['nak:100'],
      ['term'], // the last delivery of a retry is dead-lettered
    ]);
    expect(dead.letters.map((l) => [l.sequence, l.reason])).toEqual([
      [2, expect.stringMatching(/^body is not JSON/)],
      [4, 'invalid message: n: must be a number'],
      [6, 'gave up after 3 deliveries: still failing'],
    ]);
  });
});

/** A gate opened and closed by the test. */
class ManualGate implements ConsumerGate {
  private term = gateTerm();
  isOpen = false;

  open(): void {
    this.isOpen = true;
    this.term.open();
  }

  close(): void {
    this.isOpen = false;
    this.term.close();
    this.term = gateTerm();
  }

  opened(): Promise<void> {
    return this.term.opened;
  }

  closed(): Promise<void> {
    return this.isOpen ? this.term.closed : Promise.resolve();
  }
}

/** A NatsClient whose every consume() yields what is queued, until that consume is closed. */
function queueClient() {
  const queue: JsMsg[] = [];
  const calls = { consume: 0, close: 0 };
  let wake: () => void = () => undefined;
  const client = {
    namespace: new Namespace(''),
    js: {
      consumers: {
        get: async () => ({
          consume: async () => {
            calls.consume += 1;
            let closed = false;
            return {
              close: async () => {
                calls.close += 1;
                closed = true;
                wake();
              },
              async *[Symbol.asyncIterator]() {
                while (!closed) {
                  const next = queue.shift();
                  if (next) yield next;
                  else await new Promise<void>((resolve) => (wake = resolve));
                }
              },
            };
          },
        }),
      },
    },
  } as unknown as NatsClient;
  return { client, calls, push: (m: JsMsg) => (queue.push(m), wake()) };
}

describe('BatchConsumerRunner with a gate', () => {
  it('pulls only while the gate is open, and stops pulling when it closes', async () => {
    const gate = new ManualGate();
    const nats = queueClient();
    const handled: number[] = [];
    const runner = new BatchConsumerRunner(
      nats.client,
      fakeDeadLetters().publisher,
      {
        spec: SPEC,
        decode: numbers,
        maxMessages: 1,
        maxWaitMs: 0,
        gate,
        handle: async (batch: InboundMessage<{ n: number }>[]) => {
          handled.push(...batch.map((m) => m.data.n));
          return batch.map(() => Outcome.done());
        },
      },
      silent,
    );
    runner.start();
    const first = fakeMessage(1, json({ n: 1 }));
    nats.push(first);
    await new Promise((resolve) => setImmediate(resolve));
    expect(nats.calls.consume).toBe(0);

    gate.open();
    await expectEventually(() => expect(handled).toEqual([1]));
    expect(first.acks).toEqual(['ack']);
    gate.close();
    await expectEventually(() => expect(nats.calls.close).toBe(1));

    nats.push(fakeMessage(2, json({ n: 2 })));
    gate.open();
    await expectEventually(() => expect(handled).toEqual([1, 2]));
    expect(nats.calls.consume).toBe(2);
    await runner.stop();
  });
});

describe('outcomesOfBatch', () => {
  const batch = [{ data: 1 }, { data: 2 }] as unknown as InboundMessage<number>[];

  it("returns the handler's outcomes", async () => {
    const outcomes: HandlerOutcome[] = [Outcome.done(), Outcome.rejected('bad')];
    await expect(outcomesOfBatch(async () => outcomes, batch)).resolves.toEqual({ outcomes });
  });

  it('retries every message when the handler throws, keeping a RetryableError delay', async () => {
    await expect(
      outcomesOfBatch(async () => {
        throw new RetryableError('database is down', 250);
      }, batch),
    ).resolves.toEqual({
      outcomes: [
        { kind: 'retry', reason: 'RetryableError: database is down', delayMs: 250 },
        { kind: 'retry', reason: 'RetryableError: database is down', delayMs: 250 },
      ],
      failure: 'RetryableError: database is down',
    });
  });

  it('retries every message when the handler answers with the wrong number of outcomes or no outcome', async () => {
    const short = await outcomesOfBatch(async () => [Outcome.done()], batch);
    expect(short.outcomes).toEqual([
      { kind: 'retry', reason: 'TypeError: the batch handler returned 1 outcomes for 2 messages' },
      { kind: 'retry', reason: 'TypeError: the batch handler returned 1 outcomes for 2 messages' },
    ]);
    const holey = await outcomesOfBatch(
      async () => [Outcome.done(), undefined as unknown as HandlerOutcome],
      batch,
    );
    expect(holey.failure).toBe('TypeError: the batch handler returned no valid outcome for message 1');
  });
});

describe('eachMessage', () => {
  it('handles every message on its own: an error retries only the message it was thrown for', async () => {
    const batch = [{ data: 1 }, { data: 2 }, { data: 3 }] as unknown as InboundMessage<number>[];
    const handle = eachMessage<number>(async ({ data }) => {
      if (data === 2) throw new RetryableError('not yet', 100);
      return data === 3 ? Outcome.skipped('three') : Outcome.done();
    });
    await expect(outcomesOfBatch(handle, batch)).resolves.toEqual({
      outcomes: [
        { kind: 'done' },
        { kind: 'retry', reason: 'RetryableError: not yet', delayMs: 100 },
        { kind: 'skipped', reason: 'three' },
      ],
    });
  });
});
