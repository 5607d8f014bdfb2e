import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@matrix/testing';
import {
  createDataSource,
  ensureDatabase,
  runMigrations,
  type PersistenceOptions,
} from '../src/lib/data-source';

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('create table things.thing (id int primary key)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table things.thing');
  }
}

class FailingMigration1700000000001 implements MigrationInterface {
  name = 'FailingMigration1700000000001';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('insert into things.thing values (1)');
    await runner.query('select * from no_such_table');
  }
  async down(): Promise<void> {}
}

let database: TestDatabase;
const options = (): PersistenceOptions => ({
  url: database.url,
  schema: 'things',
  migrations: [CreateThings1700000000000],
  applicationName: 'persistence-test',
});

beforeAll(async () => {
  database = await createTestDatabase('persistence');
});
afterAll(() => database.drop());

describe('migrations on a real PostgreSQL', () => {
  it('runs pending migrations once, even when several replicas start together', async () => {
    const runs = await Promise.all([
      runMigrations(options()),
      runMigrations(options()),
      runMigrations(options()),
    ]);
    expect(runs.flat()).toEqual(['CreateThings1700000000000']);
    expect(await runMigrations(options())).toEqual([]);

    const dataSource = await createDataSource(options()).initialize();
    const rows = await dataSource.query('select name from things.things_migrations');
    await dataSource.destroy();
    expect(rows).toEqual([{ name: 'CreateThings1700000000000' }]);
  });

  it('rolls a failing migration back whole', async () => {
    await expect(
      runMigrations({ ...options(), migrations: [CreateThings1700000000000, FailingMigration1700000000001] }),
    ).rejects.toThrow(/no_such_table/);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from things.thing');
    await client.end();
    expect(rows[0].n).toBe(0);
  });

  it('creates the database named in the URL when it is missing', async () => {
    const url = new URL(database.url);
    url.pathname = `/${database.name}_extra`;
    await ensureDatabase(url.toString());
    await ensureDatabase(url.toString());
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    const { rows } = await client.query('select current_database() as name');
    await client.end();
    expect(rows[0].name).toBe(`${database.name}_extra`);
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`drop database "${database.name}_extra" with (force)`);
    await admin.end();
  });
});
