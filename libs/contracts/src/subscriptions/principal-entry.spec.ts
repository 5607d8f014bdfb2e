import { parsePrincipalEntry, principalOwnedBy } from './principal-entry';

describe('principal entries', () => {
  it('reads valid entries and says what is wrong with the others', () => {
    const building = { type: 'building', org: 'O1', property: 'P1' };
    expect(parsePrincipalEntry('B1', building)).toEqual({ ok: true, entry: building });
    expect(parsePrincipalEntry('B1', { type: 'zone', org: '', property: 1 })).toEqual({
      ok: false,
      errors: [
        'type: must be building or property',
        'org: must be a non-empty string',
        'property: must be a non-empty string',
      ],
    });
    expect(parsePrincipalEntry('B1', null)).toEqual({ ok: false, errors: ['not an object'] });
  });

  it('puts a principal in the scope of its organisation and of its own property only', () => {
    const entry = { type: 'building', org: 'O1', property: 'P1' } as const;
    expect(principalOwnedBy(entry, { org: 'O1', property: null })).toBe(true);
    expect(principalOwnedBy(entry, { org: 'O1', property: 'P1' })).toBe(true);
    expect(principalOwnedBy(entry, { org: 'O1', property: 'P2' })).toBe(false);
    expect(principalOwnedBy(entry, { org: 'O2', property: null })).toBe(false);
    expect(principalOwnedBy(undefined, { org: 'O1', property: null })).toBe(false);
  });
});
