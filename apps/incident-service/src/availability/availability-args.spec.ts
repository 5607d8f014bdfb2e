import { refusalOf } from '@matrix/testing';
import { daysOfWeek, timeSlots } from './availability-args';

const P = 'Availability.TimeSlots';

describe('availability bodies', () => {
  it('reads the documented slots: seconds since midnight, the second ending the next day', () => {
    expect(
      timeSlots(
        {
          TimeSlots: [
            { StartTime: 16000, EndTime: 26000, Name: '' },
            { StartTime: 44000, EndTime: 33000, Name: 'evening shift' },
          ],
        },
        'TimeSlots',
        P,
      ),
    ).toEqual([
      { StartTime: 16000, EndTime: 26000, Name: '', NextDay: false },
      { StartTime: 44000, EndTime: 33000, Name: 'evening shift', NextDay: true },
    ]);
    expect(
      timeSlots({ timeslots: [{ starttime: '0', endtime: 86400, NextDay: 'false' }] }, 'TimeSlots'),
    ).toEqual([{ StartTime: 0, EndTime: 86400, Name: '', NextDay: false }]);
  });

  it('refuses more than two, overlapping, inverted-flag or malformed slots, naming the field', () => {
    const slots = (...TimeSlots: unknown[]) => refusalOf(() => timeSlots({ TimeSlots }, 'TimeSlots', P));
    const s = (StartTime: unknown, EndTime: unknown, more = {}) => ({ StartTime, EndTime, ...more });
    expect(slots(s(0, 10), s(20, 30), s(40, 50))).toBe(
      `WRONG_PARAMETERS ${P}: must be a list of 1 to 2 time slots`,
    );
    expect(slots()).toBe(`WRONG_PARAMETERS ${P}: must be a list of 1 to 2 time slots`);
    expect(slots(s(16000, 26000), s(25000, 33000))).toBe(`WRONG_PARAMETERS ${P}[1]: overlaps ${P}[0]`);
    expect(slots(s(80000, 1000), s(0, 500))).toBe('accepted');
    expect(slots(s(80000, 1000), s(85000, 500))).toBe(`WRONG_PARAMETERS ${P}[1]: overlaps ${P}[0]`);
    expect(slots(s(10, 20, { NextDay: true }))).toBe(
      `WRONG_PARAMETERS ${P}[0].NextDay: must be true exactly when EndTime is before StartTime (the slot ends the next day)`,
    );
    expect(slots(s(10, 20, { NextDay: 'yes' }))).toBe(
      `WRONG_PARAMETERS ${P}[0].NextDay: must be true or false`,
    );
    expect(slots(s('04:00', 20))).toBe(
      `WRONG_PARAMETERS ${P}[0].StartTime: must be seconds since midnight, 0 to 86399`,
    );
    expect(slots(s(10, 86401))).toBe(
      `WRONG_PARAMETERS ${P}[0].EndTime: must be seconds since midnight, 0 to 86400`,
    );
    expect(slots(s(10, 10))).toBe(`WRONG_PARAMETERS ${P}[0].EndTime: must differ from StartTime`);
    expect(slots({ StartTime: 10 })).toBe(`MISSING_PARAMETERS ${P}[0].EndTime: is required`);
    expect(slots(s(10, 20, { Name: 7 }))).toBe(`WRONG_PARAMETERS ${P}[0].Name: must be a string`);
  });

  it('reads days of the week, sorted, and refuses others and repeats', () => {
    expect(daysOfWeek({ DaysOfWeek: [6, 4, 5] }, 'DaysOfWeek')).toEqual([4, 5, 6]);
    expect(refusalOf(() => daysOfWeek({ DaysOfWeek: [4, 4] }, 'DaysOfWeek'))).toBe(
      'WRONG_PARAMETERS DaysOfWeek[1]: names day 4 twice',
    );
    expect(refusalOf(() => daysOfWeek({ DaysOfWeek: [-1] }, 'DaysOfWeek'))).toBe(
      'WRONG_PARAMETERS DaysOfWeek[0]: must be a day of the week, 0 (Sunday) to 6 (Saturday)',
    );
    expect(refusalOf(() => daysOfWeek({}, 'DaysOfWeek', 'Availability.DaysOfWeek'))).toBe(
      'MISSING_PARAMETERS Availability.DaysOfWeek: is required',
    );
  });
});
