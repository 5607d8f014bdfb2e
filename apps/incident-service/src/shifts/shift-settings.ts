import { Injectable } from '@nestjs/common';
import type { Sql } from '@matrix/persistence';

/**
 * The schedule settings shifts follow (the Matrix documentation, §7.4 "Settings", schedule), with their
 * documented defaults. A building's own values arrive with the schedule-settings ops (a later issue);
 * until then every building has the defaults. Everything reads them through {@link ShiftSettings.of},
 * the one place that will read the stored values.
 */
export interface ScheduleSettings {
  /** `ABSENT_SHIFT_THRESHOLD`: a PUBLISHED shift not started by Start + this is ABSENT. */
  absentShiftThreshold: number;
  /** `ALLOW_EARLY_CHECKOUT`: a seat may end its shift before End. */
  allowEarlyCheckout: boolean;
  /** `AUTO_CLOCKOUT`: a STARTED shift still open at End + END_SHIFT_OVERSHOOT is completed at End. */
  autoClockout: boolean;
  /** `DELAYED_SHIFT_THRESHOLD`: a PUBLISHED shift not started by Start + this is Delayed. */
  delayedShiftThreshold: number;
  /** `END_SHIFT_OVERSHOOT`: how long after End a shift may stay open. */
  endShiftOvershoot: number;
  /** `TIME_FOR_UNSCHEDULED_SHIFT`: the length of an ad hoc shift. */
  timeForUnscheduledShift: number;
}

export const DEFAULT_SCHEDULE_SETTINGS: Readonly<ScheduleSettings> = {
  absentShiftThreshold: 3600,
  allowEarlyCheckout: true,
  autoClockout: true,
  delayedShiftThreshold: 1800,
  endShiftOvershoot: 4200,
  timeForUnscheduledShift: 28800,
};

@Injectable()
export class ShiftSettings {
  /**
   * The schedule settings of building `pid` (read in `sql`, a transaction's, when given): the documented
   * defaults until the schedule-settings ops store a building's own values.
   */
  of(_pid: string, _sql?: Sql): Promise<ScheduleSettings> {
    return Promise.resolve(DEFAULT_SCHEDULE_SETTINGS);
  }
}
