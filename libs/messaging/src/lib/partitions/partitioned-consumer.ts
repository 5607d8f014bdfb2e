import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { NatsClient } from '../connection/nats-client';
import type { ConsumerLogger } from '../consumer/message-settlement';
import { CONSUMER_LEASES, openKvBucket } from '../topology/kv-buckets';
import type { ConsumerSpec, PartitionedConsumerSpec } from '../topology/topology.types';
import { PartitionLeases } from './partition-leases';

/** A consumer of one partition: started when its lease is taken, stopped (work in flight finished) when given back. */
export interface PartitionRunner {
  start(): void;
  stop(): Promise<void>;
  readonly problem: string | undefined;
  /** The highest stream sequence it received. */
  readonly lastReceivedSeq: number;
}

/** How often a replica renews its leases; the bucket's TTL (15 s) leaves room for four missed rounds. */
export const LEASE_RENEW_MS = 3000;

/** A process-unique member id for the lease keys: host, pid and a random suffix. */
export function memberId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * The partitions of a `PartitionedConsumerSpec` this replica holds, each pulled by a runner of its own
 * (`runnerFor`). Opens the `CONSUMER_LEASES` bucket (retrying until it is provisioned), then keeps its quota
 * of leases (`PartitionLeases`). A partition given back goes to another replica at once when the server sent this
 * one nothing it did not receive; otherwise after the consumer's ack wait, so that is redelivered first.
 */
export class PartitionedConsumer {
  /** The runner of each partition held, and the durable's delivered sequence when it was taken. */
  private readonly runners = new Map<number, { runner: PartitionRunner; deliveredBefore: number }>();
  private leases?: PartitionLeases;
  private starting?: Promise<void>;
  private stopped = false;
  private stopSignal!: () => void;
  private readonly stopping = new Promise<void>((resolve) => (this.stopSignal = resolve));
  private failure?: string;
  readonly member = memberId();

  constructor(
    private readonly client: NatsClient,
    private readonly spec: PartitionedConsumerSpec,
    private readonly runnerFor: (partition: ConsumerSpec) => PartitionRunner,
    private readonly logger: ConsumerLogger,
  ) {}

  /** Partitions worked here now. */
  get held(): number[] {
    return this.leases?.held ?? [];
  }

  get problem(): string | undefined {
    const problems = [
      this.failure,
      this.leases?.problem,
      ...[...this.runners.values()].map(({ runner }) => runner.problem),
    ];
    return problems.filter(Boolean).join('; ') || undefined;
  }

  start(): void {
    this.starting ??= this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    await this.starting;
    await this.leases?.stop();
  }

  private async open(): Promise<void> {
    let pause = 500;
    while (!this.stopped) {
      try {
        const kv = await openKvBucket(this.client.nc, CONSUMER_LEASES, this.client.namespace);
        this.failure = undefined;
        if (this.stopped) return;
        const first = this.spec.partitions[0];
        this.leases = new PartitionLeases({
          kv,
          group: this.spec.group,
          partitions: this.spec.partitions.length,
          member: this.member,
          ttlMs: CONSUMER_LEASES.ttlMs ?? 15_000,
          renewEveryMs: LEASE_RENEW_MS,
          // The consumers' ack wait (the first backoff step, see consumerConfig) and a second of slack.
          handoverMs: (first?.backoffMs[0] ?? first?.ackWaitMs ?? 10_000) + 1000,
          acquire: (partition) => this.acquire(partition),
          release: (partition) => this.release(partition),
          logger: this.logger,
        });
        this.leases.start();
        return;
      } catch (error) {
        this.failure = `${this.spec.group}: ${(error as Error).message}`;
        this.logger.warn(`partitioned consumer ${this.failure}; retrying in ${pause} ms`, 'Partitions');
        // Waits, unless the service is stopping meanwhile.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, pause))), this.stopping]);
        clearTimeout(timer);
        pause = Math.min(pause * 2, 15_000);
      }
    }
  }

  /** Starts the partition's runner, once the durable's delivered sequence is known (see `release`). */
  private acquire(partition: number): void {
    const spec = this.spec.partitions[partition];
    if (!spec || this.runners.has(partition)) return;
    const entry = { runner: this.runnerFor(spec), deliveredBefore: 0 };
    this.runners.set(partition, entry);
    void this.deliveredSeq(spec)
      .catch(() => 0)
      .then((delivered) => {
        entry.deliveredBefore = delivered;
        if (this.runners.get(partition) === entry) entry.runner.start();
      });
  }

  /**
   * Stops the partition's runner (its batches in flight finish, what it had not taken is handed back) and answers
   * whether the server sent it nothing it did not receive: the durable's delivered sequence is no higher than what
   * this replica saw. Then the partition may go to another replica at once; otherwise something is on its way to
   * a consumer that is gone, and only its redelivery (after the ack wait) keeps the order.
   */
  private async release(partition: number): Promise<boolean> {
    const entry = this.runners.get(partition);
    const spec = this.spec.partitions[partition];
    this.runners.delete(partition);
    if (!entry || !spec) return true;
    await entry.runner.stop();
    const delivered = await this.deliveredSeq(spec).catch(() => Number.POSITIVE_INFINITY);
    return delivered <= Math.max(entry.deliveredBefore, entry.runner.lastReceivedSeq);
  }

  private async deliveredSeq(spec: ConsumerSpec): Promise<number> {
    const info = await this.client.jsm.consumers.info(
      this.client.namespace.stream(spec.stream),
      this.client.namespace.durable(spec.durable),
    );
    return info.delivered.stream_seq;
  }
}
