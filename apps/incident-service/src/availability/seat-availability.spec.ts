import {
  availableForZone,
  overlappingSlots,
  seatsAvailableAt,
  slotCovers,
  windowsInRange,
  type DayAvailability,
  type TimeSlot,
  type ZonesByBuilding,
} from './seat-availability';

const utc = (iso: string) => Date.parse(iso) / 1000;
const slot = (StartTime: number, EndTime: number, Name = ''): TimeSlot => ({
  StartTime,
  EndTime,
  Name,
  NextDay: EndTime < StartTime,
});
const H = 3600;
/** 22:00–06:00, ending the next day. */
const NIGHT = slot(22 * H, 6 * H, 'night');
const BERLIN = 'Europe/Berlin';

describe('seat availability', () => {
  describe('slotCovers', () => {
    it('covers its own day from StartTime to EndTime, end excluded', () => {
      const day = slot(8 * H, 12 * H);
      expect(slotCovers(day, 1, { dow: 1, seconds: 8 * H })).toBe(true);
      expect(slotCovers(day, 1, { dow: 1, seconds: 12 * H - 1 })).toBe(true);
      expect(slotCovers(day, 1, { dow: 1, seconds: 12 * H })).toBe(false);
      expect(slotCovers(day, 1, { dow: 2, seconds: 9 * H })).toBe(false);
    });

    it('covers a NextDay slot to midnight and on into the next day, Saturday into Sunday', () => {
      expect(slotCovers(NIGHT, 6, { dow: 6, seconds: 23 * H })).toBe(true);
      expect(slotCovers(NIGHT, 6, { dow: 0, seconds: 5 * H })).toBe(true);
      expect(slotCovers(NIGHT, 6, { dow: 0, seconds: 6 * H })).toBe(false);
      expect(slotCovers(NIGHT, 6, { dow: 6, seconds: 5 * H })).toBe(false);
    });
  });

  it('finds overlapping slots of one day, also through a NextDay slot, and lets the documented pair pass', () => {
    expect(overlappingSlots([slot(16_000, 26_000), slot(44_000, 33_000)])).toBeUndefined();
    expect(overlappingSlots([slot(16_000, 26_000), slot(26_000, 33_000)])).toBeUndefined();
    expect(overlappingSlots([slot(16_000, 26_000), slot(25_999, 33_000)])).toEqual([0, 1]);
    expect(overlappingSlots([slot(80_000, 10_000), slot(85_000, 2_000)])).toEqual([0, 1]);
  });

  describe('availableForZone', () => {
    const seatZones: ZonesByBuilding = { b1: { z1: 'Lobby' } };
    it('takes the day’s zones over the seat’s, and the seat’s zones by building', () => {
      expect(availableForZone({ zones: null }, seatZones, 'b1', 'z1')).toBe(true);
      expect(availableForZone({ zones: null }, seatZones, 'b1', 'z2')).toBe(false);
      expect(availableForZone({ zones: null }, seatZones, 'b2', 'z1')).toBe(false);
      expect(availableForZone({ zones: { b1: { z2: 'Pantry' } } }, seatZones, 'b1', 'z2')).toBe(true);
      expect(availableForZone({ zones: { b1: { z2: 'Pantry' } } }, seatZones, 'b1', 'z1')).toBe(false);
    });

    it('makes a seat without availability zones available for every zone', () => {
      expect(availableForZone({ zones: null }, undefined, 'b9', 'z9')).toBe(true);
      expect(availableForZone({ zones: {} }, { b1: {} }, 'b9', 'z9')).toBe(true);
    });
  });

  describe('seatsAvailableAt', () => {
    const days: DayAvailability[] = [
      { seatId: 'p1_002', dow: 6, slots: [NIGHT], zones: null },
      { seatId: 'p1_001', dow: 0, slots: [slot(8 * H, 12 * H)], zones: null },
      { seatId: 'p1_003', dow: 0, slots: [slot(0, 24 * H)], zones: { b1: { z2: 'Pantry' } } },
    ];
    const at = (iso: string, zoneId = 'z1', timeZone = BERLIN) =>
      seatsAvailableAt({ days, seatZones: new Map(), at: utc(iso), timeZone, pid: 'b1', zoneId });

    it('answers the seats whose slot covers the building’s wall clock and whose zones hold the zone', () => {
      // Sunday 2026-03-22 09:00 CET: the morning slot; p1_003 is for z2 only that day.
      expect(at('2026-03-22T08:00:00Z')).toEqual(['p1_001']);
      expect(at('2026-03-22T08:00:00Z', 'z2')).toEqual(['p1_001', 'p1_003']);
      // The same instant in Singapore is 16:00 on Sunday: nobody's morning slot.
      expect(at('2026-03-22T08:00:00Z', 'z1', 'Asia/Singapore')).toEqual([]);
    });

    it('keeps a 22:00–06:00 NextDay slot on local 22:00–06:00 across the spring-forward night', () => {
      // Saturday 2026-03-28 22:00 CET = 21:00 UTC; Sunday 06:00 CEST = 04:00 UTC (the night is 7 h).
      expect(at('2026-03-28T20:59:59Z')).toEqual([]);
      expect(at('2026-03-28T21:00:00Z')).toEqual(['p1_002']);
      expect(at('2026-03-29T03:59:59Z')).toEqual(['p1_002']);
      // 06:30 CEST: a fixed eight hours from 22:00 CET would still count it.
      expect(at('2026-03-29T04:30:00Z')).toEqual([]);
    });

    it('keeps a 22:00–06:00 NextDay slot on local 22:00–06:00 across the fall-back night', () => {
      // Saturday 2026-10-24 22:00 CEST = 20:00 UTC; Sunday 06:00 CET = 05:00 UTC (the night is 9 h).
      expect(at('2026-10-24T19:59:59Z')).toEqual([]);
      expect(at('2026-10-24T20:00:00Z')).toEqual(['p1_002']);
      expect(at('2026-10-25T04:30:00Z')).toEqual(['p1_002']);
      expect(at('2026-10-25T05:00:00Z')).toEqual([]);
    });

    it('follows the seat’s availability zones when the day has none', () => {
      const seatZones = new Map([['p1_002', { b1: { z7: 'Roof' } }]]);
      const query = { days, seatZones, at: utc('2026-03-28T22:00:00Z'), timeZone: BERLIN, pid: 'b1' };
      expect(seatsAvailableAt({ ...query, zoneId: 'z7' })).toEqual(['p1_002']);
      expect(seatsAvailableAt({ ...query, zoneId: 'z1' })).toEqual([]);
    });
  });

  describe('windowsInRange', () => {
    it('turns the week plan into windows in the range, a DST night an hour shorter, earliest first', () => {
      const plan = [
        { dow: 6, slots: [NIGHT] },
        { dow: 0, slots: [slot(8 * H, 12 * H, 'morning')] },
      ];
      const windows = windowsInRange(plan, utc('2026-03-28T00:00:00Z'), utc('2026-03-29T12:00:00Z'), BERLIN);
      expect(windows).toEqual([
        {
          DayOfWeek: 6,
          Date: '20260328',
          Name: 'night',
          StartTime: 22 * H,
          EndTime: 6 * H,
          NextDay: true,
          Start: utc('2026-03-28T21:00:00Z'),
          End: utc('2026-03-29T04:00:00Z'),
        },
        {
          DayOfWeek: 0,
          Date: '20260329',
          Name: 'morning',
          StartTime: 8 * H,
          EndTime: 12 * H,
          NextDay: false,
          Start: utc('2026-03-29T06:00:00Z'),
          End: utc('2026-03-29T10:00:00Z'),
        },
      ]);
    });

    it('includes a window that began the day before the range and still runs into it', () => {
      const windows = windowsInRange(
        [{ dow: 6, slots: [NIGHT] }],
        utc('2026-10-25T03:00:00Z'),
        utc('2026-10-25T04:00:00Z'),
        BERLIN,
      );
      expect(windows.map((w) => [w.Date, w.End - w.Start])).toEqual([['20261024', 9 * H]]);
    });
  });
});
