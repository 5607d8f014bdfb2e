import type { KV } from '@nats-io/kv';
import { fnv1a32 } from '@matrix/contracts';
import type { ConsumerLogger } from '../consumer/message-settlement';

/** What {@link PartitionLeases} needs; the bucket's `max_age` must be `ttlMs`. */
export interface PartitionLeasesOptions {
  /** The leases bucket (`CONSUMER_LEASES`): an entry not renewed within its max age is gone. */
  readonly kv: KV;
  /** Key prefix of this group of partitions, e.g. the namespaced durable base `sensor-normaliser-raw`. */
  readonly group: string;
  readonly partitions: number;
  /** This replica's id (`[A-Za-z0-9_-]`), unique per process. */
  readonly member: string;
  /** The bucket's max age: how long a lease (and a membership) lives without renewal. */
  readonly ttlMs: number;
  /** How often leases and the membership are renewed (well below `ttlMs`). */
  readonly renewEveryMs: number;
  /**
   * How long a partition given back stays held after its work stopped: what the server had already sent
   * towards the stopped consumer becomes due for redelivery meanwhile, so the next holder gets it before
   * anything newer (the consumer's ack wait).
   */
  readonly handoverMs: number;
  /** Start working the partition (e.g. pull its durable). */
  readonly acquire: (partition: number) => void;
  /**
   * Stop working it; resolves when nothing of it is in flight any more, with whether it may go to another
   * replica at once (true), or only after `handoverMs` (false: the server may have sent something towards the
   * stopped work that will only be redelivered then).
   */
  readonly release: (partition: number) => Promise<boolean>;
  readonly logger: ConsumerLogger;
  readonly now?: () => number;
}

/** Partitions one of `members` live replicas holds at most, so that together they hold all. */
export function fairShare(partitions: number, members: number): number {
  return Math.ceil(partitions / Math.max(1, members));
}

/**
 * The order in which a member tries free partitions: from an offset of its own, so replicas starting together
 * do not all race for partition 0.
 */
export function preferenceOrder(partitions: number, member: string): number[] {
  const offset = fnv1a32(member) % partitions;
  return Array.from({ length: partitions }, (_, i) => (offset + i) % partitions);
}

interface Lease {
  revision: number;
  renewedAt: number;
  /** Set once it is being given back: resolves when its work has stopped, with whether a handover wait is needed. */
  released?: Promise<boolean>;
}

/**
 * Exclusive, balanced ownership of N partitions among the live replicas of a service, on a NATS KV bucket whose
 * max age expires what is not renewed: each replica keeps a membership entry (`<group>.m.<member>`) and the
 * leases it holds (`<group>.p<k>`, created only when absent, renewed by revision so a lost lease is noticed);
 * every `renewEveryMs` it takes free partitions up to its fair share of the live members and gives back what is
 * above it. A replica that dies stops renewing: its leases expire after `ttlMs` and the others take them.
 * Giving one back stops its work first and keeps the lease `handoverMs` longer (see the option), so a partition
 * is worked by one replica at a time and its messages keep their order across a hand-over.
 */
export class PartitionLeases {
  private readonly leases = new Map<number, Lease>();
  private readonly order: number[];
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  private failure?: string;

  constructor(private readonly options: PartitionLeasesOptions) {
    this.order = preferenceOrder(options.partitions, options.member);
    this.now = options.now ?? Date.now;
  }

  /** Why leases cannot be kept right now (e.g. the bucket is not provisioned), if so. */
  get problem(): string | undefined {
    return this.failure;
  }

  /** The partitions this replica works now (not those being given back). */
  get held(): number[] {
    return [...this.leases].filter(([, lease]) => !lease.released).map(([partition]) => partition);
  }

  start(): void {
    if (this.ticking || this.stopped) return;
    const loop = async (): Promise<void> => {
      await this.tick();
      if (!this.stopped) this.timer = setTimeout(() => (this.ticking = loop()), this.options.renewEveryMs);
    };
    this.ticking = loop();
  }

