import type { SqlSinkStatusV1 } from '@matrix/contracts';

/** A row of `matrix.sql_sinks` without its sealed target. */
export interface SinkStatusRow {
  prop_id: string;
  target_redacted: string;
  generation: number;
  created_at: Date;
  updated_at: Date;
  sensor_copied: string | number;
  sensor_projected: string | number;
  events_copied: string | number;
  events_projected: string | number;
  caught_up_at: Date | null;
  last_copy_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  next_attempt_at: Date | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** What `sql.sink.set/show.v1` answer for a sink at `now`. */
export function sinkStatus(row: SinkStatusRow, now: Date): SqlSinkStatusV1 {
  const sensorData = {
    copiedThrough: Number(row.sensor_copied),
    projectedThrough: Number(row.sensor_projected),
  };
  const events = { copiedThrough: Number(row.events_copied), projectedThrough: Number(row.events_projected) };
  const caughtUp =
    sensorData.copiedThrough >= sensorData.projectedThrough &&
    events.copiedThrough >= events.projectedThrough;
  const state: SqlSinkStatusV1['state'] =
    row.last_error !== null
      ? 'retrying'
      : row.last_copy_at === null
        ? 'pending'
        : caughtUp
          ? 'caught-up'
          : 'copying';
  return {
    propId: row.prop_id,
    target: row.target_redacted,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    state,
    sensorData,
    events,
    lagSeconds: sinkLagSeconds(state === 'caught-up', row.caught_up_at, now),
    lastCopyAt: iso(row.last_copy_at),
    lastError: row.last_error,
    lastErrorAt: iso(row.last_error_at),
    nextAttemptAt: iso(row.next_attempt_at),
  };
}

/**
 * How far behind a sink is, in seconds: 0 when it holds everything projected when last looked, else the
 * time since it last did — an upper bound of the age of the oldest row it lacks. Null before it ever caught up.
 */
export function sinkLagSeconds(caughtUp: boolean, caughtUpAt: Date | null, now: Date): number | null {
  if (caughtUp) return 0;
  if (caughtUpAt === null) return null;
  return Math.max(0, Math.round((now.getTime() - caughtUpAt.getTime()) / 100) / 10);
}

/**
 * The connection string as it may be shown and logged: without the password (in the user info or as a
 * `password` or `sslpassword` parameter). The sealed original is the only copy of the password.
 */
export function redactConnectionString(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  for (const key of [...parsed.searchParams.keys()]) {
    // `password`, and libpq's `sslpassword` (the client key's passphrase).
    if (key.toLowerCase().includes('password')) parsed.searchParams.delete(key);
  }
  return parsed.toString();
}

/**
 * The wait before attempt `failures + 1` at a sink that failed `failures` times in a row: 1 s doubling up to
 * `maxMs`, each wait drawn from its upper half (`random` in [0, 1)) so sinks that failed together (their
 * network, our restart) do not all come back in the same second.
 */
export function sinkBackoffMs(failures: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, 1000 * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
