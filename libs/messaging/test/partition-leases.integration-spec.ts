import { expectEventually, testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import { PartitionLeases, preferenceOrder, quotaOf } from '../src/lib/partitions/partition-leases';
import { PartitionedConsumer } from '../src/lib/partitions/partitioned-consumer';
import {
  CONSUMER_LEASES,
  deleteKvBuckets,
  openKvBucket,
  provisionKvBuckets,
  type KvBucketSpec,
} from '../src/lib/topology/kv-buckets';
import { silentLogger } from './messaging-harness';

/*
 * PartitionLeases on a real nats-server KV bucket whose max age expires what is not renewed (a short TTL here,
 * 15 s in the platform): one replica takes every partition, a second one joining gets its fair share handed over
 * (work stopped and the handover waited before the other starts), and the partitions of a replica that stops
 * renewing go to the other once its leases expire. Throughout, no partition is worked by two replicas at once.
 */

const TTL_MS = 2000;
const PARTITIONS = 8;
const BUCKET: KvBucketSpec = {
  name: 'LEASES',
  description: 'test leases',
  history: 1,
  budgetShare: 0.1,
  ttlMs: TTL_MS,
};

let client: NatsClient;
/** Which replica works each partition now; a second worker is recorded as a violation. */
const workingBy = new Map<number, string>();
const violations: string[] = [];
const started: PartitionLeases[] = [];

/**
 * A replica whose work, once stopped, is `clean` (the server sent it nothing it did not receive: its partitions
 * may go at once) or not (they go after the handover, or expire when it stops).
 */
async function replica(member: string, clean: boolean, cut?: { off: boolean }): Promise<PartitionLeases> {
  const kv = await openKvBucket(client.nc, BUCKET, client.namespace);
  const leases = new PartitionLeases({
    // `cut.off`: this replica can no longer reach the bucket (as when NATS is away from it), reads and writes fail.
    kv: cut
      ? new Proxy(kv, {
          get: (target, name, receiver) => {
            const value = Reflect.get(target, name, receiver) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) =>
              cut.off
                ? Promise.reject(new Error('cut off from NATS'))
                : (value as (...a: unknown[]) => unknown).apply(target, args);
          },
        })
      : kv,
    group: 'test-group',
    partitions: PARTITIONS,
    member,
    ttlMs: TTL_MS,
    renewEveryMs: 200,
    handoverMs: 300,
    acquire: (partition) => {
      const other = workingBy.get(partition);
      if (other) violations.push(`${member} took partition ${partition} while ${other} worked it`);
      workingBy.set(partition, member);
    },
    release: async (partition) => {
      // Work stopping takes a moment, as a consumer finishing its batch in flight does.
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (workingBy.get(partition) === member) workingBy.delete(partition);
      return clean;
    },
    logger: silentLogger,
  });
  started.push(leases);
  leases.start();
  return leases;
}

/** Who holds each of `partitions` in the bucket now (null: no lease). */
async function holders(partitions: number[]): Promise<(string | null)[]> {
  const kv = await openKvBucket(client.nc, BUCKET, client.namespace);
  return Promise.all(
    partitions.map(async (partition) => {
      const entry = await kv.get(`test-group.p${partition}`);
      return entry && entry.operation === 'PUT' ? entry.string() : null;
    }),
  );
}

const worked = (member: string) =>
  [...workingBy]
    .filter(([, by]) => by === member)
    .map(([partition]) => partition)
    .sort((a, b) => a - b);

beforeAll(async () => {
  client = await new NatsClient({
    servers: [testNatsUrl()],
    name: 'test-partition-leases',
    namespace: uniqueNamespace('leases'),
  }).connect();
  await provisionKvBuckets(client.nc, [BUCKET], client.namespace);
});

afterAll(async () => {
  await Promise.all(started.map((leases) => leases.stop()));
  await deleteKvBuckets(client.nc, [BUCKET], client.namespace);
  await client.drain();
});

