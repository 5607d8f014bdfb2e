import type { PrincipalEntry } from '@matrix/contracts';
import { buildIndexes, matchSubject, unresolvedPrincipal } from './subscription-index';

const row = (
  id: string,
  scope: string[] | null,
  buildings: string[] | null = null,
  property: string | null = null,
) => ({
  id,
  kind: 'matrix-events' as const,
  org: 'O1',
  property,
  patterns: ['matrix.#'],
  buildings,
  scope,
});
const index = buildIndexes([
  row('any', null),
  row('org', ['O1', 'P1', 'B1']),
  row('chosen', ['O1', 'P1', 'B1'], ['B1']),
  row('prop2', ['P2'], null, 'P2'),
])['matrix-events'];
const registry: Record<string, PrincipalEntry> = { BNEW: { type: 'building', org: 'O1', property: 'P1' } };
const resolve = (p: string) => registry[p];
const ids = (subject: string, r = resolve) =>
  matchSubject(index, 'matrix-events', subject, r)
    .map((s) => s.id)
    .sort();

describe('subscription scope', () => {
  it('applies the stored scope, the chosen buildings, and what the registry puts under the owner', () => {
    expect(ids('matrix.B1.scgrids.ZONE_CREATED.NORMAL')).toEqual(['any', 'chosen', 'org']);
    expect(ids('matrix.BNEW.scgrids.ZONE_CREATED.NORMAL')).toEqual(['any', 'org']);
    expect(ids('matrix.BNEW.scgrids.ZONE_CREATED.NORMAL', () => undefined)).toEqual(['any']);
    expect(ids('matrix.P2.scgrids.ZONE_CREATED.NORMAL')).toEqual(['any', 'prop2']);
  });

  it('asks the registry only about a principal some scope depends on and the copy does not know', () => {
    const unknown = () => undefined;
    // In every scope that matters (prop2 aside, which might own it now): known or not, only prop2 asks.
    expect(
      unresolvedPrincipal(index, 'matrix-events', 'matrix.B1.scgrids.ZONE_CREATED.NORMAL', unknown),
    ).toBe('B1');
    expect(
      unresolvedPrincipal(index, 'matrix-events', 'matrix.BX.scgrids.ZONE_CREATED.NORMAL', unknown),
    ).toBe('BX');
    // Known to the registry copy: nothing to read.
    expect(
      unresolvedPrincipal(index, 'matrix-events', 'matrix.BNEW.scgrids.ZONE_CREATED.NORMAL', resolve),
    ).toBeUndefined();
    const onlyOpen = buildIndexes([row('any', null)])['matrix-events'];
    expect(
      unresolvedPrincipal(onlyOpen, 'matrix-events', 'matrix.BX.scgrids.ZONE_CREATED.NORMAL', unknown),
    ).toBeUndefined();
  });
});
