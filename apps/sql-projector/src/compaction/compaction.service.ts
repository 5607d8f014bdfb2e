import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Database, LeaderLoop, type AdvisoryLeader } from '@matrix/persistence';
import { JsonLogger, MetricsService } from '@matrix/platform';
import type { Counter } from 'prom-client';
import type { SqlProjectorConfig } from '../config/sql-projector.config';
import { COMPACTED_TABLE, partitionsToCompact, type CompactionCandidate } from './compaction-policy';
import { CompactionRepository, type CompactionSession } from './compaction.repository';

export const COMPACTION_OPTIONS = Symbol('COMPACTION_OPTIONS');

export interface CompactionOptions extends Readonly<SqlProjectorConfig['compaction']> {
  /** Longest a statement waits for a lock (or for older transactions) before the partition is left to the next run (default {@link COMPACTION_LOCK_TIMEOUT_MS}). */
  readonly lockTimeoutMs?: number;
}

/**
 * How long a rebuild waits for a lock or for the transactions older than one of its phases. A long tenant
 * query on the partition makes it give up (and try next run) rather than queue behind it.
 */
export const COMPACTION_LOCK_TIMEOUT_MS = 5000;

/** What became of one partition in a run. */
export type CompactionOutcome = 'compacted' | 'busy' | 'gone' | 'error';

export interface PartitionCompaction {
  readonly partition: string;
  readonly outcome: CompactionOutcome;
  readonly bytesBefore?: number;
  readonly bytesAfter?: number;
  readonly error?: string;
}

/** What one run did. */
export interface CompactionRun {
  /** INVALID `_ccnew`/`_ccold` indexes of interrupted rebuilds dropped before compacting. */
  readonly leftoversDropped: string[];
  readonly partitions: PartitionCompaction[];
  /** Why the run stopped before its partitions (no connection, the catalog unreadable); tried next run. */
  error?: string;
}

/**
 * Compaction of closed partitions of `matrix.sensor_data` (docs/sql.md, Index compaction; ADR-26). Rows
 * of many buildings and slot types arrive interleaved in time, so the covering index, maintained row by row,
 * splits its leaf pages 50/50 and stays about half full; rebuilt once the partition's range has closed, it
 * is packed (measured: half the pages, and half the page reads of the documented people-per-zone query).
 *
 * On the replica holding the advisory lock `matrix compaction`, a run starts when it starts leading and
 * then every `everyMs`: INVALID indexes left by an interrupted rebuild are dropped, then up to `maxPerRun`
 * partitions whose range ended at least `graceMs` ago and that `matrix.partition_compactions` does not
 * record yet, oldest first, have each index rebuilt with `REINDEX INDEX CONCURRENTLY` (inserts and queries
 * go on; one statement at a time on a dedicated connection; every wait bounded by `lock_timeout`) and are
 * recorded with their index bytes before and after. A partition whose lock is not granted in time is left
 * to the next run; one dropped by retention meanwhile is skipped; a failure is logged and counted, and the
 * next run tries again.
 */
