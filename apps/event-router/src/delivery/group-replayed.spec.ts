import { groupReplayed } from './delivery.repository';

const rows = (...seqs: number[]) => seqs.map((seq) => ({ stream_seq: String(seq), items: 1 }));

describe('groupReplayed', () => {
  it('groups replayed items exactly as the batch that started with the head item', () => {
    const ends = new Map([
      ['3', 5],
      ['6', 9],
    ]);
    expect(groupReplayed(rows(3, 4, 5, 6, 7), ends, 2).map((r) => r.stream_seq)).toEqual(['3', '4', '5']);
  });

  it('fills up to maxSize otherwise, stopping before an item that started an earlier batch', () => {
    const ends = new Map([['6', 9]]);
    expect(groupReplayed(rows(1, 2, 3), ends, 2).map((r) => r.stream_seq)).toEqual(['1', '2']);
    expect(groupReplayed(rows(4, 5, 6, 7), ends, 10).map((r) => r.stream_seq)).toEqual(['4', '5']);
  });
});
