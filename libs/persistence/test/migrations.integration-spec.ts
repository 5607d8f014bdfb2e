import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, startSecondPostgres, type TestDatabase } from '@matrix/testing';
import { createDataSource, runMigrations, type PersistenceOptions } from '../src/lib/data-source';

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

  it('answers a missing database with an error naming it, without creating it', async () => {
    const url = new URL(database.url);
    url.pathname = `/${database.name}_missing`;
    await expect(runMigrations({ ...options(), url: url.toString() })).rejects.toThrow(
      `database "${database.name}_missing" (DATABASE_URL) does not exist`,
    );
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
      `${database.name}_missing`,
    ]);
    await client.end();
    expect(rowCount).toBe(0);
  });
});

describe('migrations with a role restricted to its own database', () => {
  it('migrates connecting only to the database in the URL, never to `postgres`', async () => {
    // A server of its own: revoking CONNECT on `postgres` from PUBLIC would touch every other suite.
    const server = await startSecondPostgres();
    try {
      const admin = new Client({ connectionString: server.url });
      await admin.connect();
      await admin.query('create role matrix_owner login');
      await admin.query('create database matrix_app owner matrix_owner');
      await admin.query('revoke connect on database postgres from public');
      await admin.query('revoke connect on database template1 from public');
      await admin.end();
      const roleUrl = (db: string) => `postgres://matrix_owner@127.0.0.1:${server.port}/${db}`;

      const probe = new Client({ connectionString: roleUrl('postgres') });
      await expect(probe.connect()).rejects.toThrow(/permission denied for database "postgres"/);
      await probe.end().catch(() => undefined);

      const restricted = { ...options(), url: roleUrl('matrix_app') };
      expect(await runMigrations(restricted)).toEqual(['CreateThings1700000000000']);
      expect(await runMigrations(restricted)).toEqual([]);
      const check = new Client({ connectionString: roleUrl('matrix_app') });
      await check.connect();
      const { rows } = await check.query(
        "select tableowner from pg_tables where schemaname = 'things' and tablename = 'thing'",
      );
      await check.end();
      expect(rows).toEqual([{ tableowner: 'matrix_owner' }]);
    } finally {
      await server.destroy();
    }
  });
});
