import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Database, PgListener } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { CHANNEL } from './channel';

/** Called when subscriptions changed; a returned promise is awaited by `subscriptionsChanged()`. */
export type SubscriptionsChangedListener = () => void | Promise<void>;
/** Called with the ids of subscriptions that have new work (comma-separated), or `*` for all. */
export type WorkListener = (ids: string) => void;

/**
 * The replica's one LISTEN connection (channels in `CHANNEL`), shared by whoever reacts to them: the
 * subscription index reloads when subscriptions changed, the delivery scheduler runs a lease round then
 * and wakes the workers of subscriptions with new work. After the connection was lost and came back,
 * notifications may have been missed: every listener is called as if everything changed.
 */
@Injectable()
export class RouterNotifications implements OnModuleInit, OnApplicationShutdown {
  private listener?: PgListener;
  private readonly changeListeners = new Set<SubscriptionsChangedListener>();
  private readonly workListeners = new Set<WorkListener>();

  constructor(
    private readonly db: Database,
    private readonly logger: JsonLogger,
  ) {}

  /** Boot fails when the connection cannot be opened. */
  async onModuleInit(): Promise<void> {
    this.listener = new PgListener({
      url: this.db.options.url,
      applicationName: 'event-router-listener',
      channels: [CHANNEL.subscriptions, CHANNEL.work],
      onNotify: (channel, payload) => {
        if (channel === CHANNEL.subscriptions) this.changed();
        else this.work(payload);
      },
      onReconnect: () => {
        this.changed();
        this.work('*');
      },
      logger: this.logger,
    });
    await this.listener.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }

  onSubscriptionsChanged(listener: SubscriptionsChangedListener): void {
    this.changeListeners.add(listener);
  }

  onWork(listener: WorkListener): void {
    this.workListeners.add(listener);
  }

  /**
   * Tells this replica's listeners that subscriptions changed and waits for them: called on a NOTIFY, and
   * by a command after its change committed, so this replica routes by it from the next message on (the
   * others follow on the NOTIFY of the writing transaction).
   */
  async subscriptionsChanged(): Promise<void> {
    await Promise.all([...this.changeListeners].map((listener) => listener()));
  }

  private changed(): void {
    this.subscriptionsChanged().catch((error: Error) =>
      this.logger.warn(`subscription change listener failed: ${error.message}`, 'RouterNotifications'),
    );
  }

  private work(ids: string): void {
    for (const listener of this.workListeners) listener(ids);
  }
}
