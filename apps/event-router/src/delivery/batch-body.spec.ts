import { batchBody } from './batch-body';

describe('batchBody', () => {
  const a = JSON.stringify([{ DEVID: 'a', v: { count: 1 } }]);
  const b = JSON.stringify([
    { DEVID: 'b', v: { count: 2 } },
    { DEVID: 'c', v: { count: 3 } },
  ]);

  it('sends events and points as one documented JSON array', () => {
    expect(JSON.parse(batchBody('matrix-events', 'objects', ['{"Event":"A"}', '{"Event":"B"}']))).toEqual([
      { Event: 'A' },
      { Event: 'B' },
    ]);
    expect(
      JSON.parse(batchBody('sensor-data', 'objects', [a, b])).map((p: { DEVID: string }) => p.DEVID),
    ).toEqual(['a', 'b', 'c']);
  });

  it('sends each point as a JSON string in the legacy encoding', () => {
    const body = JSON.parse(batchBody('sensor-data', 'json-strings', [a, b])) as string[];
    expect(body).toHaveLength(3);
    expect(typeof body[0]).toBe('string');
    expect(JSON.parse(body[2]!)).toEqual({ DEVID: 'c', v: { count: 3 } });
  });
});
