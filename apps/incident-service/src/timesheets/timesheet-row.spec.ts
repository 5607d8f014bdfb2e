import type { ShiftBreak } from '../shifts/shift-row';
import {
  implicitRecord,
  matrixTimesheet,
  takenBreaks,
  workedSeconds,
  type TimesheetShift,
  type TimesheetView,
} from './timesheet-row';

const shiftBreak = (
  ID: string,
  AStart: number,
  AEnd: number,
  extra: Partial<ShiftBreak> = {},
): ShiftBreak => ({
  ID,
  Type: 'meal',
  Notes: '',
  IsPlannedBreak: false,
  Scheduled: false,
  DurationInSeconds: 0,
  Start: 0,
  End: 0,
  AStart,
  AEnd,
  ...extra,
});

const SHIFT: TimesheetShift = {
  shiftId: '00000000-0000-4000-8000-000000000001',
  org: 'ACME',
  propId: 'p1',
  pid: 'b1',
  seatId: 'p1_001',
  timeZone: 'Asia/Singapore',
  start: 10_000,
  end: 20_000,
  status: 'COMPLETED',
  aStart: 10_060,
  aEnd: 20_060,
  breaks: [
    shiftBreak('0001', 12_000, 13_000),
    // Planned and never taken: not a work record.
    shiftBreak('0002', 0, 0, { IsPlannedBreak: true, Scheduled: true, Start: 15_000, End: 15_600 }),
  ],
  clockIn: [1.3, 103.8],
  clockOut: [-1, -1],
  zones: { z1: 'Lobby' },
};

describe('timesheet rows', () => {
  it('derives the PENDING timesheet of a completed shift from its clocked times and the breaks taken', () => {
    expect(implicitRecord(SHIFT)).toMatchObject({
      status: 'PENDING',
      aStart: 10_060,
      aEnd: 20_060,
      breaks: [{ ID: '0001', Start: 12_000, End: 13_000, Notes: '', Type: 'meal' }],
      zones: null,
      edited: false,
      approvedBy: null,
    });
    // A break still open when the shift ended closes with it.
    expect(takenBreaks([shiftBreak('0003', 19_000, 0)], 20_060)).toEqual([
      { ID: '0003', Start: 19_000, End: 20_060, Notes: '', Type: 'meal' },
    ]);
  });

  it.each([
    ['no window', 0, 0, [], 0],
    ['a window without breaks', 100, 400, [], 300],
    ['a break inside', 100, 400, [{ Start: 200, End: 250 }], 250],
    [
      'a break clipped to the window',
      100,
      400,
      [
        { Start: 50, End: 150 },
        { Start: 350, End: 500 },
      ],
      200,
    ],
    ['a break outside', 100, 400, [{ Start: 500, End: 600 }], 300],
  ])('counts the seconds worked: %s', (_name, aStart, aEnd, breaks, expected) => {
    const full = breaks.map((b, i) => ({ ID: String(i), Notes: '', Type: '', ...b }));
    expect(workedSeconds(aStart, aEnd, full)).toBe(expected);
  });

  it('answers the worst case the limits allow in under 1,000,000 bytes of JSON (NATS refuses messages over 1 MB)', () => {
    // Every text filled with a control character, which JSON writes as six bytes (`\u0001`): no real input is larger.
    const worst = (length: number) => '\u0001'.repeat(length);
    const shift: TimesheetShift = {
      ...SHIFT,
      org: 'o'.repeat(64),
      propId: 'p'.repeat(64),
      pid: 'b'.repeat(64),
      seatId: 's'.repeat(1024),
      timeZone: 'America/Argentina/ComodRivadavia',
      // A shift has at most 50 breaks, Type and Notes at most 1,024 characters each (ops/args.ts).
      breaks: Array.from({ length: 50 }, (_, b) =>
        shiftBreak(`b${String(b).padStart(31, '0')}`, 99_999_999_990, 99_999_999_999, {
          Type: worst(1024),
          Notes: worst(1024),
        }),
      ),
      // 200 zones, ids of 64 characters, registry names of 200.
      zones: Object.fromEntries(
        Array.from({ length: 200 }, (_, z) => [`${String(z).padStart(3, '0')}${'z'.repeat(61)}`, worst(200)]),
      ),
    };
    const view: TimesheetView = {
      shift,
      stored: true,
      record: {
        ...implicitRecord(shift),
        reasonForRegularization: worst(1024),
        reason: worst(1024),
        comments: worst(1024),
        requestedBy: 's'.repeat(1024),
        requestedOn: 99_999_999_999,
        approvedBy: worst(1024),
        approvedOn: 99_999_999_999,
        rejectedBy: 'k'.repeat(1024),
        rejectedOn: 99_999_999_999,
        editedBy: 'k'.repeat(1024),
        editedOn: 99_999_999_999,
        modifiedBy: 'k'.repeat(1024),
        modifiedOn: 99_999_999_999,
      },
    };
    const bytes = Buffer.byteLength(JSON.stringify(matrixTimesheet(view)));
    expect(bytes).toBeGreaterThan(800_000);
    expect(bytes).toBeLessThan(1_000_000);
  });
});
