import { expectEventually } from '@matrix/testing';
import { JetStreamPublisher } from '../src/lib/publisher/jetstream-publisher';
import { HEADER } from '@matrix/contracts';
import { Outcome } from '../src/lib/consumer/outcome';
import { deadLetterRelay } from '../src/lib/dead-letter/dead-letter-relay';
import {
  ADVISORIES,
  DLQ_STREAM,
  MessagingHarness,
  RELAY,
  WORK,
  anyJson,
  workConsumer,
} from './messaging-harness';

const DUP = workConsumer('dup');
const FLAKY = workConsumer('flaky');
const CRASH = workConsumer('crash');
const POISON = workConsumer('poison');
const EXHAUST = workConsumer('exhaust');
const ABANDON = workConsumer('abandon', { maxDeliver: 2, backoffMs: [1000] });
const SHUTDOWN = workConsumer('shutdown', { ackWaitMs: 5000, backoffMs: [5000, 5000] });

const harness = new MessagingHarness('jetstream', {
  streams: [WORK, DLQ_STREAM, ADVISORIES],
  consumers: [DUP, FLAKY, CRASH, POISON, EXHAUST, ABANDON, SHUTDOWN, RELAY],
});
let publisher: JetStreamPublisher;

beforeAll(async () => {
  await harness.start();
  publisher = new JetStreamPublisher(harness.client);
});
afterAll(() => harness.stop());

