import { Injectable } from '@nestjs/common';
import type { SealedSecret } from '@matrix/platform';
import { Database } from '@matrix/persistence';
import { SENSOR_DATA_COLUMNS } from '../sensor-data/sensor-data-row';
import type { SinkStatusRow } from './sink-status';
import type { SinkStream } from './sink-schema';

/** A sink as the copier needs it: its sealed target and the generation it was set in. */
export interface SinkRow extends SinkStatusRow {
  target_ciphertext: Buffer;
  target_iv: Buffer;
  target_tag: Buffer;
}

/** Rows of one table read for a sink: a JSON array (the insert statement's `$1`), how many, the last sequence. */
export interface SinkWindow {
  readonly json: string;
  readonly rows: number;
  readonly lastSeq: number;
}

/** How far a copy has come, recorded for `show` and the metric. */
export interface SinkProgress {
  readonly sensorCopied: number;
  readonly sensorProjected: number;
  readonly eventsCopied: number;
  readonly eventsProjected: number;
  readonly caughtUpAt: Date | null;
  readonly lastCopyAt: Date;
}

const STATUS_COLUMNS = `prop_id, target_redacted, generation, created_at, updated_at, sensor_copied, sensor_projected,
  events_copied, events_projected, caught_up_at, last_copy_at, last_error, last_error_at, next_attempt_at`;

/**
 * A window's rows of `matrix.sensor_data`, each the array of SENSOR_DATA_COLUMNS values that
 * INSERT_SENSOR_DATA takes (JSON built by PostgreSQL, so Node never parses the rows it copies).
 */
const SENSOR_WINDOW = `
  select coalesce(json_agg(json_build_array(${SENSOR_DATA_COLUMNS.join(', ')}) order by stream_seq, msg_id), '[]')::text as json,
         count(*)::int as rows, coalesce(max(stream_seq), 0)::text as last_seq
    from (select * from matrix.sensor_data
           where propid = $1 and stream_seq > $2 and stream_seq <= $3
           order by stream_seq, msg_id
           limit $4) w`;

/** A window's rows of `matrix.events`, as the objects INSERT_EVENTS takes (its `projected_at` is ignored). */
const EVENTS_WINDOW = `
  select coalesce(json_agg(w order by stream_seq, msg_id), '[]')::text as json,
         count(*)::int as rows, coalesce(max(stream_seq), 0)::text as last_seq
    from (select * from matrix.events
           where prop_id = $1 and stream_seq > $2 and stream_seq <= $3
           order by stream_seq, msg_id
           limit $4) w`;

/** `matrix.sql_sinks` and the reads of the dedicated database a copy makes; sql-projector owns both. */
@Injectable()
export class SinksRepository {
  constructor(private readonly db: Database) {}

  /**
   * Sets a property's sink; a new target starts a new generation (its copier restarts, the progress
   * shown is the new target's). Answers the row.
   */
  async set(propId: string, sealed: SealedSecret, redacted: string): Promise<SinkStatusRow> {
    const [row] = await this.db.query<SinkStatusRow>(
      `insert into matrix.sql_sinks as s (prop_id, target_ciphertext, target_iv, target_tag, target_redacted)
       values ($1, $2, $3, $4, $5)
       on conflict (prop_id) do update set
         target_ciphertext = excluded.target_ciphertext, target_iv = excluded.target_iv,
         target_tag = excluded.target_tag, target_redacted = excluded.target_redacted,
         generation = s.generation + 1, updated_at = now(),
         sensor_copied = 0, sensor_projected = 0, events_copied = 0, events_projected = 0,
         caught_up_at = null, last_copy_at = null, last_error = null, last_error_at = null,
         next_attempt_at = null
       returning ${STATUS_COLUMNS}`,
      [propId, sealed.ciphertext, sealed.iv, sealed.tag, redacted],
    );
    return row!;
  }

  async find(propId: string): Promise<SinkStatusRow | undefined> {
    const [row] = await this.db.query<SinkStatusRow>(
      `select ${STATUS_COLUMNS} from matrix.sql_sinks where prop_id = $1`,
      [propId],
    );
    return row;
  }

  /** Every sink with its sealed target (the copier's list). */
  all(): Promise<SinkRow[]> {
    return this.db.query<SinkRow>(
      `select ${STATUS_COLUMNS}, target_ciphertext, target_iv, target_tag from matrix.sql_sinks`,
    );
  }

  /** Removes a property's sink; answers its redacted target, or undefined when it had none. */
  async remove(propId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ target_redacted: string }>(
      `delete from matrix.sql_sinks where prop_id = $1 returning target_redacted`,
      [propId],
    );
    return row?.target_redacted;
  }

  /** Records a copy's progress, unless the sink was set anew or removed meanwhile. */
  async recordProgress(propId: string, generation: number, progress: SinkProgress): Promise<void> {
    await this.db.query(
      `update matrix.sql_sinks
          set sensor_copied = $3, sensor_projected = $4, events_copied = $5, events_projected = $6,
              caught_up_at = $7, last_copy_at = $8, last_error = null, last_error_at = null,
              next_attempt_at = null
        where prop_id = $1 and generation = $2`,
      [
        propId,
        generation,
        progress.sensorCopied,
        progress.sensorProjected,
        progress.eventsCopied,
        progress.eventsProjected,
        progress.caughtUpAt,
        progress.lastCopyAt,
      ],
    );
  }

  /** Records why an attempt failed and when the next is due. */
  async recordFailure(propId: string, generation: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.query(
      `update matrix.sql_sinks set last_error = $3, last_error_at = now(), next_attempt_at = $4
        where prop_id = $1 and generation = $2`,
      [propId, generation, error.slice(0, 1000), nextAttemptAt],
    );
  }

  /**
   * The property's rows of one table with `after < stream_seq <= through`, in stream order, at most `limit`
   * (all of the last sequence's rows may not be among them: the caller re-reads that sequence).
   */
  async window(
    stream: SinkStream,
    propId: string,
    after: number,
    through: number,
    limit: number,
  ): Promise<SinkWindow> {
    const [row] = await this.db.query<{ json: string; rows: number; last_seq: string }>(
      stream === 'sensor_data' ? SENSOR_WINDOW : EVENTS_WINDOW,
      [propId, after, through, limit],
    );
    return { json: row!.json, rows: row!.rows, lastSeq: Number(row!.last_seq) };
  }
}
