import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { gateTerm, type ConsumerGate } from '@matrix/messaging';
import { JsonLogger } from '@matrix/platform';
import { Client } from 'pg';
import type { EventRouterConfig } from '../config/event-router.config';
import { ROUTER_CONFIG } from '../config/router-config.token';

/** The session-level advisory lock whose holder routes the streams (per database). */
const LEADER_LOCK = 5_170_002;
/** How often a standby tries the lock, and how often the leader checks its connection. */
const TRY_EVERY_MS = 1000;
const CHECK_EVERY_MS = 2000;

/**
 * One replica at a time routes the streams: the one holding a session-level advisory lock on a dedicated
 * PostgreSQL connection. Routed messages get their log positions in the order they are routed, so with a
 * single router the log follows stream order; two replicas routing side by side could log consumer batches in
 * the opposite order to the stream. Standby replicas keep trying (every `TRY_EVERY_MS`) and deliver
 * subscriptions meanwhile (delivery leases are separate). The lock goes with the connection: a crashed
 * leader's is released when PostgreSQL sees the connection end (TCP keepalives of 10 s × 3 on it), and a
 * leader that loses its connection stops routing at once. Messages a leader had pulled but not routed are
 * handed back; during a handover a few messages may be routed out of order, never lost or duplicated.
 */
@Injectable()
export class RoutingLeadership implements ConsumerGate, OnApplicationBootstrap, OnApplicationShutdown {
  private client?: Client;
  private leader = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private term = gateTerm();

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: EventRouterConfig,
    private readonly logger: JsonLogger,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  opened(): Promise<void> {
    return this.term.opened;
  }

  closed(): Promise<void> {
    return this.leader ? this.term.closed : Promise.resolve();
  }

  onApplicationBootstrap(): void {
    void this.step();
  }

  /** After the consumers stopped (beforeApplicationShutdown): the lock is released with the connection. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.lose();
    await this.disconnect();
  }

  private schedule(ms: number): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.step(), ms);
  }

  private async step(): Promise<void> {
    try {
      if (!this.client) await this.connect();
      if (this.leader) {
        await this.client!.query('select 1');
      } else {
        const { rows } = await this.client!.query<{ ok: boolean }>(
          `select pg_try_advisory_lock(${LEADER_LOCK}) as ok`,
        );
        if (rows[0]?.ok && !this.stopped) {
          this.leader = true;
          this.logger.log('this replica routes the streams', 'RoutingLeadership');
          this.term.open();
        }
      }
    } catch (error) {
      this.logger.warn(`routing leadership: ${(error as Error).message}`, 'RoutingLeadership');
      this.lose();
      await this.disconnect();
    }
    this.schedule(this.leader ? CHECK_EVERY_MS : TRY_EVERY_MS);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.db.url,
      application_name: `${this.config.service}-leadership`,
      keepAlive: true,
    });
    client.on('error', () => {
      this.lose();
      void this.disconnect();
    });
    await client.connect();
    // The server notices a vanished leader within ~40 s even without a clean close.
    await client.query(
      'set tcp_keepalives_idle = 10; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3',
    );
    this.client = client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    await client?.end().catch(() => undefined);
  }

  private lose(): void {
    if (!this.leader) return;
    this.leader = false;
    this.logger.warn('this replica no longer routes the streams', 'RoutingLeadership');
    const ended = this.term;
    this.term = gateTerm();
    ended.close();
  }
}
