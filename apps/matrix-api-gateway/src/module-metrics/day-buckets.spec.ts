import { dayBuckets, dayRange } from './day-buckets';
import { parseDayBound } from './module-metrics-inputs';

const day = (text: string) => parseDayBound(text, 'Start');

describe('dayRange', () => {
  it('lists the days from Start to End, both included, across a month end', () => {
    expect(dayRange(day('20210130'), day('20210202'), 'UTC').days).toEqual([
      '20210130',
      '20210131',
      '20210201',
      '20210202',
    ]);
  });

  it('takes the local day of unix seconds in the time zone', () => {
    const late = parseDayBound(String(Date.parse('2021-01-05T16:30:00Z') / 1000), 'Start');
    expect(dayRange(late, late, 'Asia/Singapore').days).toEqual(['20210106']);
    expect(dayRange(late, late, 'UTC').days).toEqual(['20210105']);
  });

  it('refuses End before Start and more than 366 days, naming the fields', () => {
    expect(() => dayRange(day('20210105'), day('20210104'), 'UTC', '[1].')).toThrow(
      '[1].End: 20210104 is before [1].Start 20210105',
    );
    expect(() => dayRange(day('20200101'), day('20201231'), 'UTC')).not.toThrow(); // 366 days
    expect(() => dayRange(day('20200101'), day('20210101'), 'UTC')).toThrow('367 days, at most 366');
  });
});

describe('dayBuckets', () => {
  it('keys counts by type, sorted, and keeps or hides empty days', () => {
    const counts = [
      { day: '20210106', type: 'WD', count: 2 },
      { day: '20210106', type: 'MO', count: 1 },
    ];
    expect(dayBuckets(['20210105', '20210106'], counts, false)).toEqual([
      { Bucket: '20210105', Data: {} },
      { Bucket: '20210106', Data: { 'WorkOrderCount:MO': 1, 'WorkOrderCount:WD': 2 } },
    ]);
    expect(dayBuckets(['20210105', '20210106'], counts, true)).toHaveLength(1);
  });
});

describe('parseDayBound', () => {
  it('reads eight digits as a day and 9–11 digits as unix seconds, strings or numbers', () => {
    expect(parseDayBound(20210105, 'Start')).toEqual({ kind: 'day', day: { year: 2021, month: 1, day: 5 } });
    expect(parseDayBound('1609804800', 'End')).toEqual({ kind: 'instant', epochSeconds: 1609804800 });
    expect(() => parseDayBound('2021-01-05', 'End')).toThrow('End: must be a day YYYYMMDD');
    expect(() => parseDayBound(1.5, 'End')).toThrow('End: must be a day YYYYMMDD');
  });
});
