import * as fc from 'fast-check';
import { hostileJson, malformedJson, mutatedJson } from './hostile-json';

const depth = (value: unknown): number =>
  typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value).map(depth)) : 0;

describe('hostile JSON arbitraries', () => {
  it('write well-formed JSON text that covers every hostile kind the fuzz tests promise', () => {
    const texts = fc.sample(hostileJson(['Name']), { seed: 1, numRuns: 3000 });
    for (const text of texts) expect(() => JSON.parse(text)).not.toThrow();
    const seen = (pattern: RegExp) => texts.some((text) => pattern.test(text));
    expect(seen(/"__proto__":/)).toBe(true);
    expect(seen(/"constructor":/)).toBe(true);
    expect(seen(/"prototype":/)).toBe(true);
    expect(seen(/\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])/i)).toBe(true);
    expect(seen(/\\u0000/)).toBe(true);
    expect(seen(/(^|[^0-9.])(1e999999|1e308|-0|9007199254740993)([^0-9]|$)/)).toBe(true);
    expect(texts.some((text) => depth(JSON.parse(text)) > 16)).toBe(true);
    expect(new Set(texts.map((text) => typeof JSON.parse(text))).size).toBeGreaterThanOrEqual(4);
    expect(texts.some((text) => text.length > 100_000)).toBe(true);
    const withIds = fc.sample(hostileJson(['Name'], ['id-1']), { seed: 1, numRuns: 500 });
    expect(withIds.some((text) => text.includes('"id-1"'))).toBe(true);
  });

  it('mutate a valid body at any depth, keeping it unchanged in some runs', () => {
    const valid = { Zone: [{ Name: 'Lobby', LID: 'l1' }], Note: 'x' };
    const texts = fc.sample(mutatedJson(valid, ['Name']), { seed: 2, numRuns: 2000 });
    const parsed = texts.filter((text) => text !== '').map((text) => JSON.parse(text) as unknown);
    expect(parsed).toContainEqual(valid);
    expect(
      texts.some((text) => /^\{"Zone":\[\{"Name":"Lobby","LID":"l1","(__proto__|constructor)":/.test(text)),
    ).toBe(true);
    expect(texts.some((text) => /^\{"Zone":\[\{"LID":"l1"\}\],"Note":"x"\}$/.test(text))).toBe(true);
    expect(texts.some((text) => /^\{"Zone":\[\{"Name":(?!"Lobby")/.test(text))).toBe(true);
  });

  it('include bodies that are not JSON', () => {
    const texts = fc.sample(malformedJson, { seed: 3, numRuns: 200 });
    expect(
      texts.some((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      }),
    ).toBe(true);
    expect(texts).toContain('null');
  });
});
