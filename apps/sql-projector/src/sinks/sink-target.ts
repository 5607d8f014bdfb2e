import { Pool, type PoolClient } from 'pg';
import { INSERT_EVENTS } from '../matrix-events/matrix-events.repository';
import { INSERT_SENSOR_DATA } from '../sensor-data/sensor-data-sql';
import { SINK_SCHEMA, SINK_SCHEMA_VERSION, type SinkStream } from './sink-schema';

/** How long one statement in a customer's database may run, and connecting may take. */
export const SINK_STATEMENT_TIMEOUT_MS = 60_000;
export const SINK_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A position in each stream: a sequence (a sink's cursor: every row up to it is there; or the projector's
 * ack floor) and the epoch it belongs to (when the projector's consumer was created; null: not known).
 */
export type SinkPositions = Record<SinkStream, { through: number; epoch: string | null }>;

/**
 * A customer's PostgreSQL, as one property's copier writes it: one connection (a sink is a trickle of
 * transactions, one at a time), statements bounded by SINK_STATEMENT_TIMEOUT_MS on the server and a little
 * more on the client (a network that swallows packets), TCP keepalives. Rows are written with the
 * projector's own statements (INSERT_SENSOR_DATA with its rollup, INSERT_EVENTS): a row already there is
 * skipped, and only rows inserted add to the rollup, so a window written twice changes nothing.
 */
export class SinkTarget {
  private readonly pool: Pool;

  constructor(
    connectionString: string,
    private readonly propId: string,
    onError: (error: Error) => void,
  ) {
    this.pool = new Pool({
      connectionString,
      max: 1,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: SINK_CONNECT_TIMEOUT_MS,
      statement_timeout: SINK_STATEMENT_TIMEOUT_MS,
      query_timeout: SINK_STATEMENT_TIMEOUT_MS + 15_000,
      keepAlive: true,
      application_name: 'matrix sql-projector sink',
    });
    // An idle connection the server closed (a restart): the next attempt connects again.
    this.pool.on('error', onError);
  }

  /** Creates the sink's tables where missing and answers where this property's copy stands. */
  async prepare(): Promise<SinkPositions> {
    const rows = await this.transaction(async (client) => {
      // Two copiers preparing one database at once (two properties, one sink) would race on the catalog.
      await client.query(`select pg_advisory_xact_lock(hashtext('matrix sql-projector sink schema'))`);
      for (const statement of SINK_SCHEMA) await client.query(statement);
      const progress = await client.query<{
        stream: SinkStream;
        copied_through: string;
        stream_epoch: string | null;
      }>(`select stream, copied_through, stream_epoch from matrix.sink_progress where prop_id = $1`, [
        this.propId,
      ]);
      return progress.rows;
    });
    const cursors: SinkPositions = {
      sensor_data: { through: 0, epoch: null },
      events: { through: 0, epoch: null },
    };
    for (const row of rows) {
      cursors[row.stream] = { through: Number(row.copied_through), epoch: row.stream_epoch };
    }
    return cursors;
  }

  /**
   * Writes a window's rows (the JSON `$1` of the stream's insert statement) and moves the stream's cursor
   * to `position`, in one transaction: the sink holds the rows and where its copy stands, or neither.
   * Answers how many rows were new.
   */
  async write(
    stream: SinkStream,
    json: string | undefined,
    position: { through: number; epoch: string | null },
  ): Promise<number> {
    return this.transaction(async (client) => {
      let inserted = 0;
      if (json !== undefined) {
        const text = stream === 'sensor_data' ? INSERT_SENSOR_DATA : INSERT_EVENTS;
        inserted =
          (await client.query({ name: `matrix sink ${stream}`, text, values: [json] })).rowCount ?? 0;
      }
      await client.query(
        `insert into matrix.sink_progress (prop_id, stream, copied_through, stream_epoch, schema_version)
         values ($1, $2, $3, $4, $5)
         on conflict (prop_id, stream) do update
           set copied_through = excluded.copied_through, stream_epoch = excluded.stream_epoch,
               schema_version = excluded.schema_version, updated_at = now()`,
        [this.propId, stream, position.through, position.epoch, SINK_SCHEMA_VERSION],
      );
      return inserted;
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // While a client is checked out the pool does not listen for its errors: a connection the sink ends
    // in the middle of a transaction (a restart, pg_terminate_backend, a reset) would be an uncaught
    // 'error' event and take the whole service down. The statement in progress fails with it instead.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken = false;
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      broken = true;
      await client.query('rollback').then(
        () => (broken = false),
        () => undefined,
      );
      throw error;
    } finally {
      client.release(broken);
      client.off('error', ignore);
    }
  }
}
