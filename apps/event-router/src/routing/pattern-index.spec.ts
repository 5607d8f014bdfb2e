import { randomInt } from 'node:crypto';
import { patternMatches } from '@matrix/contracts';
import { PatternIndex } from './pattern-index';

describe('PatternIndex', () => {
  it('finds the subscriptions whose patterns match, each once', () => {
    const index = new PatternIndex<string>();
    index.add('matrix.B1.scworkforcemanagement.INCIDENT_CREATED.*', 'a');
    index.add('matrix.*.scgrids.#', 'b');
    index.add('matrix.#', 'c');
    index.add('matrix.#.HIGH', 'c');
    index.add('matrix.B2.>', 'd');
    expect(index.match('matrix.B1.scworkforcemanagement.INCIDENT_CREATED.HIGH')).toEqual(new Set(['a', 'c']));
    expect(index.match('matrix.B2.scgrids.ZONE_CREATED.NORMAL')).toEqual(new Set(['b', 'c', 'd']));
    expect(index.match('matrix')).toEqual(new Set(['c']));
    expect(index.match('sensor.data.P1.SMARTCLEAN.UM')).toEqual(new Set());
  });

  it('agrees with the reference matcher on random patterns and subjects', () => {
    const tokens = ['matrix', 'B1', 'B2', 'scgrids', 'HIGH'];
    const pick = (from: string[]) => from[randomInt(from.length)]!;
    const patterns = Array.from({ length: 300 }, () => {
      const n = 1 + randomInt(5);
      const parts = Array.from({ length: n }, () => pick([...tokens, '*', '#']));
      if (randomInt(4) === 0) parts.push('>');
      return parts.join('.');
    });
    const index = new PatternIndex<number>();
    patterns.forEach((pattern, i) => index.add(pattern, i));
    for (let run = 0; run < 300; run++) {
      const subject = Array.from({ length: 1 + randomInt(6) }, () => pick(tokens)).join('.');
      const expected = new Set(patterns.flatMap((p, i) => (patternMatches(p, subject) ? [i] : [])));
      expect([subject, index.match(subject)]).toEqual([subject, expected]);
    }
  });
});
