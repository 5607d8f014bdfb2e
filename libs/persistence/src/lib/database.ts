import { Pool, type PoolClient, type QueryResultRow } from 'pg';

/** Where and as whom an owning service connects. */
export interface DatabaseOptions {
  /** `postgres://user@host:port/database`. */
  url: string;
  /** `application_name` shown in pg_stat_activity. */
  applicationName: string;
  /** Most pooled connections (default 10). */
  poolMax?: number;
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

/** One transaction's connection: statements answer their rows; `client` is the raw `pg` connection. */
export class Transaction implements Sql {
  constructor(readonly client: PoolClient) {}

  async query<R = AnyRow>(text: string, values?: readonly unknown[]): Promise<R[]> {
    return (await this.client.query<QueryResultRow>(text, values as unknown[] | undefined)).rows as R[];
  }
}

/**
 * The owning service's connection to PostgreSQL: `pool` is the raw `pg` pool (for prepared statements,
 * row counts and the like), `query` answers rows, `transaction` runs work on one connection.
 */
export class Database implements Sql {
  /** `options` also serve the service's dedicated connections (LISTEN, advisory-lock leaders). */
  constructor(
    readonly pool: Pool,
    readonly options: DatabaseOptions,
  ) {}

  static create(options: DatabaseOptions, logger?: PoolErrorLogger): Database {
    return new Database(createPool(options, logger), options);
  }

  async query<R = AnyRow>(text: string, values?: readonly unknown[]): Promise<R[]> {
    return (await this.pool.query<QueryResultRow>(text, values as unknown[] | undefined)).rows as R[];
  }

  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, (client) => work(new Transaction(client)));
  }

  /** Ends every pooled connection (waits for those in use to be released). */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
