import { Injectable } from '@nestjs/common';
import { classifyPgError, Database, pgError } from '@matrix/persistence';
import { GENERAL_FORMAT_FIELDS, isValidTimeZone, localTimeFields } from '@matrix/contracts';
import { BuildingsService } from '../registry/buildings.service';
import type { RegistryAccess } from '../auth/registry-access';
import { RegistryError } from '../registry/registry-error';
import { bucketingIn, MAX_AGGREGATE_ROWS, parseAggregateQuery, parseListQuery } from './sensor-data-inputs';
import { listSql, statsSql } from './sensor-data-sql';
import {
  aggregate,
  type Aggregation,
  type BucketStats,
  type GeneralFormatPoint,
  type GroupColumn,
  type ListQuery,
  type StatsQuery,
} from './sensor-data.types';
import { isoInZone } from './time';

/** A statement on `matrix.sensor_data` that runs longer is cancelled (LIMIT_VIOLATED: narrow the query). */
export const QUERY_TIMEOUT_MS = 30_000;

export interface PointPage {
  items: GeneralFormatPoint[];
  /** Opaque cursor of the next page; absent on the last. */
  next?: string;
}

export interface AggregateBucket {
  /** Bucket boundaries in the query's time zone, with its offset (`2026-03-29T00:00:00+01:00`). */
  start: string;
  end: string;
  /** Zone or device id, with `groupBy`. */
  group?: string;
  value: number;
  /** Points with a numeric value of the field in the bucket. */
  points: number;
}

export interface AggregateAnswer {
  pid: string;
  from: string;
  to: string;
  interval: string;
  tz: string;
  agg: Aggregation;
  field: string;
  groupBy: 'zone' | 'device' | null;
  buckets: AggregateBucket[];
}

/** The documented general-format fields (reference §3.2) in their documented order. */
const DOCUMENTED: ReadonlySet<string> = new Set(GENERAL_FORMAT_FIELDS);

interface PointRow {
  msg_id: string;
  t: string;
  v: Record<string, unknown>;
  unixt: string;
  devid: string;
  region: string;
  devtype: string;
  pid: string;
  propid: string | null;
  insid: string;
  display: string | null;
  dow: string;
  month: string;
  hour: string;
  dom: string;
  minute: string;
  extra: Record<string, unknown> | null;
  at: string;
}

/**
 * The point as sensor data push, NATS subscribers and SQL see it: the columns under their documented
 * names, `time` rebuilt from `unixT` in `Region` (as sensor-normaliser computed it), extras last.
 */
