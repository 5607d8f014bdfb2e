import type { RegistryAccess } from '../auth/registry-access';
import type { SensorDataQueryService } from './sensor-data-query.service';
import type { BucketStats, StatsQuery } from './sensor-data.types';
import { metricsActions, seriesValues } from './metrics.actions';
import { TAG_COLUMNS } from './tsdb-query';

const T0 = Date.UTC(2020, 9, 1, 0, 0);
const M15 = 15 * 60_000;
const row = (start: number, insid: string, devid: string, values: number[]): BucketStats => ({
  start,
  end: start + M15,
  group: { insid, devid },
  sum: values.reduce((a, b) => a + b, 0),
  count: values.length,
  min: Math.min(...values),
  max: Math.max(...values),
});

const rows = [
  row(T0, 'z1', 'd1', [1, 3]),
  row(T0, 'z1', 'd2', [10]),
  row(T0 + M15, 'z1', 'd1', [5]),
  row(T0, 'z2', 'd3', [7, 9]),
];
const base = {
  aggregations: ['sum' as const, 'avg' as const],
  groupBy: [...TAG_COLUMNS],
  sumOverGroup: false,
  to: T0 + 4 * M15,
};

describe('seriesValues', () => {
  it('one value per device, bucket and aggregation: tags, _field, _time = bucket end, _value as a string', () => {
    expect(seriesValues('b1', rows, base)).toEqual([
      {
        L0CLASS: 'b1',
        L1CLASS: 'z1',
        L2CLASS: 'd1',
        _field: 'sum',
        _time: '2020-10-01T00:15:00Z',
        _value: '4',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z1',
        L2CLASS: 'd1',
        _field: 'avg',
        _time: '2020-10-01T00:15:00Z',
        _value: '2',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z1',
        L2CLASS: 'd1',
        _field: 'sum',
        _time: '2020-10-01T00:30:00Z',
        _value: '5',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z1',
        L2CLASS: 'd1',
        _field: 'avg',
        _time: '2020-10-01T00:30:00Z',
        _value: '5',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z1',
        L2CLASS: 'd2',
        _field: 'sum',
        _time: '2020-10-01T00:15:00Z',
        _value: '10',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z1',
        L2CLASS: 'd2',
        _field: 'avg',
        _time: '2020-10-01T00:15:00Z',
        _value: '10',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z2',
        L2CLASS: 'd3',
        _field: 'sum',
        _time: '2020-10-01T00:15:00Z',
        _value: '16',
      },
      {
        L0CLASS: 'b1',
        L1CLASS: 'z2',
        L2CLASS: 'd3',
        _field: 'avg',
        _time: '2020-10-01T00:15:00Z',
        _value: '8',
      },
    ]);
  });

  it('a group by zone aggregates over all points of the zone (avg of points, not of devices)', () => {
    const values = seriesValues('b1', rows, { ...base, groupBy: ['L1CLASS'] });
    expect(values.filter((v) => v['_time'] === '2020-10-01T00:15:00Z')).toEqual([
      { L1CLASS: 'z1', _field: 'sum', _time: '2020-10-01T00:15:00Z', _value: '14' },
      { L1CLASS: 'z1', _field: 'avg', _time: '2020-10-01T00:15:00Z', _value: String(14 / 3) },
      { L1CLASS: 'z2', _field: 'sum', _time: '2020-10-01T00:15:00Z', _value: '16' },
      { L1CLASS: 'z2', _field: 'avg', _time: '2020-10-01T00:15:00Z', _value: '8' },
    ]);
  });

  it('the aggregation/sum post-query op sums the per-device aggregates over the group', () => {
    const values = seriesValues('b1', rows, {
      ...base,
      aggregations: ['max'],
      groupBy: ['L1CLASS'],
      sumOverGroup: true,
    });
    expect(values).toEqual([
      { L1CLASS: 'z1', _field: 'max', _time: '2020-10-01T00:15:00Z', _value: '13' }, // max 3 (d1) + max 10 (d2)
      { L1CLASS: 'z1', _field: 'max', _time: '2020-10-01T00:30:00Z', _value: '5' },
      { L1CLASS: 'z2', _field: 'max', _time: '2020-10-01T00:15:00Z', _value: '9' },
    ]);
  });

  it('resamples into coarser buckets with fn, and cuts the last _time at the range end', () => {
    const values = seriesValues('b1', rows, {
      ...base,
      aggregations: ['sum'],
      groupBy: ['L2CLASS'],
      resample: { duration: '1H', seconds: 3600, fn: 'sum' },
      to: T0 + 40 * 60_000,
    });
    expect(values).toEqual([
      { L2CLASS: 'd1', _field: 'sum', _time: '2020-10-01T00:40:00Z', _value: '9' },
      { L2CLASS: 'd2', _field: 'sum', _time: '2020-10-01T00:40:00Z', _value: '10' },
      { L2CLASS: 'd3', _field: 'sum', _time: '2020-10-01T00:40:00Z', _value: '16' },
    ]);
  });
});