describe('JetStream messaging on a real server', () => {
  it('drops a duplicate publish within the duplicate window', async () => {
    const first = await publisher.publish({ subject: 'work.dup.a', payload: { n: 1 }, msgId: 'same-id' });
    const second = await publisher.publish({ subject: 'work.dup.a', payload: { n: 1 }, msgId: 'same-id' });
    const third = await publisher.publish({ subject: 'work.dup.a', payload: { n: 2 }, msgId: 'other-id' });

    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect(third.seq).toBe(first.seq + 1);
    const info = await harness.consumerInfo(DUP);
    expect(info.num_pending).toBe(2);
  });

  it('delivers a message again after its handler throws, then acks it', async () => {
    const deliveries: number[] = [];
    harness.run({
      spec: FLAKY,
      decode: anyJson,
      handle: async (message) => {
        deliveries.push(message.deliveryCount);
        if (message.deliveryCount === 1) throw new Error('database blinked');
        return Outcome.done();
      },
    });
    await publisher.publish({ subject: 'work.flaky.a', payload: { n: 1 }, msgId: 'flaky-1' });

    await expectEventually(async () => {
      expect(deliveries).toEqual([1, 2]);
      const info = await harness.consumerInfo(FLAKY);
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending).toBe(0);
    });
  });

  it('redelivers a message whose consumer died before acking it', async () => {
    await publisher.publish({ subject: 'work.crash.a', payload: { n: 1 }, msgId: 'crash-1' });
    // A process that took the message and died: it never acks.
    const consumer = await harness.client.js.consumers.get(
      harness.client.namespace.stream(WORK.name),
      harness.client.namespace.durable(CRASH.durable),
    );
    const taken = await consumer.next({ expires: 5000 });
    expect(taken?.info.deliveryCount).toBe(1);

    const seen: number[] = [];
    harness.run({
      spec: CRASH,
      decode: anyJson,
      handle: async (m) => (seen.push(m.deliveryCount), Outcome.done()),
    });

    await expectEventually(() => expect(seen).toEqual([2]), { timeoutMs: 15000 });
  });

  it('dead-letters a poison message with its reason and stops delivering it', async () => {
    let handled = 0;
    harness.run({
      spec: POISON,
      decode: (json) =>
        typeof (json as { n?: unknown }).n === 'number'
          ? { ok: true, value: json }
          : { ok: false, errors: ['n: must be a number'] },
      handle: async () => (handled++, Outcome.done()),
    });
    await publisher.publish({
      subject: 'work.poison.a',
      payload: { n: 'not a number' },
      msgId: 'poison-1',
      correlationId: 'corr-7',
    });
    await publisher.publish({
      subject: 'work.poison.b',
      payload: new TextEncoder().encode('{not json'),
      msgId: 'poison-2',
    });

    const invalid = await expectEventually(() => harness.deadLetter('work.poison.a'));
    expect(invalid.header.get(HEADER.dlqReason)).toBe('invalid message: n: must be a number');
    expect(invalid.header.get(HEADER.dlqSubject)).toBe('work.poison.a');
    expect(invalid.header.get(HEADER.correlationId)).toBe('corr-7');
    expect(invalid.json()).toEqual({ n: 'not a number' });

    const malformed = await expectEventually(() => harness.deadLetter('work.poison.b'));
    expect(malformed.header.get(HEADER.dlqReason)).toMatch(/^body is not JSON/);
    expect(handled).toBe(0);
    await expectEventually(async () => expect((await harness.consumerInfo(POISON)).num_ack_pending).toBe(0));
    expect(harness.deadLettersCounted.filter((c) => c.startsWith('poison:'))).toEqual([
      'poison:rejected',
      'poison:rejected',
    ]);
  });

  it('dead-letters a message that still fails on its last delivery', async () => {
    const deliveries: number[] = [];
    harness.run({
      spec: EXHAUST,
      decode: anyJson,
      handle: async (message) => {
        deliveries.push(message.deliveryCount);
        throw new Error('downstream is down');
      },
    });
    await publisher.publish({ subject: 'work.exhaust.a', payload: { n: 1 }, msgId: 'exhaust-1' });

    const letter = await expectEventually(() => harness.deadLetter('work.exhaust.a'), { timeoutMs: 15000 });
    expect(deliveries).toEqual([1, 2, 3]);
    expect(letter.header.get(HEADER.dlqReason)).toBe('gave up after 3 deliveries: Error: downstream is down');
    expect(letter.header.get(HEADER.dlqDeliveries)).toBe('3');
    expect(harness.deadLettersCounted.filter((c) => c.startsWith('exhaust:'))).toEqual([
      'exhaust:retries_exhausted',
    ]);
  });

  it('dead-letters, through the max-deliveries advisory, a message whose consumer dies on every delivery', async () => {
    harness.runBatch(deadLetterRelay(harness.client, harness.deadLetters, RELAY));
    await publisher.publish({ subject: 'work.abandon.a', payload: { n: 1 }, msgId: 'abandon-1' });
    const consumer = await harness.client.js.consumers.get(
      harness.client.namespace.stream(WORK.name),
      harness.client.namespace.durable(ABANDON.durable),
    );
    for (let delivery = 1; delivery <= ABANDON.maxDeliver; delivery++) {
      const taken = await expectEventually(
        async () => {
          const message = await consumer.next({ expires: 3000 });
          if (!message) throw new Error('not redelivered yet');
          return message;
        },
        { timeoutMs: 10000 },
      );
      expect(taken.info.deliveryCount).toBe(delivery); // taken, never acked: the process "crashed"
    }

    // The server gives up when it would deliver again, i.e. when a restarted instance pulls.
    const handled: unknown[] = [];
    harness.run({
      spec: ABANDON,
      decode: anyJson,
      handle: async (m) => (handled.push(m.data), Outcome.done()),
    });

    const letter = await expectEventually(() => harness.deadLetter('work.abandon.a'), { timeoutMs: 15000 });
    expect(handled).toEqual([]);
    expect(letter.header.get(HEADER.dlqReason)).toMatch(/^max deliveries \(2\) reached without an outcome/);
    expect(letter.json()).toEqual({ n: 1 });
    expect(harness.deadLettersCounted.filter((c) => c.startsWith('abandon:'))).toEqual([
      'abandon:no_outcome',
    ]);
  });

  it('loses nothing in flight when a consumer shuts down mid-stream', async () => {
    const total = 200;
    const handled = new Map<number, number>();
    const started: number[] = [];
    const register = () =>
      harness.run({
        spec: SHUTDOWN,
        decode: anyJson,
        concurrency: 8,
        handle: async (message) => {
          const n = (message.data as { n: number }).n;
          started.push(n);
          await new Promise((resolve) => setTimeout(resolve, 5));
          handled.set(n, (handled.get(n) ?? 0) + 1);
          return Outcome.done();
        },
      });
    await publisher.publishAll(
      Array.from({ length: total }, (_, n) => ({
        subject: `work.shutdown.k${n % 10}`,
        payload: { n },
        msgId: `shutdown-${n}`,
      })),
    );
    const first = register();
    await expectEventually(() => expect(handled.size).toBeGreaterThan(20));
    await first.stop();

    // Everything a handler started before stop() returned was finished.
    expect(started.every((n) => handled.has(n))).toBe(true);
    expect(handled.size).toBeLessThan(total);

    register();
    await expectEventually(
      async () => {
        expect(handled.size).toBe(total);
        const info = await harness.consumerInfo(SHUTDOWN);
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      },
      { timeoutMs: 20000 },
    );
  });
});
