import {
  chunkPoints,
  pointBatchMsgId,
  readingIdsHeader,
  readingIdsOf,
  SINGLE_POINT_MESSAGE,
  validatePointList,
} from './point-batches';

const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as unknown;

describe('point batches', () => {
  const points = Array.from({ length: 7 }, (_, i) => ({ id: `r${i}`, point: { n: i, pad: 'x'.repeat(20) } }));

  it('splits points in order by count and serialises each chunk as the JSON array of its points', () => {
    const batches = chunkPoints(points, { maxPoints: 3, maxBytes: 1e6 });
    expect(batches.map((b) => b.ids)).toEqual([['r0', 'r1', 'r2'], ['r3', 'r4', 'r5'], ['r6']]);
    expect(decode(batches[1]!.body)).toEqual(points.slice(3, 6).map((p) => p.point));
  });

  it('splits by bytes, never above the limit unless one point alone is larger', () => {
    const size = JSON.stringify(points[0]!.point).length;
    const batches = chunkPoints(points, { maxPoints: 100, maxBytes: 2 + 2 * (size + 1) });
    expect(batches.map((b) => b.ids.length)).toEqual([2, 2, 2, 1]);
    for (const batch of batches) expect(batch.body.length).toBeLessThanOrEqual(2 + 2 * (size + 1));
    expect(chunkPoints(points.slice(0, 2), { maxPoints: 100, maxBytes: 5 }).map((b) => b.ids)).toEqual([
      ['r0'],
      ['r1'],
    ]);
  });

  it('splits exactly at the byte limit, whether a whole chunk fits or the points are measured one by one', () => {
    const varied = Array.from({ length: 40 }, (_, i) => ({
      id: `v${i}`,
      point: { n: i, pad: 'é'.repeat(i % 7) },
    }));
    for (const maxBytes of [60, 200, 399, 400, 401, 2000]) {
      for (const maxPoints of [1, 5, 13, 40]) {
        const batches = chunkPoints(varied, { maxPoints, maxBytes });
        expect(batches.flatMap((b) => b.ids)).toEqual(varied.map((p) => p.id));
        for (const batch of batches) {
          expect(decode(batch.body)).toEqual(batch.points);
          expect(batch.ids.length).toBeLessThanOrEqual(maxPoints);
          // Within the limit (counting one byte per point for its comma, as the split does)…
          if (batch.ids.length > 1) expect(batch.body.length + 1).toBeLessThanOrEqual(maxBytes);
        }
        // …and each chunk as full as the limits allow: the next point would not have fitted.
        batches.slice(0, -1).forEach((batch, b) => {
          const next = JSON.stringify(batches[b + 1]!.points[0]);
          const bigger = batch.body.length + 1 + Buffer.byteLength(next) + 1;
          expect(batch.ids.length === maxPoints || bigger > maxBytes).toBe(true);
        });
      }
    }
  });

  it('derives message ids from the reading ids: stable, order-sensitive, the plain id for one point', () => {
    expect(pointBatchMsgId('data', ['a'])).toBe('data:a');
    expect(pointBatchMsgId('data', ['a', 'b'])).toBe(pointBatchMsgId('data', ['a', 'b']));
    expect(pointBatchMsgId('data', ['a', 'b'])).not.toBe(pointBatchMsgId('data', ['b', 'a']));
    expect(pointBatchMsgId('raw', ['a', 'b'])).toMatch(/^raw:b[0-9a-f]{40}$/);
  });

  it('reads the reading ids back from the headers, with fallbacks for a message without them', () => {
    expect(readingIdsOf(readingIdsHeader(['a', 'b']), 2, 'm')).toEqual(['a', 'b']);
    // The single id of re-drives from before they published arrays is no longer read.
    expect(readingIdsOf({ 'Matrix-Reading-Id': 'orig' }, 1, 'm')).toEqual(['m']);
    expect(readingIdsOf({}, 1, 'data:x')).toEqual(['data:x']);
    expect(readingIdsOf(readingIdsHeader(['a']), 2, 'm')).toEqual(['m#0', 'm#1']);
  });
});

describe('validatePointList', () => {
  const positive = (input: unknown) =>
    typeof input === 'number' && input > 0
      ? { ok: true as const, value: input }
      : { ok: false as const, errors: ['must be positive'] };

  it('decodes a JSON array of points, also of one, naming each bad element by index', () => {
    expect(validatePointList(positive, [1, 2])).toEqual({ ok: true, value: [1, 2] });
    expect(validatePointList(positive, [3])).toEqual({ ok: true, value: [3] });
    expect(validatePointList(positive, [1, -1])).toEqual({ ok: false, errors: ['[1].must be positive'] });
  });

  it('refuses one point object, the message shape from before batching, naming the shape', () => {
    expect(validatePointList(positive, { DEVID: 'd' })).toEqual({
      ok: false,
      errors: [SINGLE_POINT_MESSAGE],
    });
    expect(SINGLE_POINT_MESSAGE).toMatch(/from before batching/);
    expect(validatePointList(positive, 'text')).toEqual({
      ok: false,
      errors: ['body: must be a JSON array of points'],
    });
  });
});