describe('the scmetrics ops', () => {
  const NOW = Date.UTC(2026, 2, 29, 12, 0, 30, 500);
  const access = { orgId: 'ACME', propId: 'p1' } as RegistryAccess;

  function withFakeService() {
    const calls: StatsQuery[] = [];
    const service = {
      async bucketStats(_access: RegistryAccess, query: StatsQuery) {
        calls.push(query);
        return [row(Date.UTC(2026, 2, 29, 11, 30), 'z1', 'd1', [2, 4])];
      },
    } as unknown as SensorDataQueryService;
    return { calls, ops: metricsActions(service, { now: () => NOW }) };
  }

  it('answers the documented envelope, one series per metric, relative ranges against the injected clock', async () => {
    const { calls, ops } = withFakeService();
    const result = await ops['scmetrics.tsdbQuery']!.handle({
      op: 'scmetrics.tsdbQuery',
      module: 'scmetrics',
      org: 'ACME',
      pid: 'b1',
      access,
      body: {
        time: { start: '-1h' },
        metrics: ['sg.smartclean.pplctr.raw.count', 'sg.smartclean.fd.raw.rating'],
        aggregations: ['sum'],
        aggregationInterval: '30T',
        filter: [{ tagk: 'l2class', tagv: 'd1' }],
      },
    });
    expect(calls.map((c) => [c.type, c.field, c.from, c.to, c.devices, c.bucketing])).toEqual([
      [
        'SMARTCLEAN#PPLCTR',
        'count',
        Date.UTC(2026, 2, 29, 11, 0, 30),
        Date.UTC(2026, 2, 29, 12, 0, 30),
        ['d1'],
        { kind: 'fixed', seconds: 1800 },
      ],
      [
        'SMARTCLEAN#FD',
        'rating',
        Date.UTC(2026, 2, 29, 11, 0, 30),
        Date.UTC(2026, 2, 29, 12, 0, 30),
        ['d1'],
        { kind: 'fixed', seconds: 1800 },
      ],
    ]);
    expect(result).toEqual({
      envelope: {
        type: 'keyval',
        series: ['0', '1'].map((id) => ({
          values: [
            {
              L0CLASS: 'b1',
              L1CLASS: 'z1',
              L2CLASS: 'd1',
              _field: 'sum',
              _time: '2026-03-29T11:45:00Z',
              _value: '6',
            },
          ],
          id,
          _start: '2026-03-29T11:00:30Z',
          _end: '2026-03-29T12:00:30Z',
          aggregationInterval: '30T',
        })),
        queryType: 'tsdb',
      },
    });
  });

  it('serves tsdbQueryAuto and the documented alias scmetrics.tsdb.query; a building filter other than pid matches nothing', async () => {
    const { calls, ops } = withFakeService();
    expect(Object.keys(ops).sort()).toEqual([
      'scmetrics.tsdb.query',
      'scmetrics.tsdbQuery',
      'scmetrics.tsdbQueryAuto',
    ]);
    const auto = (await ops['scmetrics.tsdbQueryAuto']!.handle({
      op: 'scmetrics.tsdbQueryAuto',
      module: 'scmetrics',
      org: 'ACME',
      pid: 'b1',
      access,
      body: {
        time: { start: '-24h' },
        metrics: ['sg.smartclean.pplctr.raw.count'],
        aggregations: ['count'],
        filter: [{ tagk: 'l0class', tagv: 'b2' }],
      },
    })) as { envelope: { series: { aggregationInterval: string }[] } };
    expect(auto.envelope.series[0]!.aggregationInterval).toBe('5T');
    expect(calls[0]!.zones).toEqual([]);
  });
});
