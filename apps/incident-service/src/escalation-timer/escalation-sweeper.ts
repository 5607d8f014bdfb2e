import { Inject, Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { Clock } from '../clock/clock';
import { DeadlineSweeper, type DeadlineTimerOptions } from '../deadline-timer/deadline-sweeper';
import { EscalationSchedule, timedIncident } from '../incidents/escalation-schedule';
import { transit } from '../incidents/incident-lifecycle';
import type { IncidentRow } from '../incidents/incident-row';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { nextDeadline } from '../incidents/next-deadline';

export const ESCALATION_TIMER_OPTIONS = Symbol('ESCALATION_TIMER_OPTIONS');

export type EscalationTimerOptions = DeadlineTimerOptions;

/** `By` of the timeline entries the timer writes. */
export const TIMER_ACTOR = 'escalation-timer';

/**
 * The durable escalation timer's firing side ({@link DeadlineSweeper} over `workforce.incidents.escalate_at`):
 * each due incident in its own transaction: the row locked again and still due, the deadline recomputed from the row and its policy,
 * then the `escalate` (INCIDENT_ESCALATED) or `incomplete` (INCIDENT_INCOMPLETE) transition with a
 * conditional update on the status and level it read, its timeline row and event in the outbox, and the
 * next deadline. So a deadline fires once even if two sweepers ran, and never after a concurrent
 * transition moved it. The state is the table: a restart loses nothing.
 */
@Injectable()
export class EscalationSweeper extends DeadlineSweeper {
  constructor(
    db: Database,
    clock: Clock,
    private readonly incidents: IncidentsRepository,
    private readonly schedule: EscalationSchedule,
    logger: JsonLogger,
    @Inject(ESCALATION_TIMER_OPTIONS) options: EscalationTimerOptions,
  ) {
    super(db, clock, logger, options, {
      name: 'escalation timer',
      lock: 'workforce.incidents escalation timer',
      table: 'workforce.incidents',
      key: 'task_id',
      due: 'escalate_at',
    });
  }

  /** One incident's due deadline, if it still is due under the lock; true when a transition fired. */
  protected async fire(tx: Sql, taskId: string, now: Date): Promise<boolean> {
    const [row] = await tx.query<IncidentRow>(
      `select * from workforce.incidents where task_id = $1 and escalate_at <= $2 for update skip locked`,
      [taskId, now],
    );
    if (!row) return false; // fired by another sweeper, moved by a transition, or held by one right now
    const policy = await this.schedule.policyOf(row, tx);
    const deadline = nextDeadline(timedIncident(row), policy);
    if (!deadline || deadline.at > Math.floor(now.getTime() / 1000)) {
      await this.schedule.store(tx, row, policy, deadline); // the policy or the row changed since
      return false;
    }
    const transition = deadline.kind === 'incomplete' ? 'incomplete' : 'escalate';
    const outcome = transit({ status: row.status, escalationLevel: row.escalation_level }, transition);
    if (!outcome.ok) {
      await this.schedule.store(tx, row, policy, undefined);
      return false;
    }
    const [updated] = await tx.query<IncidentRow>(
      `update workforce.incidents set status = $4, escalation_level = $5, modified_on = $6
       where task_id = $1 and status = $2 and escalation_level = $3 returning *`,
      [taskId, row.status, row.escalation_level, outcome.to.status, outcome.to.escalationLevel, now],
    );
    if (!updated) return false;
    const scheduled = await this.schedule.reschedule(tx, updated, now, {
      statusChanged: transition === 'incomplete',
      ...(deadline.kind !== 'incomplete' ? { escalated: deadline.kind } : {}),
    });
    await this.incidents.record(tx, scheduled, transition, row.status, TIMER_ACTOR, now);
    return true;
  }
}
