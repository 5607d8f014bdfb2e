import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumerGate } from '@matrix/messaging';
import { Database, LeaderGate } from '@matrix/persistence';
import { JsonLogger } from '@matrix/platform';

/** The session-level advisory lock whose holder routes the streams (per database). */
const LEADER_LOCK = 5_170_002;
/** How often a standby tries the lock, and how often the leader checks its connection. */
const TRY_EVERY_MS = 1000;
const CHECK_EVERY_MS = 2000;

/**
 * One replica at a time routes the streams: the one holding a session-level advisory lock on a dedicated
 * PostgreSQL connection (libs/persistence's `AdvisoryLeader`). Routed messages get their log positions in
 * the order they are routed, so with a single router the log follows stream order; two replicas routing
 * side by side could log consumer batches in the opposite order to the stream. Standby replicas keep trying (every `TRY_EVERY_MS`) and deliver
 * subscriptions meanwhile (delivery leases are separate). The lock goes with the connection: a crashed
 * leader's is released when PostgreSQL sees the connection end (TCP keepalives of 10 s × 3 on it), and a
 * leader that loses its connection stops routing at once. Messages a leader had pulled but not routed are
 * handed back; during a handover a few messages may be routed out of order, never lost or duplicated.
 */
@Injectable()
export class RoutingLeadership
  extends LeaderGate
  implements ConsumerGate, OnApplicationBootstrap, OnApplicationShutdown
{
  constructor(db: Database, logger: JsonLogger) {
    super({
      url: db.options.url,
      applicationName: `${db.options.applicationName}-leadership`,
      lock: LEADER_LOCK,
      role: 'routes the streams',
      logger,
      tryEveryMs: TRY_EVERY_MS,
      checkEveryMs: CHECK_EVERY_MS,
    });
  }
}
