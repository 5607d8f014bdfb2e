import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy, type LevelSetting } from './escalation-policy';
import { END_SHIFT_OVERSHOOT_SECONDS, nextDeadline, type TimedIncident } from './next-deadline';

const T = 1_765_000_000;

const incident = (over: Partial<TimedIncident> = {}): TimedIncident => ({
  status: 'NOT_ASSIGNED',
  escalationLevel: 0,
  priority: 'H',
  createdAt: T,
  startBy: T + 600,
  due: T + 1500,
  statusSince: T,
  seatId: 'tbp',
  shiftId: 'tbp',
  ...over,
});

const assigned = (over: Partial<TimedIncident> = {}) =>
  incident({ status: 'ASSIGNED', seatId: 'p1_001', shiftId: 'p1_001', ...over });

const level = (TimeAfter: number): LevelSetting => ({ Action: 'NOTIFY', Recipients: [], TimeAfter });

/** The documented example policy's shape: L2 and L3 listed, 90 s apart; L1 not listed. */
const LADDER: EscalationPolicy = {
  ...DEFAULT_ESCALATION_POLICY,
  policyId: 'ladder',
  settings: {
    UnassignedSettings: { L1: level(60), L2: level(120), L3: level(180) },
    StartThresholdSettings: { L2: level(90), L3: level(90) },
    DueTimeThresholdSettings: { L0: level(999), L2: level(30) },
  },
};

describe('nextDeadline', () => {
  it('escalates an open incident to L1 at reporting time + StartThreshold under the default policy, and no further', () => {
    expect(nextDeadline(incident(), DEFAULT_ESCALATION_POLICY)).toEqual({ at: T + 300, kind: 'unassigned' });
    expect(nextDeadline(incident({ priority: 'L' }), DEFAULT_ESCALATION_POLICY)).toEqual({
      at: T + 1800,
      kind: 'unassigned',
    });
    expect(nextDeadline(incident({ escalationLevel: 1 }), DEFAULT_ESCALATION_POLICY)).toBeUndefined();
  });

  it('adds the TimeAfter of each listed level since the previous one, up to L3', () => {
    expect(nextDeadline(incident(), LADDER)).toEqual({ at: T + 300 + 60, kind: 'unassigned' });
    expect(nextDeadline(incident({ escalationLevel: 1 }), LADDER)).toEqual({
      at: T + 300 + 60 + 120,
      kind: 'unassigned',
    });
    expect(nextDeadline(incident({ escalationLevel: 2 }), LADDER)?.at).toBe(T + 300 + 60 + 120 + 180);
    expect(nextDeadline(incident({ escalationLevel: 3 }), LADDER)).toBeUndefined();
  });

  it('skips an unlisted level (it adds no time) and ignores L0 (it applies at reporting time)', () => {
    // StartThresholdSettings lists L2 and L3: L1 at Start + StartThreshold, L2 90 s later, L3 90 s after that.
    const late = T + 600 + 300;
    expect(nextDeadline(assigned(), LADDER)).toEqual({ at: late, kind: 'startTime' });
    expect(nextDeadline(assigned({ escalationLevel: 1 }), LADDER)?.at).toBe(late + 90);
    expect(nextDeadline(assigned({ escalationLevel: 2 }), LADDER)?.at).toBe(late + 180);
    // DueTimeThresholdSettings lists L0 and L2: L0's TimeAfter counts for nothing, nothing after L2.
    const started = incident({
      status: 'STARTED',
      seatId: 'p1_001',
      shiftId: 'p1_001',
      statusSince: T + 700,
    });
    expect(nextDeadline(started, LADDER)).toEqual({ at: T + 1500 + 900, kind: 'dueTime' });
    expect(nextDeadline({ ...started, escalationLevel: 1 }, LADDER)?.at).toBe(T + 1500 + 900 + 30);
    // Level 2 reached: the only deadline left is the work window's.
    expect(nextDeadline({ ...started, escalationLevel: 2 }, LADDER)).toEqual({
      at: T + 1500 + END_SHIFT_OVERSHOOT_SECONDS,
      kind: 'incomplete',
    });
  });

  it('continues from the level reached under another kind: an incident escalated while open goes to L2 by startTime', () => {
    expect(nextDeadline(assigned({ escalationLevel: 1 }), DEFAULT_ESCALATION_POLICY)).toEqual({
      at: T + 1500 + END_SHIFT_OVERSHOOT_SECONDS,
      kind: 'incomplete',
    });
    expect(nextDeadline(assigned({ escalationLevel: 1 }), LADDER)).toEqual({
      at: T + 600 + 300 + 90,
      kind: 'startTime',
    });
  });

  it('closes the work window of an assigned or started seat-direct incident at End + END_SHIFT_OVERSHOOT, whichever deadline comes first', () => {
    expect(END_SHIFT_OVERSHOOT_SECONDS).toBe(4200);
    const tight = {
      ...DEFAULT_ESCALATION_POLICY,
      targetDurations: {
        ...DEFAULT_ESCALATION_POLICY.targetDurations,
        H: { StartThreshold: 9000, DueTime: 9000 },
      },
    };
    expect(nextDeadline(assigned(), tight)).toEqual({ at: T + 1500 + 4200, kind: 'incomplete' });
    // A tie goes to the work window (it resolves the incident).
    const tie = {
      ...tight,
      targetDurations: { ...tight.targetDurations, H: { StartThreshold: 5100, DueTime: 0 } },
    };
    expect(nextDeadline(assigned(), tie)).toEqual({ at: T + 5700, kind: 'incomplete' });
    // An incident of a shift (ShiftId != SeatId) has no seat-direct window.
    expect(nextDeadline(assigned({ shiftId: 'shift-1' }), tight)).toEqual({
      at: T + 600 + 9000,
      kind: 'startTime',
    });
  });

  it('never schedules anything for a resolved incident', () => {
    for (const status of ['COMPLETED', 'INCOMPLETE'] as const) {
      expect(nextDeadline(assigned({ status }), LADDER)).toBeUndefined();
    }
  });

  it('counts no deadline from before the incident entered its status (past Start/End given, or reassigned late)', () => {
    const since = T + 100_000;
    expect(nextDeadline(assigned({ statusSince: since }), DEFAULT_ESCALATION_POLICY)).toEqual({
      at: since + 300,
      kind: 'startTime',
    });
    const started = incident({ status: 'STARTED', seatId: 'p1_001', shiftId: 'p1_001', statusSince: since });
    expect(nextDeadline(started, DEFAULT_ESCALATION_POLICY)).toEqual({ at: since + 900, kind: 'dueTime' });
    expect(nextDeadline({ ...started, escalationLevel: 1 }, DEFAULT_ESCALATION_POLICY)).toEqual({
      at: since + 4200,
      kind: 'incomplete',
    });
    // A deadline still ahead when the status was entered stays where it was.
    expect(nextDeadline(assigned({ statusSince: T + 700 }), DEFAULT_ESCALATION_POLICY)).toEqual({
      at: T + 600 + 300,
      kind: 'startTime',
    });
    expect(
      nextDeadline({ ...started, statusSince: T + 1500 + 60, escalationLevel: 1 }, DEFAULT_ESCALATION_POLICY),
    ).toEqual({ at: T + 1500 + END_SHIFT_OVERSHOOT_SECONDS, kind: 'incomplete' });
    // Reopened: the unassigned clock starts again at the reopening.
    expect(nextDeadline(incident({ statusSince: since }), DEFAULT_ESCALATION_POLICY)?.at).toBe(since + 300);
  });
});
