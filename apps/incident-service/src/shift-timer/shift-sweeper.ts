import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AdvisoryLeader, Database, type Sql } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { Clock } from '../clock/clock';
import { nextShiftDeadline, type ShiftDeadlineKind } from '../shifts/shift-deadline';
import { transitShift, type ShiftTransition } from '../shifts/shift-lifecycle';
import type { ShiftBreak, ShiftRow } from '../shifts/shift-row';
import { ShiftSettings } from '../shifts/shift-settings';
import { ShiftsRepository, stateOf, type ShiftChange } from '../shifts/shifts.repository';

export const SHIFT_TIMER_OPTIONS = Symbol('SHIFT_TIMER_OPTIONS');

export interface ShiftTimerOptions {
  /** How often the leader sweeps (`ESCALATION_SWEEP_MS`: one period for the service's timers). */
  sweepMs: number;
}

/** Due shifts one sweep claims at most (a full batch is followed by the next at once). */
export const SHIFT_SWEEP_BATCH = 100;

/** `By` of the changes and events the timer makes. */
export const SHIFT_TIMER_ACTOR = 'shift-timer';

const TRANSITION_OF: Record<ShiftDeadlineKind, ShiftTransition> = {
  delayed: 'mark-delayed',
  absent: 'mark-absent',
  'auto-clockout': 'auto-clockout',
};

/** What a deadline changes beside the status, and its event. */
function changeOf(kind: ShiftDeadlineKind, row: ShiftRow): ShiftChange {
  switch (kind) {
    case 'delayed':
      return { events: ['SHIFT_DELAYED'] };
    case 'absent':
      return { events: ['SHIFT_ABSENT'] };
    case 'auto-clockout': {
      // Clocked out at the planned End (never before the clock-in); an open break ends there too.
      const aEnd = Math.max(Number(row.end_at), Number(row.a_start));
      const breaks = row.breaks.map((b: ShiftBreak) =>
        b.AStart > 0 && b.AEnd === 0
          ? { ...b, AEnd: Math.max(aEnd, b.AStart), DurationInSeconds: Math.max(aEnd, b.AStart) - b.AStart }
          : b,
      );
      return { aEnd, breaks, events: ['SHIFT_COMPLETED'] };
    }
  }
}

/**
 * The durable shift timer's firing side (the escalation timer's pattern). On the leader replica only (an
 * {@link AdvisoryLeader} on its own lock), every `sweepMs` it reads the shifts whose `timer_at` has passed
 * and fires each in its own transaction: the row locked again (`for update skip locked`: a row an op
 * holds is left for the next sweep) and still due, the deadline recomputed from the row and the building's
 * schedule settings, then the transition — Delayed (SHIFT_DELAYED), ABSENT (SHIFT_ABSENT) or the
 * auto-clockout (COMPLETED at End, SHIFT_COMPLETED) — with its event in the outbox and the next deadline.
 * So a deadline fires once even if two sweepers ran, and never after an op moved the shift on. The state
 * is the table: a restart loses nothing.
 */
@Injectable()
export class ShiftSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly leader: AdvisoryLeader;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly shifts: ShiftsRepository,
    private readonly settings: ShiftSettings,
    private readonly logger: JsonLogger,
    @Inject(SHIFT_TIMER_OPTIONS) private readonly options: ShiftTimerOptions,
  ) {
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: `${db.options.applicationName} shift timer`,
      lock: 'workforce.shifts shift timer',
      role: 'runs the shift timer',
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

  /** Fires every deadline due by the clock's now (up to {@link SHIFT_SWEEP_BATCH}); answers how many fired. Any replica may call it. */
  async sweepOnce(): Promise<number> {
    return (await this.sweep()).fired;
  }

  private async sweep(): Promise<{ due: number; fired: number }> {
    const now = this.clock.now();
    const due = await this.db.query<{ shift_id: string }>(
      `select shift_id from workforce.shifts where timer_at <= $1 order by timer_at limit ${SHIFT_SWEEP_BATCH}`,
      [now],
    );
    let fired = 0;
    for (const { shift_id } of due) {
      if (await this.db.transaction((tx) => this.fire(tx, shift_id, now))) fired += 1;
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
        if ((await this.sweep()).due < SHIFT_SWEEP_BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`shift sweep failed: ${(error as Error).message}`, 'ShiftSweeper');
    }
  }

  /** One shift's due deadline, if it still is due under the lock; true when a transition fired. */
  private async fire(tx: Sql, shiftId: string, now: Date): Promise<boolean> {
    const [row] = await tx.query<ShiftRow>(
      'select * from workforce.shifts where shift_id = $1 and timer_at <= $2 for update skip locked',
      [shiftId, now],
    );
    if (!row) return false; // fired by another sweeper, moved by an op, or held by one right now
    const settings = await this.settings.of(row.pid, tx);
    const deadline = nextShiftDeadline(
      { status: row.status, delayed: row.delayed, start: Number(row.start_at), end: Number(row.end_at) },
      settings,
    );
    if (!deadline || deadline.at > Math.floor(now.getTime() / 1000)) {
      // The settings changed since it was stored: keep the recomputed deadline, fire nothing.
      await tx.query('update workforce.shifts set timer_at = $2, timer_kind = $3 where shift_id = $1', [
        shiftId,
        deadline ? new Date(deadline.at * 1000) : null,
        deadline?.kind ?? null,
      ]);
      return false;
    }
    const outcome = transitShift(stateOf(row), TRANSITION_OF[deadline.kind]);
    if (!outcome.ok) {
      await tx.query('update workforce.shifts set timer_at = null, timer_kind = null where shift_id = $1', [
        shiftId,
      ]);
      return false;
    }
    await this.shifts.apply(
      tx,
      row,
      outcome.to,
      changeOf(deadline.kind, row),
      settings,
      SHIFT_TIMER_ACTOR,
      now,
    );
    return true;
  }
}
