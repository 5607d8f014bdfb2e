import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumerGate } from '@matrix/messaging';
import { AdvisoryLeader, Database } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';

/**
 * One replica at a time runs the solutions (ADR-23): the one holding this session-level advisory lock on
 * a dedicated PostgreSQL connection (libs/persistence's `AdvisoryLeader`, as the router and the workforce
 * timers do). It keeps the rule state of the devices it sees in memory, so two replicas applying readings
 * of one device side by side would each work on a copy; the standby replicas keep trying the lock and take
 * over within seconds of a leader's end (its connection's end releases the lock). Each term of leading
 * has a number: the solutions forget what they held when a new term begins (another replica may have led
 * in between).
 */
@Injectable()
export class SolutionsLeadership implements ConsumerGate, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly leader: AdvisoryLeader;
  private terms = 0;
  private inTerm = false;

  constructor(db: Database, logger: JsonLogger) {
    this.leader = new AdvisoryLeader({
      url: db.options.url,
      applicationName: `${db.options.applicationName} solutions`,
      lock: 'workforce.solution_state solutions',
      role: 'runs the solutions',
      logger,
    });
  }

  /** The number of the current (or last) term of this replica's leading; 0 before the first. */
  get term(): number {
    return this.terms;
  }

  get isLeader(): boolean {
    return this.leader.isLeader;
  }

  async opened(): Promise<void> {
    await this.leader.opened();
    if (this.inTerm) return;
    this.inTerm = true;
    this.terms += 1;
    void this.leader.closed().then(() => (this.inTerm = false));
  }

  closed(): Promise<void> {
    return this.leader.closed();
  }

  onApplicationBootstrap(): void {
    this.leader.start();
  }

  /** After the consumers stopped (beforeApplicationShutdown): the lock goes with its connection. */
  async onApplicationShutdown(): Promise<void> {
    await this.leader.stop();
  }
}
