import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';

export interface PersistenceOptions {
  /** `postgres://user@host:port/database`. */
  url: string;
  /** The Postgres schema the owning service writes (one writer per table). */
  schema: string;
  /** Migration classes of the owning service, in order. */
  migrations: DataSourceOptions['migrations'];
  poolMax?: number;
  /** `application_name` shown in pg_stat_activity. */
  applicationName: string;
}

/**
 * A DataSource that never synchronises: the schema changes only through reviewed migrations. TypeORM
 * runs the migrations and nothing else (ADR-19): services talk to PostgreSQL through `Database`.
 */
export function createDataSource(options: PersistenceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: [],
    migrations: options.migrations,
    migrationsTableName: `${options.schema}_migrations`,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    applicationName: options.applicationName,
    extra: { max: options.poolMax ?? 10 },
    logging: ['error'],
  });
}

/** Creates the database named in `url` when it does not exist (connecting to the `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(database)) {
    throw new Error(`database name "${database}" is not a plain identifier`);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) {
      await client.query(`create database "${database}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs the pending migrations of one owning service under an advisory lock, so several replicas (or a
 * Kubernetes Job and a developer) can start at once. Returns the names of the migrations it ran.
 */
export async function runMigrations(options: PersistenceOptions): Promise<string[]> {
  await ensureDatabase(options.url);
  const dataSource = createDataSource({ ...options, poolMax: 1 });
  await dataSource.initialize();
  try {
    await dataSource.query('select pg_advisory_lock(hashtext($1))', [`migrations:${options.schema}`]);
    try {
      await dataSource.query(`create schema if not exists "${options.schema}"`);
      const ran = await dataSource.runMigrations({ transaction: 'each' });
      return ran.map((migration) => migration.name);
    } finally {
      await dataSource.query('select pg_advisory_unlock(hashtext($1))', [`migrations:${options.schema}`]);
    }
  } finally {
    await dataSource.destroy();
  }
}
