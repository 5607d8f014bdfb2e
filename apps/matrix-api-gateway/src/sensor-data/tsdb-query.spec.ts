import { ActionError } from '../actions/action-error';
import {
  autoInterval,
  parseMetricName,
  parseRelative,
  parseTimeRange,
  parseTsdbQuery,
  standardMetricNames,
} from './tsdb-query';

const NOW = Date.UTC(2026, 2, 29, 12, 0, 0, 789); // injected clock; cut to the second
const SECOND = Date.UTC(2026, 2, 29, 12);

function refused(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError);
    return { code: (error as ActionError).code, message: (error as ActionError).message };
  }
  throw new Error('expected an ActionError');
}

describe('metric names', () => {
  it('maps sg.<provider>.<slot type>.raw.<field> to the devtype and the stored field', () => {
    expect(parseMetricName('sg.smartclean.pplctr.raw.count')).toEqual({
      name: 'sg.smartclean.pplctr.raw.count',
      devType: 'SMARTCLEAN#PPLCTR',
      field: 'count',
    });
    expect(parseMetricName('sg.smartclean.fd.raw.rating')).toMatchObject({
      devType: 'SMARTCLEAN#FD',
      field: 'rating',
    });
    expect(parseMetricName('sg.smartclean.odrdtr.raw.voc')).toMatchObject({
      devType: 'SMARTCLEAN#ODRDTR',
      field: 'alc',
    });
    expect(parseMetricName('sg.smartclean.odrdtr_10_in_1.raw.pm_2.5')).toMatchObject({
      devType: 'SMARTCLEAN#ODRDTR_10_IN_1',
      field: 'pm_25',
    });
    expect(parseMetricName('sg.smartclean.tilt.raw.xt')).toMatchObject({
      devType: 'SMARTCLEAN#TILT',
      field: 'Xt',
    });
    expect(parseMetricName('sg.acme.lux.raw.Lux')).toMatchObject({ devType: 'ACME#LUX', field: 'Lux' });
  });

  it('refuses malformed names and fields a documented type does not have, naming its metrics', () => {
    expect(refused(() => parseMetricName('sg.smartclean.pplctr.raw.rating'))).toEqual({
      code: 'WRONG_PARAMETERS',
      message:
        'metrics: sg.smartclean.pplctr.raw.rating: SMARTCLEAN#PPLCTR has no numeric field rating (metrics of SMARTCLEAN#PPLCTR: sg.smartclean.pplctr.raw.count, sg.smartclean.pplctr.raw.out_count)',
    });
    for (const name of [
      'sg.smartclean.pplctr.count',
      'eu.smartclean.pplctr.raw.count',
      'sg.smartclean.pplctr.agg.count',
      "sg.x.y.raw.a'b",
      '',
    ]) {
      expect(refused(() => parseMetricName(name)).code).toBe('WRONG_PARAMETERS');
    }
  });

  it('every standard metric name of the documented slot types maps back to its type', () => {
    const names = standardMetricNames();
    expect(names).toEqual(
      expect.arrayContaining(['sg.smartclean.pplctr.raw.count', 'sg.smartclean.fd.raw.rating']),
    );
    for (const name of names) expect(parseMetricName(name).devType).toMatch(/^SMARTCLEAN#/);
  });
});

describe('time ranges', () => {
  it('reads relative times against the injected now (largest unit: hours)', () => {
    expect(parseRelative('-1h')).toBe(-3_600_000);
    expect(parseRelative('-24h')).toBe(-86_400_000);
    expect(parseRelative('-1h30m')).toBe(-5_400_000);
    expect(parseRelative('-90s')).toBe(-90_000);
    expect(parseRelative('1h')).toBeUndefined();
    expect(parseTimeRange({ start: '-1h' }, NOW)).toEqual({ from: SECOND - 3_600_000, to: SECOND });
    expect(parseTimeRange({ start: '-24h', end: '-30m' }, NOW)).toEqual({
      from: SECOND - 86_400_000,
      to: SECOND - 1_800_000,
    });
  });

  it('reads absolute ISO 8601 times as the documented examples write them', () => {
    expect(
      parseTimeRange({ start: '2020-10-21T20:00:00+00:00', end: '2020-10-21T22:30:00+00:00' }, NOW),
    ).toEqual({
      from: Date.UTC(2020, 9, 21, 20),
      to: Date.UTC(2020, 9, 21, 22, 30),
    });
    expect(parseTimeRange({ start: '2020-12-06T07:00:00Z', end: '2020-12-06T20:30:00Z' }, NOW).from).toBe(
      Date.UTC(2020, 11, 6, 7),
    );
  });

  it('refuses days as a relative unit, reversed and over-long ranges, and missing starts', () => {
    expect(refused(() => parseTimeRange({ start: '-7d' }, NOW)).message).toMatch(
      /hours are the largest unit/,
    );
    expect(refused(() => parseTimeRange({ start: '-1h', end: '-2h' }, NOW)).message).toBe(
      'time.start must be before time.end',
    );
    expect(refused(() => parseTimeRange({ start: '-9000h' }, NOW)).message).toBe(
      'time: the range may span at most 366 days',
    );
    expect(refused(() => parseTimeRange({ end: '-1h' }, NOW)).code).toBe('MISSING_PARAMETERS');
    expect(refused(() => parseTimeRange(undefined, NOW)).code).toBe('MISSING_PARAMETERS');
    expect(refused(() => parseTimeRange({ start: 1603310400 }, NOW)).code).toBe('WRONG_PARAMETERS');
  });
});

describe('intervals', () => {
  const body = {
    time: { start: '-24h' },
    metrics: ['sg.smartclean.pplctr.raw.count'],
    aggregations: ['sum'],
  };

  it('takes the documented 1T/5T/15T/30T (and 1H, 1D) and refuses others', () => {
    for (const [interval, seconds] of [
      ['1T', 60],
      ['5T', 300],
      ['15T', 900],
      ['30T', 1800],
      ['1H', 3600],
      ['1D', 86400],
    ] as const) {
      expect(parseTsdbQuery({ ...body, aggregationInterval: interval }, NOW, false)).toMatchObject({
        interval,
        intervalSeconds: seconds,
      });
    }
    expect(refused(() => parseTsdbQuery({ ...body, aggregationInterval: '10T' }, NOW, false)).code).toBe(
      'WRONG_PARAMETERS',
    );
    expect(refused(() => parseTsdbQuery(body, NOW, false))).toEqual({
      code: 'MISSING_PARAMETERS',
      message: 'Missing aggregationInterval in the body',
    });
  });

  it('tsdbQueryAuto picks the finest interval with at most 360 buckets and ignores one sent', () => {
    const h = 3_600_000;
    expect(
      [1, 6, 24, 72, 7 * 24, 15 * 24, 30 * 24, 366 * 24].map((hours) =>
        autoInterval({ from: 0, to: hours * h }),
      ),
    ).toEqual(['1T', '1T', '5T', '15T', '30T', '1H', '1D', '1D']);
    expect(parseTsdbQuery({ ...body, aggregationInterval: '1T' }, NOW, true).interval).toBe('5T');
  });

  it('refuses a query that would cut the range into more than 20,000 buckets', () => {
    expect(
      refused(() =>
        parseTsdbQuery({ ...body, time: { start: '-720h' }, aggregationInterval: '1T' }, NOW, false),
      ),
    ).toEqual({
      code: 'LIMIT_VIOLATED',
      message:
        'aggregationInterval 1T cuts the range into 43200 buckets, at most 20000: use a coarser interval or a shorter range',
    });
  });
});

describe('the rest of the body', () => {
  const body = {
    time: { start: '-1h' },
    metrics: ['sg.smartclean.pplctr.raw.count'],
    aggregations: ['sum', 'avg'],
    aggregationInterval: '15T',
  };

  it('parses the documented example body', () => {
    const query = parseTsdbQuery(
      {
        time: { start: '2020-12-06T07:00:00Z', end: '2020-12-06T20:30:00Z' },
        metrics: ['sg.smartclean.odrdtr.raw.voc'],
        aggregations: ['sum'],
        aggregationInterval: '30T',
        filter: [{ tagk: 'l1class', tagv: 'BLK_H_FW' }],
      },
      NOW,
      false,
    );
    expect(query).toMatchObject({
      metrics: [{ devType: 'SMARTCLEAN#ODRDTR', field: 'alc' }],
      aggregations: ['sum'],
      filters: { L1CLASS: ['BLK_H_FW'] },
      groupBy: ['L0CLASS', 'L1CLASS', 'L2CLASS'],
      sumOverGroup: false,
    });
  });

  it('tag filters: l0class/l1class/l2class in any case, values of one tag OR-ed', () => {
    const query = parseTsdbQuery(
      {
        ...body,
        filter: [
          { tagk: 'L1CLASS', tagv: 'z1' },
          { tagk: 'l1class', tagv: 'z2' },
          { tagk: 'l2class', tagv: 'd1' },
        ],
      },
      NOW,
      false,
    );
    expect(query.filters).toEqual({ L1CLASS: ['z1', 'z2'], L2CLASS: ['d1'] });
    expect(
      refused(() => parseTsdbQuery({ ...body, filter: [{ tagk: 'floor', tagv: 'x' }] }, NOW, false)).message,
    ).toMatch(/floor is not a tag/);
    expect(refused(() => parseTsdbQuery({ ...body, filter: [{ tagk: 'l1class' }] }, NOW, false)).code).toBe(
      'WRONG_PARAMETERS',
    );
  });

  it('post-query group by narrows the tags, aggregation sum sums over the group; resampling must be coarser', () => {
    expect(
      parseTsdbQuery(
        {
          ...body,
          postQueryOps: [
            { type: 'group by', op: 'group', args: [{ key: 'columns', value: ['l1class', '_field'] }] },
          ],
        },
        NOW,
        false,
      ),
    ).toMatchObject({ groupBy: ['L1CLASS'], sumOverGroup: false });
    expect(
      parseTsdbQuery({ ...body, postQueryOps: [{ type: 'aggregation', op: 'sum', args: [] }] }, NOW, false),
    ).toMatchObject({
      groupBy: [],
      sumOverGroup: true,
    });
    expect(
      refused(() =>
        parseTsdbQuery({ ...body, postQueryOps: [{ type: 'aggregation', op: 'max' }] }, NOW, false),
      ).message,
    ).toBe('postQueryOps: the only aggregation op is sum');
    expect(
      parseTsdbQuery({ ...body, resamplingParams: { duration: '1H', fn: 'mean' } }, NOW, false).resample,
    ).toEqual({
      duration: '1H',
      seconds: 3600,
      fn: 'avg',
    });
    expect(
      refused(() => parseTsdbQuery({ ...body, resamplingParams: { duration: '5T', fn: 'sum' } }, NOW, false))
        .message,
    ).toMatch(/multiple of the aggregation interval/);
    expect(parseTsdbQuery({ ...body, resamplingParams: {} }, NOW, false).resample).toBeUndefined();
  });

  it('requires metrics and aggregations, and knows the five aggregations', () => {
    expect(refused(() => parseTsdbQuery({ ...body, metrics: undefined }, NOW, false)).code).toBe(
      'MISSING_PARAMETERS',
    );
    expect(refused(() => parseTsdbQuery({ ...body, aggregations: [] }, NOW, false)).code).toBe(
      'MISSING_PARAMETERS',
    );
    expect(refused(() => parseTsdbQuery({ ...body, aggregations: ['median'] }, NOW, false)).message).toBe(
      'aggregations: median is not one of sum, avg, min, max, count',
    );
    expect(
      refused(() => parseTsdbQuery({ ...body, metrics: 'sg.smartclean.pplctr.raw.count' }, NOW, false)).code,
    ).toBe('WRONG_PARAMETERS');
    expect(
      parseTsdbQuery({ ...body, aggregations: ['count', 'min', 'max', 'sum', 'avg', 'sum'] }, NOW, false)
        .aggregations,
    ).toEqual(['count', 'min', 'max', 'sum', 'avg']);
  });
});
