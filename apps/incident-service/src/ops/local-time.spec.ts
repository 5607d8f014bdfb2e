import { addDays, dayOfWeek, epochOfWall, isTimeZone, wallClock, yyyymmdd } from './local-time';

const utc = (iso: string) => Date.parse(iso) / 1000;

describe('wall-clock time in an IANA zone', () => {
  it('reads the local date, day of the week and seconds since local midnight', () => {
    expect(wallClock(utc('2026-03-28T21:00:00Z'), 'Europe/Berlin')).toEqual({
      year: 2026,
      month: 3,
      day: 28,
      dow: 6,
      seconds: 22 * 3600,
    });
    // Singapore is 8 h ahead: 20:30 UTC on a Saturday is 04:30 on Sunday.
    expect(wallClock(utc('2026-03-28T20:30:00Z'), 'Asia/Singapore')).toMatchObject({
      day: 29,
      dow: 0,
      seconds: 16_200,
    });
  });

  it('reads the hours after a spring-forward change with the summer offset', () => {
    // Europe/Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    expect(wallClock(utc('2026-03-29T00:59:59Z'), 'Europe/Berlin').seconds).toBe(3600 + 3599);
    expect(wallClock(utc('2026-03-29T01:00:00Z'), 'Europe/Berlin').seconds).toBe(3 * 3600);
  });

  it('turns a wall-clock time back into an instant, on ordinary and on clock-change days', () => {
    expect(epochOfWall({ year: 2026, month: 3, day: 28 }, 22 * 3600, 'Europe/Berlin')).toBe(
      utc('2026-03-28T21:00:00Z'),
    );
    // Past midnight into the next day, which is the change day: 06:00 CEST.
    expect(epochOfWall({ year: 2026, month: 3, day: 28 }, 30 * 3600, 'Europe/Berlin')).toBe(
      utc('2026-03-29T04:00:00Z'),
    );
    expect(epochOfWall({ year: 2026, month: 10, day: 25 }, 6 * 3600, 'Europe/Berlin')).toBe(
      utc('2026-10-25T05:00:00Z'),
    );
  });

  it('reads a wall time that does not occur as that far past the change, and one that occurs twice as the first', () => {
    // 02:30 on 2026-03-29 does not exist in Berlin: 03:30 CEST.
    expect(epochOfWall({ year: 2026, month: 3, day: 29 }, 9000, 'Europe/Berlin')).toBe(
      utc('2026-03-29T01:30:00Z'),
    );
    // 02:30 on 2026-10-25 occurs at 00:30 UTC (CEST) and at 01:30 UTC (CET): the first.
    expect(epochOfWall({ year: 2026, month: 10, day: 25 }, 9000, 'Europe/Berlin')).toBe(
      utc('2026-10-25T00:30:00Z'),
    );
    // New York springs forward at 02:00 on 2026-03-08: 02:15 is 03:15 EDT.
    expect(epochOfWall({ year: 2026, month: 3, day: 8 }, 8100, 'America/New_York')).toBe(
      utc('2026-03-08T07:15:00Z'),
    );
  });

  it('counts dates and days of the week across month and year ends', () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2026, month: 3, day: 1 }, -1)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(dayOfWeek({ year: 2026, month: 3, day: 29 })).toBe(0);
    expect(yyyymmdd({ year: 2026, month: 3, day: 9 })).toBe('20260309');
  });

  it('knows IANA zones and refuses other names', () => {
    expect(isTimeZone('Asia/Singapore')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('wallClock, remembered', () => {
  it('answers a repeated instant with the same frozen reading, and each zone its own', () => {
    const at = Date.UTC(2026, 2, 29, 1, 30) / 1000; // 03:30 CEST in Berlin, 02:30 BST in London (both changed at 01:00 UTC)
    const berlin = wallClock(at, 'Europe/Berlin');
    expect(wallClock(at, 'Europe/Berlin')).toBe(berlin);
    expect(Object.isFrozen(berlin)).toBe(true);
    expect(berlin).toMatchObject({ year: 2026, month: 3, day: 29, dow: 0, seconds: 3 * 3600 + 30 * 60 });
    expect(wallClock(at, 'Europe/London')).toMatchObject({ day: 29, seconds: 2 * 3600 + 30 * 60 });
  });
});
