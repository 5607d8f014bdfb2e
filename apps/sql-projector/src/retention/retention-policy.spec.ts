import {
  lastExpiredBucket,
  partitionsPastRetention,
  retentionCutoff,
  type PartitionRange,
} from './retention-policy';

const month = (ym: string, upper?: string): PartitionRange => ({
  name: `matrix.sensor_data_${ym.replace('-', '')}`,
  upper: upper === undefined ? undefined : new Date(upper),
});

describe('retention policy', () => {
  it('puts the cutoff the given days before now, and none for 0 days (forever)', () => {
    const now = new Date('2026-12-07T11:00:00Z');
    expect(retentionCutoff(now, 400)?.toISOString()).toBe('2025-11-02T11:00:00.000Z');
    expect(retentionCutoff(now, 1)?.toISOString()).toBe('2026-12-06T11:00:00.000Z');
    expect(retentionCutoff(now, 0)).toBeUndefined();
  });

  it('drops only partitions whose whole range ends at or before the cutoff, oldest first', () => {
    const partitions = [
      month('2025-11', '2025-12-01T00:00:00Z'),
      month('2025-09', '2025-10-01T00:00:00Z'),
      month('2025-10', '2025-11-01T00:00:00Z'),
      month('2026-12', '2027-01-01T00:00:00Z'),
    ];
    const dropped = (cutoff: string) =>
      partitionsPastRetention(partitions, new Date(cutoff)).map((p) => p.name);
    // The cutoff inside November: November holds the boundary and is kept.
    expect(dropped('2025-11-02T11:00:00Z')).toEqual([
      'matrix.sensor_data_202509',
      'matrix.sensor_data_202510',
    ]);
    // A cutoff exactly at a month's end: all of that month is older, so it goes.
    expect(dropped('2025-12-01T00:00:00Z')).toEqual([
      'matrix.sensor_data_202509',
      'matrix.sensor_data_202510',
      'matrix.sensor_data_202511',
    ]);
    expect(dropped('2025-10-01T00:00:00Z')).toEqual(['matrix.sensor_data_202509']);
    expect(dropped('2025-09-30T23:59:59.999Z')).toEqual([]);
  });

  it('keeps everything without a cutoff, and never drops a DEFAULT or MAXVALUE partition', () => {
    const partitions = [month('2000-01', '2000-02-01T00:00:00Z'), month('default')];
    expect(partitionsPastRetention(partitions, undefined)).toEqual([]);
    expect(partitionsPastRetention(partitions, new Date('2030-01-01T00:00:00Z'))).toEqual([partitions[0]]);
  });

  it('expires a rollup bucket only when its whole quarter hour is older than the cutoff', () => {
    expect(lastExpiredBucket(new Date('2026-01-01T10:00:00Z'))?.toISOString()).toBe(
      '2026-01-01T09:45:00.000Z',
    );
    expect(lastExpiredBucket(new Date('2026-01-01T10:07:00Z'))?.toISOString()).toBe(
      '2026-01-01T09:52:00.000Z',
    );
    expect(lastExpiredBucket(undefined)).toBeUndefined();
  });
});
