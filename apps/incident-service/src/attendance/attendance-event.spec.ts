import { CommandError } from '@matrix/messaging';
import { attendanceEventOf, clockTarget, type ClockShift } from './attendance-event';

const NOW = 1_631_349_131;
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof CommandError ? `${error.code} ${error.message}` : String(error);
  }
  return 'ok';
};

describe('attendanceEventOf', () => {
  it('reads the documented body, with Time defaulting to now', () => {
    const body = { IntegrationId: 'kiosk-1', Event: 'CLOCK_IN', Time: 1631349000, ID: 'emp-7' };
    expect(attendanceEventOf(body, NOW)).toEqual({
      integrationId: 'kiosk-1',
      event: 'CLOCK_IN',
      time: 1631349000,
      sourceId: 'emp-7',
    });
    expect(attendanceEventOf({ integrationid: 'kiosk-1', event: 'CLOCK_OUT', id: 'emp-7' }, NOW)).toEqual({
      integrationId: 'kiosk-1',
      event: 'CLOCK_OUT',
      time: NOW,
      sourceId: 'emp-7',
    });
  });

  it('refuses a missing or wrong field naming it', () => {
    const body = { IntegrationId: 'kiosk-1', Event: 'CLOCK_IN', ID: 'emp-7' };
    expect(
      [
        { ...body, IntegrationId: undefined },
        { ...body, Event: 'BREAK' },
        { ...body, Time: -5 },
        { ...body, Time: NOW + 301 },
        { ...body, ID: undefined },
      ].map((b) => refusal(() => attendanceEventOf(b, NOW))),
    ).toEqual([
      'MISSING_PARAMETERS IntegrationId: is required',
      'WRONG_PARAMETERS Event: must be one of CLOCK_IN, CLOCK_OUT',
      'WRONG_PARAMETERS Time: must be epoch seconds (a non-negative integer)',
      `WRONG_PARAMETERS Time: must not be more than 300 s ahead of now (${NOW})`,
      'MISSING_PARAMETERS ID: is required',
    ]);
    expect(refusal(() => attendanceEventOf({ ...body, Time: NOW + 300 }, NOW))).toBe('ok');
  });
});

describe('clockTarget', () => {
  const shift = (id: string, status: string, start: number, extra: Partial<ClockShift> = {}): ClockShift => ({
    shiftId: id,
    status,
    start,
    end: start + 8 * 3600,
    aStart: 0,
    aEnd: 0,
    timeZone: 'UTC',
    ...extra,
  });
  const T = 1_700_000_000;

  it('clocks into the PUBLISHED shift whose window (an hour early to End) holds the time', () => {
    const day = shift('day', 'PUBLISHED', T);
    expect(clockTarget('CLOCK_IN', T - 3600, [day])).toEqual({ kind: 'apply', shift: day });
    expect(clockTarget('CLOCK_IN', T + 8 * 3600 - 1, [day])).toEqual({ kind: 'apply', shift: day });
    expect(clockTarget('CLOCK_IN', T - 3601, [day])).toEqual({ kind: 'none' });
    expect(clockTarget('CLOCK_IN', T + 8 * 3600, [day])).toEqual({ kind: 'none' });
  });

  it('prefers the PUBLISHED shift to an earlier one still in its window, else lets the first be refused', () => {
    const night = shift('night', 'COMPLETED', T - 8 * 3600 + 1800, { aStart: T - 8 * 3600 });
    const day = shift('day', 'PUBLISHED', T + 1800);
    expect(clockTarget('CLOCK_IN', T, [day, night])).toEqual({ kind: 'apply', shift: day });
    const absent = shift('day', 'ABSENT', T);
    expect(clockTarget('CLOCK_IN', T, [absent])).toEqual({ kind: 'apply', shift: absent });
  });

  it('answers a repeated event as the shift it started or ended at that time', () => {
    const started = shift('day', 'STARTED', T, { aStart: T + 60 });
    expect(clockTarget('CLOCK_IN', T + 60, [started])).toEqual({ kind: 'repeat', shift: started });
    expect(clockTarget('CLOCK_IN', T + 61, [started])).toEqual({ kind: 'apply', shift: started });
    const completed = shift('day', 'COMPLETED', T, { aStart: T + 60, aEnd: T + 3600 });
    expect(clockTarget('CLOCK_OUT', T + 3600, [completed])).toEqual({ kind: 'repeat', shift: completed });
    expect(clockTarget('CLOCK_IN', T + 60, [completed])).toEqual({ kind: 'repeat', shift: completed });
  });

  it('clocks out of the latest STARTED shift, and finds none without a clock-in', () => {
    const old = shift('old', 'STARTED', T - 86_400, { aStart: T - 86_400 });
    const day = shift('day', 'STARTED', T, { aStart: T });
    expect(clockTarget('CLOCK_OUT', T + 3600, [day, old])).toEqual({ kind: 'apply', shift: day });
    expect(clockTarget('CLOCK_OUT', T + 3600, [shift('day', 'PUBLISHED', T)])).toEqual({ kind: 'none' });
    expect(clockTarget('CLOCK_OUT', T, [])).toEqual({ kind: 'none' });
  });
});
