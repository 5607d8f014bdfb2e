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

/**
 * How many partitions the member at `rank` (its place among the live members' ids, sorted) works: the
 * partitions split as evenly as they go, the first `partitions mod members` members one more, so that the quotas
 * add up to exactly `partitions` and a fifth replica beside four holding two each still gets one.
 */
export function quotaOf(partitions: number, members: number, rank: number): number {
  const count = Math.max(1, members);
  return Math.floor(partitions / count) + (rank < partitions % count ? 1 : 0);
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
  /** When the last renewal that succeeded was sent: the server's TTL runs from no earlier than that. */
  renewedAt: number;
  /** Set once it is being given back: resolves when its work has stopped, with whether a handover wait is needed. */
  released?: Promise<boolean>;
}

/**
 * Exclusive, balanced ownership of N partitions among the live replicas of a service, on a NATS KV bucket whose
 * max age expires what is not renewed: each replica keeps a membership entry (`<group>.m.<member>`) and the
 * leases it holds (`<group>.p<k>`, created only when absent, renewed by revision so a lost lease is noticed);
 * every `renewEveryMs` it takes free partitions up to its quota (`quotaOf`, by its rank among the live members) and
 * gives back what is above it. A replica that dies stops renewing: its leases expire after `ttlMs` and the others
 * take them. A fence stops the work on a lease this replica could not renew for most of the TTL, before the
 * server lets anyone else take it; a lease lost that way is not taken again before the handover.
 * Giving one back stops its work first and keeps the lease `handoverMs` longer (see the option), so a partition
 * is worked by one replica at a time and its messages keep their order across a hand-over.
 */
export class PartitionLeases {
  private readonly leases = new Map<number, Lease>();
  /** Partitions lost (not given back) recently, and until when not to take them again (the handover). */
  private readonly coolingDown = new Map<number, number>();
  private readonly order: number[];
  private fence?: NodeJS.Timeout;
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
    // The fence: whatever the rounds do (a renewal stuck behind a timeout, a stalled loop), work on a lease that
    // has not been renewed for most of its TTL stops, before the server lets another replica take it.
    this.fence = setInterval(
      () => this.enforceFence(),
      Math.max(100, Math.floor(this.options.renewEveryMs / 4)),
    );
    this.fence.unref();
  }

  /**
   * Stops working every partition and leaves the group. A partition the server sent nothing unseen for is given
   * back at once; the others are left to expire rather than deleted, so no replica takes them before what was
   * sent towards this one is due for redelivery (the TTL outlasts the handover), and shutdown does not wait.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.fence);
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

  /** One round: renew, count the members, give back above this member's quota, take free partitions up to it. */
  async tick(): Promise<void> {
    const { kv, member, partitions, logger } = this.options;
    // Leases first, each on its own: a failing membership write must not hold their renewal back.
    await this.renew();
    try {
      await kv.put(this.memberKey(member), String(this.now()));
      const members = await this.liveMembers();
      const rank = Math.max(0, members.indexOf(member));
      const quota = quotaOf(partitions, members.length, rank);
      const working = this.held;
      for (const partition of working.sort((a, b) => b - a).slice(0, Math.max(0, working.length - quota))) {
        logger.log(
          `giving partition ${partition} of ${this.options.group} back (quota ${quota})`,
          'Partitions',
        );
        this.giveBack(partition);
      }
      for (const partition of this.order) {
        if (this.held.length >= quota || this.stopped) break;
        if (this.leases.has(partition) || (this.coolingDown.get(partition) ?? 0) > this.now()) continue;
        const sentAt = this.now();
        const revision = await this.create(partition);
        if (revision === undefined) continue; // held by another replica
        this.leases.set(partition, { revision, renewedAt: sentAt });
        logger.log(`took partition ${partition} of ${this.options.group}`, 'Partitions');
        this.options.acquire(partition);
      }
      this.failure = undefined;
    } catch (error) {
      this.failure = `partition leases of ${this.options.group}: ${(error as Error).message}`;
      logger.warn(this.failure, 'Partitions');
    }
  }

  /**
   * Creates the lease of `partition` if none is; answers its revision, or undefined when another replica holds it.
   * A create whose answer was lost (a timeout) may still have been stored: the key is read back and adopted when
   * it names this member.
   */
  private async create(partition: number): Promise<number | undefined> {
    const key = this.partitionKey(partition);
    try {
      return await this.options.kv.create(key, this.options.member);
    } catch (error) {
      if (/wrong last sequence|key exists/i.test((error as Error).message)) return undefined;
      const entry = await this.options.kv.get(key).catch(() => null);
      return entry?.operation === 'PUT' && entry.string() === this.options.member
        ? entry.revision
        : undefined;
    }
  }

  /** Renews every lease held, side by side; a lease another replica now holds, or one gone stale, is let go. */
  private async renew(): Promise<void> {
    const { kv, member, logger } = this.options;
    await Promise.all(
      [...this.leases].map(async ([partition, lease]) => {
        const sentAt = this.now();
        try {
          lease.revision = await kv.update(this.partitionKey(partition), member, lease.revision);
          lease.renewedAt = sentAt;
        } catch (error) {
          if (/wrong last sequence|key exists/i.test((error as Error).message)) {
            logger.warn(
              `lost partition ${partition} of ${this.options.group}: ${(error as Error).message}`,
              'Partitions',
            );
            await this.letGo(partition, lease);
          }
          // Anything else (a timeout, NATS away): kept while the fence allows, renewed next round.
        }
      }),
    );
  }

  /**
   * Stops work on leases not renewed for most of their TTL (see `start`): all but a round or a quarter of it,
   * whichever is longer, so the work has stopped well before the server lets the lease go.
   */
  private enforceFence(): void {
    const { ttlMs, renewEveryMs, logger } = this.options;
    const fenceAfterMs = ttlMs - Math.max(renewEveryMs, ttlMs / 4);
    for (const [partition, lease] of this.leases) {
      if (lease.released || this.now() - lease.renewedAt < fenceAfterMs) continue;
      logger.warn(
        `partition ${partition} of ${this.options.group} not renewed for ${this.now() - lease.renewedAt} ms: stopping its work before the lease can pass to another replica`,
        'Partitions',
      );
      void this.letGo(partition, lease);
    }
  }

  /** A lease lost or gone stale: its work stops, and the partition is not taken again before the handover. */
  private async letGo(partition: number, lease: Lease): Promise<void> {
    if (this.leases.get(partition) !== lease) return;
    this.leases.delete(partition);
    this.coolingDown.set(partition, this.now() + this.options.handoverMs);
    if (!lease.released) await this.options.release(partition);
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

  /** The live members' ids (their membership entries not expired), sorted. */
  private async liveMembers(): Promise<string[]> {
    const prefix = `${this.options.group}.m.`;
    const members: string[] = [];
    for await (const key of await this.options.kv.keys(`${prefix}*`)) members.push(key.slice(prefix.length));
    return members.sort();
  }

  private memberKey(member: string): string {
    return `${this.options.group}.m.${member}`;
  }

  private partitionKey(partition: number): string {
    return `${this.options.group}.p${partition}`;
  }
}
