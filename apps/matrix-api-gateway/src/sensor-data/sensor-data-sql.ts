import type { ListQuery, SensorDataFilter, StatsQuery, TimeRange } from './sensor-data.types';

/*
 * The SQL the gateway runs on `matrix.sensor_data` (sql-projector's table; read-only here). Every value,
 * the field name of `v` included, is a bind parameter; only fixed fragments are put together.
 */

/** Collects bind parameters and answers their `$n`. */
export class Binds {
  readonly values: unknown[] = [];
  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The rows of one building in `[from, to)`, narrowed by zones, devices and slot type. */
export function whereClause(query: SensorDataFilter & TimeRange & { pid: string }, binds: Binds): string {
  const conditions = [
    `pid = ${binds.bind(query.pid)}`,
    `time >= ${binds.bind(new Date(query.from).toISOString())}::timestamptz`,
    `time < ${binds.bind(new Date(query.to).toISOString())}::timestamptz`,
  ];
  if (query.zones) conditions.push(`insid = any(${binds.bind(query.zones)}::text[])`);
  if (query.devices) conditions.push(`devid = any(${binds.bind(query.devices)}::text[])`);
  if (query.type !== undefined) {
    conditions.push(
      query.type.includes('#')
        ? `devtype = ${binds.bind(query.type)}` // uses the (pid, devtype, time) index
        : `split_part(devtype, '#', 2) = ${binds.bind(query.type)}`,
    );
  }
  return conditions.join(' and ');
}

/**
 * The numeric value of field `$f` of `v`: JSON numbers, and strings that are plain decimal numbers
 * (`"2"` counts of 2021 firmware, `b` in mV, `rssi`); anything else (missing, text, objects, booleans)
 * is NULL and left out of every aggregate. `numeric`, so no value is out of range.
 */
export function numericValue(field: string): string {
  return `case jsonb_typeof(v -> ${field})
      when 'number' then (v ->> ${field})::numeric
      when 'string' then case when (v ->> ${field}) ~ '^ *[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]{1,2})? *$'
                              then (v ->> ${field})::numeric end
    end`;
}

const COLUMNS = `msg_id, t, v, unixt::text as unixt, devid, region, devtype, pid, propid, insid, display,
  dow, month, hour, dom, minute, extra, to_char(time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at`;

/** One page of points ordered by (time, msg_id), after the cursor's position; `limit + 1` rows tell whether there is more. */
export function listSql(
  query: ListQuery,
  after: { at: string; msgId: string } | undefined,
): { sql: string; params: unknown[] } {
  const binds = new Binds();
  let where = whereClause(query, binds);
  if (after) {
    where += ` and (time, msg_id) > (${binds.bind(`${after.at}Z`)}::timestamptz, ${binds.bind(after.msgId)})`;
  }
  const sql = `select ${COLUMNS} from matrix.sensor_data where ${where} order by time, msg_id limit ${binds.bind(query.limit + 1)}`;
  return { sql, params: binds.values };
}

const CALENDAR_STEP = { day: '1 day', week: '1 week', month: '1 month' } as const;

/**
 * Sum, count, min and max of the field per bucket (and group), buckets without a numeric value left
 * out, ordered by bucket then group; `maxRows + 1` rows tell whether the answer is too large.
 * Calendar buckets: `date_trunc(unit, time, tz)` (the 3-argument form), ending at the next local
 * boundary, so a day is 23 or 25 hours long across a daylight-saving change. Fixed buckets:
 * `date_bin` from the Unix epoch, ending one interval later.
 */
export function statsSql(query: StatsQuery): { sql: string; params: unknown[] } {
  const binds = new Binds();
  const { bucketing } = query;
  let bucket: string;
  let end: string;
  if (bucketing.kind === 'fixed') {
    const step = binds.bind(`${bucketing.seconds} seconds`);
    bucket = `date_bin(${step}::interval, time, timestamptz '1970-01-01 00:00:00+00')`;
    end = `bucket + ${step}::interval`;
  } else {
    const tz = binds.bind(bucketing.tz);
    bucket = `date_trunc(${binds.bind(bucketing.unit)}, time, ${tz})`;
    end = `((bucket at time zone ${tz}) + ${binds.bind(CALENDAR_STEP[bucketing.unit])}::interval) at time zone ${tz}`;
  }
  const field = `${binds.bind(query.field)}::text`;
  const where = whereClause(query, binds);
  const groups = query.groupBy.map((column) => `, ${column}`).join('');
  const order = query.groupBy.map((column) => `, ${column} collate "C"`).join('');
  const sql = `select bucket, ${end} as bucket_end${groups},
      sum(x)::text as sum, count(x)::int as count, min(x)::text as min, max(x)::text as max
    from (select ${bucket} as bucket, insid, devid, ${numericValue(field)} as x
          from matrix.sensor_data where ${where}) points
    where x is not null
    group by bucket${groups}
    order by bucket${order}
    limit ${binds.bind(query.maxRows + 1)}`;
  return { sql, params: binds.values };
}
