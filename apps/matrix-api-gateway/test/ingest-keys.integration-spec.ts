import { Client } from 'pg';
import { hashIngestSecret, INGEST_KEY_PATTERN, parseIngestKey } from '@matrix/contracts';
import { INGEST_KEYS, openKvBucket } from '@matrix/messaging';
import { expectEventually } from '@matrix/testing';
import { CredentialsService } from '../src/credentials/credentials.service';
import { GatewayHarness, type Keys } from './gateway-harness';

const gw = new GatewayHarness('ingest_keys');
let admin: Keys;
let pid: string;

/** The INGEST_KEYS entry of `id` once the relay has put it (null once deleted). */
async function kvEntry(id: string): Promise<Record<string, unknown> | null> {
  const kv = await openKvBucket(gw.nats.nc, INGEST_KEYS, gw.nats.namespace);
  const entry = await kv.get(id);
  return entry && entry.operation === 'PUT' ? entry.json<Record<string, unknown>>() : null;
}

async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function createBuilding(keys: Keys, name: string): Promise<string> {
  const building = await gw.rest(keys, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
    name,
    levelsCount: 1,
    timeZone: 'Europe/Berlin',
  });
  expect(building.status).toBe(201);
  return building.body.pid;
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  pid = await createBuilding(admin, 'Tower A');
});
afterAll(() => gw.stop());

describe('ingest keys over REST v1', () => {
  it('issues a key, shown once, and puts only the SHA-256 of its secret into INGEST_KEYS', async () => {
    const issued = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'gateway 1' });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({
      id: expect.stringMatching(/^[a-z2-7]{12}$/),
      key: expect.stringMatching(INGEST_KEY_PATTERN),
      pid,
      provider: null,
      name: 'gateway 1',
      createdAt: expect.any(String),
    });
    const { id, secret } = parseIngestKey(issued.body.key)!;
    expect(id).toBe(issued.body.id);

    // Answered once the entry is in the bucket, so push-ingress takes the key at once.
    const entry = await kvEntry(id);
    expect(entry).toEqual({
      id,
      pid,
      provider: null,
      name: 'gateway 1',
      secretHash: hashIngestSecret(secret),
      createdAt: issued.body.createdAt,
    });
    expect(JSON.stringify(entry)).not.toContain(secret);
    const [row] = await sql('select * from registry.ingest_keys where id = $1', [id]);
    expect(row).toMatchObject({ pid, secret_hash: hashIngestSecret(secret) });
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('limits a key to a provider and refuses bad input with every problem', async () => {
    const issued = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/ingest-keys`, {
      name: 'cleaning gateway',
      provider: 'SMARTCLEAN',
    });
    expect(issued).toMatchObject({ status: 201, body: { provider: 'SMARTCLEAN' } });
    await expectEventually(async () =>
      expect(await kvEntry(issued.body.id)).toMatchObject({ provider: 'SMARTCLEAN' }),
    );

    const bad = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/ingest-keys`, {
      provider: 'SMART CLEAN',
      secret: 'mine',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.sort()).toEqual([
      'name: is required',
      'provider: must look like SMARTCLEAN (1–64 of A-Z a-z 0-9 _ -)',
      'secret: is not a known field',
    ]);
  });

  it('lists the keys of the building, paged, never with a secret', async () => {
    const page1 = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/ingest-keys?limit=1`);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await gw.rest(
      admin,
      'GET',
      `/v1/buildings/${pid}/ingest-keys?limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({ items: [expect.anything()], nextCursor: null });
    const items = [...page1.body.items, ...page2.body.items];
    expect(items.map((k: { name: string }) => k.name).sort()).toEqual(['cleaning gateway', 'gateway 1']);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(
        ['createdAt', 'createdBy', 'id', 'name', 'pid', 'provider', 'revokedAt', 'revokedBy'].sort(),
      );
      expect(item).toMatchObject({ pid, createdBy: admin.accessKey, revokedAt: null });
    }
    expect((await gw.rest(admin, 'GET', `/v1/buildings/${pid}/ingest-keys?includeRevoked=yes`)).status).toBe(
      400,
    );
  });

  it('revokes a key: 204, deleted from INGEST_KEYS, listed only with includeRevoked; again is a no-op', async () => {
    const issued = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'to revoke' });
    const id = issued.body.id as string;
    await expectEventually(async () => expect(await kvEntry(id)).not.toBeNull());

    const revoked = await gw.rest(admin, 'DELETE', `/v1/buildings/${pid}/ingest-keys/${id}`);
    expect({ status: revoked.status, body: revoked.body }).toEqual({ status: 204, body: undefined });
    await expectEventually(async () => expect(await kvEntry(id)).toBeNull());

    const active = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/ingest-keys`);
    expect(active.body.items.map((k: { id: string }) => k.id)).not.toContain(id);
    const all = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/ingest-keys?includeRevoked=true`);
    expect(all.body.items.find((k: { id: string }) => k.id === id)).toMatchObject({
      revokedAt: expect.any(String),
      revokedBy: admin.accessKey,
    });

    const outboxBefore = await sql('select count(*)::int as n from registry.outbox');
    expect((await gw.rest(admin, 'DELETE', `/v1/buildings/${pid}/ingest-keys/${id}`)).status).toBe(204);
    expect(await sql('select count(*)::int as n from registry.outbox')).toEqual(outboxBefore);
    expect(
      (await gw.rest(admin, 'DELETE', `/v1/buildings/${pid}/ingest-keys/zzzzzzzzzzzz`)).body,
    ).toMatchObject({
      status: 404,
      detail: 'ingest key zzzzzzzzzzzz not found',
    });
  });

  it('replays an Idempotency-Key POST with the same key id but without the secret, which is never stored', async () => {
    const headers = { 'idempotency-key': 'issue-gateway-7' };
    const first = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'gw 7' }, headers);
    const again = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'gw 7' }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const { key: _shownOnce, ...rest } = first.body;
    expect(again.body).toEqual(rest);
    const { secret } = parseIngestKey(first.body.key)!;
    const stored = await sql<{ body: unknown }>('select body from registry.idempotency_keys where key = $1', [
      'issue-gateway-7',
    ]);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const keys = await sql('select id from registry.ingest_keys where name = $1', ['gw 7']);
    expect(keys).toHaveLength(1);
  });
});

