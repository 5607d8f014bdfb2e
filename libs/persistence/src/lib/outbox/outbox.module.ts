import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Type,
} from '@nestjs/common';
import { HealthRegistry, JsonLogger, MetricsService } from '@matrix/platform';
import { Database } from '../database';
import type { OutboxDefinition } from './outbox-definition';
import { OutboxRelay } from './outbox-relay';
import { OUTBOX_SINK, type OutboxSink } from './outbox-sink';

const OUTBOX_DEFINITION = Symbol('OUTBOX_DEFINITION');

export interface OutboxModuleOptions {
  outbox: OutboxDefinition;
  /** The binding of {@link OutboxSink} to the broker, e.g. `JetStreamOutboxSink` from `@matrix/messaging`. */
  sink: Type<OutboxSink>;
}

/**
 * The relay of one outbox as a Nest provider: started at bootstrap, stopped (lock released) at
 * shutdown; `outbox-relay` in readiness fails while it cannot relay; `matrix_outbox_published_total`
 * counts relayed rows by kind; the leading replica exports `matrix_outbox_pending_rows` and
 * `matrix_outbox_oldest_pending_age_seconds` (read at scrape). Needs PersistenceModule's `Database`.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(
    database: Database,
    @Inject(OUTBOX_SINK) sink: OutboxSink,
    @Inject(OUTBOX_DEFINITION) outbox: OutboxDefinition,
    logger: JsonLogger,
    metrics: MetricsService,
    health: HealthRegistry,
  ) {
    const published = metrics.counter({
      name: 'matrix_outbox_published_total',
      help: 'Outbox rows relayed, by kind',
      labelNames: ['kind'],
    });
    this.relay = new OutboxRelay(database, sink, {
      outbox,
      logger,
      onRelayed: (kind) => published.inc({ kind }),
    });
    // Read on scrape, from the leading replica only (the others export no sample); one query serves both.
    let sample: { at: number; value: ReturnType<OutboxRelay['backlog']> } | undefined;
    const backlog = () => {
      const now = Date.now();
      if (!sample || now - sample.at > 1000) {
        sample = { at: now, value: this.relay.backlog().catch(() => undefined) };
      }
      return sample.value;
    };
    const label = { outbox: outbox.qualified };
    metrics.gauge({
      name: 'matrix_outbox_pending_rows',
      help: 'Outbox rows not yet relayed, by outbox (exported by the relaying replica)',
      labelNames: ['outbox'],
      async collect() {
        const value = await backlog();
        if (value) this.set(label, value.rows);
        else this.reset();
      },
    });
    metrics.gauge({
      name: 'matrix_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest outbox row not yet relayed (0: none), by outbox (exported by the relaying replica)',
      labelNames: ['outbox'],
      async collect() {
        const value = await backlog();
        if (value) this.set(label, value.oldestAgeSeconds);
        else this.reset();
      },
    });
    health.register('outbox-relay', async () => {
      const error = this.relay.lastError;
      if (error) throw new Error(error);
    });
  }

  /** True while this replica holds the relay lock. */
  get isLeader(): boolean {
    return this.relay.isLeader;
  }

  /** Relays everything pending now (when this replica leads). */
  flush(): Promise<number> {
    return this.relay.flush();
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}

/** Mounts the relay of an owning service's outbox (see libs/persistence/README.md). */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_DEFINITION, useValue: options.outbox },
        { provide: OUTBOX_SINK, useClass: options.sink },
        OutboxRelayService,
      ],
      exports: [OutboxRelayService],
    };
  }
}
