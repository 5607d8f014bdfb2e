import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AdvisoryLeader, Database, type Sql } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { Clock } from '../clock/clock';
import { ShiftSettings } from '../shifts/shift-settings';
import type { TaskGroupRow } from '../tasks/task-group-row';
import { TasksRepository } from '../tasks/tasks.repository';

export const TASK_TIMER_OPTIONS = Symbol('TASK_TIMER_OPTIONS');

export interface TaskTimerOptions {
  /** How often the leader sweeps. */
  sweepMs: number;
}

/** Due task groups one sweep claims at most (a full batch is followed by the next at once). */
export const TASK_SWEEP_BATCH = 100;

/** `By` of the TASK_INCOMPLETE events the timer writes. */
export const TASK_TIMER_ACTOR = 'task-timer';

/**
 * The durable TASK_INCOMPLETE timer (the pattern of src/escalation-timer/). A task group still open
 * (PUBLISHED, STARTED or PAUSED) when its work window closes — its `End` + the building's
 * `END_SHIFT_OVERSHOOT` (the Matrix documentation, §7.4 "Settings": 4200 s by default) — becomes
 * INCOMPLETE with one TASK_INCOMPLETE. The deadline is `workforce.task_groups.incomplete_at`, kept by a
 * trigger on every write of a task group's status or End (migration 1766000000200). On the leader
 * replica only (an {@link AdvisoryLeader} on its own lock), every `sweepMs` the sweeper reads the due
 * task groups and fires each in its own transaction: the row locked again (`for update skip locked`:
 * one a transition or another sweeper holds is left for later) and still due, the building's overshoot
 * read (a later window is stored instead of firing), then a conditional update on the status it read,
 * with the event in the outbox. So a deadline fires once even if two sweepers run, never after a
 * concurrent completion, and survives restarts (the state is the table).
 */
@Injectable()
export class TaskIncompleteSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly leader: AdvisoryLeader;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly tasks: TasksRepository,
    private readonly settings: ShiftSettings,
    private readonly logger: JsonLogger,
    @Inject(TASK_TIMER_OPTIONS) private readonly options: TaskTimerOptions,
  ) {
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: `${db.options.applicationName} task timer`,
      lock: 'workforce.task_groups incomplete timer',
      role: 'runs the task timer',
      logger,
    });
  }

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

  /** Fires the deadlines due by the clock's now (up to {@link TASK_SWEEP_BATCH}); answers how many fired. Any replica may call it. */
  async sweepOnce(): Promise<number> {
    return (await this.sweep()).fired;
  }

  private async sweep(): Promise<{ due: number; fired: number }> {
    const now = this.clock.now();
    const due = await this.db.query<{ task_id: string }>(
      `select task_id from workforce.task_groups where incomplete_at <= $1 order by incomplete_at limit ${TASK_SWEEP_BATCH}`,
      [now],
    );
    let fired = 0;
    for (const { task_id } of due) {
      if (await this.db.transaction((tx) => this.fire(tx, task_id, now))) fired += 1;
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
      for (let batch = 0; batch < 50 && !this.stopped && this.leader.isLeader; batch += 1) {
        if ((await this.sweep()).due < TASK_SWEEP_BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`task sweep failed: ${(error as Error).message}`, 'TaskIncompleteSweeper');
    }
  }

  /** One task group's due deadline, if it still is due under the lock; true when it became INCOMPLETE. */
  private async fire(tx: Sql, taskId: string, now: Date): Promise<boolean> {
    const [row] = await tx.query<TaskGroupRow>(
      `select * from workforce.task_groups where task_id = $1 and incomplete_at <= $2 for update skip locked`,
      [taskId, now],
    );
    if (!row) return false; // fired by another sweeper, moved by a transition, or held by one right now
    const { endShiftOvershoot } = await this.settings.of(row.pid, tx);
    const closes = Number(row.end_at) + endShiftOvershoot;
    if (closes > Math.floor(now.getTime() / 1000)) {
      // The building allows a longer overshoot than the stored default: wait for its own window.
      await tx.query('update workforce.task_groups set incomplete_at = to_timestamp($2) where task_id = $1', [
        taskId,
        closes,
      ]);
      return false;
    }
    if (await this.tasks.markIncomplete(tx, row, TASK_TIMER_ACTOR, now)) return true;
    // Not open any more (cannot happen while the trigger keeps the column): never look at it again.
    await tx.query('update workforce.task_groups set incomplete_at = null where task_id = $1', [taskId]);
    return false;
  }
}