describe('ingest keys and tenancy', () => {
  it("answers 404 to another property's admin and another organisation's, 403 to a read-only credential", async () => {
    const [key] = await sql<{ id: string }>(
      'select id from registry.ingest_keys where pid = $1 and revoked_at is null limit 1',
      [pid],
    );
    const id = key!.id;
    const other = await gw.bootstrap('ACME', 'Other Campus');
    const foreignOrg = await gw.bootstrap('OTHERCO', 'Elsewhere', true);
    for (const keys of [other, foreignOrg.orgWide!]) {
      for (const [method, path, body] of [
        ['GET', `/v1/buildings/${pid}/ingest-keys`, undefined],
        ['POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'sneaky' }],
        ['DELETE', `/v1/buildings/${pid}/ingest-keys/${id}`, undefined],
      ] as const) {
        const response = await gw.rest(keys, method, path, body);
        expect({ method, status: response.status, detail: response.body.detail }).toEqual({
          method,
          status: 404,
          detail: `building ${pid} not found`,
        });
      }
    }
    expect(await kvEntry(id)).not.toBeNull();

    const credentials = gw.app.get(CredentialsService);
    const reader = await credentials.create({ orgId: 'ACME', propId: gw.tenant.propid, role: 'read' });
    const writer = await credentials.create({ orgId: 'ACME', propId: gw.tenant.propid, role: 'write' });
    for (const keys of [reader, writer]) {
      expect((await gw.rest(keys, 'GET', `/v1/buildings/${pid}/ingest-keys`)).status).toBe(403);
      expect((await gw.rest(keys, 'POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'x' })).status).toBe(
        403,
      );
    }
    // The organisation-wide admin of the tenant may.
    expect((await gw.rest(gw.tenant.orgWide!, 'GET', `/v1/buildings/${pid}/ingest-keys`)).status).toBe(200);
  });

  it('removes the keys of a removed building from INGEST_KEYS in the same transaction', async () => {
    const annex = await createBuilding(admin, 'Annex');
    const issued = await gw.rest(admin, 'POST', `/v1/buildings/${annex}/ingest-keys`, { name: 'annex gw' });
    await expectEventually(async () => expect(await kvEntry(issued.body.id)).not.toBeNull());

    expect((await gw.rest(admin, 'DELETE', `/v1/buildings/${annex}`)).status).toBe(204);
    await expectEventually(async () => expect(await kvEntry(issued.body.id)).toBeNull());
    expect(await sql('select id from registry.ingest_keys where pid = $1', [annex])).toEqual([]);
    expect((await gw.rest(admin, 'GET', `/v1/buildings/${annex}/ingest-keys`)).status).toBe(404);
  });
});
