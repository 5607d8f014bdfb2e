import { partitionsToCompact, type CompactionCandidate } from './compaction-policy';

const NOW = new Date('2026-12-07T12:00:00Z');
const HOUR = 3_600_000;

const part = (name: string, to?: string, compacted = false): CompactionCandidate => ({
  name,
  ...(to ? { to: new Date(to) } : {}),
  compacted,
});

describe('partitionsToCompact', () => {
  const monthly = part('matrix.sensor_data_202611', '2026-12-01T00:00:00Z');
  const olderMonthly = part('matrix.sensor_data_202610', '2026-11-01T00:00:00Z');
  const yesterday = part('matrix.sensor_data_20261206', '2026-12-07T00:00:00Z');
  const justClosed = part('matrix.sensor_data_20261207a', '2026-12-07T11:30:00Z');
  const today = part('matrix.sensor_data_20261207', '2026-12-08T00:00:00Z');
  const done = part('matrix.sensor_data_202609', '2026-10-01T00:00:00Z', true);
  const unbounded = part('matrix.sensor_data_default');

  it.each<[string, CompactionCandidate[], number, number, string[]]>([
    ['nothing to look at', [], HOUR, 4, []],
    [
      'closed monthly and daily ranges, oldest first',
      [yesterday, monthly, olderMonthly],
      HOUR,
      4,
      ['matrix.sensor_data_202610', 'matrix.sensor_data_202611', 'matrix.sensor_data_20261206'],
    ],
    ['a range still open waits', [today], HOUR, 4, []],
    ['a range closed less than the grace ago waits', [justClosed], HOUR, 4, []],
    [
      'with no grace, a range closed half an hour ago is taken',
      [justClosed],
      0,
      4,
      ['matrix.sensor_data_20261207a'],
    ],
    [
      'a range closed exactly the grace ago is taken',
      [part('matrix.p', '2026-12-07T11:00:00Z')],
      HOUR,
      4,
      ['matrix.p'],
    ],
    [
      'one compacted already is not taken again',
      [done, olderMonthly],
      HOUR,
      4,
      ['matrix.sensor_data_202610'],
    ],
    ['a DEFAULT or MAXVALUE partition never closes', [unbounded], 0, 4, []],
    [
      'at most max per run, the oldest',
      [yesterday, monthly, olderMonthly],
      HOUR,
      2,
      ['matrix.sensor_data_202610', 'matrix.sensor_data_202611'],
    ],
    ['max 0 takes nothing', [monthly], HOUR, 0, []],
  ])('%s', (_, partitions, graceMs, max, expected) => {
    expect(partitionsToCompact(partitions, NOW, graceMs, max).map((p) => p.name)).toEqual(expected);
  });

  it('does not reorder its input', () => {
    const input = [yesterday, olderMonthly];
    partitionsToCompact(input, NOW, HOUR, 4);
    expect(input).toEqual([yesterday, olderMonthly]);
  });
});
