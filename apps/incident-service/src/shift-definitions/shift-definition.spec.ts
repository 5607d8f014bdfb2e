import { refusalOf } from '@matrix/testing';
import { canonicalSetting, daysNamed, sameSettings, shiftSettings } from './shift-definition';

const P = 'PropertyShiftSetting.ShiftSettings';

describe('property shift definitions: reading the documented bodies', () => {
  it('reads the documented create example: seconds of the day, DaysOfWeek', () => {
    const body = {
      ShiftSettings: [{ End: 61200, Start: 28800, Name: 'Morning Shift', ColorCode: 'somecode' }],
      DaysOfWeek: [1, 2, 3, 4],
    };
    expect(daysNamed(body)).toEqual([1, 2, 3, 4]);
    expect(shiftSettings(body, P)).toEqual([
      { Name: 'Morning Shift', Start: 28800, End: 61200, NextDay: false, ColorCode: 'somecode' },
    ]);
  });

  it('reads the documented update example: DayOfWeek, a shift crossing midnight, ExpectedPresent(ByTeam)', () => {
    const body = {
      ShiftSettings: [
        {
          End: 61200,
          Start: 68800,
          Name: 'evening Shift',
          ColorCode: '#ffffff',
          ExpectedPresentByTeam: { 'b633094b-8516-4283-b849-ccb9776ada88': 5 },
        },
        { End: 28800, Start: 0, Name: 'Night Shift', ExpectedPresent: 10, ColorCode: '#ffffff' },
      ],
      DayOfWeek: 1,
    };
    expect(daysNamed(body)).toEqual([1]);
    expect(shiftSettings(body, P)).toEqual([
      {
        Name: 'evening Shift',
        Start: 68800,
        End: 61200,
        NextDay: true,
        ColorCode: '#ffffff',
        ExpectedPresentByTeam: { 'b633094b-8516-4283-b849-ccb9776ada88': 5 },
      },
      {
        Name: 'Night Shift',
        Start: 0,
        End: 28800,
        NextDay: false,
        ColorCode: '#ffffff',
        ExpectedPresent: 10,
      },
    ]);
  });

  it('takes DaysOfWeek and DayOfWeek each as a day or a list, in any letter case, and both only when they agree', () => {
    expect(daysNamed({ dayofweek: [3, 1] })).toEqual([1, 3]);
    expect(daysNamed({ DaysOfWeek: 5 })).toEqual([5]);
    expect(daysNamed({ DaysOfWeek: [2], DayOfWeek: 2 })).toEqual([2]);
    expect(refusalOf(() => daysNamed({ DaysOfWeek: [2], DayOfWeek: 3 }))).toBe(
      'WRONG_PARAMETERS DayOfWeek: names other days than DaysOfWeek',
    );
    expect(refusalOf(() => daysNamed({}, 'PropertyShiftSetting.'))).toBe(
      'MISSING_PARAMETERS PropertyShiftSetting.DaysOfWeek: is required',
    );
    expect(refusalOf(() => daysNamed({ DaysOfWeek: [1, 7] }))).toBe(
      'WRONG_PARAMETERS DaysOfWeek[1]: must be a day of the week, 0 (Sunday) to 6 (Saturday)',
    );
    expect(refusalOf(() => daysNamed({ DaysOfWeek: [1, 1] }))).toBe(
      'WRONG_PARAMETERS DaysOfWeek[1]: names day 1 twice',
    );
    expect(refusalOf(() => daysNamed({ DaysOfWeek: [] }))).toBe(
      'WRONG_PARAMETERS DaysOfWeek: must name at least one day of the week',
    );
  });

  it('refuses malformed shift definitions, naming the field', () => {
    const one = (setting: Record<string, unknown>) =>
      refusalOf(() => shiftSettings({ ShiftSettings: [setting] }, P));
    expect(one({ Start: 0, End: 3600 })).toBe(`MISSING_PARAMETERS ${P}[0].Name: is required`);
    expect(one({ Name: 'A', End: 3600 })).toBe(`MISSING_PARAMETERS ${P}[0].Start: is required`);
    expect(one({ Name: 'A', Start: 86400, End: 3600 })).toBe(
      `WRONG_PARAMETERS ${P}[0].Start: must be seconds since midnight, 0 to 86399`,
    );
    expect(one({ Name: 'A', Start: '08:00', End: 3600 })).toBe(
      `WRONG_PARAMETERS ${P}[0].Start: must be seconds since midnight, 0 to 86399`,
    );
    expect(one({ Name: 'A', Start: 3600, End: 3600 })).toBe(
      `WRONG_PARAMETERS ${P}[0].End: must differ from Start`,
    );
    expect(one({ Name: 'A', Start: 3600, End: 7200, NextDay: true })).toBe(
      `WRONG_PARAMETERS ${P}[0].NextDay: must be true exactly when End is before Start (the shift ends the next day)`,
    );
    expect(one({ Name: 'A', Start: 0, End: 1, ExpectedPresentByTeam: { t1: -1 } })).toBe(
      `WRONG_PARAMETERS ${P}[0].ExpectedPresentByTeam.t1: must be a head count (a whole number, 0 or more)`,
    );
    expect(refusalOf(() => shiftSettings({ ShiftSettings: [] }, P))).toBe(
      `WRONG_PARAMETERS ${P}: must be a list of 1 to 20 shift definitions`,
    );
    expect(
      refusalOf(() =>
        shiftSettings(
          {
            ShiftSettings: [
              { Name: 'Day', Start: 0, End: 1 },
              { Name: 'day ', Start: 5, End: 9 },
            ],
          },
          P,
        ),
      ),
    ).toBe(`WRONG_PARAMETERS ${P}[1].Name: names shift day  twice on one day`);
  });

  it('compares definitions whatever the key order of the stored JSON', () => {
    const a = { Name: 'A', Start: 0, End: 1, NextDay: false, ExpectedPresentByTeam: { y: 1, x: 2 } };
    const b = { ExpectedPresentByTeam: { x: 2, y: 1 }, NextDay: false, End: 1, Start: 0, Name: 'A' };
    expect(sameSettings([a], [b])).toBe(true);
    expect(sameSettings([a], [{ ...b, End: 2 }])).toBe(false);
    expect(Object.keys(canonicalSetting(b))).toEqual([
      'Name',
      'Start',
      'End',
      'NextDay',
      'ExpectedPresentByTeam',
    ]);
  });
});
