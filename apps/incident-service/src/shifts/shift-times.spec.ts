import { epochOfWallClock, isoDuration, localTimeOf, onDate, parseDate, wallClockOf } from './shift-times';

const at = (iso: string) => Date.parse(iso) / 1000;
const date = (text: string) => parseDate(text)!;

describe('shift times', () => {
  it('repeats 08:00–16:00 Europe/Berlin on a date across the spring change at 08:00–16:00 local', () => {
    // 2024-03-29 08:00 CET (+01:00); clocks go forward on 2024-03-31.
    const start = at('2024-03-29T07:00:00Z');
    const end = at('2024-03-29T15:00:00Z');
    const [s, e] = onDate([start, end], start, date('20240402'), 'Europe/Berlin');
    expect(localTimeOf(s!, 'Europe/Berlin')).toBe('20240402080000');
    expect(localTimeOf(e!, 'Europe/Berlin')).toBe('20240402160000');
    expect(s).toBe(at('2024-04-02T06:00:00Z')); // CEST (+02:00): an hour earlier in UTC
    expect(e! - s!).toBe(8 * 3600);
  });

  it('repeats 08:00–16:00 America/New_York on the day of the autumn change and after it', () => {
    const start = at('2024-10-31T12:00:00Z'); // 08:00 EDT (-04:00)
    const end = at('2024-10-31T20:00:00Z');
    for (const [day, utcStart] of [
      ['20241103', '2024-11-03T13:00:00Z'],
      ['20241104', '2024-11-04T13:00:00Z'],
    ] as const) {
      const [s, e] = onDate([start, end], start, date(day), 'America/New_York');
      expect(s).toBe(at(utcStart)); // EST (-05:00)
      expect(localTimeOf(s!, 'America/New_York')).toBe(`${day}080000`);
      expect(localTimeOf(e!, 'America/New_York')).toBe(`${day}160000`);
    }
  });

  it('keeps a night shift across the change on its wall clock: 22:00–06:00 is 7 hours that night', () => {
    const start = at('2024-03-28T21:00:00Z'); // 22:00 CET
    const end = at('2024-03-29T05:00:00Z'); // 06:00 CET next morning
    const [s, e] = onDate([start, end], start, date('20240330'), 'Europe/Berlin');
    expect(localTimeOf(s!, 'Europe/Berlin')).toBe('20240330220000');
    expect(localTimeOf(e!, 'Europe/Berlin')).toBe('20240331060000');
    expect(e! - s!).toBe(7 * 3600);
  });

  it('moves to an earlier date too, and keeps a zone without DST exact', () => {
    const start = at('2022-09-01T09:00:00Z'); // 17:00 Asia/Singapore
    const [s] = onDate([start], start, date('20220825'), 'Asia/Singapore');
    expect(s).toBe(start - 7 * 86_400);
  });

  it('reads a skipped local time as late as the skipped span and a repeated one as its first occurrence', () => {
    const wall = { year: 2024, month: 3, day: 31, hour: 2, minute: 30, second: 0 };
    expect(epochOfWallClock(wall, 'Europe/Berlin')).toBe(at('2024-03-31T01:30:00Z')); // 03:30 CEST
    const repeated = { year: 2024, month: 10, day: 27, hour: 2, minute: 30, second: 0 };
    expect(epochOfWallClock(repeated, 'Europe/Berlin')).toBe(at('2024-10-27T00:30:00Z')); // 02:30 CEST
    expect(wallClockOf(at('2024-10-27T00:30:00Z'), 'Europe/Berlin')).toEqual(repeated);
  });

  it('parses real YYYYMMDD dates only', () => {
    expect(parseDate('20240229')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseDate('20230229')).toBeUndefined();
    expect(parseDate('2024-02-01')).toBeUndefined();
    expect(parseDate('20241301')).toBeUndefined();
  });

  it('writes ISO 8601 durations', () => {
    expect(isoDuration(3 * 3600)).toBe('PT3H');
    expect(isoDuration(8 * 3600 + 30 * 60)).toBe('PT8H30M');
    expect(isoDuration(7 * 3600 + 59 * 60 + 59)).toBe('PT7H59M59S');
    expect(isoDuration(0)).toBe('PT0S');
  });
});
