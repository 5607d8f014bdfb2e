import { createHash } from 'node:crypto';
import { Pool, type PoolClient, type QueryResultRow } from 'pg';

/** Where and as whom an owning service connects. */
export interface DatabaseOptions {
  /** `postgres://user@host:port/database`. */
  url: string;
  /** `application_name` shown in pg_stat_activity. */
  applicationName: string;
  /** Most pooled connections (default 10). */
  poolMax?: number;
  /**
   * Prepare parameterised statements by name (default true): PostgreSQL parses each statement text once
   * per connection and may reuse its plan, instead of parsing and planning it on every call (measured in
   * docs/benchmarks.md "Workforce": ~0.25 ms of server CPU per statement on the benchmark machine).
   * Turn it off behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
   */
  prepare?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL; callers type them
export type AnyRow = any;

/** Something that runs one statement and answers its rows: the {@link Database} or a {@link Transaction}. */
export interface Sql {
  query<R = AnyRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** Error handling of a pool's idle connections: without a listener, one that dies would crash the process. */
export interface PoolErrorLogger {
  warn(message: string, context?: string): void;
}

/**
 * A `pg` pool for the owning service's statements (TypeORM is for migrations only, ADR-19). An idle
 * connection that dies (a restarted server, `pg_terminate_backend`) is dropped by the pool and logged.
 */
export function createPool(options: DatabaseOptions, logger?: PoolErrorLogger): Pool {
  const pool = new Pool({
    connectionString: options.url,
    application_name: options.applicationName,
    max: options.poolMax ?? 10,
  });
  pool.on('error', (error) => logger?.warn(`idle PostgreSQL connection lost: ${error.message}`, 'Database'));
  return pool;
}

/** Runs `work` in a transaction on one pooled connection: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    // A connection that could not even roll back is not handed to the next caller.
    client.release(broken);
  }
}

/** Most distinct statement texts one {@link StatementNames} names; later ones run unnamed (dynamic SQL stays bounded). */
const MAX_NAMED_STATEMENTS = 1000;

/** PostgreSQL's refusal to run a prepared statement whose result columns changed (a migration added one). */
const isStalePlan = (error: unknown) =>
  (error as { code?: unknown }).code === '0A000' &&
  /cached plan must not change result type/.test((error as Error).message ?? '');

/**
 * Names for parameterised statement texts (`pg` prepares a named statement once per connection). A
 * statement whose result type changed under a prepared plan (a migration altered its table while this
 * process ran) gets a new name, so the next call prepares it again.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  /** Bumped by a stale plan: a renamed statement cannot meet its old prepared self on any connection. */
  private generation = 0;

  constructor(private readonly enabled = true) {}

  /** The `pg` query config of `text` with `values`: named when it has parameters and names are left. */
  config(text: string, values?: readonly unknown[]): { text: string; values?: unknown[]; name?: string } {
    if (!this.enabled || !values || values.length === 0) {
      return { text, values: values as unknown[] | undefined };
    }
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_NAMED_STATEMENTS) {
      // From the text, so every Database on one pool gives one text one name (pg refuses a name reused for another text).
      name = `m${this.generation}_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      this.names.set(text, name);
    }
    return name === undefined
      ? { text, values: values as unknown[] }
      : { name, text, values: values as unknown[] };
  }

  /** Forgets `text`'s name after `error` if it was a stale plan (answers whether it was). */
  renameIfStale(text: string, error: unknown): boolean {
    if (!isStalePlan(error) || !this.names.has(text)) return false;
    this.names.delete(text);
    this.generation += 1;
    return true;
  }
}

/** One transaction's connection: statements answer their rows; `client` is the raw `pg` connection. */
export class Transaction implements Sql {
  constructor(
    readonly client: PoolClient,
    private readonly statements = new StatementNames(false),
  ) {}

  async query<R = AnyRow>(text: string, values?: readonly unknown[]): Promise<R[]> {
    try {
      return (await this.client.query<QueryResultRow>(this.statements.config(text, values))).rows as R[];
    } catch (error) {
      // The transaction is aborted; the statement is prepared anew when the caller runs it again.
      this.statements.renameIfStale(text, error);
      throw error;
    }
  }
}

/**
 * The owning service's connection to PostgreSQL: `pool` is the raw `pg` pool (for prepared statements,
 * row counts and the like), `query` answers rows, `transaction` runs work on one connection.
 */
export class Database implements Sql {
  private readonly statements: StatementNames;

  /** `options` also serve the service's dedicated connections (LISTEN, advisory-lock leaders). */
  constructor(
    readonly pool: Pool,
    readonly options: DatabaseOptions,
  ) {
    this.statements = new StatementNames(options.prepare ?? true);
  }

  static create(options: DatabaseOptions, logger?: PoolErrorLogger): Database {
    return new Database(createPool(options, logger), options);
  }

  /** Runs one statement (prepared by name when it has parameters, see {@link DatabaseOptions.prepare}). */
  async query<R = AnyRow>(text: string, values?: readonly unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<QueryResultRow>(this.statements.config(text, values))).rows as R[];
    } catch (error) {
      // Outside a transaction a stale plan is simply prepared again under a new name.
      if (!this.statements.renameIfStale(text, error)) throw error;
      return (await this.pool.query<QueryResultRow>(this.statements.config(text, values))).rows as R[];
    }
  }

  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, (client) => work(new Transaction(client, this.statements)));
  }

  /** Ends every pooled connection (waits for those in use to be released). */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
