import { parseBatch } from './parse-batch';

const point = (overrides: Record<string, unknown> = {}) => ({
  DEVID: 'dev-1',
  DevType: 'SMARTCLEAN#PPLCTR',
  unixT: 1654063185904,
  v: { count: 2.0, out_count: 1.0 },
  PID: 'b1',
  InsID: 'z1',
  Region: 'Asia/Singapore',
  ...overrides,
});

describe('parseBatch', () => {
  it('accepts an array of data points, in order, each with its provider', () => {
    const result = parseBatch(
      JSON.stringify([point(), point({ DEVID: 'dev.2', DevType: 'ACME#PPLCTR', v: {} })]),
      100,
    );
    if (!result.ok) throw new Error(result.detail);
    expect(result.points.map((p) => [p.provider, p.point['DEVID']])).toEqual([
      ['SMARTCLEAN', 'dev-1'],
      ['ACME', 'dev.2'],
    ]);
  });

  it("refuses with 403 a point of another provider or building than the ingest key's", () => {
    const principal = { keyId: 'k1', pid: 'b1', provider: 'SMARTCLEAN' };
    const batch = [point(), point({ DevType: 'ACME#PPLCTR', v: {} }), point({ PID: 'b2' })];
    const result = parseBatch(JSON.stringify(batch), 100, principal);
    expect(result).toMatchObject({ ok: false, status: 403, title: 'Forbidden data points' });
    if (result.ok) return;
    expect(result.errors).toEqual([
      { index: 1, problems: [expect.stringContaining('provider ACME is not SMARTCLEAN')] },
      { index: 2, problems: [expect.stringContaining('PID: b2 is not b1')] },
    ]);
    expect(parseBatch(JSON.stringify(batch), 100, { keyId: 'k2', pid: '*' }).ok).toBe(true);
  });

  it('accepts the documented array of JSON strings', () => {
    const result = parseBatch(JSON.stringify([JSON.stringify(point())]), 100);
    expect(result.ok && result.points[0]?.point['DEVID']).toBe('dev-1');
  });

  it('gives the same reading the same id whatever its key order, and another reading another id', () => {
    const a = parseBatch(JSON.stringify([point()]), 10);
    const reordered = parseBatch(JSON.stringify([Object.fromEntries(Object.entries(point()).reverse())]), 10);
    const other = parseBatch(JSON.stringify([point({ v: { count: 3 } })]), 10);
    if (!a.ok || !reordered.ok || !other.ok) throw new Error('expected valid batches');
    expect(reordered.points[0]!.id).toBe(a.points[0]!.id);
    expect(other.points[0]!.id).not.toBe(a.points[0]!.id);
  });

  it('refuses malformed JSON with the parser position', () => {
    const result = parseBatch('[{"DEVID": ', 10);
    expect(result).toMatchObject({ ok: false, status: 400, title: 'Malformed JSON' });
    expect(!result.ok && result.detail).toMatch(/not valid JSON/);
  });

  it('refuses a body that is not an array', () => {
    expect(parseBatch(JSON.stringify(point()), 10)).toMatchObject({
      ok: false,
      status: 400,
      detail: 'The body must be a JSON array of data points, got an object',
    });
  });

  it('refuses an empty batch and one over the point limit', () => {
    expect(parseBatch('[]', 10)).toMatchObject({ ok: false, status: 400, title: 'Empty batch' });
    expect(parseBatch(JSON.stringify([point(), point(), point()]), 2)).toMatchObject({
      ok: false,
      status: 413,
    });
  });

  it('refuses the whole batch when one point is invalid, naming each problem by index', () => {
    const { DEVID: _d, ...noDevid } = point();
    const result = parseBatch(
      JSON.stringify([point(), noDevid, point({ v: { count: -1 } }), 'not json', 7]),
      10,
    );
    expect(result).toMatchObject({ ok: false, status: 400, title: 'Invalid data points' });
    if (result.ok) return;
    expect(result.errors).toEqual([
      { index: 1, problems: ['DEVID: is required'] },
      { index: 2, problems: ['v.count: must be a non-negative whole number (number or numeric string)'] },
      { index: 3, problems: [expect.stringMatching(/^element is a string but not a JSON data point/)] },
      { index: 4, problems: ['must be a data point object (or a JSON string of one), got a number'] },
    ]);
  });

  it('refuses a DevType that is not Provider#SlotType and a non-numeric unixT', () => {
    const result = parseBatch(JSON.stringify([point({ DevType: 'PPLCTR', unixT: '1654063185904' })]), 10);
    if (result.ok) throw new Error('expected refusal');
    expect(result.errors?.[0]?.problems).toEqual([
      'DevType: must look like Provider#SlotType, e.g. SMARTCLEAN#PPLCTR',
      'unixT: must be a number conforming to the specified constraints',
    ]);
  });
});

