import { formatIngestKey, hashIngestSecret, newIngestSecret, type IngestKeyEntry } from '@matrix/contracts';
import { authenticateIngestKey, type IngestKeyLookup } from './authenticate-ingest-key';

const secret = newIngestSecret();
const entry = (overrides: Partial<IngestKeyEntry> = {}): IngestKeyEntry => ({
  id: 'abcdefgh2345',
  pid: 'building-1',
  provider: null,
  name: 'gateway 1',
  secretHash: hashIngestSecret(secret),
  createdAt: '2026-11-26T08:00:00.000Z',
  ...overrides,
});
const directory = (...entries: IngestKeyEntry[]): IngestKeyLookup => {
  const map = new Map(entries.map((e) => [e.id, e]));
  return { loaded: true, lookup: (id) => map.get(id) };
};
const bearer = (key: string) => `Bearer ${key}`;
const good = formatIngestKey('abcdefgh2345', secret);

describe('authenticateIngestKey', () => {
  it('accepts a known key with its secret: the principal is the key, its building and provider', () => {
    expect(authenticateIngestKey(bearer(good), directory(entry()))).toEqual({
      ok: true,
      principal: { keyId: 'abcdefgh2345', pid: 'building-1' },
    });
    expect(authenticateIngestKey(`bearer   ${good}`, directory(entry({ provider: 'SMARTCLEAN' })))).toEqual({
      ok: true,
      principal: { keyId: 'abcdefgh2345', pid: 'building-1', provider: 'SMARTCLEAN' },
    });
  });

  it.each([
    ['no header', undefined, 'missing'],
    ['an empty header', ' ', 'missing'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz', 'malformed'],
    ['a bare key', good, 'malformed'],
    ['a bearer token that is not an ingest key', 'Bearer AKQ2M7XKPLW4RJ5TZ3NB6C.secret', 'malformed'],
    ['two tokens', `Bearer ${good} ${good}`, 'malformed'],
  ])('refuses %s with 401 (%s)', (_what, header, reason) => {
    expect(authenticateIngestKey(header, directory(entry()))).toMatchObject({
      ok: false,
      status: 401,
      reason,
    });
  });

  it('refuses an unknown or revoked key and a wrong secret with 401', () => {
    expect(authenticateIngestKey(bearer(good), directory())).toEqual({
      ok: false,
      status: 401,
      reason: 'unknown',
      detail: 'unknown or revoked ingest key abcdefgh2345',
      keyId: 'abcdefgh2345',
    });
    const wrong = formatIngestKey('abcdefgh2345', newIngestSecret());
    expect(authenticateIngestKey(bearer(wrong), directory(entry()))).toEqual({
      ok: false,
      status: 401,
      reason: 'mismatch',
      detail: 'the secret of ingest key abcdefgh2345 does not match',
    });
    // The id is part of the lookup: a valid secret under another id does not authenticate.
    const moved = formatIngestKey('zzzzzzzzzzzz', secret);
    expect(authenticateIngestKey(bearer(moved), directory(entry()))).toMatchObject({ reason: 'unknown' });
  });

  it('answers 503 instead of refusing a well-formed key while the keys are loading', () => {
    const loading: IngestKeyLookup = { loaded: false, lookup: () => undefined };
    expect(authenticateIngestKey(bearer(good), loading)).toMatchObject({
      ok: false,
      status: 503,
      reason: 'not_loaded',
    });
    // A request that could never authenticate is still told so at once.
    expect(authenticateIngestKey(undefined, loading)).toMatchObject({ status: 401, reason: 'missing' });
  });
});
