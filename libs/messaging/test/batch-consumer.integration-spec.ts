import { expectEventually } from '@matrix/testing';
import type { InboundMessage } from '../src/lib/consumer/inbound-message';
import { Outcome } from '../src/lib/consumer/outcome';
import { HEADER } from '@matrix/contracts';
import { JetStreamPublisher } from '../src/lib/publisher/jetstream-publisher';
import { DLQ_STREAM, MessagingHarness, WORK, anyJson, workConsumer } from './messaging-harness';

const SIZE = workConsumer('bsize');
const TIME = workConsumer('btime');
const FAIL = workConsumer('bfail');
const EXHAUST = workConsumer('bexhaust', { maxDeliver: 2, backoffMs: [500] });
const POISON = workConsumer('bpoison');
const SHUTDOWN = workConsumer('bshutdown', { ackWaitMs: 5000, backoffMs: [5000, 5000] });

const harness = new MessagingHarness('batch', {
  streams: [WORK, DLQ_STREAM],
  consumers: [SIZE, TIME, FAIL, EXHAUST, POISON, SHUTDOWN],
});
let publisher: JetStreamPublisher;

beforeAll(async () => {
  await harness.start();
  publisher = new JetStreamPublisher(harness.client);
});
afterAll(() => harness.stop());

type N = { n: number };
const n = (message: InboundMessage<unknown>) => (message.data as N).n;

