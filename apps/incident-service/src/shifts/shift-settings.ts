import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import type { SettingDefinition } from '../ops/setting-values';

/**
 * The schedule settings shifts follow (the Matrix documentation, §7.4 "Settings", schedule), with their
 * documented defaults; a building's own values are `workforce.schedule_settings` (the schedule-settings
 * ops, `src/settings/`). Everything reads them through {@link ShiftSettings.of}.
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

const WEEK = 604_800;

/**
 * The system schedule settings and their documented defaults (§7.4 "Settings", schedule; and
 * `DEFAULT_SHIFT_DURATION`, the key of the documented `scteams.updateSettings` body, Appendix A). Long
 * values are bounded where a value outside would break a shift: a threshold or overshoot of at most a
 * week, an ad hoc shift of 1 s to 24 h (planning's bound on a shift).
 */
export const SYSTEM_SCHEDULE_SETTINGS: Readonly<Record<string, SettingDefinition>> = {
  ABSENT_SHIFT_THRESHOLD: {
    type: 'Long',
    value: 3600,
    unit: 'seconds',
    description: 'A published shift not started this long after its start is marked absent.',
    max: WEEK,
  },
  ALLOW_EARLY_CHECKOUT: {
    type: 'Boolean',
    value: true,
    description: 'Seats may end their shift before its planned end.',
  },
  AUTO_CLOCKOUT: {
    type: 'Boolean',
    value: true,
    description:
      'A started shift still open END_SHIFT_OVERSHOOT after its planned end is clocked out at its end.',
  },
  BUILDING_AVAILBILITY: {
    type: 'Long',
    value: 0,
    description: 'Building availability (documented as "0"; stored and answered, consulted by nothing).',
  },
  DEFAULT_SHIFT_DURATION: {
    type: 'Long',
    value: 28800,
    unit: 'seconds',
    description: 'The default time to use for clocking out unscheduled shifts.',
    min: 1,
    max: 86_400,
  },
  DELAYED_SHIFT_THRESHOLD: {
    type: 'Long',
    value: 1800,
    unit: 'seconds',
    description: 'A published shift not started this long after its start is marked delayed.',
    max: WEEK,
  },
  DISTANCE_THRESHOLD_CHECKIN: {
    type: 'Long',
    value: 1000,
    unit: 'meters',
    description: 'How far from the building a seat may check in.',
  },
  END_SHIFT_OVERSHOOT: {
    type: 'Long',
    value: 4200,
    unit: 'seconds',
    description: 'How long after its planned end a shift may stay open.',
    max: WEEK,
  },
  TIME_FOR_UNSCHEDULED_SHIFT: {
    type: 'Long',
    value: 28800,
    unit: 'seconds',
    description: 'The length of an unscheduled (ad hoc) shift.',
    min: 1,
    max: 86_400,
  },
};

/** The settings shifts consult, by key (the others are stored and answered only). */
const FIELDS: Readonly<Record<string, keyof ScheduleSettings>> = {
  ABSENT_SHIFT_THRESHOLD: 'absentShiftThreshold',
  ALLOW_EARLY_CHECKOUT: 'allowEarlyCheckout',
  AUTO_CLOCKOUT: 'autoClockout',
  DELAYED_SHIFT_THRESHOLD: 'delayedShiftThreshold',
  END_SHIFT_OVERSHOOT: 'endShiftOvershoot',
  TIME_FOR_UNSCHEDULED_SHIFT: 'timeForUnscheduledShift',
};

const systemValue = <T extends number | boolean>(key: string) => SYSTEM_SCHEDULE_SETTINGS[key]!.value as T;

export const DEFAULT_SCHEDULE_SETTINGS: Readonly<ScheduleSettings> = {
  absentShiftThreshold: systemValue('ABSENT_SHIFT_THRESHOLD'),
  allowEarlyCheckout: systemValue('ALLOW_EARLY_CHECKOUT'),
  autoClockout: systemValue('AUTO_CLOCKOUT'),
  delayedShiftThreshold: systemValue('DELAYED_SHIFT_THRESHOLD'),
  endShiftOvershoot: systemValue('END_SHIFT_OVERSHOOT'),
  timeForUnscheduledShift: systemValue('TIME_FOR_UNSCHEDULED_SHIFT'),
};

/** A row of `workforce.schedule_settings` (`long_value` as text: bigint). */
export interface ScheduleSettingRow {
  key: string;
  long_value: string | null;
  boolean_value: boolean | null;
  modified_on: Date;
}

/** The value a stored row holds for a known key. */
export function storedValue(row: ScheduleSettingRow, system: SettingDefinition): number | boolean {
  return system.type === 'Long' ? Number(row.long_value) : row.boolean_value === true;
}

/** The settings shifts follow, from a building's stored rows over the defaults (rows of unknown keys ignored). */
export function scheduleSettingsOf(rows: readonly ScheduleSettingRow[]): ScheduleSettings {
  const settings: Record<string, number | boolean> = { ...DEFAULT_SCHEDULE_SETTINGS };
  for (const row of rows) {
    const field = FIELDS[row.key];
    if (field) settings[field] = storedValue(row, SYSTEM_SCHEDULE_SETTINGS[row.key]!);
  }
  return settings as unknown as ScheduleSettings;
}

export const SCHEDULE_SETTING_ROWS =
  'select key, long_value::text, boolean_value, modified_on from workforce.schedule_settings where pid = $1';

/**
 * The one reader of a building's schedule settings. Not cached: it runs per shift transition, and a
 * per-process cache would be stale on the other replicas after a change; the read is one primary-key range
 * of a small table (`workforce.schedule_settings`, `(pid, key)`).
 */
@Injectable()
export class ShiftSettings {
  constructor(private readonly db: Database) {}

  /** The schedule settings of building `pid`, read in `sql` (a transaction's) when given. */
  async of(pid: string, sql?: Sql): Promise<ScheduleSettings> {
    return scheduleSettingsOf(await (sql ?? this.db).query<ScheduleSettingRow>(SCHEDULE_SETTING_ROWS, [pid]));
  }
}