export function generalFormatPoint(row: PointRow): GeneralFormatPoint {
  const unixT = Number(row.unixt);
  const time = isValidTimeZone(row.region)
    ? localTimeFields(unixT, row.region).time
    : localTimeFields(unixT, 'UTC').time;
  const point: GeneralFormatPoint = {
    t: row.t,
    v: row.v,
    unixT,
    DEVID: row.devid,
    Region: row.region,
    time,
    DevType: row.devtype,
    PID: row.pid,
    ...(row.propid === null ? {} : { PropId: row.propid }),
    InsID: row.insid,
    ...(row.display === null ? {} : { Display: row.display }),
    dow: row.dow,
    month: row.month,
    hour: row.hour,
    dom: row.dom,
    minute: row.minute,
  };
  for (const [key, value] of Object.entries(row.extra ?? {})) {
    if (!DOCUMENTED.has(key)) point[key] = value;
  }
  return point;
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

export const encodePointCursor = (at: string, msgId: string) =>
  Buffer.from(`${at}|${msgId}`, 'utf8').toString('base64url');

export function decodePointCursor(cursor: string | undefined): { at: string; msgId: string } | undefined {
  if (cursor === undefined) return undefined;
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const bar = text.indexOf('|');
  const at = text.slice(0, bar);
  const msgId = text.slice(bar + 1);
  if (bar < 0 || !CURSOR_AT.test(at) || !/^[\x21-\x7e]{1,200}$/.test(msgId)) {
    throw new RegistryError('INVALID', 'cursor: is not one this API returned', [
      'cursor: is not one this API returned',
    ]);
  }
  return { at, msgId };
}

/** PostgreSQL errors a query can meet that are the caller's to fix. */
function translate(error: unknown): unknown {
  switch (classifyPgError(error)) {
    case 'query-canceled':
      return new RegistryError(
        'LIMIT_VIOLATED',
        `the query ran longer than ${QUERY_TIMEOUT_MS / 1000} s: narrow the range or filter by type, zone or device`,
      );
    case 'data-exception': // e.g. a time zone not recognised, a date out of range, NUL in a filter
      return new RegistryError('INVALID', `a value is not valid: ${pgError(error)?.message}`);
    default:
      return error;
  }
}

/**
 * Past sensor data of a building from `matrix.sensor_data` (written by sql-projector; only read here,
 * in read-only transactions with a statement timeout): points in a time range, and aggregates per
 * interval. Shared by REST v1 and the `scmetrics` ops. The caller must see the building (NOT_FOUND
 * otherwise, as for every registry entity); its points are by `pid`, so nothing of another building
 * or property can appear.
 */
@Injectable()
export class SensorDataQueryService {
  constructor(
    private readonly db: Database,
    private readonly buildings: BuildingsService,
  ) {}

  /** `GET /v1/sensor-data`: raw query parameters in, a page of points out. */
  async list(access: RegistryAccess, raw: Record<string, unknown>): Promise<PointPage> {
    const query = parseListQuery(raw);
    await this.buildings.load(access, query.pid);
    return this.points(query);
  }

  /** `GET /v1/sensor-data/aggregate`: raw query parameters in, buckets out (empty buckets omitted). */
  async aggregate(access: RegistryAccess, raw: Record<string, unknown>): Promise<AggregateAnswer> {
    const request = parseAggregateQuery(raw);
    const building = await this.buildings.load(access, request.pid);
    const tz = request.tz ?? building.timeZone;
    const rows = await this.stats({
      ...request,
      bucketing: bucketingIn(request, tz),
      groupBy: request.groupColumns,
      maxRows: MAX_AGGREGATE_ROWS,
    });
    const group = request.groupColumns[0];
    return {
      pid: request.pid,
      from: isoInZone(request.from, tz),
      to: isoInZone(request.to, tz),
      interval: request.interval,
      tz,
      agg: request.agg,
      field: request.field,
      groupBy: request.groupBy ?? null,
      buckets: rows.map((row) => ({
        start: isoInZone(row.start, tz),
        end: isoInZone(row.end, tz),
        ...(group ? { group: row.group[group] } : {}),
        value: aggregate(row, request.agg),
        points: row.count,
      })),
    };
  }

  /** Per-bucket statistics of a building the caller must see (the `scmetrics` ops build on these). */
  async bucketStats(access: RegistryAccess, query: StatsQuery): Promise<BucketStats[]> {
    await this.buildings.load(access, query.pid);
    return this.stats(query);
  }

  private async points(query: ListQuery): Promise<PointPage> {
    const { sql, params } = listSql(query, decodePointCursor(query.cursor));
    const rows = await this.read<PointRow>(sql, params);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(generalFormatPoint),
      ...(rows.length > query.limit && last ? { next: encodePointCursor(last.at, last.msg_id) } : {}),
    };
  }

  private async stats(query: StatsQuery): Promise<BucketStats[]> {
    const { sql, params } = statsSql(query);
    const rows = await this.read<Record<string, unknown>>(sql, params);
    if (rows.length > query.maxRows) {
      throw new RegistryError(
        'LIMIT_VIOLATED',
        `the answer would have more than ${query.maxRows} buckets: narrow the range, widen the interval or group less`,
      );
    }
    return rows.map((row) => ({
      start: (row['bucket'] as Date).getTime(),
      end: (row['bucket_end'] as Date).getTime(),
      group: Object.fromEntries(query.groupBy.map((column: GroupColumn) => [column, row[column] as string])),
      sum: Number(row['sum']),
      count: row['count'] as number,
      min: Number(row['min']),
      max: Number(row['max']),
    }));
  }

  /** Runs one statement in a read-only transaction with a statement timeout. */
  private async read<T>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query(`set transaction read only; set local statement_timeout = ${QUERY_TIMEOUT_MS}`);
        return await tx.query<T>(sql, params);
      });
    } catch (error) {
      throw translate(error);
    }
  }
}
