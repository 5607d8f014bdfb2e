import { Client } from 'pg';

export interface LeaderLogger {
  log(message: string, context?: string): void;
  warn(message: string, context?: string): void;
}

export interface AdvisoryLeaderOptions {
  url: string;
  /** `application_name` of the lock's connection. */
  applicationName: string;
  /**
   * The session advisory lock: a number is the lock's bigint key; a string is hashed with PostgreSQL's
   * `hashtext()` (the same key as `pg_try_advisory_lock(hashtext('<name>'))`).
   */
  lock: number | string;
  /** Log context and the subject of "this replica …" lines, e.g. "routes the streams". */
  role: string;
  logger?: LeaderLogger;
  /** How often a standby tries the lock (default 1 s). */
  tryEveryMs?: number;
  /** How often the leader checks its connection with `select 1` (default 2 s). */
  checkEveryMs?: number;
  /**
   * How long a replica whose lock connection failed stands back before contending again (default 5 s),
   * so that a standby with a healthy connection takes over rather than the replica that just failed.
   */
  standBackMs?: number;
  /**
   * TCP keep-alives of the lock's connection on the server side, in seconds (default idle 10, interval
   * 10, count 3): the server notices a vanished leader within ~40 s and releases its lock.
   */
  keepalives?: { idle: number; interval: number; count: number };
}

/** One term of leadership: `opened` resolves when it starts, `closed` when it ends. */
interface Term {
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;
  open(): void;
  close(): void;
}

function term(): Term {
  let open!: () => void;
  let close!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const closed = new Promise<void>((resolve) => (close = resolve));
  return { opened, closed, open, close };
}

/**
 * Leadership among replicas through a session-level advisory lock held on a dedicated connection (not
 * a pooled one: the lock belongs to the session). A standby tries the lock every `tryEveryMs`; the
 * leader checks its connection every `checkEveryMs` and stops leading the moment the connection fails
 * (the lock went with it; another replica may hold it already), then stands back for `standBackMs`
 * before contending again, so a standby takes over. A crashed leader's lock is released
 * when PostgreSQL sees its connection end (TCP keep-alives). `opened()`/`closed()` are the two halves
 * of a term, the shape of a messaging `ConsumerGate`.
 */
export class AdvisoryLeader {
  private client?: Client;
  private leader = false;
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private current = term();
  private error?: string;
  /** When this replica last lost the lock through a failed connection. */
  private failedAt?: number;

  constructor(private readonly options: AdvisoryLeaderOptions) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /** The last failure of the lock's connection, cleared when it works again. */
  get lastError(): string | undefined {
    return this.error;
  }

  /** Resolves when this replica leads (at once if it does now). */
  opened(): Promise<void> {
    return this.current.opened;
  }

  /** Resolves when the current term ends (at once if this replica does not lead). */
  closed(): Promise<void> {
    return this.leader ? this.current.closed : Promise.resolve();
  }

  /** Starts contending (first try at once). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.step();
  }

  /** Stops contending; a held lock is released with its connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.lose();
    await this.disconnect();
  }

  private get context(): string {
    return `AdvisoryLeader(${this.options.role})`;
  }

  private schedule(ms: number): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.step(), ms);
  }

  private async step(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.stopped) return await this.disconnect();
      if (this.leader) {
        await client.query('select 1');
      } else if (this.standingBack()) {
        // Not contending yet: a standby with a healthy connection goes first.
      } else {
        const key = this.options.lock;
        const { rows } = await client.query<{ ok: boolean }>(
          typeof key === 'number'
            ? 'select pg_try_advisory_lock($1::bigint) as ok'
            : 'select pg_try_advisory_lock(hashtext($1)) as ok',
          [key],
        );
        if (this.stopped) return await this.disconnect(); // the lock goes with the connection
        if (rows[0]?.ok && this.client === client) {
          this.leader = true;
          this.options.logger?.log(`this replica ${this.options.role}`, this.context);
          this.current.open();
        }
      }
      this.error = undefined;
    } catch (error) {
      this.error = (error as Error).message;
      this.options.logger?.warn(`leadership: ${this.error}`, this.context);
      this.fail();
      await this.disconnect();
    }
    this.schedule(this.leader ? (this.options.checkEveryMs ?? 2000) : (this.options.tryEveryMs ?? 1000));
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName,
      keepAlive: true,
      // Neither a connect nor a check may hang the loop (a leader that cannot check stops leading).
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
    });
    client.on('error', (error) => {
      if (this.client !== client) return;
      this.error = error.message;
      this.fail();
      void this.disconnect();
    });
    try {
      await client.connect();
      const { idle, interval, count } = this.options.keepalives ?? { idle: 10, interval: 10, count: 3 };
      await client.query(
        `set tcp_keepalives_idle = ${Math.floor(idle)}; set tcp_keepalives_interval = ${Math.floor(interval)}; set tcp_keepalives_count = ${Math.floor(count)}`,
      );
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    client.removeAllListeners();
    client.on('error', () => undefined);
    await client.end().catch(() => undefined);
  }

  private standingBack(): boolean {
    if (this.failedAt === undefined) return false;
    if (Date.now() - this.failedAt < (this.options.standBackMs ?? 5000)) return true;
    this.failedAt = undefined;
    return false;
  }

  /** The lock's connection failed: a leader stops leading and stands back before contending again. */
  private fail(): void {
    if (this.leader) this.failedAt = Date.now();
    this.lose();
  }

  private lose(): void {
    if (!this.leader) return;
    this.leader = false;
    this.options.logger?.warn(`this replica no longer ${this.options.role}`, this.context);
    const ended = this.current;
    this.current = term();
    ended.close();
  }
}

/**
 * An AdvisoryLeader as a Nest provider and a consumer gate (libs/messaging's `ConsumerGate`: `opened()`,
 * `closed()`): it starts trying the lock at bootstrap and lets it go at shutdown, after the consumers stopped.
 * Each term of leading has a number (`term`), so state held for one term can be forgotten when another begins
 * (another replica may have led in between). Subclass it with the lock's options.
 */
export class LeaderGate {
  protected readonly leader: AdvisoryLeader;
  private terms = 0;
  private inTerm = false;

  constructor(options: AdvisoryLeaderOptions) {
    this.leader = new AdvisoryLeader(options);
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

/**
 * Periodic work on the replica holding an advisory lock: once it leads, `work` runs at once and then every
 * `everyMs` while it leads. `work` is handed `goOn`, false once the loop stops or this replica lost the lock
 * (another may lead), to ask between its steps. sql-projector's retention and compaction run on it.
 */
export class LeaderLoop {
  readonly leader: AdvisoryLeader;
  private stopped = true;
  private running: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(
    options: AdvisoryLeaderOptions,
    private readonly everyMs: number,
  ) {
    this.leader = new AdvisoryLeader(options);
  }

  start(work: (goOn: () => boolean) => Promise<unknown>): void {
    this.stopped = false;
    this.leader.start();
    void this.lead(work);
  }

  /**
   * Stops: no further run; `interrupt` (e.g. cancelling a long statement) is called before the run in
   * progress is awaited; then the lock is let go.
   */
  async stop(interrupt?: () => Promise<void>): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await interrupt?.();
    await this.running;
    await this.leader.stop();
  }

  private async lead(work: (goOn: () => boolean) => Promise<unknown>): Promise<void> {
    const goOn = () => !this.stopped && this.leader.isLeader;
    while (!this.stopped) {
      await this.leader.opened();
      if (this.stopped) return;
      this.running = work(goOn);
      await this.running;
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.everyMs);
      });
    }
  }
}
