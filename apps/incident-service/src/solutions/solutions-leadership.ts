import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumerGate } from '@matrix/messaging';
import { Database, LeaderGate } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';

/**
 * One replica at a time runs the solutions (ADR-23): the one holding this session-level advisory lock on
 * a dedicated PostgreSQL connection (libs/persistence's `AdvisoryLeader`, as the router and the workforce
 * timers do). It keeps the rule state of the devices it sees in memory, so two replicas applying readings
 * of one device side by side would each work on a copy; the standby replicas keep trying the lock and take
 * over within seconds of a leader's end (its connection's end releases the lock). Each term of leading
 * has a number: the solutions forget what they held when a new term begins (another replica may have led
 * in between): libs/persistence's LeaderGate counts the terms.
 */
@Injectable()
export class SolutionsLeadership
  extends LeaderGate
  implements ConsumerGate, OnApplicationBootstrap, OnApplicationShutdown
{
  constructor(db: Database, logger: JsonLogger) {
    super({
      url: db.options.url,
      applicationName: `${db.options.applicationName} solutions`,
      lock: 'workforce.solution_state solutions',
      role: 'runs the solutions',
      logger,
    });
  }
}
