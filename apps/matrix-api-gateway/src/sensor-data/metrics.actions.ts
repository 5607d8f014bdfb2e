import { Injectable } from '@nestjs/common';
import { systemClock, type Clock } from '../clock';
import { SensorDataQueryService } from './sensor-data-query.service';
import { aggregate, type Aggregation, type BucketStats } from './sensor-data.types';
import { isoUtc } from './time';
import { ActionError } from '../actions/action-error';
import { eventLogActions } from '../event-logs/event-log.actions';
import { EventLogsService } from '../event-logs/event-logs.service';
import { moduleMetricsActions } from '../module-metrics/module-metrics.actions';
import { ModuleMetricsService } from '../module-metrics/module-metrics.service';
import { BuildingsService } from '../registry/buildings.service';
import type { ActionDefinition, LocalActionModule } from '../actions/action.types';
import { MAX_VALUES, parseTsdbQuery, TAG_COLUMNS, type TagColumn, type TsdbQuery } from './tsdb-query';

/** The most (device × bucket) rows one metric may read before shaping. */
const MAX_DEVICE_BUCKETS = 100_000;

type Tags = Partial<Record<TagColumn, string>>;
type Stats = Pick<BucketStats, 'sum' | 'count' | 'min' | 'max'>;

interface Cell {
  tags: Tags;
  start: number;
  end: number;
  stats: Stats;
  /** With `sumOverGroup`: per aggregation, the sum of the devices' values. */
  sums: number[];
}

const merge = (into: Stats, row: Stats) => {
  into.sum += row.sum;
  into.count += row.count;
  into.min = Math.min(into.min, row.min);
  into.max = Math.max(into.max, row.max);
};

function combine(values: number[], fn: Aggregation): number {
  switch (fn) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return values.length;
  }
}

/**
 * The `values` of one series from per-device, per-bucket statistics of building `pid`: grouped by the
 * query's tags (merging the statistics of a group, or with `sumOverGroup` summing its devices'
 * aggregates), optionally re-bucketed (`resample`), each bucket stamped with its end (`_time`, cut at
 * the range's end) and every aggregation as its own value with a string `_value`. Ordered by tags,
 * then time, then the requested order of aggregations.
 */
export function seriesValues(
  pid: string,
  rows: BucketStats[],
  query: Pick<TsdbQuery, 'aggregations' | 'groupBy' | 'sumOverGroup' | 'resample' | 'to'>,
): Record<string, string>[] {
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    const all: Record<TagColumn, string> = {
      L0CLASS: pid,
      L1CLASS: row.group.insid ?? '',
      L2CLASS: row.group.devid ?? '',
    };
    const tags: Tags = Object.fromEntries(query.groupBy.map((tag) => [tag, all[tag]]));
    const key = JSON.stringify([query.groupBy.map((tag) => all[tag]), row.start]);
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        tags,
        start: row.start,
        end: row.end,
        stats: { sum: 0, count: 0, min: Infinity, max: -Infinity },
        sums: query.aggregations.map(() => 0),
      };
      cells.set(key, cell);
    }
    merge(cell.stats, row);
    if (query.sumOverGroup) query.aggregations.forEach((agg, i) => (cell.sums[i]! += aggregate(row, agg)));
  }

  let points = [...cells.values()].map((cell) => ({
    tags: cell.tags,
    start: cell.start,
    end: cell.end,
    values: query.sumOverGroup ? cell.sums : query.aggregations.map((agg) => aggregate(cell.stats, agg)),
  }));

  if (query.resample) {
    const { seconds, fn } = query.resample;
    const width = seconds * 1000;
    const coarse = new Map<string, { tags: Tags; start: number; end: number; values: number[][] }>();
    for (const point of points) {
      const start = Math.floor(point.start / width) * width;
      const key = JSON.stringify([query.groupBy.map((tag) => point.tags[tag]), start]);
      let bucket = coarse.get(key);
      if (!bucket) {
        bucket = { tags: point.tags, start, end: start + width, values: query.aggregations.map(() => []) };
        coarse.set(key, bucket);
      }
      point.values.forEach((value, i) => bucket.values[i]!.push(value));
    }
    points = [...coarse.values()].map((bucket) => ({
      ...bucket,
      values: bucket.values.map((v) => combine(v, fn)),
    }));
  }

  const tagOrder = (tags: Tags) => TAG_COLUMNS.map((tag) => tags[tag] ?? '').join('\u0000');
  points.sort((a, b) =>
    tagOrder(a.tags) < tagOrder(b.tags) ? -1 : tagOrder(a.tags) > tagOrder(b.tags) ? 1 : a.start - b.start,
  );
  return points.flatMap((point) =>
    query.aggregations.map((agg, i) => ({
      ...point.tags,
      _field: agg,
      _time: isoUtc(Math.min(point.end, query.to)),
      _value: String(point.values[i]),
    })),
  );
}

