import { decodeSubjectToken, encodeSubjectToken } from './subject-token';

const SUBJECT_TOKEN = /^[A-Za-z0-9_~-]+$/;

describe('subject tokens', () => {
  it.each(['0f81b252335c4961991595cebe4b4ecd', 'INCIDENT_CREATED', 'scworkforcemanagement', 'a-b_c'])(
    'leaves the safe id %s unchanged',
    (id) => {
      expect(encodeSubjectToken(id)).toBe(id);
      expect(decodeSubjectToken(id)).toBe(id);
    },
  );

  it.each([
    ['a.b', 'a~2Eb'],
    ['*', '~2A'],
    ['>', '~3E'],
    ['with space', 'with~20space'],
    ['SMARTCLEAN#PPLCTR', 'SMARTCLEAN~23PPLCTR'],
    ['~', '~7E'],
    ['é', '~C3~A9'],
    ['', '~'],
  ])('escapes %p as %p', (value, token) => {
    expect(encodeSubjectToken(value)).toBe(token);
  });

  it.each([
    '',
    'a.b',
    '~',
    '~7E',
    'x~41',
    'tab\there',
    'Zürich Süd',
    '日本語.ビル',
    '🏢 tower #2 > *',
    '...',
  ])('round-trips %p through a single subject-safe token', (value) => {
    const token = encodeSubjectToken(value);
    expect(token).toMatch(SUBJECT_TOKEN);
    expect(decodeSubjectToken(token)).toBe(value);
  });

  it('gives different values different tokens', () => {
    const values = ['a.b', 'a~2Eb', 'a_2Eb', '', '~'];
    expect(new Set(values.map(encodeSubjectToken)).size).toBe(values.length);
  });

  it.each(['a~ZZ', 'a~4', '~2e', 'x~'])('refuses the malformed escape in %p', (token) => {
    expect(() => decodeSubjectToken(token)).toThrow(/not an encoded subject token/);
  });
});
