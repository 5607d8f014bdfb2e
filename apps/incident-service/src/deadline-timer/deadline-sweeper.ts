import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { AdvisoryLeader, type Database, type Sql } from '@matrix/persistence';
import type { JsonLogger } from '@matrix/platform';
import type { Clock } from '../clock/clock';

/** How often a timer's leader sweeps (`ESCALATION_SWEEP_MS`: one period for the service's timers). */
export interface DeadlineTimerOptions {
  sweepMs: number;
}

/** Due rows one sweep claims at most (a full batch is followed by the next at once). */
export const DEADLINE_SWEEP_BATCH = 100;

/** Where a timer's deadlines are: a table, its key column and its due-time column (`timestamptz`). */
export interface DeadlineColumn {
  /** The timer's name in logs and in the leader's connection, e.g. `escalation timer`. */
  name: string;
  /** The advisory lock that elects the leader. */
  lock: string;
  table: string;
  key: string;
  due: string;
}

/**
 * The firing side of a durable timer whose deadlines live in a column of the rows they concern
 * (escalation, shift, task). On the leader replica only (an {@link AdvisoryLeader} on the timer's own
 * lock), every `sweepMs` it reads the keys whose deadline has passed and hands each to `fire` in its own
 * transaction; `fire` locks the row again (`for update skip locked`: a row an op holds is left for the
 * next sweep), checks it is still due and makes its change with a conditional update. So a deadline
 * fires once even if two sweepers ran, and the state is the table: a restart loses nothing.
 */
export abstract class DeadlineSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly leader: AdvisoryLeader;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  protected constructor(
    protected readonly db: Database,
    protected readonly clock: Clock,
    private readonly logger: JsonLogger,
    private readonly options: DeadlineTimerOptions,
    private readonly column: DeadlineColumn,
  ) {
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: `${db.options.applicationName} ${column.name}`,
      lock: column.lock,
      role: `runs the ${column.name}`,
      logger,
    });
  }

  /** The row's due deadline, if it still is due under its lock; true when it fired. */
  protected abstract fire(tx: Sql, key: string, now: Date): Promise<boolean>;

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.leader.start();
    this.next();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.leader.stop();
  }

  /** Fires every deadline due by the clock's now (up to {@link DEADLINE_SWEEP_BATCH}); answers how many fired. Any replica may call it. */
  async sweepOnce(): Promise<number> {
    return (await this.sweep()).fired;
  }

  /** One batch: how many were due, how many of them fired (each in its own transaction). */
  private async sweep(): Promise<{ due: number; fired: number }> {
    const now = this.clock.now();
    const { table, key, due: column } = this.column;
    const due = await this.db.query<{ key: string }>(
      `select ${key} as key from ${table} where ${column} <= $1 order by ${column} limit ${DEADLINE_SWEEP_BATCH}`,
      [now],
    );
    let fired = 0;
    for (const row of due) {
      if (await this.db.transaction((tx) => this.fire(tx, row.key, now))) fired += 1;
    }
    return { due: due.length, fired };
  }

  private next(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.next());
    }, this.options.sweepMs);
  }

  private async tick(): Promise<void> {
    if (!this.leader.isLeader) return;
    try {
      // A full batch means more are due (a backlog, the first sweep after a migration): go on at once,
      // up to 50 batches a tick (rows held by long transactions are skipped, and must not make it spin).
      for (let batch = 0; batch < 50 && !this.stopped && this.leader.isLeader; batch += 1) {
        if ((await this.sweep()).due < DEADLINE_SWEEP_BATCH) break;
      }
    } catch (error) {
      this.logger.warn(
        `${this.column.name} sweep failed: ${(error as Error).message}`,
        this.constructor.name,
      );
    }
  }
}
