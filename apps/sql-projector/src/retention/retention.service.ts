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
import {
  lastExpiredBucket,
  partitionsPastRetention,
  retentionCutoff,
  RETENTION_TABLES,
  type RetentionTable,
} from './retention-policy';
import { RetentionRepository } from './retention.repository';

export const RETENTION_OPTIONS = Symbol('RETENTION_OPTIONS');

export interface RetentionOptions extends Readonly<SqlProjectorConfig['retention']> {
  /** Longest a retention statement waits for a lock before it skips to the next round (default {@link RETENTION_LOCK_TIMEOUT_MS}). */
  readonly lockTimeoutMs?: number;
}

/** How long a detach or a batch delete may wait for its locks; meanwhile the projector's writes queue behind it. */
export const RETENTION_LOCK_TIMEOUT_MS = 2000;
/** Rollup rows one delete statement removes at most (one short transaction each). */
export const ROLLUP_DELETE_BATCH = 5000;
/** Delete statements one round runs at most on the rollup: a larger backlog is worked off over several rounds. */
export const ROLLUP_BATCHES_PER_ROUND = 200;

/** What one round did to one table. */
export interface TableRound {
  readonly table: RetentionTable;
  /** Data older than this is past retention; undefined = the table keeps everything. */
  readonly cutoff?: Date;
  /** Partitions detached and dropped (partitioned tables). */
  readonly dropped: string[];
  /** Rows deleted (the rollup). */
  deleted: number;
  /** Partitions or batches skipped because a lock was not granted within the lock timeout. */
  busy: number;
  /** Why the table's round failed; it is tried again next round. */
  error?: string;
}

