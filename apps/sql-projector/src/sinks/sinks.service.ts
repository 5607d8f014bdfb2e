import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AdvisoryLeader, Database } from '@matrix/persistence';
import { JsonLogger, MetricsService, SecretBox } from '@matrix/platform';
import type { Counter, Gauge } from 'prom-client';
import { SQL_PROJECTOR_CONFIG, type SqlProjectorConfig } from '../config/sql-projector.config';
import { ProjectedHorizon } from './projected-horizon';
import { redactUrls, SinkCopier } from './sink-copier';
import { SinksRepository, type SinkRow } from './sinks.repository';

/** How often the leader reads `matrix.sql_sinks` for sinks set, changed or removed (on any replica). */
export const SINK_REFRESH_MS = 2000;

/** Window reads of the dedicated database the copiers make at once (of DATABASE_POOL_MAX connections). */
export const READS_AT_ONCE = 2;

/** The associated data a sink's connection string is sealed with: a ciphertext opens for its property only. */
export const sinkSealContext = (propId: string) => `matrix.sql_sinks:${propId}`;

/**
 * Runs the copiers of the customer-hosted sinks (docs/sql.md, Customer-hosted sink; ADR-25) on the replica
 * holding the advisory lock `matrix sql-sinks`: one SinkCopier per sink, started, restarted (a new target)
 * and stopped as `matrix.sql_sinks` changes. Without MATRIX_SECRET_KEY no sink can be opened: none runs,
 * and a warning says so.
 */
