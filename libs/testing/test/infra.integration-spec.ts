import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { createTestDatabase, testAdminDatabaseUrl, testNatsUrl, uniqueNamespace } from '../src';

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('integration infrastructure', () => {
  it('creates a database of its own for a suite and drops it again', async () => {
    const db = await createTestDatabase('infra');
    let dropped = false;
    try {
      expect(db.name).toMatch(/^t[a-z0-9]+_infra$/);
      const [current] = await query<{ db: string }>(db.url, 'SELECT current_database() AS db');
      expect(current?.db).toBe(db.name);

      await query(db.url, 'CREATE TABLE probe (id int PRIMARY KEY)');
      await query(db.url, 'INSERT INTO probe VALUES (1), (2)');
      const [counted] = await query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM probe');
      expect(counted?.n).toBe(2);

      // A connection left open must not stop drop() (WITH (FORCE)).
      const lingering = new Client({ connectionString: db.url });
      lingering.on('error', () => undefined);
      await lingering.connect();
      await db.drop();
      dropped = true;
      await lingering.end().catch(() => undefined);
    } finally {
      if (!dropped) await db.drop();
    }
    const left = await query(testAdminDatabaseUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [
      db.name,
    ]);
    expect(left).toHaveLength(0);
  });

  it('clones a template database', async () => {
    const template = await createTestDatabase('template');
    try {
      await query(template.url, 'CREATE TABLE migrated (id int)');
      const clone = await createTestDatabase('clone', { template: template.name });
      try {
        const tables = await query<{ name: string }>(
          clone.url,
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
        );
        expect(tables.map((table) => table.name)).toEqual(['migrated']);
      } finally {
        await clone.drop();
      }
    } finally {
      await template.drop();
    }
  });

  it('reaches a JetStream-enabled NATS server', async () => {
    const nc = await connect({ servers: testNatsUrl(), timeout: 5000 });
    try {
      expect(nc.info?.jetstream).toBe(true);
      const subject = `${uniqueNamespace('infra')}.echo`;
      const sub = nc.subscribe(subject);
      void (async () => {
        for await (const msg of sub) msg.respond(`echo:${msg.string()}`);
      })();
      const reply = await nc.request(subject, 'ping', { timeout: 5000 });
      expect(reply.string()).toBe('echo:ping');
    } finally {
      await nc.close();
    }
  });
});
