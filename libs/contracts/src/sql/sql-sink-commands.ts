import { objectReply } from '../workforce/command-decoders';
import { propertyRequest } from './tenant-role-commands';

/*
 * ⚠️ Request/reply subjects of sql-projector's customer-hosted sinks (`sql.sink.<verb>.v1`): a contract
 * between the gateway, matrix-cli and sql-projector. A sink is a PostgreSQL database the customer hosts,
 * named by connection string, into which sql-projector copies the property's rows of `matrix.sensor_data`
 * (with its rollup `matrix.sensor_data_15m`) and `matrix.events` (docs/sql.md, Customer-hosted sink).
 * The connection string is sealed at rest and never answered back: replies show it without its password.
 * Error codes: NOT_FOUND (show/remove: the property has no sink), INVALID_REQUEST,
 * UNAVAILABLE (set: sql-projector has no MATRIX_SECRET_KEY to seal it with).
 */

/** Longest connection string accepted. */
export const MAX_SQL_SINK_URL_LENGTH = 2048;

/**
 * The only parameters a sink's connection string may carry. Others are refused: `host`/`hostaddr`/`port`
 * would point the projector somewhere other than the URL shows, and `sslcert`/`sslkey`/`sslrootcert` name
 * files on the projector's own host.
 */
export const SQL_SINK_URL_PARAMETERS: readonly string[] = [
  'sslmode',
  'application_name',
  'connect_timeout',
  'user',
  'password',
];

/** A sink's connection string: `postgres://` or `postgresql://`, a host and a database. */
export const SQL_SINK_URL = /^postgres(ql)?:\/\/[^/?#]+\/[^/?#]+([?#].*)?$/;

export interface SqlSinkRequestV1 {
  /** The property whose rows are copied. */
  propId: string;
}

export interface SetSqlSinkRequestV1 extends SqlSinkRequestV1 {
  /** `postgres://user:password@host:port/database?sslmode=…` of the customer's database. */
  connectionString: string;
}

/** Where one table's copy stands: stream sequences of the rows' source stream. */
export interface SqlSinkProgressV1 {
  /** Every row of the property with a `stream_seq` up to this one is in the sink. */
  copiedThrough: number;
  /** Every row with a `stream_seq` up to this one is in the dedicated database (the projector's ack floor when last looked). */
  projectedThrough: number;
}

/** What a sink is and how far its copy has come (answered by set, show). */
export interface SqlSinkStatusV1 {
  propId: string;
  /** The connection string without its password (`postgres://user@host:port/database?…`). */
  target: string;
  createdAt: string;
  updatedAt: string;
  /** `pending`: not tried yet; `copying`: behind and copying; `caught-up`; `retrying`: the last attempt failed. */
  state: 'pending' | 'copying' | 'caught-up' | 'retrying';
  /** `matrix.sensor_data` (with its rollup), by SENSOR_DATA sequence. */
  sensorData: SqlSinkProgressV1;
  /** `matrix.events`, by MATRIX_EVENTS sequence. */
  events: SqlSinkProgressV1;
  /** Seconds since the sink last held everything projected (0 when caught up; null before its first copy). */
  lagSeconds: number | null;
  /** When a copy last succeeded. */
  lastCopyAt: string | null;
  /** Why the last attempt failed (null after a success). */
  lastError: string | null;
  lastErrorAt: string | null;
  /** When the next attempt is due after a failure (back-off). */
  nextAttemptAt: string | null;
}

export interface RemovedSqlSinkV1 {
  propId: string;
  /** The removed sink's target, without its password. Rows already copied stay in the customer's database. */
  target: string;
}

/** Problems of a sink connection string (empty when it is one). */
export function sqlSinkUrlProblems(value: unknown): string[] {
  if (typeof value !== 'string' || value.trim() === '') {
    return ['connectionString: must be a non-empty string'];
  }
  if (value.length > MAX_SQL_SINK_URL_LENGTH || value.includes('\u0000')) {
    return [`connectionString: must be at most ${MAX_SQL_SINK_URL_LENGTH} characters, without NUL`];
  }
  if (!SQL_SINK_URL.test(value)) {
    return ['connectionString: must be postgres://[user[:password]@]host[:port]/database[?parameters]'];
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return ['connectionString: is not a valid URL (percent-encode special characters of the password)'];
  }
  const refused = [...new Set(url.searchParams.keys())].filter(
    (key) => !SQL_SINK_URL_PARAMETERS.includes(key),
  );
  if (refused.length > 0) {
    return [
      `connectionString: parameter ${refused.map((key) => `"${key}"`).join(', ')} is not accepted (only ${SQL_SINK_URL_PARAMETERS.join(', ')})`,
    ];
  }
  return [];
}

/** sql-projector's sink commands (structurally `CommandSpec`s of @matrix/messaging). */
export const SQL_SINK_COMMANDS = {
  set: {
    subject: 'sql.sink.set.v1',
    timeoutMs: 15_000,
    decodeRequest: propertyRequest<SetSqlSinkRequestV1>((json, problems) => {
      problems.push(...sqlSinkUrlProblems(json.connectionString));
    }),
    decodeReply: objectReply<SqlSinkStatusV1>(),
  },
  show: {
    subject: 'sql.sink.show.v1',
    timeoutMs: 15_000,
    decodeRequest: propertyRequest<SqlSinkRequestV1>(),
    decodeReply: objectReply<SqlSinkStatusV1>(),
  },
  remove: {
    subject: 'sql.sink.remove.v1',
    timeoutMs: 15_000,
    decodeRequest: propertyRequest<SqlSinkRequestV1>(),
    decodeReply: objectReply<RemovedSqlSinkV1>(),
  },
} as const;
