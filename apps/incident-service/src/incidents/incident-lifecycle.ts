/**
 * The incident lifecycle (the Matrix documentation, §7.4 "Incident"), as a pure state machine: which
 * transition is allowed from which status, and the rule that refuses one that is not. The repository
 * applies a transition with a conditional update on the status it expected, so of two concurrent
 * conflicting transitions exactly one succeeds.
 */

/** `NOT_ASSIGNED`: open (SeatId/ShiftId `tbp`); `ASSIGNED`: to a seat or shift; then started and resolved. */
export const INCIDENT_STATUSES = ['NOT_ASSIGNED', 'ASSIGNED', 'STARTED', 'COMPLETED', 'INCOMPLETE'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** `H` (HIGH), `M` (MEDIUM), `N` (NORMAL), `L` (LOW). */
export const INCIDENT_PRIORITIES = ['H', 'M', 'N', 'L'] as const;
export type IncidentPriority = (typeof INCIDENT_PRIORITIES)[number];

export type IncidentTransition =
  | 'create-open'
  | 'create-assigned'
  | 'assign'
  | 'reassign'
  | 'reopen'
  | 'start'
  | 'end'
  | 'incomplete'
  | 'escalate';

/** Highest escalation level (`L0`…`L3`). */
export const MAX_ESCALATION_LEVEL = 3;

/** What a transition needs to know of the incident. */
export interface LifecycleState {
  status: IncidentStatus;
  escalationLevel: number;
}

export type TransitionOutcome = { ok: true; to: LifecycleState } | { ok: false; rule: string };

const RESOLVED: readonly IncidentStatus[] = ['COMPLETED', 'INCOMPLETE'];

/** The statuses from which `transition` may be applied (what the conditional update expects). */
export function allowedFrom(
  transition: Exclude<IncidentTransition, 'create-open' | 'create-assigned'>,
): IncidentStatus[] {
  return INCIDENT_STATUSES.filter((status) => {
    const outcome = transit({ status, escalationLevel: 0 }, transition);
    return outcome.ok;
  });
}

/** What a building's incident settings allow beyond the documented defaults. */
export interface TransitOptions {
  /** `ALLOW_REASSIGNMENT_RESOLVED`: a completed incident may be reassigned (or reopened). */
  reassignResolved?: boolean;
}

/** The state after `transition`, or the rule it breaks. The creations apply to no incident yet. */
export function transit(
  from: LifecycleState | null,
  transition: IncidentTransition,
  options: TransitOptions = {},
): TransitionOutcome {
  if (transition === 'create-open' || transition === 'create-assigned') {
    const status = transition === 'create-open' ? 'NOT_ASSIGNED' : 'ASSIGNED';
    return from === null
      ? { ok: true, to: { status, escalationLevel: 0 } }
      : { ok: false, rule: 'an incident is created only once' };
  }
  if (from === null) return { ok: false, rule: 'the incident must exist' };
  const { status, escalationLevel } = from;
  const resolved = RESOLVED.includes(status);
  switch (transition) {
    case 'assign':
      return status === 'NOT_ASSIGNED'
        ? { ok: true, to: { status: 'ASSIGNED', escalationLevel } }
        : { ok: false, rule: 'only an open (NOT_ASSIGNED) incident can be assigned' };
    case 'start':
      if (resolved) return { ok: false, rule: 'a resolved incident cannot be started' };
      if (status === 'STARTED') return { ok: false, rule: 'an incident is started only once' };
      return { ok: true, to: { status: 'STARTED', escalationLevel } };
    case 'end':
      if (resolved) return { ok: false, rule: 'a resolved incident cannot be completed again' };
      return status === 'STARTED'
        ? { ok: true, to: { status: 'COMPLETED', escalationLevel } }
        : { ok: false, rule: 'an incident must be started before it is completed' };
    case 'incomplete':
      if (resolved) return { ok: false, rule: 'a resolved incident cannot be marked incomplete' };
      return status === 'NOT_ASSIGNED'
        ? { ok: false, rule: 'an open incident must be assigned or started before it is marked incomplete' }
        : { ok: true, to: { status: 'INCOMPLETE', escalationLevel } };
    case 'reassign':
    case 'reopen': {
      const to: IncidentStatus = transition === 'reassign' ? 'ASSIGNED' : 'NOT_ASSIGNED';
      if (status === 'NOT_ASSIGNED') {
        return { ok: false, rule: 'an open incident is assigned, not reassigned' };
      }
      if (status === 'STARTED') return { ok: false, rule: 'a started incident cannot be reassigned' };
      if (status === 'COMPLETED' && !options.reassignResolved) {
        return {
          ok: false,
          rule: 'a completed incident is not reassigned (incident setting ALLOW_REASSIGNMENT_RESOLVED is 0)',
        };
      }
      return { ok: true, to: { status: to, escalationLevel: 0 } };
    }
    case 'escalate':
      if (resolved) return { ok: false, rule: 'a resolved incident cannot be escalated' };
      return escalationLevel >= MAX_ESCALATION_LEVEL
        ? { ok: false, rule: `an incident escalates at most to L${MAX_ESCALATION_LEVEL}` }
        : { ok: true, to: { status, escalationLevel: escalationLevel + 1 } };
  }
}

/** `L0`…`L3`, as the documented `EscalationLevel`. */
export const escalationLevelName = (level: number) => `L${level}`;
