import {
  formatIngestKey,
  hashIngestSecret,
  INGEST_KEY_ID_PATTERN,
  INGEST_KEY_PATTERN,
  ingestSecretMatches,
  newIngestKeyId,
  newIngestSecret,
  parseIngestKey,
  parseIngestKeyEntry,
} from './ingest-key';

describe('ingest keys', () => {
  it('issues ids and secrets of the documented shape, different every time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newIngestKeyId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(INGEST_KEY_ID_PATTERN);
    const secret = newIngestSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(formatIngestKey('abcdefgh2345', secret)).toMatch(INGEST_KEY_PATTERN);
  });

  it('splits a key into id and secret, also when the secret contains underscores', () => {
    const secret = '_bc_efghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP-';
    expect(parseIngestKey(`mik_abcdefgh2345_${secret}`)).toEqual({ id: 'abcdefgh2345', secret });
  });

  it.each([
    ['no prefix', 'abcdefgh2345_x'],
    ['another prefix', `mak_abcdefgh2345_${'a'.repeat(43)}`],
    ['an id with upper case', `mik_ABCDEFGH2345_${'a'.repeat(43)}`],
    ['a short id', `mik_abcdefgh234_${'a'.repeat(43)}`],
    ['a short secret', `mik_abcdefgh2345_${'a'.repeat(42)}`],
    ['a long secret', `mik_abcdefgh2345_${'a'.repeat(44)}`],
    ['a secret with other characters', `mik_abcdefgh2345_${'a'.repeat(42)}=`],
    ['trailing space', `mik_abcdefgh2345_${'a'.repeat(43)} `],
  ])('refuses a key with %s', (_what, key) => {
    expect(parseIngestKey(key)).toBeUndefined();
  });

  it('hashes the secret with SHA-256 and matches only the same secret', () => {
    // printf %s secret | sha256sum
    expect(hashIngestSecret('secret')).toBe(
      '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b',
    );
    const secret = newIngestSecret();
    const hash = hashIngestSecret(secret);
    expect(ingestSecretMatches(secret, hash)).toBe(true);
    expect(ingestSecretMatches(newIngestSecret(), hash)).toBe(false);
    expect(ingestSecretMatches(secret, hash.toUpperCase())).toBe(false);
    expect(ingestSecretMatches(secret, 'not a hash')).toBe(false);
  });

  describe('parseIngestKeyEntry', () => {
    const value = {
      id: 'abcdefgh2345',
      pid: 'building-1',
      provider: 'SMARTCLEAN',
      name: 'gateway 1',
      secretHash: hashIngestSecret('secret'),
      createdAt: '2026-11-26T08:00:00.000Z',
    };

    it('reads the value the gateway writes', () => {
      expect(parseIngestKeyEntry('abcdefgh2345', value)).toEqual({ ok: true, entry: value });
      expect(parseIngestKeyEntry('abcdefgh2345', { ...value, provider: null })).toMatchObject({
        ok: true,
        entry: { provider: null },
      });
    });

    it('refuses a value that cannot authenticate a key, listing every problem', () => {
      expect(
        parseIngestKeyEntry('abcdefgh2345', {
          ...value,
          id: 'other',
          pid: '',
          provider: 'a.b',
          secretHash: 'abc',
        }),
      ).toEqual({
        ok: false,
        errors: [
          'id: must equal the KV key',
          'pid: must be a non-empty string',
          'provider: must be a provider name or null',
          'secretHash: must be 64 lowercase hexadecimal characters (SHA-256)',
        ],
      });
      expect(parseIngestKeyEntry('abcdefgh2345', [])).toEqual({
        ok: false,
        errors: ['value: must be a JSON object'],
      });
    });
  });
});