/**
 * Retention of the dedicated database (docs/sql.md, Retention). On the replica that holds the advisory
 * lock `matrix retention` (libs/persistence's `AdvisoryLeader`), a round runs when it starts leading and
 * then every `everyMs`: the monthly partitions of `matrix.sensor_data` and `matrix.events` whose whole
 * month is older than their retention are detached and dropped (never a row-by-row delete), and the
 * rollup's buckets older than its retention are deleted in bounded batches. Every lock is taken with a
 * `lock_timeout`: what cannot be had in time is skipped and tried next round. A table whose round fails
 * is logged, counted, and tried next round; the other tables go on.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loop: LeaderLoop;
  private readonly dropped: Counter<'table'>;
  private readonly deleted: Counter<'table'>;
  private readonly failures: Counter<'table' | 'reason'>;

  constructor(
    private readonly repository: RetentionRepository,
    db: Database,
    private readonly logger: JsonLogger,
    metrics: MetricsService,
    @Inject(RETENTION_OPTIONS) private readonly options: RetentionOptions,
  ) {
    this.loop = new LeaderLoop(
      {
        url: db.options.url,
        applicationName: `${db.options.applicationName} retention`,
        lock: 'matrix retention',
        role: 'runs retention',
        logger,
      },
      options.everyMs,
    );
    this.dropped = metrics.counter({
      name: 'matrix_projector_retention_partitions_dropped_total',
      help: 'Partitions dropped by retention, by table',
      labelNames: ['table'],
    });
    this.deleted = metrics.counter({
      name: 'matrix_projector_retention_rows_deleted_total',
      help: 'Rollup rows deleted by retention, by table',
      labelNames: ['table'],
    });
    this.failures = metrics.counter({
      name: 'matrix_projector_retention_failures_total',
      help: 'Retention work skipped to the next round, by table and reason (busy: a lock not granted in time; error)',
      labelNames: ['table', 'reason'],
    });
  }

  /** Whether any table has a retention (all 0: nothing runs, no lock is contended). */
  get enabled(): boolean {
    const { sensorDataDays, eventsDays, sensorData15mDays } = this.options;
    return sensorDataDays > 0 || eventsDays > 0 || sensorData15mDays > 0;
  }

  onApplicationBootstrap(): void {
    const days = (n: number) => (n > 0 ? `${n} days` : 'forever');
    this.logger.log(
      `retention: ${RETENTION_TABLES.sensorData} ${days(this.options.sensorDataDays)}, ${RETENTION_TABLES.events} ${days(this.options.eventsDays)}, ${RETENTION_TABLES.sensorData15m} ${days(this.options.sensorData15mDays)}`,
      RetentionService.name,
    );
    if (!this.enabled) return;
    this.loop.start((goOn) => this.round(new Date(), goOn));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  get leader(): AdvisoryLeader {
    return this.loop.leader;
  }

  /**
   * One round over every table at `now`, on whichever replica calls it (the leader's loop, or a test):
   * dropping a partition another replica dropped meanwhile is harmless (`gone`).
   */
  runOnce(now: Date = new Date()): Promise<TableRound[]> {
    return this.round(now, () => true);
  }

  /** A round; `goOn` is asked before each change (the leader stops when it lost the lock: another may lead). */
  private async round(now: Date, goOn: () => boolean): Promise<TableRound[]> {
    const { sensorDataDays, eventsDays, sensorData15mDays } = this.options;
    return [
      await this.dropPartitions(RETENTION_TABLES.sensorData, retentionCutoff(now, sensorDataDays), goOn),
      await this.dropPartitions(RETENTION_TABLES.events, retentionCutoff(now, eventsDays), goOn),
      await this.deleteBuckets(retentionCutoff(now, sensorData15mDays), goOn),
    ];
  }

  private get lockTimeoutMs(): number {
    return this.options.lockTimeoutMs ?? RETENTION_LOCK_TIMEOUT_MS;
  }

  private async dropPartitions(
    table: RetentionTable,
    cutoff: Date | undefined,
    goOn: () => boolean,
  ): Promise<TableRound> {
    const round: TableRound = { table, cutoff, dropped: [], deleted: 0, busy: 0 };
    if (cutoff === undefined) return round;
    try {
      for (const partition of partitionsPastRetention(await this.repository.partitions(table), cutoff)) {
        if (!goOn()) break;
        const result = await this.repository.dropPartition(table, partition.name, this.lockTimeoutMs);
        if (result === 'dropped') {
          round.dropped.push(partition.name);
          this.dropped.inc({ table });
          this.logger.log(
            `retention: dropped ${partition.name} (all of it before ${partition.upper!.toISOString()}, cutoff ${cutoff.toISOString()})`,
            RetentionService.name,
          );
        } else if (result === 'busy') {
          round.busy += 1;
          this.failures.inc({ table, reason: 'busy' });
          this.logger.warn(
            `retention: ${partition.name} not dropped, its lock was not granted within ${this.lockTimeoutMs} ms; next round`,
            RetentionService.name,
          );
        }
      }
    } catch (error) {
      this.fail(round, error);
    }
    return round;
  }

  private async deleteBuckets(cutoff: Date | undefined, goOn: () => boolean): Promise<TableRound> {
    const table = RETENTION_TABLES.sensorData15m;
    const round: TableRound = { table, cutoff, dropped: [], deleted: 0, busy: 0 };
    const through = lastExpiredBucket(cutoff);
    if (through === undefined) return round;
    try {
      for (let batch = 0; batch < ROLLUP_BATCHES_PER_ROUND && goOn(); batch += 1) {
        const deleted = await this.repository.deleteBuckets(through, ROLLUP_DELETE_BATCH, this.lockTimeoutMs);
        if (deleted === 'busy') {
          round.busy += 1;
          this.failures.inc({ table, reason: 'busy' });
          this.logger.warn(
            `retention: ${table} rows not deleted, a lock was not granted within ${this.lockTimeoutMs} ms; next round`,
            RetentionService.name,
          );
          break;
        }
        round.deleted += deleted;
        this.deleted.inc({ table }, deleted);
        if (deleted < ROLLUP_DELETE_BATCH) break;
      }
    } catch (error) {
      this.fail(round, error);
    }
    if (round.deleted > 0) {
      this.logger.log(
        `retention: deleted ${round.deleted} rows of ${table} with buckets before ${cutoff!.toISOString()}`,
        RetentionService.name,
      );
    }
    return round;
  }

  private fail(round: TableRound, error: unknown): void {
    round.error = (error as Error).message;
    this.failures.inc({ table: round.table, reason: 'error' });
    this.logger.warn(`retention of ${round.table} failed: ${round.error}; next round`, RetentionService.name);
  }
}