@Injectable()
export class SinksService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly leader: AdvisoryLeader;
  private readonly box?: SecretBox;
  private readonly copiers = new Map<string, SinkCopier>();
  private readonly rows: Counter<'stream'>;
  private readonly failures: Counter;
  private readonly lag: Gauge<'property'>;
  /** Copiers being stopped (a sink removed or set anew): awaited at shutdown, never by the refresh loop. */
  private readonly stopping = new Set<Promise<void>>();
  /** Generations whose connection string does not open with this key: told once, not every refresh. */
  private readonly unopenable = new Set<string>();
  /** Reads of the dedicated database in progress, and those waiting for a turn (READS_AT_ONCE). */
  private reading = 0;
  private readonly readQueue: (() => void)[] = [];
  private stopped = true;
  private stopSignal!: Promise<void>;
  private signalStop!: () => void;
  private running: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(
    private readonly repository: SinksRepository,
    private readonly horizon: ProjectedHorizon,
    db: Database,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    @Inject(SQL_PROJECTOR_CONFIG) private readonly config: SqlProjectorConfig,
  ) {
    if (config.secretKey) this.box = new SecretBox(config.secretKey);
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: `${db.options.applicationName} sinks`,
      lock: 'matrix sql-sinks',
      role: 'copies into the customer-hosted sinks',
      logger,
    });
    this.rows = metrics.counter({
      name: 'matrix_projector_sink_rows_total',
      help: 'Rows written into customer-hosted sinks (new rows only), by table',
      labelNames: ['stream'],
    });
    this.failures = metrics.counter({
      name: 'matrix_projector_sink_failures_total',
      help: 'Failed copy attempts into customer-hosted sinks (each retried with back-off)',
    });
    this.lag = metrics.gauge({
      name: 'matrix_projector_sink_lag_seconds',
      help: 'Per customer-hosted sink: 0 when it holds every row projected, else seconds since it last did',
      labelNames: ['property'],
    });
  }

  /** The box that seals and opens sinks' connection strings; undefined without MATRIX_SECRET_KEY. */
  get secretBox(): SecretBox | undefined {
    return this.box;
  }

  onApplicationBootstrap(): void {
    if (!this.box) {
      this.logger.warn(
        'customer-hosted sinks: MATRIX_SECRET_KEY is not set, so no sink can be set or copied',
        SinksService.name,
      );
      return;
    }
    this.stopped = false;
    this.stopSignal = new Promise((resolve) => (this.signalStop = resolve));
    this.leader.start();
    this.running = this.lead();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.signalStop();
    clearTimeout(this.timer);
    this.wake?.();
    await this.running;
    await this.stopAll();
    await Promise.all(this.stopping);
    await this.leader.stop();
  }

  /** Looks at `matrix.sql_sinks` now rather than at the next refresh (a sink was set or removed here). */
  refresh(): void {
    this.wake?.();
  }

  /**
   * While this replica leads: the copiers follow `matrix.sql_sinks`, looked at every SINK_REFRESH_MS. A
   * replica that no longer leads stops its copiers within that time; meanwhile the new leader's may copy
   * the same rows too, which changes nothing in a sink (rows are keyed; a cursor set back makes a copier
   * read a window again).
   */
  private async lead(): Promise<void> {
    while (!this.stopped) {
      if (!this.leader.isLeader) {
        await this.stopAll();
        // A standby waits for the lock — or for the service to stop, which must not wait for the lock.
        await Promise.race([this.leader.opened(), this.stopSignal]);
        if (this.stopped) return;
      }
      await this.reconcile().catch((error: Error) =>
        this.logger.warn(
          `customer-hosted sinks: cannot read matrix.sql_sinks: ${error.message}`,
          SinksService.name,
        ),
      );
      // Stopped while it looked: no new timer (shutdown cleared the last one and waits for this loop).
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, SINK_REFRESH_MS);
      });
    }
  }

  /** Starts a copier for each sink without one (or with one of an older generation), stops the others. */
  private async reconcile(): Promise<void> {
    const sinks = await this.repository.all();
    const wanted = new Map(sinks.map((sink) => [sink.prop_id, sink]));
    for (const [propId, copier] of this.copiers) {
      const sink = wanted.get(propId);
      if (sink && sink.generation === copier.generation) continue;
      this.copiers.delete(propId);
      // Not awaited: a copier in the middle of a step on a sink that swallows packets may take its statement
      // timeout to stop, and the other sinks' changes must not wait for it.
      this.stopInBackground(copier);
      this.lag.remove({ property: propId });
      if (!sink) {
        this.logger.log(`customer-hosted sink of ${propId}: removed, copy stopped`, SinksService.name);
      }
    }
    for (const sink of sinks) {
      if (this.stopped || this.copiers.has(sink.prop_id)) continue;
      const copier = this.start(sink);
      if (copier) this.copiers.set(sink.prop_id, copier);
    }
  }

  private start(sink: SinkRow): SinkCopier | undefined {
    const propId = sink.prop_id;
    const key = `${propId}#${sink.generation}`;
    if (this.unopenable.has(key)) return undefined;
    let connectionString: string;
    try {
      connectionString = this.box!.open(
        { ciphertext: sink.target_ciphertext, iv: sink.target_iv, tag: sink.target_tag },
        sinkSealContext(propId),
      );
    } catch {
      this.unopenable.add(key);
      void this.repository
        .recordFailure(
          propId,
          sink.generation,
          'its connection string does not open with the MATRIX_SECRET_KEY Matrix runs with: set the sink again',
          new Date(),
        )
        .catch(() => undefined);
      this.logger.error(
        `customer-hosted sink of ${propId}: its connection string does not open with this MATRIX_SECRET_KEY; set the sink again`,
        undefined,
        SinksService.name,
      );
      return undefined;
    }
    this.logger.log(
      `customer-hosted sink of ${propId}: copying into ${sink.target_redacted}`,
      SinksService.name,
    );
    return new SinkCopier(
      {
        propId,
        generation: sink.generation,
        connectionString,
        caughtUpAt: sink.caught_up_at,
        setAt: sink.updated_at,
        pollMs: this.config.sinks.pollMs,
        maxBackoffMs: this.config.sinks.maxBackoffMs,
        rowsPerCopy: this.config.sinks.rowsPerCopy,
      },
      {
        repository: this.repository,
        horizon: () => this.horizon.get(),
        read: (work) => this.inTurn(work),
        onRows: (stream, inserted) => this.rows.inc({ stream }, inserted),
        onLag: (seconds) => this.lag.set({ property: propId }, seconds),
        onFailure: (error, failures, waitMs) => {
          this.failures.inc();
          // The first failure and then every tenth: a sink down for a day logs a line an hour or so, not thousands.
          if (failures === 1 || failures % 10 === 0) {
            this.logger.warn(
              `customer-hosted sink of ${propId} (${sink.target_redacted}): attempt ${failures} failed: ${redactUrls(error.message)}; next in ${Math.round(waitMs / 1000)} s`,
              SinksService.name,
            );
          }
        },
        onStreamReset: (stream, cursor, horizon) =>
          this.logger.warn(
            `customer-hosted sink of ${propId}: the projector's ${stream} consumer was made anew (projected through ${horizon}, the sink's cursor ${cursor}): copying from its start again`,
            SinksService.name,
          ),
      },
    );
  }

  private async stopAll(): Promise<void> {
    const copiers = [...this.copiers];
    this.copiers.clear();
    await Promise.all(copiers.map(([, copier]) => copier.stop()));
    for (const [propId] of copiers) this.lag.remove({ property: propId });
  }

  private stopInBackground(copier: SinkCopier): void {
    const stopping = copier.stop();
    this.stopping.add(stopping);
    void stopping.finally(() => this.stopping.delete(stopping));
  }

  /**
   * Runs a window read when fewer than READS_AT_ONCE are running: sinks filling at once (new ones, or
   * after an outage) leave the rest of the service's pool to the projection. A few lines of our own rather
   * than `p-limit`, which is ESM-only while our bundles and Jest load CommonJS.
   */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.reading >= READS_AT_ONCE) await new Promise<void>((resolve) => this.readQueue.push(resolve));
    this.reading += 1;
    try {
      return await work();
    } finally {
      this.reading -= 1;
      this.readQueue.shift()?.();
    }
  }
}
