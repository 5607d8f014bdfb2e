import { patternMatches, patternProblem } from './subscription-pattern';

describe('routing-key patterns', () => {
  it.each([
    [
      'matrix.B1.scworkforcemanagement.INCIDENT_CREATED.*',
      'matrix.B1.scworkforcemanagement.INCIDENT_CREATED.HIGH',
      true,
    ],
    [
      'matrix.B1.scworkforcemanagement.INCIDENT_CREATED.*',
      'matrix.B2.scworkforcemanagement.INCIDENT_CREATED.HIGH',
      false,
    ],
    ['matrix.*.scgrids.#', 'matrix.B1.scgrids.ZONE_CREATED.NORMAL', true],
    ['matrix.*.scgrids.#', 'matrix.B1.scgrids', true],
    ['matrix.#.HIGH', 'matrix.B1.scgrids.ZONE_REMOVED.HIGH', true],
    ['matrix.#.HIGH', 'matrix.B1.scgrids.ZONE_REMOVED.NORMAL', false],
    ['#', 'sensor.data.P1.SMARTCLEAN.PPLCTR', true],
    ['matrix.>', 'matrix.B1.scgrids.ZONE_CREATED.NORMAL', true],
    ['matrix.>', 'matrix', false],
    ['sensor.data.P1.>', 'sensor.data.P1.SMARTCLEAN.PPLCTR', true],
    ['sensor.data.P1.>', 'sensor.data.P2.SMARTCLEAN.PPLCTR', false],
    ['sensor.data.*.*.FD', 'sensor.data.P1.SMARTCLEAN.FD', true],
    ['matrix.*', 'matrix.B1.scgrids', false],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(patternMatches(pattern, subject)).toBe(expected);
  });

  it('refuses > before the end, empty tokens and unsafe characters', () => {
    expect(patternProblem('matrix.>.HIGH')).toMatch(/last token/);
    expect(patternProblem('matrix..HIGH')).toMatch(/token 2/);
    expect(patternProblem('matrix.a b')).toMatch(/token 2/);
    expect(patternProblem('')).toMatch(/non-empty/);
    expect(patternProblem('matrix.*.scgrids.#')).toBeUndefined();
  });
});