function publishNumbers(durable: string, numbers: number[], subjects = 1) {
  return publisher.publishAll(
    numbers.map((i) => ({
      subject: `work.${durable}.k${i % subjects}`,
      payload: { n: i },
      msgId: `${durable}-${i}`,
    })),
  );
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('batch consumption on a real server', () => {
  it('hands over a batch when maxMessages are buffered, and shutdown hands back a partial batch for redelivery', async () => {
    const batches: number[][] = [];
    const first = harness.runBatch({
      spec: SIZE,
      decode: anyJson,
      maxMessages: 10,
      maxWaitMs: 600_000,
      handle: async (messages) => (batches.push(messages.map(n)), messages.map(() => Outcome.done())),
    });
    await publishNumbers('bsize', range(0, 25), 3);

    await expectEventually(async () => {
      expect(batches).toEqual([range(0, 10), range(10, 20)]);
      const info = await harness.consumerInfo(SIZE);
      // The last five are delivered to the runner, and held: neither handled nor acked.
      expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({
        pending: 0,
        unacked: 5,
      });
    });
    expect(batches).toHaveLength(2);

    await first.stop();
    // Redelivered elsewhere: JetStream delivers at least once, so a copy may come twice (nats-server 2.9
    // can also hand a nak'd message to the pull request of the runner that just stopped, which then
    // comes back after the ack wait).
    const redelivered = new Set<number>();
    harness.runBatch({
      spec: SIZE,
      decode: anyJson,
      maxMessages: 10,
      maxWaitMs: 20,
      handle: async (messages) => {
        messages.forEach((m) => redelivered.add(n(m)));
        return messages.map(() => Outcome.done());
      },
    });
    await expectEventually(async () => {
      expect([...redelivered].sort((a, b) => a - b)).toEqual(range(20, 25));
      const info = await harness.consumerInfo(SIZE);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
  });

  it('hands over a partial batch maxWaitMs after its first message arrived', async () => {
    const batches: { numbers: number[]; waitedMs: number }[] = [];
    harness.runBatch({
      spec: TIME,
      decode: anyJson,
      maxMessages: 1000,
      maxWaitMs: 300,
      handle: async (messages) => {
        batches.push({ numbers: messages.map(n), waitedMs: Date.now() - messages[0]!.storedAt.getTime() });
        return messages.map(() => Outcome.done());
      },
    });
    await publishNumbers('btime', [0, 1, 2]);
    await expectEventually(() => expect(batches.map((b) => b.numbers)).toEqual([[0, 1, 2]]));
    expect(batches[0]!.waitedMs).toBeGreaterThanOrEqual(295);

    await publishNumbers('btime', [3]);
    await expectEventually(() => expect(batches.map((b) => b.numbers)).toEqual([[0, 1, 2], [3]]));
    const info = await harness.consumerInfo(TIME);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('redelivers every message of a batch whose handler threw', async () => {
    const deliveries = new Map<number, number[]>();
    harness.runBatch({
      spec: FAIL,
      decode: anyJson,
      maxMessages: 10,
      maxWaitMs: 50,
      handle: async (messages) => {
        for (const m of messages) deliveries.set(n(m), [...(deliveries.get(n(m)) ?? []), m.deliveryCount]);
        if (messages.some((m) => m.deliveryCount === 1)) throw new Error('database blinked');
        return messages.map(() => Outcome.done());
      },
    });
    await publishNumbers('bfail', range(0, 5));

    await expectEventually(async () => {
      expect([...deliveries.entries()].sort(([a], [b]) => a - b)).toEqual(
        range(0, 5).map((i) => [i, [1, 2]]),
      );
      const info = await harness.consumerInfo(FAIL);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
  });

  it('dead-letters each message of a batch that still fails on its last delivery', async () => {
    const seen: number[] = [];
    harness.runBatch({
      spec: EXHAUST,
      decode: anyJson,
      maxMessages: 10,
      maxWaitMs: 50,
      handle: async (messages) => {
        seen.push(...messages.map((m) => m.deliveryCount));
        throw new Error('downstream is down');
      },
    });
    await publishNumbers('bexhaust', [0, 1], 2);

    for (const subject of ['work.bexhaust.k0', 'work.bexhaust.k1']) {
      const letter = await expectEventually(() => harness.deadLetter(subject), { timeoutMs: 15000 });
      expect(letter.header.get(HEADER.dlqReason)).toBe(
        'gave up after 2 deliveries: Error: downstream is down',
      );
      expect(letter.header.get(HEADER.dlqDeliveries)).toBe('2');
    }
    expect(seen.sort()).toEqual([1, 1, 2, 2]);
    expect(await harness.count(DLQ_STREAM.name)).toBeGreaterThanOrEqual(2);
  });

  it('dead-letters poison messages of a batch on their own and settles the rest', async () => {
    const handled: unknown[] = [];
    harness.runBatch({
      spec: POISON,
      decode: (json) =>
        typeof (json as { n?: unknown }).n === 'number'
          ? { ok: true, value: json }
          : { ok: false, errors: ['n: must be a number'] },
      maxMessages: 5,
      maxWaitMs: 5000,
      handle: async (messages) => {
        handled.push(...messages.map((m) => m.data));
        return messages.map((m) => (n(m) === 13 ? Outcome.rejected('thirteen is refused') : Outcome.done()));
      },
    });
    const encoder = new TextEncoder();
    await publisher.publishAll([
      { subject: 'work.bpoison.ok1', payload: { n: 1 }, msgId: 'bpoison-1' },
      { subject: 'work.bpoison.json', payload: encoder.encode('{not json'), msgId: 'bpoison-2' },
      { subject: 'work.bpoison.invalid', payload: { n: 'x' }, msgId: 'bpoison-3' },
      { subject: 'work.bpoison.refused', payload: { n: 13 }, msgId: 'bpoison-4' },
      { subject: 'work.bpoison.ok2', payload: { n: 2 }, msgId: 'bpoison-5' },
    ]);

    const malformed = await expectEventually(() => harness.deadLetter('work.bpoison.json'));
    expect(malformed.header.get(HEADER.dlqReason)).toMatch(/^body is not JSON/);
    const invalid = await expectEventually(() => harness.deadLetter('work.bpoison.invalid'));
    expect(invalid.header.get(HEADER.dlqReason)).toBe('invalid message: n: must be a number');
    const refused = await expectEventually(() => harness.deadLetter('work.bpoison.refused'));
    expect(refused.header.get(HEADER.dlqReason)).toBe('thirteen is refused');
    expect(refused.json()).toEqual({ n: 13 });

    await expectEventually(async () => {
      const info = await harness.consumerInfo(POISON);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
    expect(handled).toEqual([{ n: 1 }, { n: 13 }, { n: 2 }]);
    await expect(harness.deadLetter('work.bpoison.ok1')).rejects.toThrow(/no dead letter/);
  });

  it('finishes the batch in flight on shutdown and loses nothing', async () => {
    const total = 300;
    const firstRun = new Set<number>();
    const secondRun = new Set<number>();
    const started: number[] = [];
    let entered = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const register = (handled: Set<number>) =>
      harness.runBatch({
        spec: SHUTDOWN,
        decode: anyJson,
        maxMessages: 10,
        maxWaitMs: 50,
        concurrency: 2,
        handle: async (messages) => {
          const numbers = messages.map(n);
          started.push(...numbers);
          if (numbers.includes(30)) {
            entered = true;
            await gate;
          }
          await new Promise((resolve) => setTimeout(resolve, 20)); // the work of a batch
          numbers.forEach((i) => handled.add(i));
          return messages.map(() => Outcome.done());
        },
      });
    await publishNumbers('bshutdown', range(0, total), 7);
    const first = register(firstRun);
    await expectEventually(() => expect(entered).toBe(true), { intervalMs: 5 });

    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect(firstRun.has(30)).toBe(false);

    release();
    await stopping;
    // Every batch a handler started before stop() returned was finished, and acked.
    expect(started.every((i) => firstRun.has(i))).toBe(true);
    expect(firstRun.has(30)).toBe(true);
    expect(firstRun.size).toBeLessThan(total);

    register(secondRun);
    await expectEventually(async () => {
      expect(new Set([...firstRun, ...secondRun]).size).toBe(total);
      const info = await harness.consumerInfo(SHUTDOWN);
      expect(info.num_pending + info.num_ack_pending).toBe(0);
    });
    expect([...firstRun].filter((i) => secondRun.has(i))).toEqual([]);
  });
});
