import { Injectable } from '@nestjs/common';
import type { Sql } from '@matrix/persistence';
import type { ShiftTransition } from './shift-lifecycle';
import type { ShiftRow } from './shift-row';

/*
 * What a shift's change means for the work given to it (docs/data-formats.md "Auto-assignment" and
 * "Workforce incidents"), decided outside shifts/: a seat coming on shift picks up the open auto-assigned
 * incidents waiting for its zones, a shift completing closes the work window of the incidents assigned to
 * it. incidents/ owns those rules and registers itself here (shifts/ imports neither incidents/ nor
 * assignment/, which import shifts/), and the shift writes call it in their own transactions.
 */

/**
 * `on-shift`: the seat is now working the shift (started — by the seat, an admin, or created STARTED ad hoc
 * — or back from a planned break); `off-shift`: the shift completed (end, end-admin, the timer's
 * clock-out); `none`: nothing for the work given to it.
 */
export type ShiftWorkEffect = 'on-shift' | 'off-shift' | 'none';

/** The effect a transition may have, known before the shift row is read (what to lock first). */
export function effectOfTransition(transition: ShiftTransition): ShiftWorkEffect {
  switch (transition) {
    case 'start':
    case 'start-admin':
    case 'end-break':
      return 'on-shift';
    case 'end':
    case 'end-admin':
    case 'auto-clockout':
      return 'off-shift';
    default:
      return 'none';
  }
}

const openPlannedBreak = (row: Pick<ShiftRow, 'breaks'>) =>
  row.breaks.some((b) => b.IsPlannedBreak && b.AStart > 0 && b.AEnd === 0);

/**
 * The effect of a written change (`before` undefined: a shift just created): `on-shift` when the shift is
 * STARTED without an open planned break and was not so before (started, or a planned break ended — ending
 * an unplanned break changes nothing: it never kept incidents away); `off-shift` when it became COMPLETED.
 */
export function effectOfChange(before: ShiftRow | undefined, after: ShiftRow): ShiftWorkEffect {
  const working = (row: ShiftRow) => row.status === 'STARTED' && !openPlannedBreak(row);
  if (working(after) && !(before && working(before))) return 'on-shift';
  if (after.status === 'COMPLETED' && before?.status !== 'COMPLETED') return 'off-shift';
  return 'none';
}

/** The building of a shift write and its IANA time zone (the wall clock of availability), when the op knows it. */
export interface ShiftWorkScope {
  pid: string;
  shiftId?: string;
  timeZone?: string;
}

/** The rules registered for shift changes; every method runs in the shift write's transaction. */
export interface ShiftWorkListener {
  /**
   * Before the shift row is locked (or a shift inserted): the locks that come first in the lock order
   * (the building's auto-assignment row for `on-shift`, the shift's unresolved incidents for `off-shift`).
   * `wait` false: nothing is waited for, and false is answered when a row is held by another transaction.
   */
  lockFirst(tx: Sql, scope: ShiftWorkScope, effect: ShiftWorkEffect, wait: boolean): Promise<boolean>;
  /**
   * With the shift row locked, before it is written: locks, without waiting, what {@link lockFirst} could
   * not know (incidents given to the shift while the write waited for its row); false when one is held.
   */
  lockRest(tx: Sql, row: ShiftRow, effect: ShiftWorkEffect): Promise<boolean>;
  /** After the shift row was written: applies the effect (assignments, INCOMPLETE), with their events. */
  changed(tx: Sql, row: ShiftRow, effect: ShiftWorkEffect, scope: ShiftWorkScope, now: Date): Promise<void>;
}

/** The listener when none registered (shifts/ alone, in a test module): nothing happens to any work. */
const NOTHING: ShiftWorkListener = {
  lockFirst: () => Promise.resolve(true),
  lockRest: () => Promise.resolve(true),
  changed: () => Promise.resolve(),
};

/**
 * Where incidents/ registers its {@link ShiftWorkListener} at module init (one per application); the shift
 * writes call {@link listener}. An observer, not an import: the modules that decide import shifts/.
 */
@Injectable()
export class ShiftWork {
  private registered: ShiftWorkListener = NOTHING;

  register(listener: ShiftWorkListener): void {
    this.registered = listener;
  }

  get listener(): ShiftWorkListener {
    return this.registered;
  }
}

/** Thrown inside a shift write when {@link ShiftWorkListener.lockRest} found a row held: the write runs again. */
export class ShiftWorkBusyError extends Error {
  constructor(shiftId: string) {
    super(`shift ${shiftId}: an incident of the shift is held by another transaction; run again`);
    this.name = 'ShiftWorkBusyError';
  }
}
