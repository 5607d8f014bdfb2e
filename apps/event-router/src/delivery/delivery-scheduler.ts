import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { EventRouterConfig } from '../config/event-router.config';
import { ROUTER_CONFIG } from '../config/router-config.token';
import { EndpointAuth } from '../endpoints/endpoint-auth';
import { TargetGuard } from '../endpoints/target-guard';
import { RouterNotifications } from '../notifications/router-notifications';
import type { SubscriptionRow } from '../subscriptions/subscription-row';
import { SubscriptionSealer } from '../subscriptions/subscription-sealer';
import { DeliveryRepository } from './delivery.repository';
import type { WorkerDeps } from './delivery-worker';
import { OperatorNotices } from './operator-notices';
import { SubscriptionDelivery } from './subscription-delivery';

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Subscriptions named in `matrix_router_subscription_failing_seconds`, per replica: the ones failing
 * longest. A label per subscription only on failing ones, and at most this many, keeps the series bounded
 * however many subscriptions there are; `matrix_router_failing_subscriptions` counts them all.
 */
export const FAILING_SUBSCRIPTIONS_NAMED = 20;

/**
 * Runs the delivery lanes (SubscriptionDelivery) of each subscription this replica holds the lease of. Every tick (a third of the
 * lease, at most a second) it renews its leases and takes free or expired ones; a subscription that
 * changed triggers a tick at once, and new work (NOTIFY) wakes its worker. On shutdown the workers
 * finish their attempt in flight and the leases are released, so another replica continues at once.
 */
@Injectable()
export class DeliveryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly workers = new Map<string, SubscriptionDelivery>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;
  private lastPrune = 0;
  private readonly deps: WorkerDeps;

  constructor(
    private readonly repository: DeliveryRepository,
    private readonly notifications: RouterNotifications,
    readonly guard: TargetGuard,
    auth: EndpointAuth,
    notices: OperatorNotices,
    @Inject(ROUTER_CONFIG) private readonly config: EventRouterConfig,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    private readonly sealer: SubscriptionSealer,
  ) {
    const attempts = metrics.histogram({
      name: 'matrix_router_attempt_seconds',
      help: 'HTTP delivery attempts by outcome (delivered, failed, gone, timeout, refused, error)',
      labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 1, 5, 15, 30],
    });
    // Read at scrape time, for the subscriptions this replica delivers (so replicas' series never overlap).
    let failing:
      Promise<Awaited<ReturnType<DeliveryRepository['failingSubscriptions']>> | undefined> | undefined;
    let failingAt = 0;
    const failingNow = () => {
      if (!failing || Date.now() - failingAt > 1000) {
        failingAt = Date.now();
        failing = repository
          .failingSubscriptions(this.owner, FAILING_SUBSCRIPTIONS_NAMED)
          .catch(() => undefined);
      }
      return failing;
    };
    metrics.gauge({
      name: 'matrix_router_failing_subscriptions',
      help: 'Active subscriptions delivered by this replica whose deliveries are failing',
      async collect() {
        const now = await failingNow();
        if (now) this.set(now.total);
      },
    });
    metrics.gauge({
      name: 'matrix_router_subscription_failing_seconds',
      help: `Seconds since the first failed attempt of a subscription still failing, for the ${FAILING_SUBSCRIPTIONS_NAMED} failing longest on this replica`,
      labelNames: ['subscription'],
      async collect() {
        const now = await failingNow();
        this.reset();
        for (const { id, seconds } of now?.longest ?? []) this.set({ subscription: id }, seconds);
      },
    });
    this.deps = {
      repository,
      guard,
      auth,
      notices,
      owner: this.owner,
      disableAfterMs: config.router.disableAfterMs,
      log: logger,
      observe: (outcome, seconds) => attempts.observe({ outcome }, seconds),
    };
  }

  onApplicationBootstrap(): void {
    this.notifications.onWork((ids) => {
      if (ids === '*') for (const worker of this.workers.values()) worker.wake();
      else for (const id of ids.split(',')) this.workers.get(id)?.wake();
    });
    this.notifications.onSubscriptionsChanged(() => void this.tick());
    const every = Math.min(1000, Math.floor(this.config.router.leaseMs / 3));
    this.timer = setInterval(() => void this.tick(), every);
    void this.tick();
  }

  /** Runs one lease round (never two at once). */
  tick(): Promise<void> {
    this.ticking ??= this.round().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async round(): Promise<void> {
    if (this.stopped) return;
    try {
      const held = await this.repository.claimLeases(
        this.owner,
        this.config.router.leaseMs,
        this.config.router.maxSubscriptions,
      );
      if (this.stopped) return;
      const ids = new Set(held.map((row) => row.id));
      for (const [id, worker] of this.workers) {
        if (!ids.has(id)) {
          this.workers.delete(id);
          void worker.stop();
        }
      }
      for (const row of held) {
        const worker = this.workers.get(row.id);
        // Secrets are opened when a subscription is taken or has changed, not on every renewal.
        if (worker && row.updated_at.getTime() === worker.sub.updated_at.getTime()) continue;
        let opened: SubscriptionRow;
        try {
          opened = this.sealer.open(row);
        } catch (error) {
          this.logger.error(`not delivering: ${(error as Error).message}`, 'DeliveryScheduler');
          continue;
        }
        if (worker) void worker.update(opened);
        else this.workers.set(row.id, new SubscriptionDelivery(opened, this.deps));
      }
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await this.repository.prune(this.config.router.retentionDays);
      }
    } catch (error) {
      this.logger.warn(`lease round failed: ${(error as Error).message}`, 'DeliveryScheduler');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
    await this.repository.releaseLeases(this.owner).catch(() => undefined);
  }
}
