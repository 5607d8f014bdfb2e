import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { GatewayHarness, type Keys } from './gateway-harness';

/**
 * REST v1 `/v1/properties/{propId}/access-keys` (docs/authentication.md, "Managing access keys") on the
 * whole gateway: an admin issues, lists, rotates and revokes the property's keys, the secret appears
 * only in the issuing or rotating answer, and each change takes effect on authentication at once.
 */
const gw = new GatewayHarness('access-keys-rest');
let admin: BootstrapResult;
let stranger: BootstrapResult;

const path = (suffix = '', propId = admin.propid) => `/v1/properties/${propId}/access-keys${suffix}`;
const keysOf = (body: { accessKey: string; secretKey: string }): Keys => ({
  accessKey: body.accessKey,
  secretKey: body.secretKey,
});
const readProperty = (keys: Keys) => gw.rest(keys, 'GET', `/v1/properties/${admin.propid}`);

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
});

afterAll(async () => {
  await gw.stop();
});

describe('access keys of a property over REST v1', () => {
  it('issues a key whose secret is shown once, and lists keys without secrets', async () => {
    const created = await gw.rest(admin, 'POST', path(), { role: 'read', label: 'dashboard' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      accessKey: expect.stringMatching(/^AK[A-Z2-7]{20}$/),
      secretKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      propId: admin.propid,
      role: 'read',
      label: 'dashboard',
      createdAt: expect.any(String),
      revokedAt: null,
      lastUsedAt: null,
    });
    const reader = keysOf(created.body);
    expect((await readProperty(reader)).status).toBe(200);
    const listed = await gw.rest(admin, 'GET', path());
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((k: { accessKey: string }) => k.accessKey)).toEqual(
      expect.arrayContaining([admin.accessKey, reader.accessKey]),
    );
    expect(JSON.stringify(listed.body)).not.toContain(reader.secretKey);
    // The organisation-wide key of the bootstrap is not one of the property's.
    expect(JSON.stringify(listed.body)).not.toContain(admin.orgWide!.accessKey);
  });

  it('rotates the secret: the old one stops working at once, the key stays the same', async () => {
    const created = await gw.rest(admin, 'POST', path(), { role: 'write' });
    const before = keysOf(created.body);
    const rotated = await gw.rest(admin, 'POST', path(`/${before.accessKey}/rotate`));
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ accessKey: before.accessKey, role: 'write', label: null });
    expect(rotated.body.secretKey).not.toBe(before.secretKey);
    expect((await readProperty(before)).status).toBe(401);
    expect((await readProperty(keysOf(rotated.body))).status).toBe(200);
  });

  it('revokes a key at once; revoking again changes nothing; a revoked key cannot be rotated', async () => {
    const created = await gw.rest(admin, 'POST', path(), { role: 'read' });
    const keys = keysOf(created.body);
    expect((await gw.rest(admin, 'DELETE', path(`/${keys.accessKey}`))).status).toBe(204);
    expect((await readProperty(keys)).status).toBe(401);
    expect((await gw.rest(admin, 'DELETE', path(`/${keys.accessKey}`))).status).toBe(204);
    const rotate = await gw.rest(admin, 'POST', path(`/${keys.accessKey}/rotate`));
    expect(rotate.status).toBe(404);
    const listed = await gw.rest(admin, 'GET', path());
    const entry = listed.body.items.find((k: { accessKey: string }) => k.accessKey === keys.accessKey);
    expect(entry.revokedAt).toEqual(expect.any(String));
  });

  it('keeps an Idempotency-Key replay free of the secret', async () => {
    const headers = { 'Idempotency-Key': 'access-key-once' };
    const first = await gw.rest(admin, 'POST', path(), { role: 'read' }, headers);
    expect(first.status).toBe(201);
    const replay = await gw.rest(admin, 'POST', path(), { role: 'read' }, headers);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.accessKey).toBe(first.body.accessKey);
    expect(replay.body.secretKey).toBeUndefined();
  });

  it('needs an admin of the property: 403 for weaker roles, 404 for another tenant', async () => {
    const reader = keysOf((await gw.rest(admin, 'POST', path(), { role: 'read' })).body);
    const writer = keysOf((await gw.rest(admin, 'POST', path(), { role: 'write' })).body);
    for (const keys of [reader, writer]) {
      expect((await gw.rest(keys, 'GET', path())).status).toBe(403);
      expect((await gw.rest(keys, 'POST', path(), { role: 'admin' })).status).toBe(403);
      expect((await gw.rest(keys, 'DELETE', path(`/${admin.accessKey}`))).status).toBe(403);
    }
    // Another organisation's property, and another organisation's key under our property: not found.
    expect((await gw.rest(admin, 'GET', path('', stranger.propid))).status).toBe(404);
    expect((await gw.rest(admin, 'POST', path('', stranger.propid), { role: 'read' })).status).toBe(404);
    const foreignKey = await gw.rest(admin, 'DELETE', path(`/${stranger.accessKey}`));
    expect(foreignKey.status).toBe(404);
    expect(foreignKey.body.detail).toBe(`access key ${stranger.accessKey} not found`);
    expect((await readProperty(stranger)).status).toBe(404);
    expect((await gw.rest(stranger, 'GET', `/v1/properties/${stranger.propid}`)).status).toBe(200);
    expect((await gw.rest(admin, 'POST', path('/AKNOSUCHKEY234567ABCDE/rotate'))).status).toBe(404);
  });

  it('names every problem of a bad body in one 400', async () => {
    const bad = await gw.rest(admin, 'POST', path(), { role: 'owner', label: '', scope: 'org' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      'scope: is not a known field',
      'role: must be one of read, write, admin',
      'label: must be a non-empty string of at most 200 characters',
    ]);
    const missing = await gw.rest(admin, 'POST', path(), {});
    expect(missing.body.errors).toEqual(['role: is required']);
  });
});
