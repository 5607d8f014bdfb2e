import {
  assess,
  autoAssignOff,
  chooseSeat,
  decide,
  lockedShiftHolds,
  openPlannedBreak,
  rotationOrder,
  servesZone,
  type BreakState,
  type RotationState,
  type SeatOnShift,
} from './auto-assignment';

const T = 1_700_000_000;
const planned = (b: Partial<BreakState>): BreakState => ({
  ID: '0001',
  IsPlannedBreak: true,
  AStart: 0,
  AEnd: 0,
  End: 0,
  ...b,
});
const seat = (seatId: string, extra: Partial<SeatOnShift> = {}): SeatOnShift => ({
  seatId,
  shiftId: `shift-${seatId}`,
  zones: {},
  breaks: [],
  ...extra,
});
const state = (lastSeq: number | null): RotationState => ({
  lastSeq,
  lastAssignedAt: lastSeq === null ? null : T,
  lastTaskId: lastSeq === null ? null : `task-${lastSeq}`,
});

describe('servesZone', () => {
  it('serves every zone without zones, else only its own', () => {
    expect(servesZone({}, 'z1')).toBe(true);
    expect(servesZone({ z1: 'Washroom' }, 'z1')).toBe(true);
    expect(servesZone({ z1: 'Washroom' }, 'z2')).toBe(false);
  });
});

describe('openPlannedBreak', () => {
  it('is a planned break taken and not ended at the instant', () => {
    expect(openPlannedBreak([planned({ AStart: T - 60 })], T)?.ID).toBe('0001');
    expect(openPlannedBreak([planned({ AStart: T - 60, AEnd: T + 60 })], T)?.ID).toBe('0001');
  });

  it('is not a break not taken yet, ended, started later, or unplanned', () => {
    expect(openPlannedBreak([planned({ AStart: 0, End: T + 600 })], T)).toBeUndefined();
    expect(openPlannedBreak([planned({ AStart: T - 600, AEnd: T - 60 })], T)).toBeUndefined();
    expect(openPlannedBreak([planned({ AStart: T + 60 })], T)).toBeUndefined();
    expect(openPlannedBreak([planned({ IsPlannedBreak: false, AStart: T - 60 })], T)).toBeUndefined();
  });
});

describe('assess', () => {
  it('keeps the seats serving the zone, excluding those on a planned break or without availability, by seat id', () => {
    const onShift = [
      seat('p1_004', { zones: { z2: 'Pantry' } }),
      seat('p1_003', { breaks: [planned({ AStart: T - 10 })] }),
      seat('p1_002'),
      seat('p1_001', { zones: { z1: 'Washroom' } }),
    ];
    const { eligible, excluded } = assess(onShift, new Set(['p1_001', 'p1_003', 'p1_004']), 'z1', T);
    expect(eligible.map((s) => s.seatId)).toEqual(['p1_001']);
    expect(excluded).toEqual([
      { SeatId: 'p1_002', ShiftId: 'shift-p1_002', Why: 'NOT_AVAILABLE' },
      { SeatId: 'p1_003', ShiftId: 'shift-p1_003', Why: 'ON_PLANNED_BREAK' },
    ]);
  });
});

describe('round-robin', () => {
  it('puts seats never assigned first, then the one assigned longest ago, ties by seat id', () => {
    const order = rotationOrder([
      { seatId: 'c', lastSeq: 5 },
      { seatId: 'b', lastSeq: null },
      { seatId: 'd', lastSeq: 2 },
      { seatId: 'a', lastSeq: null },
    ]);
    expect(order.map((c) => c.seatId)).toEqual(['a', 'b', 'd', 'c']);
    expect(chooseSeat([])).toBeUndefined();
  });

  it('rotates over several picks as the state moves', () => {
    const rotation = new Map<string, RotationState>();
    const picks: string[] = [];
    for (let seq = 1; seq <= 5; seq += 1) {
      const { answer } = decide([seat('p1_002'), seat('p1_001')], [], rotation, 'z1', T);
      if (!answer.Assigned) throw new Error('not assigned');
      picks.push(answer.SeatId);
      rotation.set(answer.SeatId, state(seq));
    }
    expect(picks).toEqual(['p1_001', 'p1_002', 'p1_001', 'p1_002', 'p1_001']);
  });
});

describe('decide', () => {
  it('assigns the chosen seat with its shift and says who was left out', () => {
    const excluded = [{ SeatId: 'p1_009', ShiftId: 's9', Why: 'ON_PLANNED_BREAK' as const }];
    const { answer, chosen } = decide(
      [seat('p1_001'), seat('p1_002')],
      excluded,
      new Map([['p1_001', state(3)]]),
      'z1',
      T,
    );
    expect(chosen?.seatId).toBe('p1_002');
    expect(answer).toEqual({
      Assigned: true,
      SeatId: 'p1_002',
      ShiftId: 'shift-p1_002',
      At: T,
      Candidates: 2,
      Excluded: excluded,
    });
  });

  it('says nobody is on shift for the zone', () => {
    expect(decide([], [], new Map(), 'z1', T).answer).toEqual({
      Assigned: false,
      Code: 'NO_SEAT_ON_SHIFT',
      Reason: `no seat on shift for zone z1 at ${T}`,
      At: T,
      Candidates: 0,
      Excluded: [],
    });
  });

  it('names the seats on shift that could not take it and why', () => {
    const { answer, chosen } = decide(
      [],
      [
        { SeatId: 'p1_001', ShiftId: 's1', Why: 'ON_PLANNED_BREAK' },
        { SeatId: 'p1_002', ShiftId: 's2', Why: 'NOT_AVAILABLE' },
      ],
      new Map(),
      'z1',
      T,
    );
    expect(chosen).toBeUndefined();
    expect(answer).toMatchObject({
      Assigned: false,
      Code: 'NO_CANDIDATE',
      Reason:
        `no seat on shift for zone z1 can take it at ${T}: p1_001 (shift s1) on a planned break; ` +
        'p1_002 (shift s2) not available then (no availability window for the zone)',
    });
  });

  it('says when the setting is off', () => {
    expect(autoAssignOff('b1', T)).toMatchObject({
      Assigned: false,
      Code: 'AUTO_ASSIGN_OFF',
      Reason: 'AUTO_ASSIGN_INCIDENTS is off in building b1',
    });
  });
});

describe('lockedShiftHolds', () => {
  it('holds a STARTED shift without a planned break taken and not ended', () => {
    expect(lockedShiftHolds({ status: 'STARTED', breaks: [] }, T)).toBe('HOLDS');
    expect(
      lockedShiftHolds({ status: 'STARTED', breaks: [planned({ AStart: T - 600, AEnd: T - 60 })] }, T),
    ).toBe('HOLDS');
    expect(
      lockedShiftHolds({ status: 'STARTED', breaks: [planned({ IsPlannedBreak: false, AStart: T })] }, T),
    ).toBe('HOLDS');
  });

  it('is gone when no longer STARTED or deleted, on a break when one was taken (even a moment after the pick)', () => {
    expect(lockedShiftHolds({ status: 'COMPLETED', breaks: [] }, T)).toBe('GONE');
    expect(lockedShiftHolds(undefined, T)).toBe('GONE');
    expect(lockedShiftHolds({ status: 'STARTED', breaks: [planned({ AStart: T - 10 })] }, T)).toBe(
      'ON_PLANNED_BREAK',
    );
    expect(lockedShiftHolds({ status: 'STARTED', breaks: [planned({ AStart: T + 1 })] }, T)).toBe(
      'ON_PLANNED_BREAK',
    );
  });
});