@Injectable()
export class CompactionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: LeaderLoop;
  private readonly compactions: Counter<'outcome'>;
  private readonly bytesSaved: Counter;
  private readonly leftovers: Counter;
  /** The session of the run in progress, cancelled at shutdown. */
  private session?: CompactionSession;

  constructor(
    private readonly repository: CompactionRepository,
    db: Database,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    @Inject(COMPACTION_OPTIONS) private readonly options: CompactionOptions,
  ) {
    this.loop = new LeaderLoop(
      {
        url: db.options.url,
        applicationName: `${db.options.applicationName} compaction leader`,
        lock: 'matrix compaction',
        role: 'compacts closed partitions',
        logger,
      },
      options.everyMs,
    );
    this.compactions = metrics.counter({
      name: 'matrix_projector_compactions_total',
      help: `Partitions of ${COMPACTED_TABLE} the compaction job took, by outcome (compacted; busy: a lock not granted in time, next run; gone: dropped meanwhile; error)`,
      labelNames: ['outcome'],
    });
    this.bytesSaved = metrics.counter({
      name: 'matrix_projector_compaction_bytes_saved_total',
      help: `Index bytes of ${COMPACTED_TABLE}'s partitions freed by rebuilding them once closed`,
    });
    this.leftovers = metrics.counter({
      name: 'matrix_projector_compaction_leftovers_dropped_total',
      help: 'INVALID _ccnew/_ccold indexes of interrupted rebuilds dropped',
    });
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled) {
      this.logger.log(
        'compaction of closed partitions: off (COMPACTION_ENABLED=false)',
        CompactionService.name,
      );
      return;
    }
    this.logger.log(
      `compaction of closed partitions of ${COMPACTED_TABLE}: every ${this.options.everyMs / 1000} s, ${this.options.graceMs / 1000} s after a range ends, at most ${this.options.maxPerRun} per run`,
      CompactionService.name,
    );
    this.loop.start((goOn) => this.run(new Date(), goOn));
  }

  /** Stops leading; a rebuild in progress is cancelled (its `_ccnew` index is dropped by the next leader's run). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop(() => this.session?.cancel().catch(() => undefined) ?? Promise.resolve());
  }

  get leader(): AdvisoryLeader {
    return this.loop.leader;
  }

  /**
   * One run at `now`, on whichever replica calls it (the leader's loop, or a test): two replicas compacting
   * at once is harmless (each statement waits for the other's, or gives up within the lock timeout).
   */
  runOnce(now: Date = new Date()): Promise<CompactionRun> {
    return this.run(now, () => true);
  }

  private get lockTimeoutMs(): number {
    return this.options.lockTimeoutMs ?? COMPACTION_LOCK_TIMEOUT_MS;
  }

  /** A run; `goOn` is asked before each statement (the leader stops when it lost the lock or shuts down). */
  private async run(now: Date, goOn: () => boolean): Promise<CompactionRun> {
    const run: CompactionRun = { leftoversDropped: [], partitions: [] };
    let session: CompactionSession | undefined;
    try {
      session = await this.repository.session(this.lockTimeoutMs);
      this.session = session;
      for (const index of await session.leftovers()) {
        if (!goOn()) return run;
        const step = await session.dropIndex(index);
        if (step === 'cancelled') return run;
        if (step === 'busy') {
          this.logger.warn(
            `compaction: leftover ${index} not dropped, its table's lock was not granted within ${this.lockTimeoutMs} ms; next run`,
            CompactionService.name,
          );
          continue;
        }
        run.leftoversDropped.push(index);
        this.leftovers.inc();
        this.logger.log(
          `compaction: dropped ${index}, left INVALID by an interrupted rebuild`,
          CompactionService.name,
        );
      }
      const chosen = partitionsToCompact(
        await session.partitions(),
        now,
        this.options.graceMs,
        this.options.maxPerRun,
      );
      for (const partition of chosen) {
        if (!goOn()) break;
        run.partitions.push(await this.compact(session, partition, goOn));
      }
    } catch (error) {
      run.error = (error as Error).message;
      this.compactions.inc({ outcome: 'error' });
      this.logger.warn(`compaction failed: ${run.error}; next run`, CompactionService.name);
    } finally {
      if (this.session === session) this.session = undefined;
      await session?.close().catch(() => undefined);
    }
    return run;
  }

  private async compact(
    session: CompactionSession,
    partition: CompactionCandidate,
    goOn: () => boolean,
  ): Promise<PartitionCompaction> {
    const name = partition.name;
    const done = (result: PartitionCompaction): PartitionCompaction => {
      this.compactions.inc({ outcome: result.outcome });
      return result;
    };
    try {
      const before = await session.indexBytes(name);
      if (before === undefined) return done(this.gone(name));
      for (const index of await session.indexes(name)) {
        if (!goOn()) return done({ partition: name, outcome: 'busy' });
        const step = await session.reindex(index);
        if (step === 'gone') return done(this.gone(name));
        if (step === 'cancelled') {
          this.logger.log(
            `compaction: rebuild of ${index} cancelled (shutting down); next run`,
            CompactionService.name,
          );
          return done({ partition: name, outcome: 'busy' });
        }
        if (step === 'busy') {
          this.logger.warn(
            `compaction: ${index} of ${name} not rebuilt, a lock or an older transaction was not through within ${this.lockTimeoutMs} ms; next run`,
            CompactionService.name,
          );
          return done({ partition: name, outcome: 'busy' });
        }
      }
      const after = await session.indexBytes(name);
      if (after === undefined) return done(this.gone(name));
      await session.record(partition, before, after);
      this.bytesSaved.inc(Math.max(0, before - after));
      this.logger.log(
        `compaction: rebuilt the indexes of ${name} (range to ${partition.to!.toISOString()}): ${mb(before)} → ${mb(after)}`,
        CompactionService.name,
      );
      return done({ partition: name, outcome: 'compacted', bytesBefore: before, bytesAfter: after });
    } catch (error) {
      const message = (error as Error).message;
      this.logger.warn(`compaction of ${name} failed: ${message}; next run`, CompactionService.name);
      return done({ partition: name, outcome: 'error', error: message });
    }
  }

  /** Dropped by retention meanwhile: nothing to do, not worth a warning. */
  private gone(partition: string): PartitionCompaction {
    this.logger.debug(
      `compaction: ${partition} is gone (dropped meanwhile); skipped`,
      CompactionService.name,
    );
    return { partition, outcome: 'gone' };
  }
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
