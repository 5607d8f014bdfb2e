import 'reflect-metadata';
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

/**
 * The database a migration connects to, named in `url`, must exist: migrations connect to it directly and
 * never to the `postgres` maintenance database, so they work behind a pooler that serves only the target
 * database and with a role that may connect to nothing else. Whoever provisions the server creates it
 * (`npm start` and the test harness do; compose and the dev overlay through `POSTGRES_DB`).
 */
function missingDatabase(error: unknown, url: string): Error | undefined {
  if ((error as { code?: string }).code !== '3D000') return undefined;
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return new Error(
    `database "${database}" (DATABASE_URL) does not exist: create it first, e.g. createdb "${database}"; ` +
      'migrations connect only to the database DATABASE_URL names',
    { cause: error },
  );
}

/**
 * Runs the pending migrations of one owning service under an advisory lock, so several replicas (each
 * pod's `migrate` init container, or a developer) can start at once. Connects with one connection to the
 * database in `url` only. Returns the names of the migrations it ran.
 */
export async function runMigrations(options: PersistenceOptions): Promise<string[]> {
  const dataSource = createDataSource({ ...options, poolMax: 1 });
  await dataSource.initialize().catch((error: unknown) => {
    throw missingDatabase(error, options.url) ?? error;
  });
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
