import { ingestKeyView, issuedIngestKeyView } from './ingest-key-views';

const key = {
  id: 'abcdefgh2345',
  pid: 'b1',
  provider: 'SMARTCLEAN',
  name: 'gateway 1',
  createdBy: 'AKQ2M7XKPLW4RJ5TZ3NB6C',
  createdAt: new Date('2026-11-26T08:00:00Z'),
  revokedBy: null,
  revokedAt: null,
};

describe('ingest key views', () => {
  it('shows the whole key only in the answer that issues it', () => {
    const issued = { ...key, key: `mik_abcdefgh2345_${'s'.repeat(43)}` };
    expect(issuedIngestKeyView(issued)).toEqual({
      id: 'abcdefgh2345',
      key: issued.key,
      pid: 'b1',
      provider: 'SMARTCLEAN',
      name: 'gateway 1',
      createdAt: '2026-11-26T08:00:00.000Z',
    });
    // A listed key never carries it, even when handed an issued one.
    expect(JSON.stringify(ingestKeyView(issued))).not.toContain('s'.repeat(43));
    expect(ingestKeyView({ ...key, revokedAt: new Date('2026-11-27T08:00:00Z'), revokedBy: 'AK2' })).toEqual({
      id: 'abcdefgh2345',
      pid: 'b1',
      provider: 'SMARTCLEAN',
      name: 'gateway 1',
      createdBy: 'AKQ2M7XKPLW4RJ5TZ3NB6C',
      createdAt: '2026-11-26T08:00:00.000Z',
      revokedBy: 'AK2',
      revokedAt: '2026-11-27T08:00:00.000Z',
    });
  });
});
