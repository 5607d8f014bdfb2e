import { refusalOf } from '@matrix/testing';
import { canonicalShiftHour, shiftHours } from './shift-hours';

describe('shift hours: reading the documented body', () => {
  it('reads the documented example: epoch seconds, NextDay false unless sent', () => {
    expect(
      shiftHours({
        ShiftHours: [
          { ShiftName: 'Morning Shift', ColorCode: '#fff123', Start: 123456, End: 234567 },
          { shiftname: 'evening Shift', colorcode: '#fff123', start: '234567', END: 334567, NextDay: 'true' },
        ],
      }),
    ).toEqual([
      { ShiftName: 'Morning Shift', Start: 123456, End: 234567, NextDay: false, ColorCode: '#fff123' },
      { ShiftName: 'evening Shift', Start: 234567, End: 334567, NextDay: true, ColorCode: '#fff123' },
    ]);
  });

  it.each([
    [{}, 'MISSING_PARAMETERS ShiftHours: is required'],
    [{ ShiftHours: [] }, 'WRONG_PARAMETERS ShiftHours: must be a list of 1 to 20 shifts'],
    [
      { ShiftHours: Array.from({ length: 21 }, (_, i) => ({ ShiftName: `S${i}`, Start: i, End: i + 1 })) },
      'WRONG_PARAMETERS ShiftHours: must be a list of 1 to 20 shifts',
    ],
    [{ ShiftHours: ['Morning'] }, 'WRONG_PARAMETERS ShiftHours[0]: must be an object'],
    [
      { ShiftHours: [{ ShiftName: ' ', Start: 0, End: 1 }] },
      'WRONG_PARAMETERS ShiftHours[0].ShiftName: must not be empty',
    ],
    [
      { ShiftHours: [{ ShiftName: 'A', Start: -1, End: 1 }] },
      'WRONG_PARAMETERS ShiftHours[0].Start: must be epoch seconds (a non-negative integer)',
    ],
    [
      { ShiftHours: [{ ShiftName: 'A', Start: 5, End: 4 }] },
      'WRONG_PARAMETERS ShiftHours[0].End: must be after Start',
    ],
    [
      { ShiftHours: [{ ShiftName: 'A', Start: 0, End: 172_801 }] },
      'WRONG_PARAMETERS ShiftHours[0].End: must be at most 172800 seconds after Start',
    ],
    [
      {
        ShiftHours: [
          { ShiftName: 'Night', Start: 0, End: 1 },
          { ShiftName: ' night ', Start: 2, End: 3 },
        ],
      },
      'WRONG_PARAMETERS ShiftHours[1].ShiftName: names shift  night  twice',
    ],
  ])('refuses %j naming the field', (body, expected) => {
    expect(refusalOf(() => shiftHours(body))).toBe(expected);
  });

  it('answers a stored shift with its keys in the documented order', () => {
    const stored = { ColorCode: '#000', NextDay: true, End: 2, Start: 1, ShiftName: 'N' };
    expect(Object.keys(canonicalShiftHour(stored))).toEqual([
      'ShiftName',
      'Start',
      'End',
      'NextDay',
      'ColorCode',
    ]);
    expect(canonicalShiftHour({ ShiftName: 'N', Start: 1, End: 2, NextDay: false })).not.toHaveProperty(
      'ColorCode',
    );
  });
});
