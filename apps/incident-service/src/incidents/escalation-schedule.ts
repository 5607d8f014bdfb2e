import { Injectable } from '@nestjs/common';
import type { Sql } from '@matrix/persistence';
import { EscalationPoliciesRepository } from './escalation-policies.repository';
import type { EscalationPolicy } from './escalation-policy';
import type { IncidentRow } from './incident-row';
import { nextDeadline, type Deadline, type EscalationType, type TimedIncident } from './next-deadline';

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/** What {@link nextDeadline} reads of a row. */
export function timedIncident(row: IncidentRow): TimedIncident {
  return {
    status: row.status,
    escalationLevel: row.escalation_level,
    priority: row.priority,
    createdAt: epoch(row.created_on),
    startBy: Number(row.start_by),
    due: Number(row.due),
    statusSince: epoch(row.status_since),
    seatId: row.seat_id,
    shiftId: row.shift_id,
  };
}

/** What changed with the transition that is being rescheduled. */
export interface ScheduleChange {
  /** The status changed (or the incident was created): its deadlines count from now on at the earliest. */
  statusChanged: boolean;
  /** The incident escalated, by this kind (`EscalationType`). */
  escalated?: EscalationType;
}

/**
 * The durable escalation timer's write side: after every change of an incident's status, level,
 * priority, name or times, in the same transaction, the policy that applies to it and its next deadline
 * (`escalate_at`, `escalate_kind`; null when none) are stored on the row. Back at `L0` (reassigned) it
 * has no `EscalationType`.
 */
@Injectable()
export class EscalationSchedule {
  constructor(private readonly policies: EscalationPoliciesRepository) {}

  async policyOf(row: IncidentRow, tx: Sql): Promise<EscalationPolicy> {
    return this.policies.forIncident(row.pid, row.name, tx);
  }

  async reschedule(tx: Sql, row: IncidentRow, now: Date, change: ScheduleChange): Promise<IncidentRow> {
    const policy = await this.policyOf(row, tx);
    const statusSince = change.statusChanged ? now : row.status_since;
    const deadline = nextDeadline(timedIncident({ ...row, status_since: statusSince }), policy);
    return this.store(tx, row, policy, deadline, statusSince, change.escalated);
  }

  async store(
    tx: Sql,
    row: IncidentRow,
    policy: EscalationPolicy,
    deadline: Deadline | undefined,
    statusSince: Date = row.status_since,
    escalated?: EscalationType,
  ): Promise<IncidentRow> {
    const [updated] = await tx.query<IncidentRow>(
      `update workforce.incidents
       set escalation_policy = $2, status_since = $3, escalate_at = to_timestamp($4), escalate_kind = $5,
           escalation_type = case when escalation_level = 0 then null else coalesce($6, escalation_type) end
       where task_id = $1 returning *`,
      [
        row.task_id,
        policy.policyId,
        statusSince,
        deadline?.at ?? null,
        deadline?.kind ?? null,
        escalated ?? null,
      ],
    );
    return updated!;
  }
}
