import { createOutbox, Database, defineOutbox, runMigrations } from '@matrix/persistence';
import { createTestDatabase, type TestDatabase } from '@matrix/testing';
import { REGISTRY_OUTBOX } from '../src/outbox/outbox';
import { MATRIX_API_GATEWAY_MIGRATIONS } from '../src/migrations';

/*
 * libs/persistence's outbox DDL creates, in a new schema, the table the gateway's landed migrations
 * created as `registry.outbox` (the registry's migrations stay as they landed).
 */

let database: TestDatabase;
let db: Database;

/** Columns, constraints and indexes of `schema.outbox`, with the schema's name taken out. */
async function shape(schema: string) {
  const columns = await db.query(
    `select column_name, data_type, is_nullable, column_default, ordinal_position
       from information_schema.columns where table_schema = $1 and table_name = 'outbox' order by ordinal_position`,
    [schema],
  );
  const constraints = await db.query(
    `select conname, contype, pg_get_constraintdef(c.oid) as def
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where n.nspname = $1 and c.conrelid = ($1 || '.outbox')::regclass order by conname`,
    [schema],
  );
  const indexes = await db.query(
    `select indexname, replace(indexdef, $1 || '.', '') as def from pg_indexes
      where schemaname = $1 and tablename = 'outbox' order by indexname`,
    [schema],
  );
  return JSON.parse(JSON.stringify({ columns, constraints, indexes }).replaceAll(`${schema}.`, ''));
}

beforeAll(async () => {
  database = await createTestDatabase('gateway_outbox_ddl');
  await runMigrations({
    url: database.url,
    schema: 'registry',
    migrations: MATRIX_API_GATEWAY_MIGRATIONS,
    applicationName: 'gateway-test',
  });
  db = Database.create({ url: database.url, applicationName: 'gateway-test' });
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('the outbox DDL of libs/persistence', () => {
  it('creates in a new schema what the landed migrations created as registry.outbox', async () => {
    await db.query('create schema elsewhere');
    await createOutbox(db, defineOutbox({ schema: 'elsewhere' }));
    const registry = await shape('registry');
    expect(registry.columns).toHaveLength(8);
    expect(await shape('elsewhere')).toEqual(registry);
  });

  it('derives the lock, channel and relay lock the registry has always used', () => {
    expect(REGISTRY_OUTBOX).toMatchObject({
      qualified: 'registry.outbox',
      orderLock: 'registry.outbox',
      channel: 'registry_outbox',
      relayLock: 'registry.outbox-relay',
      defaultBucket: 'DEVICE_SLOTS',
    });
  });
});
