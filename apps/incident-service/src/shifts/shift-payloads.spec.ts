import { CommandError } from '@matrix/messaging';
import { boundedShifts } from './planning-actions';
import { MAX_PUBLISHED_PER_CALL, SHIFT_PAYLOAD_BYTES, shiftsPublishedEvents } from './shift-events';
import type { ShiftBreak, ShiftRow } from './shift-row';

/*
 * The worst case the input limits allow, built field by field, against the byte budget of an event or a
 * reply (NATS refuses a message over 1 MB). Every text is filled with a control character, which JSON
 * writes as six bytes (`\u0001`) — the most one UTF-16 unit can take — so no real input is larger.
 */

const WORST = '\u0001';
const worstText = (length: number) => WORST.repeat(length);
/** ops/args.ts: every text is at most 1,024 characters. */
const MAX_TEXT = 1024;

/** A shift at every limit: 200 zones (ids of 64 characters, registry names of 200), 20 planned breaks, 100 task groups. */
function worstShift(i: number): { row: ShiftRow; taskGroups: string[] } {
  const breaks: ShiftBreak[] = Array.from({ length: 20 }, (_, b) => ({
    ID: `b${String(b).padStart(31, '0')}`,
    Type: worstText(MAX_TEXT),
    Notes: worstText(MAX_TEXT),
    IsPlannedBreak: true,
    Scheduled: true,
    DurationInSeconds: 99_999_999_999,
    Start: 99_999_999_999,
    End: 99_999_999_999,
    AStart: 0,
    AEnd: 0,
  }));
  const zones = Object.fromEntries(
    Array.from({ length: 200 }, (_, z) => [`${String(z).padStart(3, '0')}${'z'.repeat(61)}`, worstText(200)]),
  );
  const start = 99_000_000_000 + i * 86_400;
  return {
    row: {
      shift_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      org_id: 'o'.repeat(64),
      prop_id: 'p'.repeat(64),
      pid: 'b'.repeat(64),
      seat_id: 's'.repeat(MAX_TEXT),
      time_zone: 'America/Argentina/ComodRivadavia',
      start_at: String(start),
      end_at: String(start + 86_400),
      a_start: '0',
      a_end: '0',
      status: 'PUBLISHED',
      delayed: false,
      breaks,
      clock_in_lat: -1,
      clock_in_long: -1,
      clock_out_lat: -1,
      clock_out_long: -1,
      cost: { U: worstText(MAX_TEXT), V: Number.MAX_VALUE },
      zones,
      description: worstText(MAX_TEXT),
      adhoc: false,
      created_by: 'k'.repeat(MAX_TEXT),
      created_on: new Date(),
      modified_by: 'k'.repeat(MAX_TEXT),
      modified_on: new Date(),
      timer_at: null,
      timer_kind: null,
    },
    taskGroups: Array.from({ length: 100 }, (_, t) => `${Date.now()}${String(t).padStart(6, '0')}`),
  };
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const now = new Date();

describe('shift payloads under the byte budget', () => {
  /** createShift's most: Schedule (50) × RepeatDates (62), capped at 500 shifts. */
  const worst = Array.from({ length: 500 }, (_, i) => worstShift(i));

  it('splits SHIFTS_PUBLISHED of 500 worst-case shifts into events each under the budget, in order, none lost', () => {
    const by = 'k'.repeat(MAX_TEXT);
    const events = shiftsPublishedEvents('b'.repeat(64), 'p'.repeat(64), worst, by, now);
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) {
      expect(bytes(event)).toBeLessThanOrEqual(SHIFT_PAYLOAD_BYTES);
      const shifts = event.Meta['Shifts'] as unknown[];
      expect(shifts.length).toBeGreaterThan(0);
      expect(shifts.length).toBeLessThanOrEqual(MAX_PUBLISHED_PER_CALL);
      expect(event.Meta['Count']).toBe(shifts.length);
    }
    expect(events.flatMap((e) => (e.Meta['Shifts'] as { ShiftId: string }[]).map((s) => s.ShiftId))).toEqual(
      worst.map((s) => s.row.shift_id),
    );
    expect(new Set(events.map((e) => e.ATTR)).size).toBe(events.length);
  });

  it('holds one worst-case shift far inside one event (the limits cannot produce a shift too large alone)', () => {
    const [event] = shiftsPublishedEvents('b1', 'p1', [worst[0]!], 'AK1', now);
    expect(bytes(event)).toBeLessThan(SHIFT_PAYLOAD_BYTES / 2);
  });

  it('caps an event at 200 shifts however small they are', () => {
    const small = worst.map(({ row }) => ({
      row: { ...row, zones: {}, seat_id: 's1', pid: 'b1', prop_id: 'p1' },
      taskGroups: [],
    }));
    const events = shiftsPublishedEvents('b1', 'p1', small, 'AK1', now);
    expect(events.map((e) => e.Meta['Count'])).toEqual([200, 200, 100]);
    expect(events.map((e) => (e.ATTR ?? '').split('#').slice(4))).toEqual([[], ['2'], ['3']]);
  });

  it('refuses with LIMIT_VIOLATED a shift that alone would not fit an event', () => {
    expect(() => shiftsPublishedEvents('b1', 'p1', [worst[0]!], 'AK1', now, 200_000)).toThrow(
      new CommandError(
        'LIMIT_VIOLATED',
        `shift ${worst[0]!.row.shift_id} of seat ${worst[0]!.row.seat_id} is too large for one event (${
          bytes(
            (shiftsPublishedEvents('b1', 'p1', [worst[0]!], 'AK1', now)[0]!.Meta['Shifts'] as unknown[])[0],
          ) + 1
        } bytes of JSON)`,
      ),
    );
  });

  it('answers 500 worst-case shifts under the budget: full shifts while they fit, then every ShiftId', () => {
    const views = worst.map(({ row, taskGroups }) => ({ row, taskGroups }));
    const { shifts, shortened, shiftIds } = boundedShifts(views, now);
    expect(shortened).toBe(true);
    expect(shifts.length).toBeGreaterThan(0);
    expect(shiftIds).toEqual(worst.map((s) => s.row.shift_id));
    expect(shifts.map((s) => s['ShiftId'])).toEqual(shiftIds.slice(0, shifts.length));
    const reply = {
      message: `500 shift(s) created; ${shifts.length} answered in full, every id in ShiftIds (the answer's size limit)`,
      data: shifts,
      Shortened: true,
      ShiftIds: shiftIds,
    };
    expect(bytes(reply)).toBeLessThanOrEqual(SHIFT_PAYLOAD_BYTES);
    const publishReply = {
      data: { Count: 200, More: true, Shifts: shifts, Shortened: true, ShiftIds: shiftIds },
    };
    expect(bytes(publishReply)).toBeLessThanOrEqual(SHIFT_PAYLOAD_BYTES);
  });

  it('answers every shift in full when they fit, not shortened', () => {
    const views = worst.slice(0, 1).map(({ row, taskGroups }) => ({ row, taskGroups }));
    const { shifts, shortened } = boundedShifts(views, now);
    expect(shortened).toBe(false);
    expect(shifts).toHaveLength(1);
    expect(bytes(shifts)).toBeGreaterThan(400_000);
  });
});
