import { createHash } from 'node:crypto';
import type { Sql } from '@matrix/persistence';
import {
  chunkPoints,
  localTimeFields,
  pointBatchMsgId,
  readingIdsHeader,
  sensorDataSubject,
  type NormalisedSensorDataPointV1,
} from '@matrix/contracts';

/** A normalised data point as sensor-normaliser publishes it, with its `data:<id>` message id. */
export interface SeededPoint {
  msgId: string;
  subject: string;
  point: NormalisedSensorDataPointV1;
}

export interface PointSpec {
  pid: string;
  zone: string;
  /** `PPLCTR`, `UM`, `FD`, `TH`, … (provider SMARTCLEAN). */
  type: string;
  /** Local wall-clock time in `region`, `YYYY-MM-DDTHH:mm` with its offset, e.g. `2022-06-01T09:00+08:00`. */
  at: string;
  v: Record<string, unknown>;
  region?: string;
  device?: string;
  display?: string;
  /** `PropId` (default `prop-projector`). */
  propId?: string;
}

export function seededPoint(spec: PointSpec): SeededPoint {
  const region = spec.region ?? 'Asia/Singapore';
  const unixT = Date.parse(spec.at);
  if (Number.isNaN(unixT)) throw new Error(`bad time ${spec.at}`);
  const point = {
    DEVID: spec.device ?? `${spec.zone}-${spec.type.toLowerCase()}`,
    DevType: `SMARTCLEAN#${spec.type}`,
    unixT,
    v: spec.v,
    PID: spec.pid,
    PropId: spec.propId ?? 'prop-projector',
    InsID: spec.zone,
    Region: region,
    Display: spec.display ?? `${spec.type} in ${spec.zone}`,
    ...localTimeFields(unixT, region),
  } as NormalisedSensorDataPointV1;
  const id = createHash('sha256').update(JSON.stringify(point)).digest('hex');
  return { msgId: `data:${id}`, subject: sensorDataSubject(spec.pid, 'SMARTCLEAN', spec.type), point };
}

/** `HH:MM` for minute `m` of a day. */
export const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * The rollup as it must be: an independent GROUP BY over `matrix.sensor_data` (FILTER clauses rather
 * than the projector's CASE expressions), in key order.
 */
export const EXPECTED_ROLLUP = `
  select pid, insid, devtype,
         to_timestamp(floor(extract(epoch from time) / 900) * 900) as bucket,
         (coalesce(sum((v->>'count')::int) filter (where devtype <> 'SMARTCLEAN#FD'), 0))::text as count_sum,
         (coalesce(sum((v->>'out_count')::int) filter (where devtype = 'SMARTCLEAN#PPLCTR'), 0))::text as out_count_sum,
         (coalesce(sum((v->>'rating')::int) filter (where devtype = 'SMARTCLEAN#FD'), 0))::text as rating_sum,
         (count(*) filter (where devtype = 'SMARTCLEAN#FD' and v ? 'rating'))::int as rating_count,
         count(*)::int as points
    from matrix.sensor_data
   where devtype in ('SMARTCLEAN#PPLCTR', 'SMARTCLEAN#UM', 'SMARTCLEAN#FD')
   group by 1, 2, 3, 4
   order by 1, 2, 3, 4`;

export const ACTUAL_ROLLUP = `
  select pid, insid, devtype, bucket, count_sum::text, out_count_sum::text, rating_sum::text, rating_count,
         points
    from matrix.sensor_data_15m
   order by 1, 2, 3, 4`;

export async function rollups(sql: Sql) {
  const [expected, actual] = await Promise.all([sql.query(EXPECTED_ROLLUP), sql.query(ACTUAL_ROLLUP)]);
  return { expected, actual };
}

/**
 * Env that turns retention off: the fixtures are dated 2022 (the documented examples' day), far older than
 * the default retention, so an app started on the defaults would drop their partitions in its first round.
 */
export const RETAIN_FOREVER = {
  SQL_RETENTION_SENSOR_DATA_DAYS: '0',
  SQL_RETENTION_EVENTS_DAYS: '0',
  SQL_RETENTION_SENSOR_DATA_15M_DAYS: '0',
} as const;

/**
 * The messages sensor-normaliser would publish for `points`: per subject, JSON arrays of up to `size` points
 * with their reading ids (for `JetStreamPublisher.publishAll`).
 */
export function pointMessages(points: SeededPoint[], size: number, maxBytes = 256 * 1024) {
  const bySubject = new Map<string, { id: string; point: unknown }[]>();
  for (const { subject, point, msgId } of points) {
    const list = bySubject.get(subject) ?? [];
    list.push({ id: msgId.replace(/^data:/, ''), point });
    bySubject.set(subject, list);
  }
  return [...bySubject].flatMap(([subject, list]) =>
    chunkPoints(list, { maxPoints: size, maxBytes }).map((batch) => ({
      subject,
      payload: batch.body,
      msgId: pointBatchMsgId('data', batch.ids),
      headers: readingIdsHeader(batch.ids),
    })),
  );
}
