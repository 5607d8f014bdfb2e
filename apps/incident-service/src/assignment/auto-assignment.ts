/*
 * Auto-assignment of open incidents (the Matrix documentation, §3.5: "incidents are auto-assigned to
 * members whose Availability window covers the time … with round-robin balancing when
 * AUTO_ASSIGN_INCIDENTS is true"; §7.4 "Shift": empty zones = every zone, planned breaks suppress
 * auto-assigned incidents). Pure decisions over what the repository read; docs/data-formats.md
 * "Auto-assignment" has every rule.
 */

/** A break of a shift as `workforce.shifts.breaks` stores it (the fields read here). */
export interface BreakState {
  ID: string;
  IsPlannedBreak: boolean;
  /** Actual start and end, epoch seconds, 0 when not (yet). */
  AStart: number;
  AEnd: number;
  /** Planned end, epoch seconds, 0 when unknown. */
  End?: number;
}

/** A seat on shift in the building: its STARTED shift (the latest started when it has two). */
export interface SeatOnShift {
  seatId: string;
  shiftId: string;
  /** `{<zone id>: <name>}`; empty = every zone of the building. */
  zones: Record<string, string>;
  breaks: readonly BreakState[];
}

/** Round-robin state of a seat in a building: when it was last auto-assigned an incident. */
export interface RotationState {
  /** The building's assignment counter when the seat was last given an incident; null = never. */
  lastSeq: number | null;
  /** Epoch seconds of that assignment; null = never. */
  lastAssignedAt: number | null;
  lastTaskId: string | null;
}

export type ExclusionReason = 'ON_PLANNED_BREAK' | 'NOT_AVAILABLE';

export interface Candidate extends SeatOnShift, RotationState {}

export interface Excluded {
  SeatId: string;
  ShiftId: string;
  Why: ExclusionReason;
}

/** A shift with no zones serves every zone of its building. */
export const servesZone = (zones: Record<string, string>, zoneId: string) =>
  Object.keys(zones).length === 0 || Object.hasOwn(zones, zoneId);

/**
 * The planned break the seat is on at `at`: one with `IsPlannedBreak` that was started (`AStart`, not
 * after `at`) and not ended by then (`AEnd` 0 or later). A planned break not taken yet does not count:
 * the seat is working.
 */
export function openPlannedBreak(breaks: readonly BreakState[], at: number): BreakState | undefined {
  return breaks.find(
    (b) => b.IsPlannedBreak && b.AStart > 0 && b.AStart <= at && (b.AEnd === 0 || b.AEnd > at),
  );
}

/**
 * Whether the shift picked still holds once its row is locked (`for share`) in the create's transaction:
 * `GONE` when it is no longer STARTED (ended, or no longer there), `ON_PLANNED_BREAK` when a planned break
 * was taken and is not ended by `at` — also one taken a moment after `at` by a transition that committed
 * while the create read (its clock may run a second ahead) — else `HOLDS`.
 */
export function lockedShiftHolds(
  locked: { status: string; breaks: readonly BreakState[] } | undefined,
  at: number,
): 'HOLDS' | 'GONE' | 'ON_PLANNED_BREAK' {
  if (!locked || locked.status !== 'STARTED') return 'GONE';
  const onBreak = locked.breaks.some(
    (b) => b.IsPlannedBreak && b.AStart > 0 && (b.AEnd === 0 || b.AEnd > at),
  );
  return onBreak ? 'ON_PLANNED_BREAK' : 'HOLDS';
}

/**
 * The seats on shift for zone `zoneId` at `at` split into candidates (not on a planned break, and
 * available — `available` holds the seats whose availability covers `at` for the zone) and the excluded
 * ones with why; both by seat id.
 */