/**
 * The `scmetrics` TSDB ops (reference §4.5, Appendix A) over `matrix.sensor_data`: the documented
 * metric envelope `{"type": "keyval", "series": [...], "queryType": "tsdb"}`, one series per metric.
 */
export function metricsActions(
  sensorData: SensorDataQueryService,
  clock: Clock = systemClock,
): Record<string, ActionDefinition> {
  const tsdb = (auto: boolean): ActionDefinition => ({
    module: 'scmetrics',
    target: 'pid',
    async handle({ access, pid, body }) {
      const query = parseTsdbQuery(body, clock.now(), auto);
      const { L0CLASS, L1CLASS, L2CLASS } = query.filters;
      // A building filter other than the queried building (pid) matches nothing.
      const zones = L0CLASS && !L0CLASS.includes(pid) ? [] : L1CLASS;
      const series: Record<string, unknown>[] = [];
      let total = 0;
      for (const [index, metric] of query.metrics.entries()) {
        const rows = await sensorData.bucketStats(access, {
          pid,
          from: query.from,
          to: query.to,
          field: metric.field,
          type: metric.devType,
          zones,
          devices: L2CLASS,
          bucketing: { kind: 'fixed', seconds: query.intervalSeconds },
          groupBy: ['insid', 'devid'],
          maxRows: MAX_DEVICE_BUCKETS,
        });
        const values = seriesValues(pid, rows, query);
        total += values.length;
        if (total > MAX_VALUES) {
          throw new ActionError(
            'LIMIT_VIOLATED',
            `the answer would have more than ${MAX_VALUES} values: use a coarser interval, a shorter range, filters or a group by`,
          );
        }
        series.push({
          values,
          id: String(index),
          _start: isoUtc(query.from),
          _end: isoUtc(query.to),
          aggregationInterval: query.interval,
        });
      }
      return { envelope: { type: 'keyval', series, queryType: 'tsdb' } };
    },
  });
  return {
    'scmetrics.tsdbQuery': tsdb(false),
    'scmetrics.tsdb.query': tsdb(false),
    'scmetrics.tsdbQueryAuto': tsdb(true),
  };
}

/**
 * The `scmetrics` module of the actions API, served here: the TSDB ops from past sensor data, the event-log
 * ops from `matrix.events`, the module metrics and named queries (../module-metrics).
 */
@Injectable()
export class MetricsActions implements LocalActionModule {
  readonly module = 'scmetrics';
  readonly ops: Record<string, ActionDefinition>;

  constructor(
    sensorData: SensorDataQueryService,
    events: EventLogsService,
    moduleMetrics: ModuleMetricsService,
    buildings: BuildingsService,
  ) {
    const tsdb = metricsActions(sensorData);
    this.ops = {
      ...tsdb,
      ...eventLogActions(events),
      ...moduleMetricsActions(moduleMetrics, buildings, tsdb['scmetrics.tsdbQuery']!),
    };
  }
}
