import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/** The DataSource's pg pool: the router's statements are plain SQL (no entities). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/** Runs `fn` in a transaction on one pooled connection. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The advisory lock (per database) under which messages get their position in the routed-message log
 * (`router.route()` and replays take it), so positions become visible in order.
 */
export const ROUTE_LOCK = 5_170_001;
