import { DEFAULT_SCHEDULE_SETTINGS, scheduleSettingsOf, SYSTEM_SCHEDULE_SETTINGS } from './shift-settings';

const row = (key: string, value: number | boolean) => ({
  key,
  long_value: typeof value === 'number' ? String(value) : null,
  boolean_value: typeof value === 'boolean' ? value : null,
  modified_on: new Date(0),
});

describe('schedule settings: a building’s rows over the documented defaults', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_SCHEDULE_SETTINGS).toEqual({
      absentShiftThreshold: 3600,
      allowEarlyCheckout: true,
      autoClockout: true,
      delayedShiftThreshold: 1800,
      endShiftOvershoot: 4200,
      timeForUnscheduledShift: 28800,
    });
    expect(Object.keys(SYSTEM_SCHEDULE_SETTINGS)).toHaveLength(9);
  });

  it('takes the building’s values of the keys shifts consult, ignoring the others and unknown keys', () => {
    expect(scheduleSettingsOf([])).toEqual(DEFAULT_SCHEDULE_SETTINGS);
    expect(
      scheduleSettingsOf([
        row('DELAYED_SHIFT_THRESHOLD', 600),
        row('AUTO_CLOCKOUT', false),
        row('DISTANCE_THRESHOLD_CHECKIN', 5),
        row('NO_LONGER_KNOWN', 7),
      ]),
    ).toEqual({ ...DEFAULT_SCHEDULE_SETTINGS, delayedShiftThreshold: 600, autoClockout: false });
  });
});