describe('parseBatch with hostile keys and nesting', () => {
  it('refuses an object under a constructor key (class-transformer threw on it: a 500) naming the field', () => {
    const body =
      '[{"DEVID":"d","DevType":"SMARTCLEAN#PPLCTR","v":{"count":1,"out_count":{"constructor":{"prototype":{"x":1}}}}}]';
    const result = parseBatch(body, 10);
    expect(result).toMatchObject({ ok: false, status: 400, title: 'Invalid data points' });
    expect(!result.ok && result.errors).toEqual([
      { index: 0, problems: ['v.out_count.constructor: is not an allowed field name'] },
    ]);
  });

  it('refuses __proto__, constructor and prototype keys at any depth, also in valid points and JSON strings', () => {
    const hostile = [
      '{"__proto__": {"polluted": true}}',
      '{"v": {"count": 1, "constructor": 1}}',
      '{"v": {"count": 1, "out_count": 0, "x": [{"prototype": null}]}}',
    ].map((extra) => ({ ...point(), ...JSON.parse(extra) }));
    const result = parseBatch(
      `[${hostile.map((p) => JSON.stringify(p)).join(',')}, ${JSON.stringify(JSON.stringify(hostile[1]))}]`,
      10,
    );
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(!result.ok && result.errors).toEqual([
      { index: 0, problems: ['__proto__: is not an allowed field name'] },
      { index: 1, problems: ['v.constructor: is not an allowed field name'] },
      { index: 2, problems: ['v.x.0.prototype: is not an allowed field name'] },
      { index: 3, problems: ['v.constructor: is not an allowed field name'] },
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a point nested deeper than MAX_INPUT_DEPTH (conversion and serialisation recurse)', () => {
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const body = JSON.stringify([point({ DevType: 'ACME#X', v: { deep: 'DEEP' } })]).replace('"DEEP"', deep);
    const result = parseBatch(body, 10);
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(!result.ok && result.errors?.[0]?.problems).toEqual([
      expect.stringMatching(/^v\.deep(\.0)+: is nested more than 16 levels deep$/),
    ]);
  });
});

describe('parseBatch with the documented quirks', () => {
  it('reads the legacy bare DevType "ODRDTR" as SMARTCLEAN#ODRDTR', () => {
    const result = parseBatch(
      JSON.stringify([
        { DEVID: 'aq-1', DevType: 'ODRDTR', unixT: 1654063185904, v: { amm: 0.4, alc: 1.2, no2: 0.01 } },
      ]),
      10,
    );
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.points[0]).toMatchObject({
      provider: 'SMARTCLEAN',
      point: { DevType: 'SMARTCLEAN#ODRDTR' },
    });
  });

  it('says the body is the accepted points verbatim only when no element was a string or rewritten', () => {
    const verbatim = (batch: unknown[]) => {
      const result = parseBatch(JSON.stringify(batch), 10);
      if (!result.ok) throw new Error(result.detail);
      return result.verbatim;
    };
    expect(verbatim([point(), point({ DEVID: 'dev-2' })])).toBe(true);
    expect(verbatim([point(), JSON.stringify(point({ DEVID: 'dev-2' }))])).toBe(false);
    expect(verbatim([point(), point({ DevType: 'ODRDTR', v: { amm: 0.4, alc: 1.2, no2: 0.01 } })])).toBe(
      false,
    );
  });
});
