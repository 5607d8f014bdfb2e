import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { runMigrations } from '@matrix/persistence';
import { CredentialsService } from '../src/credentials/credentials.service';
import { GatewayHarness, type Keys } from './gateway-harness';
/*
 * The real sql-projector (its app module, migrations and tenant-role command handlers) on the gateway's
 * database — they share one in deployment: the gateway reads `matrix.tenant_roles` — in the gateway's NATS
 * namespace: REST v1 must make the same roles matrix-cli does, not a fake.
 */
/* eslint-disable @nx/enforce-module-boundaries -- boots the real sql-projector beside the gateway */
import { AppModule as SqlProjectorModule } from '../../sql-projector/src/app.module';
import { loadConfig as sqlProjectorConfig } from '../../sql-projector/src/config/sql-projector.config';
import { persistenceOptions as sqlProjectorPersistence } from '../../sql-projector/src/persistence-options';
/* eslint-enable @nx/enforce-module-boundaries */

/*
 * REST v1 `/v1/properties/{propId}/sql-roles`: create (201, the password once), list, rotate and revoke as
 * a property admin, forwarded to sql-projector; read-only keys (403) and other tenants (404) refused with
 * nothing changed; sql-projector's refusals mapped (409, 404); sql-projector gone → 503.
 */

const gw = new GatewayHarness('sql-roles-rest');
let projector: INestApplication | undefined;
let admin: Keys & { propid: string; org: string };
let reader: Keys;
let foreign: Keys & { propid: string };
const made = new Set<string>();

const path = (suffix = '', propId = admin.propid) => `/v1/properties/${propId}/sql-roles${suffix}`;

/** The role's row in `pg_roles` (roles are cluster-wide) and in `matrix.tenant_roles`. */
async function roleState(role: string): Promise<{ login: boolean; mapped: string | null }> {
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  try {
    const login = await client.query('select 1 from pg_roles where rolname = $1', [role]);
    const mapped = await client.query<{ prop_id: string }>(
      'select prop_id from matrix.tenant_roles where role_name = $1',
      [role],
    );
    return { login: login.rowCount === 1, mapped: mapped.rows[0]?.prop_id ?? null };
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  const env = {
    DATABASE_URL: gw.db.url,
    NATS_URL: gw.env['NATS_URL'],
    NATS_NAMESPACE: gw.env['NATS_NAMESPACE'],
    LOG_LEVEL: 'error',
  };
  await runMigrations(sqlProjectorPersistence(sqlProjectorConfig(env)));
  projector = await NestFactory.create(SqlProjectorModule.forRoot(sqlProjectorConfig(env)), {
    logger: false,
  });
  await projector.init();
  reader = await gw.app
    .get(CredentialsService)
    .create({ orgId: admin.org, propId: admin.propid, role: 'read' });
  foreign = await gw.bootstrap('Globex', 'Globex Campus');
}, 60_000);

afterAll(async () => {
  // Roles are cluster-wide: drop what this suite made (a revoked one is gone already).
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  for (const role of made) await client.query(`drop role if exists "${role}"`);
  await client.end();
  await projector?.close();
  await gw.stop();
});

describe('tenant SQL roles over REST v1', () => {
  it('creates, lists, rotates and revokes the property’s role as its admin', async () => {
    const created = await gw.rest(admin, 'POST', path());
    expect(created.status).toBe(201);
    made.add(created.body.role);
    expect(created.body).toEqual({
      role: expect.stringMatching(/^matrix_t_[0-9a-f]{20}$/),
      propId: admin.propid,
      password: expect.stringMatching(/^.{32}$/),
      connectionString: expect.stringContaining(`://${created.body.role}:`),
    });
    const role = created.body.role as string;
    await expect(roleState(role)).resolves.toEqual({ login: true, mapped: admin.propid });

    const listed = await gw.rest(admin, 'GET', path());
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      items: [{ role, propId: admin.propid, createdAt: expect.any(String), rotatedAt: null }],
    });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.password);

    const again = await gw.rest(admin, 'POST', path());
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('has a tenant role already');

    const rotated = await gw.rest(admin, 'POST', path(`/${role}/rotate`));
    expect(rotated.status).toBe(200);
    expect(rotated.body.role).toBe(role);
    expect(rotated.body.password).toMatch(/^.{32}$/);
    expect(rotated.body.password).not.toBe(created.body.password);
    expect((await gw.rest(admin, 'GET', path())).body.items[0].rotatedAt).toEqual(expect.any(String));

    const revoked = await gw.rest(admin, 'DELETE', path(`/${role}`));
    expect(revoked.status).toBe(204);
    await expect(roleState(role)).resolves.toEqual({ login: false, mapped: null });
    expect((await gw.rest(admin, 'GET', path())).body).toEqual({ items: [] });
    expect((await gw.rest(admin, 'DELETE', path(`/${role}`))).status).toBe(404);
    expect((await gw.rest(admin, 'POST', path(`/${role}/rotate`))).status).toBe(404);
  });

  it('omits the password from an Idempotency-Key replay', async () => {
    const headers = { 'idempotency-key': 'sql-role-create-1' };
    const first = await gw.rest(admin, 'POST', path(), undefined, headers);
    expect(first.status).toBe(201);
    made.add(first.body.role);
    const replay = await gw.rest(admin, 'POST', path(), undefined, headers);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual({ role: first.body.role, propId: admin.propid });
    expect((await gw.rest(admin, 'DELETE', path(`/${first.body.role}`))).status).toBe(204);
  });

  it('refuses a read-only key (403), another tenant (404), another role name (404) and a body (400), changing nothing', async () => {
    const created = await gw.rest(admin, 'POST', path());
    expect(created.status).toBe(201);
    const role = created.body.role as string;
    made.add(role);

    expect((await gw.rest(reader, 'POST', path())).status).toBe(403);
    expect((await gw.rest(reader, 'GET', path())).status).toBe(403);
    expect((await gw.rest(reader, 'POST', path(`/${role}/rotate`))).status).toBe(403);
    expect((await gw.rest(reader, 'DELETE', path(`/${role}`))).status).toBe(403);
    for (const [method, suffix] of [
      ['POST', ''],
      ['GET', ''],
      ['POST', `/${role}/rotate`],
      ['DELETE', `/${role}`],
    ] as const) {
      const answer = await gw.rest(admin, method, path(suffix, foreign.propid));
      expect({ method, suffix, status: answer.status }).toEqual({ method, suffix, status: 404 });
      const theirs = await gw.rest(foreign, method, path(suffix));
      expect({ method, suffix, status: theirs.status }).toEqual({ method, suffix, status: 404 });
    }
    const other = 'matrix_t_00000000000000000000';
    for (const answer of [
      await gw.rest(admin, 'POST', path(`/${other}/rotate`)),
      await gw.rest(admin, 'DELETE', path(`/${other}`)),
      await gw.rest(admin, 'DELETE', path('/postgres')),
    ]) {
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toMatch(/^sql role .* not found$|no such tenant role/);
    }
    const body = await gw.rest(admin, 'POST', path(), { name: 'x' });
    expect(body.status).toBe(400);
    expect(body.body.errors).toEqual(['name: is not a known field']);
    await expect(roleState(role)).resolves.toEqual({ login: true, mapped: admin.propid });
    expect((await gw.rest(admin, 'DELETE', path(`/${role}`))).status).toBe(204);
  });

  it('answers 503 naming sql-projector when it does not answer', async () => {
    await projector?.close();
    projector = undefined;
    const answer = await gw.rest(admin, 'POST', path());
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.body.detail).toContain('sql-projector did not answer');
  });
});