export function assess(
  onShift: readonly SeatOnShift[],
  available: ReadonlySet<string>,
  zoneId: string,
  at: number,
): { eligible: SeatOnShift[]; excluded: Excluded[] } {
  const eligible: SeatOnShift[] = [];
  const excluded: Excluded[] = [];
  const sorted = [...onShift].sort((a, b) => compare(a.seatId, b.seatId));
  for (const seat of sorted) {
    if (!servesZone(seat.zones, zoneId)) continue;
    const why: ExclusionReason | undefined = openPlannedBreak(seat.breaks, at)
      ? 'ON_PLANNED_BREAK'
      : available.has(seat.seatId)
        ? undefined
        : 'NOT_AVAILABLE';
    if (why) excluded.push({ SeatId: seat.seatId, ShiftId: seat.shiftId, Why: why });
    else eligible.push(seat);
  }
  return { eligible, excluded };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Round-robin order: a seat never auto-assigned first, then the one assigned longest ago (by the
 * building's assignment counter, not the clock, so two picks in one second still rotate); ties by seat id.
 */
export function rotationOrder<T extends Pick<RotationState, 'lastSeq'> & { seatId: string }>(
  candidates: readonly T[],
): T[] {
  return [...candidates].sort((a, b) => {
    if (a.lastSeq !== b.lastSeq) {
      if (a.lastSeq === null) return -1;
      if (b.lastSeq === null) return 1;
      return a.lastSeq - b.lastSeq;
    }
    return compare(a.seatId, b.seatId);
  });
}

/** The seat auto-assignment picks among `candidates`, or undefined when there is none. */
export const chooseSeat = <T extends Pick<RotationState, 'lastSeq'> & { seatId: string }>(
  candidates: readonly T[],
) => rotationOrder(candidates)[0];

/** What the create answers (`data.AutoAssignment`) and stores with the incident. */
export type AutoAssignmentAnswer =
  | {
      Assigned: true;
      SeatId: string;
      ShiftId: string;
      /** Epoch seconds of the decision. */
      At: number;
      /** How many seats could take it. */
      Candidates: number;
      Excluded: Excluded[];
    }
  | {
      Assigned: false;
      Code: 'AUTO_ASSIGN_OFF' | 'NO_SEAT_ON_SHIFT' | 'NO_CANDIDATE';
      Reason: string;
      At: number;
      Candidates: 0;
      Excluded: Excluded[];
    };

const WHY_TEXT: Record<ExclusionReason, string> = {
  ON_PLANNED_BREAK: 'on a planned break',
  NOT_AVAILABLE: 'not available then (no availability window for the zone)',
};

/** The answer when the building's `AUTO_ASSIGN_INCIDENTS` is off. */
export const autoAssignOff = (pid: string, at: number): AutoAssignmentAnswer => ({
  Assigned: false,
  Code: 'AUTO_ASSIGN_OFF',
  Reason: `AUTO_ASSIGN_INCIDENTS is off in building ${pid}`,
  At: at,
  Candidates: 0,
  Excluded: [],
});

/**
 * The decision for an incident of zone `zoneId` at `at` (epoch seconds): the seat {@link chooseSeat}
 * picks among the eligible ones with their rotation state, or why nobody fits.
 */
export function decide(
  eligible: readonly SeatOnShift[],
  excluded: readonly Excluded[],
  rotation: ReadonlyMap<string, RotationState>,
  zoneId: string,
  at: number,
): { answer: AutoAssignmentAnswer; chosen?: Candidate } {
  const never: RotationState = { lastSeq: null, lastAssignedAt: null, lastTaskId: null };
  const candidates = eligible.map((seat) => ({ ...seat, ...(rotation.get(seat.seatId) ?? never) }));
  const chosen = chooseSeat(candidates);
  if (chosen) {
    return {
      chosen,
      answer: {
        Assigned: true,
        SeatId: chosen.seatId,
        ShiftId: chosen.shiftId,
        At: at,
        Candidates: candidates.length,
        Excluded: [...excluded],
      },
    };
  }
  if (excluded.length === 0) {
    return {
      answer: {
        Assigned: false,
        Code: 'NO_SEAT_ON_SHIFT',
        Reason: `no seat on shift for zone ${zoneId} at ${at}`,
        At: at,
        Candidates: 0,
        Excluded: [],
      },
    };
  }
  const why = excluded.map((e) => `${e.SeatId} (shift ${e.ShiftId}) ${WHY_TEXT[e.Why]}`).join('; ');
  return {
    answer: {
      Assigned: false,
      Code: 'NO_CANDIDATE',
      Reason: `no seat on shift for zone ${zoneId} can take it at ${at}: ${why}`,
      At: at,
      Candidates: 0,
      Excluded: [...excluded],
    },
  };
}

/**
 * How many waiting incidents one seat coming on shift picks up in its transition's transaction (oldest
 * first); the rest wait for the next opportunity (another start or planned break's end in the building).
 * Bounds the transaction a shift start holds its building's auto-assignment row for.
 */
export const MAX_PICKED_UP_PER_TRANSITION = 50;

/**
 * The decision stored for a waiting incident a seat picked up when it came on shift (its create's open
 * decision is replaced): assigned to that seat and shift at `at`, the only candidate considered.
 */
export const pickedUp = (seatId: string, shiftId: string, at: number): AutoAssignmentAnswer => ({
  Assigned: true,
  SeatId: seatId,
  ShiftId: shiftId,
  At: at,
  Candidates: 1,
  Excluded: [],
});
