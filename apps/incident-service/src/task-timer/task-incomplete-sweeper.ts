import { Inject, Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { Clock } from '../clock/clock';
import { DeadlineSweeper, type DeadlineTimerOptions } from '../deadline-timer/deadline-sweeper';
import { ShiftSettings } from '../shifts/shift-settings';
import type { TaskGroupRow } from '../tasks/task-group-row';
import { TasksRepository } from '../tasks/tasks.repository';

export const TASK_TIMER_OPTIONS = Symbol('TASK_TIMER_OPTIONS');

export type TaskTimerOptions = DeadlineTimerOptions;

/** `By` of the TASK_INCOMPLETE events the timer writes. */
export const TASK_TIMER_ACTOR = 'task-timer';

/**
 * The durable TASK_INCOMPLETE timer (the pattern of src/escalation-timer/). A task group still open
 * (PUBLISHED, STARTED or PAUSED) when its work window closes — its `End` + the building's
 * `END_SHIFT_OVERSHOOT` (the Matrix documentation, §7.4 "Settings": 4200 s by default) — becomes
 * INCOMPLETE with one TASK_INCOMPLETE. The deadline is `workforce.task_groups.incomplete_at`, kept by a
 * trigger on every write of a task group's status or End (migration 1766000000200), swept by a
 * {@link DeadlineSweeper}: each due task group in its own transaction: the row locked again (`for update skip locked`:
 * one a transition or another sweeper holds is left for later) and still due, the building's overshoot
 * read (a later window is stored instead of firing), then a conditional update on the status it read,
 * with the event in the outbox. So a deadline fires once even if two sweepers run, never after a
 * concurrent completion, and survives restarts (the state is the table).
 */
@Injectable()
export class TaskIncompleteSweeper extends DeadlineSweeper {
  constructor(
    db: Database,
    clock: Clock,
    private readonly tasks: TasksRepository,
    private readonly settings: ShiftSettings,
    logger: JsonLogger,
    @Inject(TASK_TIMER_OPTIONS) options: TaskTimerOptions,
  ) {
    super(db, clock, logger, options, {
      name: 'task timer',
      lock: 'workforce.task_groups incomplete timer',
      table: 'workforce.task_groups',
      key: 'task_id',
      due: 'incomplete_at',
    });
  }

  /** One task group's due deadline, if it still is due under the lock; true when it became INCOMPLETE. */
  protected async fire(tx: Sql, taskId: string, now: Date): Promise<boolean> {
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