describe('quotas', () => {
  it('split the partitions as evenly as they go among N replicas, and every member starts at its own offset', () => {
    const quotas = (members: number) =>
      Array.from({ length: members }, (_, rank) => quotaOf(8, members, rank));
    expect(quotas(1)).toEqual([8]);
    expect(quotas(3)).toEqual([3, 3, 2]);
    // Beside four replicas holding two each, a fifth still gets one: the quotas add up to the partitions.
    expect(quotas(5)).toEqual([2, 2, 2, 1, 1]);
    expect(quotas(9)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(quotaOf(8, 0, 0)).toBe(8);
    const order = preferenceOrder(8, 'host-a-1');
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(order.slice(1)).toEqual(order.slice(1).map((_, i) => (order[0]! + i + 1) % 8));
  });
});

describe('PartitionLeases on NATS KV', () => {
  it('splits the partitions between replicas, hands over without overlap, and takes over from one that stops', async () => {
    const a = await replica('replica-a', false);
    await expectEventually(() => expect(worked('replica-a')).toHaveLength(PARTITIONS), { timeoutMs: 10_000 });

    const b = await replica('replica-b', true);
    await expectEventually(
      () => {
        expect(worked('replica-a')).toHaveLength(PARTITIONS / 2);
        expect(worked('replica-b')).toHaveLength(PARTITIONS / 2);
      },
      { timeoutMs: 15_000 },
    );
    expect(new Set([...a.held, ...b.held]).size).toBe(PARTITIONS);

    // A stops with work that was not clean: its leases are left to expire, as a crashed replica's are.
    const heldByA = a.held;
    await a.stop();
    expect(await holders(heldByA)).toEqual(heldByA.map(() => 'replica-a'));
    await expectEventually(() => expect(worked('replica-b')).toHaveLength(PARTITIONS), { timeoutMs: 15_000 });
    expect(b.held.sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    // D is cut off from the bucket: it stops working its partitions (the fence) before they expire and B takes them.
    const cut = { off: false };
    const d = await replica('replica-d', true, cut);
    await expectEventually(() => expect(worked('replica-d')).toHaveLength(PARTITIONS / 2), {
      timeoutMs: 15_000,
    });
    cut.off = true;
    await expectEventually(() => expect(worked('replica-b')).toHaveLength(PARTITIONS), { timeoutMs: 15_000 });
    expect(worked('replica-d')).toEqual([]);
    expect(d.held).toEqual([]);
    await d.stop();

    // C joins and leaves cleanly: B hands over at once, and takes everything back as soon as C is gone.
    const c = await replica('replica-c', true);
    await expectEventually(() => expect(worked('replica-c')).toHaveLength(PARTITIONS / 2), {
      timeoutMs: 15_000,
    });
    const heldByC = c.held;
    await c.stop();
    expect(await holders(heldByC)).toEqual(heldByC.map(() => null));
    await expectEventually(() => expect(worked('replica-b')).toHaveLength(PARTITIONS), { timeoutMs: 15_000 });
    expect(violations).toEqual([]);
  }, 60_000);
});

describe('PartitionedConsumer', () => {
  it('says what is wrong until CONSUMER_LEASES exists, then runs a runner for each partition it holds', async () => {
    const own = await new NatsClient({
      servers: [testNatsUrl()],
      name: 'test-partitioned-consumer',
      namespace: uniqueNamespace('partitioned'),
    }).connect();
    const running = new Set<string>();
    const spec = {
      group: 'test-partitioned',
      partitions: [0, 1, 2].map((k) => ({
        stream: 'NOWHERE',
        durable: `test-partitioned-p${k}`,
        description: 'test',
        filterSubjects: [`x.p${k}`],
        ackWaitMs: 1000,
        maxDeliver: 2,
        backoffMs: [1000],
        maxAckPending: 10,
      })),
    };
    const consumer = new PartitionedConsumer(
      own,
      spec,
      (partition) => ({
        start: () => running.add(partition.durable),
        stop: async () => void running.delete(partition.durable),
        problem: undefined,
        lastReceivedSeq: 0,
      }),
      silentLogger,
    );
    try {
      consumer.start();
      await expectEventually(() => expect(consumer.problem).toMatch(/CONSUMER_LEASES.*does not exist/));
      await provisionKvBuckets(own.nc, [CONSUMER_LEASES], own.namespace);
      await expectEventually(
        () => {
          expect(consumer.held.sort()).toEqual([0, 1, 2]);
          expect([...running].sort()).toEqual(spec.partitions.map((p) => p.durable));
        },
        { timeoutMs: 15_000 },
      );
      expect(consumer.problem).toBeUndefined();
      await consumer.stop();
      expect(running.size).toBe(0);
    } finally {
      await consumer.stop();
      await deleteKvBuckets(own.nc, [CONSUMER_LEASES], own.namespace);
      await own.drain();
    }
  }, 30_000);
});
