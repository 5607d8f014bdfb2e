import { CommandError } from '@matrix/messaging';
import { checkTimesheetTimes, type TimesheetTimes } from './timesheet-times';

const PLAN = { start: 10_000, end: 20_000 };
const NOW = 1_000_000;
const brk = (ID: string, Start: number, End: number) => ({ ID, Start, End, Notes: '', Type: 'meal' });

/** The refusal `checkTimesheetTimes` answers, as `CODE message`, or `ok`. */
function check(times: Partial<TimesheetTimes>): string {
  try {
    checkTimesheetTimes(
      { aStart: 10_000, aEnd: 20_000, breaks: [], timesGiven: true, breaksGiven: true, ...times },
      PLAN,
      NOW,
    );
    return 'ok';
  } catch (error) {
    if (error instanceof CommandError) return `${error.code} ${error.message}`;
    throw error;
  }
}

describe('checkTimesheetTimes', () => {
  it.each<[string, Partial<TimesheetTimes>, string]>([
    ['the planned window', {}, 'ok'],
    ['a window overlapping the plan at one end', { aStart: 5_000, aEnd: 10_001 }, 'ok'],
    [
      'breaks inside the window, back to back',
      { breaks: [brk('2', 12_000, 13_000), brk('1', 11_000, 12_000)] },
      'ok',
    ],
    [
      'AEnd equal to AStart',
      { aEnd: 10_000 },
      'WRONG_PARAMETERS TimeSheet.AEnd: must be after TimeSheet.AStart (10000)',
    ],
    [
      'AEnd before AStart',
      { aStart: 15_000, aEnd: 12_000 },
      'WRONG_PARAMETERS TimeSheet.AEnd: must be after TimeSheet.AStart (15000)',
    ],
    [
      'AEnd in the future',
      { aEnd: NOW + 1 },
      'WRONG_PARAMETERS TimeSheet.AEnd: must not be in the future (now 1000000): a timesheet records work done',
    ],
    [
      'a window over 48 hours',
      { aStart: 1, aEnd: 1 + 172_801 },
      'WRONG_PARAMETERS TimeSheet.AEnd: a timesheet lasts at most 48 hours',
    ],
    [
      'a window before the plan',
      { aStart: 1_000, aEnd: 10_000 },
      "WRONG_PARAMETERS TimeSheet.AStart: TimeSheet.AStart–TimeSheet.AEnd (1000–10000) must overlap the shift's planned window 10000–20000",
    ],
    [
      'kept times before the plan',
      { aStart: 1_000, aEnd: 2_000, timesGiven: false },
      "WRONG_PARAMETERS TimeSheet.AStart: TimeSheet.AStart–TimeSheet.AEnd (1000–2000) must overlap the shift's planned window 10000–20000 (the timesheet's: send TimeSheet.AStart and TimeSheet.AEnd to change them)",
    ],
    [
      'a break ending before it starts',
      { breaks: [brk('1', 12_000, 12_000)] },
      'WRONG_PARAMETERS TimeSheet.Breaks[0].End: must be after its Start',
    ],
    [
      'a break outside the window',
      { breaks: [brk('1', 12_000, 13_000), brk('2', 19_500, 20_500)] },
      'WRONG_PARAMETERS TimeSheet.Breaks[1]: must lie within TimeSheet.AStart–TimeSheet.AEnd (10000–20000)',
    ],
    [
      'overlapping breaks, named in body order',
      { breaks: [brk('1', 14_000, 15_000), brk('2', 12_000, 13_000), brk('3', 12_500, 12_600)] },
      'WRONG_PARAMETERS TimeSheet.Breaks[2]: overlaps TimeSheet.Breaks[1]: breaks do not overlap',
    ],
    [
      'kept breaks outside new times',
      { aStart: 10_000, aEnd: 12_000, breaks: [brk('0001', 12_500, 13_000)], breaksGiven: false },
      'WRONG_PARAMETERS TimeSheet.Breaks: must lie within TimeSheet.AStart–TimeSheet.AEnd (10000–12000) (break 0001, kept from the timesheet: send TimeSheet.Breaks to change it)',
    ],
    [
      'kept times that given breaks do not fit',
      { timesGiven: false, breaks: [brk('1', 9_000, 9_500)] },
      'WRONG_PARAMETERS TimeSheet.Breaks[0]: must lie within TimeSheet.AStart–TimeSheet.AEnd (10000–20000)',
    ],
  ])('%s: %s', (_name, times, expected) => {
    expect(check(times)).toBe(expected);
  });
});