  /**
   * Stops working every partition and leaves the group. A partition the server sent nothing unseen for is given
   * back at once; the others are left to expire rather than deleted, so no replica takes them before what was
   * sent towards this one is due for redelivery (the TTL outlasts the handover), and shutdown does not wait.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.all(
      [...this.leases].map(async ([partition, lease]) => {
        const clean = await (lease.released ?? this.options.release(partition));
        if (clean) await this.deleteLease(partition, lease);
      }),
    );
    this.leases.clear();
    await this.options.kv.delete(this.memberKey(this.options.member)).catch(() => undefined);
  }

  /** One round: renew, count the members, give back above the fair share, take free partitions up to it. */
  async tick(): Promise<void> {
    const { kv, member, partitions, logger } = this.options;
    try {
      await kv.put(this.memberKey(member), String(this.now()));
      await this.renew();
      const share = fairShare(partitions, await this.liveMembers());
      const working = this.held;
      for (const partition of working.sort((a, b) => b - a).slice(0, Math.max(0, working.length - share))) {
        logger.log(
          `giving partition ${partition} of ${this.options.group} back (fair share ${share})`,
          'Partitions',
        );
        this.giveBack(partition);
      }
      for (const partition of this.order) {
        if (this.held.length >= share || this.stopped) break;
        if (this.leases.has(partition)) continue;
        const revision = await kv.create(this.partitionKey(partition), member).catch(() => undefined);
        if (revision === undefined) continue; // held by another replica
        this.leases.set(partition, { revision, renewedAt: this.now() });
        logger.log(`took partition ${partition} of ${this.options.group}`, 'Partitions');
        this.options.acquire(partition);
      }
      this.failure = undefined;
    } catch (error) {
      this.failure = `partition leases of ${this.options.group}: ${(error as Error).message}`;
      logger.warn(this.failure, 'Partitions');
    }
  }

  private async renew(): Promise<void> {
    const { kv, member, ttlMs, renewEveryMs, logger } = this.options;
    for (const [partition, lease] of this.leases) {
      try {
        lease.revision = await kv.update(this.partitionKey(partition), member, lease.revision);
        lease.renewedAt = this.now();
      } catch (error) {
        const lost = /wrong last sequence|key exists/i.test((error as Error).message);
        // Not renewed for (almost) a whole TTL, another replica may hold it now: stop working it.
        if (lost || this.now() - lease.renewedAt >= ttlMs - renewEveryMs) {
          logger.warn(
            `lost partition ${partition} of ${this.options.group}: ${(error as Error).message}`,
            'Partitions',
          );
          this.leases.delete(partition);
          if (!lease.released) await this.options.release(partition);
        }
      }
    }
  }

  private giveBack(partition: number): void {
    const lease = this.leases.get(partition);
    if (!lease || lease.released) return;
    const released = this.options.release(partition);
    lease.released = released;
    void (async () => {
      if (!(await released)) {
        await new Promise((resolve) => setTimeout(resolve, this.options.handoverMs).unref());
      }
      // Lost meanwhile, or dealt with by stop().
      if (this.leases.get(partition) !== lease || this.stopped) return;
      this.leases.delete(partition);
      await this.deleteLease(partition, lease);
    })();
  }

  private deleteLease(partition: number, lease: Lease): Promise<void> {
    return this.options.kv
      .delete(this.partitionKey(partition), { previousSeq: lease.revision })
      .catch(() => undefined);
  }

  private async liveMembers(): Promise<number> {
    let members = 0;
    for await (const _key of await this.options.kv.keys(`${this.options.group}.m.*`)) members += 1;
    return Math.max(1, members);
  }

  private memberKey(member: string): string {
    return `${this.options.group}.m.${member}`;
  }

  private partitionKey(partition: number): string {
    return `${this.options.group}.p${partition}`;
  }
}
