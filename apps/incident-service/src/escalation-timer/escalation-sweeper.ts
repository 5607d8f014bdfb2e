import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AdvisoryLeader, Database, type Sql } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';
import { Clock } from '../clock/clock';
import { EscalationSchedule, timedIncident } from '../incidents/escalation-schedule';
import { transit } from '../incidents/incident-lifecycle';
import type { IncidentRow } from '../incidents/incident-row';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { nextDeadline } from '../incidents/next-deadline';

export const ESCALATION_TIMER_OPTIONS = Symbol('ESCALATION_TIMER_OPTIONS');

export interface EscalationTimerOptions {
  /** How often the leader sweeps (`ESCALATION_SWEEP_MS`). */
  sweepMs: number;
}

/** Due incidents one sweep claims at most (the rest wait for the next sweep). */
export const SWEEP_BATCH = 100;

/** `By` of the timeline entries the timer writes. */
export const TIMER_ACTOR = 'escalation-timer';

/**
 * The durable escalation timer's firing side. On the leader replica only (an {@link AdvisoryLeader} on
 * its own lock), every `sweepMs` it claims the incidents whose `escalate_at` has passed (`for update
 * skip locked`: rows a transition holds are left for the next sweep) and fires each in its own
 * transaction: the row locked again and still due, the deadline recomputed from the row and its policy,
 * then the `escalate` (INCIDENT_ESCALATED) or `incomplete` (INCIDENT_INCOMPLETE) transition with a
 * conditional update on the status and level it read, its timeline row and event in the outbox, and the
 * next deadline. So a deadline fires once even if two sweepers ran, and never after a concurrent
 * transition moved it. The state is the table: a restart loses nothing.
 */
@Injectable()
export class EscalationSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly leader: AdvisoryLeader;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly incidents: IncidentsRepository,
    private readonly schedule: EscalationSchedule,
    private readonly logger: JsonLogger,
    @Inject(ESCALATION_TIMER_OPTIONS) private readonly options: EscalationTimerOptions,
  ) {
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: `${db.options.applicationName} escalation timer`,
      lock: 'workforce.incidents escalation timer',
      role: 'runs the escalation timer',
      logger,
    });
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.leader.start();
    this.schedule_();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.leader.stop();
  }

  /** Fires every deadline due by the clock's now (up to {@link SWEEP_BATCH}); answers how many fired. Any replica may call it. */
  async sweepOnce(): Promise<number> {
    return (await this.sweep()).fired;
  }

  /** One batch: how many were due, how many of them fired (each in its own transaction, re-checked under its lock). */
  private async sweep(): Promise<{ due: number; fired: number }> {
    const now = this.clock.now();
    const due = await this.db.query<{ task_id: string }>(
      `select task_id from workforce.incidents where escalate_at <= $1 order by escalate_at limit ${SWEEP_BATCH}`,
      [now],
    );
    let fired = 0;
    for (const { task_id } of due) {
      if (await this.db.transaction((tx) => this.fire(tx, task_id, now))) fired += 1;
    }
    return { due: due.length, fired };
  }

  private schedule_(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule_());
    }, this.options.sweepMs);
  }

  private async tick(): Promise<void> {
    if (!this.leader.isLeader) return;
    try {
      // A full batch means more are due (a backlog, the first sweep after the migration): go on at once,
      // up to 50 batches a tick (rows held by long transactions are skipped, and must not make it spin).
      for (let batch = 0; batch < 50 && !this.stopped && this.leader.isLeader; batch += 1) {
        if ((await this.sweep()).due < SWEEP_BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`escalation sweep failed: ${(error as Error).message}`, 'EscalationSweeper');
    }
  }

  /** One incident's due deadline, if it still is due under the lock; true when a transition fired. */
  private async fire(tx: Sql, taskId: string, now: Date): Promise<boolean> {
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
