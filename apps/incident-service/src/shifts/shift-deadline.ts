import type { ShiftStatus } from './shift-lifecycle';
import type { ScheduleSettings } from './shift-settings';

/** What happens at a shift's deadline. */
export type ShiftDeadlineKind = 'delayed' | 'absent' | 'auto-clockout';

export interface ShiftDeadline {
  /** Epoch seconds. */
  at: number;
  kind: ShiftDeadlineKind;
}

/** What the deadline depends on. */
export interface TimedShift {
  status: ShiftStatus;
  delayed: boolean;
  start: number;
  end: number;
}

/**
 * A shift's next durable deadline, from its plan and the building's schedule settings (the Matrix
 * documentation, §7.4 "Settings"): a PUBLISHED shift not started is Delayed at Start +
 * DELAYED_SHIFT_THRESHOLD (unless already flagged) and ABSENT at Start + ABSENT_SHIFT_THRESHOLD; a
 * STARTED shift still open at End + END_SHIFT_OVERSHOOT is completed (AEnd = End) when AUTO_CLOCKOUT is
 * on. Any other shift has none. Of a delay and an absence due at the same second, the absence fires.
 */
export function nextShiftDeadline(shift: TimedShift, settings: ScheduleSettings): ShiftDeadline | undefined {
  switch (shift.status) {
    case 'PUBLISHED': {
      const absent = shift.start + settings.absentShiftThreshold;
      const delayed = shift.start + settings.delayedShiftThreshold;
      return !shift.delayed && delayed < absent
        ? { at: delayed, kind: 'delayed' }
        : { at: absent, kind: 'absent' };
    }
    case 'STARTED':
      return settings.autoClockout
        ? { at: shift.end + settings.endShiftOvershoot, kind: 'auto-clockout' }
        : undefined;
    default:
      return undefined;
  }
}
