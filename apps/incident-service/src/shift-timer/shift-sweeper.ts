import { Inject, Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { Clock } from '../clock/clock';
import { DeadlineSweeper, type DeadlineTimerOptions } from '../deadline-timer/deadline-sweeper';
import { nextShiftDeadline, type ShiftDeadlineKind } from '../shifts/shift-deadline';
import { transitShift, type ShiftTransition } from '../shifts/shift-lifecycle';
import type { ShiftBreak, ShiftRow } from '../shifts/shift-row';
import { ShiftSettings } from '../shifts/shift-settings';
import { ShiftsRepository, stateOf, type ShiftChange } from '../shifts/shifts.repository';

export const SHIFT_TIMER_OPTIONS = Symbol('SHIFT_TIMER_OPTIONS');

export type ShiftTimerOptions = DeadlineTimerOptions;

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
 * The durable shift timer's firing side ({@link DeadlineSweeper} over `workforce.shifts.timer_at`): each
 * due shift in its own transaction: the row locked again (`for update skip locked`: a row an op
 * holds is left for the next sweep) and still due, the deadline recomputed from the row and the building's
 * schedule settings, then the transition — Delayed (SHIFT_DELAYED), ABSENT (SHIFT_ABSENT) or the
 * auto-clockout (COMPLETED at End, SHIFT_COMPLETED) — with its event in the outbox and the next deadline.
 * So a deadline fires once even if two sweepers ran, and never after an op moved the shift on. The state
 * is the table: a restart loses nothing.
 */
@Injectable()
export class ShiftSweeper extends DeadlineSweeper {
  constructor(
    db: Database,
    clock: Clock,
    private readonly shifts: ShiftsRepository,
    private readonly settings: ShiftSettings,
    logger: JsonLogger,
    @Inject(SHIFT_TIMER_OPTIONS) options: ShiftTimerOptions,
  ) {
    super(db, clock, logger, options, {
      name: 'shift timer',
      lock: 'workforce.shifts shift timer',
      table: 'workforce.shifts',
      key: 'shift_id',
      due: 'timer_at',
    });
  }

  /** One shift's due deadline, if it still is due under the lock; true when a transition fired. */
  protected async fire(tx: Sql, shiftId: string, now: Date): Promise<boolean> {
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
    // The incidents an auto clock-out closes are locked without waiting (the shift row is held already):
    // one held by an op leaves the deadline for the next sweep, as a held shift row does.
    if (!(await this.shifts.workLockable(tx, row, TRANSITION_OF[deadline.kind]))) return false;
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
