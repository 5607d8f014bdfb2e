import type { Sql } from '@matrix/persistence';
import { Outbox } from './outbox';

/** A transaction that records the SQL it is given. */
function recordingManager() {
  const queries: { sql: string; params: unknown[] }[] = [];
  const manager = {
    query: (sql: string, params: unknown[] = []) => {
      queries.push({ sql, params });
      return Promise.resolve([]);
    },
  } as Sql;
  return { manager, queries };
}

describe('Outbox', () => {
  it('names the KV bucket of each directory change (DEVICE_SLOTS unless told) and none for events', async () => {
    const { manager, queries } = recordingManager();
    const outbox = new Outbox(manager);
    await outbox.directory({ kind: 'kv-put', key: 'pc-lobby', value: { Alias: 'pc-lobby' } });
    await outbox.directory({ kind: 'kv-delete', bucket: 'INGEST_KEYS', key: 'abcdefgh2345' });
    await outbox.event({ RoutingKey: 'matrix.b1.scgrids.ZONE_CREATED.LOW' } as never);

    const inserts = queries.filter((q) => q.sql.startsWith('insert into registry.outbox'));
    expect(inserts.map((q) => q.params)).toEqual([
      ['kv-put', 'pc-lobby', '{"Alias":"pc-lobby"}', 'DEVICE_SLOTS'],
      ['kv-delete', 'abcdefgh2345', 'null', 'INGEST_KEYS'],
      [
        'event',
        'matrix.b1.scgrids.ZONE_CREATED.LOW',
        '{"RoutingKey":"matrix.b1.scgrids.ZONE_CREATED.LOW"}',
        null,
      ],
    ]);
    // The commit-order lock is taken once per transaction, before the first row.
    expect(queries.filter((q) => q.sql.includes('pg_advisory_xact_lock'))).toHaveLength(1);
    expect(queries[0]!.sql).toContain('pg_advisory_xact_lock');
  });
});
