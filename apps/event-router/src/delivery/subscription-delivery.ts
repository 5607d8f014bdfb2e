import type { SubscriptionRow } from '../subscriptions/subscription-row';
import { DeliveryWorker, type LaneShared, type WorkerDeps } from './delivery-worker';

/**
 * The lanes of one subscription (`concurrency` of them, sharing their claims and rate limit). A change of
 * `concurrency` stops the lanes (each finishes its attempt in flight) and starts the new number.
 */
export class SubscriptionDelivery {
  private lanes: DeliveryWorker[];
  private changing: Promise<void> = Promise.resolve();

  constructor(
    private current: SubscriptionRow,
    private readonly deps: WorkerDeps,
  ) {
    this.lanes = this.start(current);
  }

  get sub(): SubscriptionRow {
    return this.current;
  }

  private start(sub: SubscriptionRow): DeliveryWorker[] {
    const shared: LaneShared = { claims: new Set(), lastSend: 0 };
    return Array.from(
      { length: Math.max(1, sub.concurrency) },
      () => new DeliveryWorker(sub, this.deps, shared),
    );
  }

  /** The subscription changed: the lanes use the new row (and are restarted if their number changed). */
  update(sub: SubscriptionRow): Promise<void> {
    this.current = sub;
    this.changing = this.changing.then(async () => {
      const row = this.current;
      if (row.concurrency !== this.lanes.length) {
        await Promise.all(this.lanes.map((lane) => lane.stop()));
        this.lanes = this.start(row);
        return;
      }
      for (const lane of this.lanes) {
        lane.sub = row;
        lane.wake();
      }
    });
    return this.changing;
  }

  wake(): void {
    for (const lane of this.lanes) lane.wake();
  }

  async stop(): Promise<void> {
    await this.changing;
    await Promise.all(this.lanes.map((lane) => lane.stop()));
  }
}
