import { Client } from 'pg';
import { uniqueNamespace } from './unique-namespace';
import { testAdminDatabaseUrl } from './test-env';

/** A database of its own for one suite. */
export interface TestDatabase {
  /** Database name, from {@link uniqueNamespace}. */
  name: string;
  /** Connection URL of the database (same server and role as the admin URL). */
  url: string;
  /** Drops the database, disconnecting whoever is still connected. */
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Clone this database (e.g. one with the migrations already run) instead of `template1`. */
  template?: string;
  /** Server to create it on; defaults to {@link testAdminDatabaseUrl}. */
  adminUrl?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `CREATE DATABASE` with a name unique to the suite on the test run's PostgreSQL server; call
 * `drop()` in `afterAll`. Databases keep suites apart even when they run in parallel.
 */
export async function createTestDatabase(
  label: string,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? testAdminDatabaseUrl();
  const name = uniqueNamespace(label);
  const { template } = options;
  if (template !== undefined && !IDENTIFIER.test(template)) {
    throw new TypeError(`template must be a plain lowercase identifier, got ${JSON.stringify(template)}`);
  }
  await withAdmin(adminUrl, (client) =>
    client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
