import type { EscalationPolicy, ThresholdKind } from './escalation-policy';
import { MAX_ESCALATION_LEVEL, type IncidentPriority, type IncidentStatus } from './incident-lifecycle';

/*
 * The escalation timer's decision, pure: given an incident and the escalation policy that applies to it,
 * when its next deadline is and what happens then (docs/data-formats.md "Workforce incidents").
 */

/** `EscalationType`: the kind of an escalation, by the status the incident is late in. */
export type EscalationType = 'unassigned' | 'startTime' | 'dueTime';

/** What a deadline does: escalate one level (of that kind), or close the work window (INCOMPLETE). */
export type DeadlineKind = EscalationType | 'incomplete';

/**
 * How long after its due time a seat-direct incident's work window closes: the documented schedule
 * setting `END_SHIFT_OVERSHOOT` default (§7.4 "Settings", 4200 s). Shifts (and the building's own value
 * of the setting) come with a later issue.
 */
export const END_SHIFT_OVERSHOOT_SECONDS = 4200;

/** What the decision reads of an incident (times in epoch seconds). */
export interface TimedIncident {
  status: IncidentStatus;
  escalationLevel: number;
  priority: IncidentPriority;
  /** Reporting time (`CreatedOn`). */
  createdAt: number;
  /** `Start` (start-by) and `End` (due). */
  startBy: number;
  due: number;
  /** When the incident entered its current status: no deadline counts from before it. */
  statusSince: number;
  seatId: string;
  shiftId: string;
}

export interface Deadline {
  /** Epoch seconds. */
  at: number;
  kind: DeadlineKind;
}

const SETTINGS_OF: Record<EscalationType, ThresholdKind> = {
  unassigned: 'UnassignedSettings',
  startTime: 'StartThresholdSettings',
  dueTime: 'DueTimeThresholdSettings',
};

/** The kind of escalation an incident in `status` is subject to; none once resolved. */
export function escalationTypeOf(status: IncidentStatus): EscalationType | undefined {
  switch (status) {
    case 'NOT_ASSIGNED':
      return 'unassigned';
    case 'ASSIGNED':
      return 'startTime';
    case 'STARTED':
      return 'dueTime';
    default:
      return undefined;
  }
}

/**
 * `base + duration`, unless that moment had already passed when the incident entered its status (a past
 * `Start`/`End` given, a late assignment): then `duration` counts from that entry instead.
 */
const notBeforeStatus = (incident: TimedIncident, base: number, duration: number) =>
  base + duration < incident.statusSince ? incident.statusSince + duration : base + duration;

/**
 * The moment the incident is late for `type` (the policy's target duration for its priority):
 * `unassigned` reporting time + `StartThreshold`, `startTime` `Start` + `StartThreshold`, `dueTime` `End` +
 * `DueTime` — see {@link notBeforeStatus}.
 */
function lateAt(incident: TimedIncident, policy: EscalationPolicy, type: EscalationType): number {
  const target = policy.targetDurations[incident.priority];
  const base =
    type === 'unassigned' ? incident.createdAt : type === 'startTime' ? incident.startBy : incident.due;
  return notBeforeStatus(incident, base, type === 'dueTime' ? target.DueTime : target.StartThreshold);
}

/**
 * When the next level of `type` fires, or undefined when there is none. Levels L1…L3 of the kind's
 * settings add their `TimeAfter` (seconds since the previous level; L0 applies at reporting time) to
 * the moment the incident is late; a level the policy does not list adds nothing. L1 always exists (the
 * target duration missed); L2 and L3 exist up to the highest level the policy lists for the kind.
 */
export function escalationAt(
  incident: TimedIncident,
  policy: EscalationPolicy,
  type: EscalationType,
): number | undefined {
  const next = incident.escalationLevel + 1;
  const levels = policy.settings[SETTINGS_OF[type]];
  const highestListed = [1, 2, 3].filter((n) => levels[`L${n}`]).at(-1) ?? 0;
  if (next > MAX_ESCALATION_LEVEL || next > Math.max(1, highestListed)) return undefined;
  let at = lateAt(incident, policy, type);
  for (let n = 1; n <= next; n += 1) at += levels[`L${n}`]?.TimeAfter ?? 0;
  return at;
}

/**
 * When an assigned or started incident's work window closes if it is still not completed: a
 * seat-direct incident (`ShiftId == SeatId`) at its due time + {@link END_SHIFT_OVERSHOOT_SECONDS}
 * (see {@link notBeforeStatus}). An incident given to a real shift has no deadline for it: its window is
 * the shift's, and closes when the shift completes (end, end-admin, the shift timer's clock-out — the
 * shift's End + the building's END_SHIFT_OVERSHOOT when AUTO_CLOCKOUT is on), in that transaction
 * (incidents/shift-incidents.ts), not by this timer.
 */
export function incompleteAt(incident: TimedIncident): number | undefined {
  if (incident.status !== 'ASSIGNED' && incident.status !== 'STARTED') return undefined;
  if (incident.shiftId !== incident.seatId) return undefined;
  return notBeforeStatus(incident, incident.due, END_SHIFT_OVERSHOOT_SECONDS);
}

/**
 * The incident's earliest pending deadline under `policy` — its next escalation or the close of its
 * work window — or undefined (resolved, or nothing further). Of two at the same time the window closes.
 */
export function nextDeadline(incident: TimedIncident, policy: EscalationPolicy): Deadline | undefined {
  const candidates: Deadline[] = [];
  const closes = incompleteAt(incident);
  if (closes !== undefined) candidates.push({ at: closes, kind: 'incomplete' });
  const type = escalationTypeOf(incident.status);
  const escalates = type === undefined ? undefined : escalationAt(incident, policy, type);
  if (type !== undefined && escalates !== undefined) candidates.push({ at: escalates, kind: type });
  return candidates.sort((a, b) => a.at - b.at)[0];
}
