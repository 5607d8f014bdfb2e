import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { ROUTER_COMMANDS } from '@matrix/contracts';
import { CommandBus } from '@matrix/messaging';
import { runMigrations } from '@matrix/persistence';
import { basicAuth, MatrixClient, scHmacAuth } from '@matrix/sdk';
import { createTestDatabase, expectEventually, type TestDatabase } from '@matrix/testing';
import { GatewayHarness } from './gateway-harness';
/* eslint-disable @nx/enforce-module-boundaries -- boots the real sql-projector beside the gateway */
import { AppModule as SqlProjectorModule } from '../../sql-projector/src/app.module';
import { loadConfig as sqlProjectorConfig } from '../../sql-projector/src/config/sql-projector.config';
import { persistenceOptions as sqlProjectorPersistence } from '../../sql-projector/src/persistence-options';
/* eslint-enable @nx/enforce-module-boundaries */

/*
 * The TypeScript SDK (libs/sdk) on the REST v1 routes the gateway forwards: SQL roles to the real
 * sql-projector (on the gateway's database, as deployed), subscriptions to a stand-in for event-router over
 * NATS request/reply (event-router's own tests cover its side), and the SQL sink routes to the real
 * sql-projector, with a database of the same server as the customer's target.
 */

const gw = new GatewayHarness('sdk-forwarded');
let projector: INestApplication | undefined;
let router: CommandBus;
let admin: MatrixClient;
let target: TestDatabase | undefined;
const made = new Set<string>();
const SUBSCRIPTION = '0b9e5f7c-2a51-4c33-9b0d-5d7f1c2e4a10';
const view = {
  id: SUBSCRIPTION,
  url: 'https://hooks.example.com/sdk',
  kind: 'matrix-events',
  status: 'active',
};

beforeAll(async () => {
  await gw.start();
  const env = {
    DATABASE_URL: gw.db.url,
    NATS_URL: gw.env['NATS_URL'],
    NATS_NAMESPACE: gw.env['NATS_NAMESPACE'],
    // Seals the sinks' connection strings, as the gateway's credentials: one key per deployment.
    MATRIX_SECRET_KEY: gw.env['MATRIX_SECRET_KEY'],
    LOG_LEVEL: 'error',
  };
  await runMigrations(sqlProjectorPersistence(sqlProjectorConfig(env)));
  projector = await NestFactory.create(SqlProjectorModule.forRoot(sqlProjectorConfig(env)), {
    logger: false,
  });
  await projector.init();
  router = new CommandBus(gw.nats, {
    log: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as never);
  router.serve(
    ROUTER_COMMANDS.create,
    async (request) => ({ ...view, owner: request.owner, secret: 'whsec_c2VjcmV0' }) as never,
  );
  router.serve(
    ROUTER_COMMANDS.list,
    async (request) =>
      (request.after
        ? { items: [{ ...view, id: SUBSCRIPTION.replace('0b9', '1b9') }] }
        : { items: [view], next: 'n1' }) as never,
  );
  router.serve(ROUTER_COMMANDS.get, async () => view as never);
  router.serve(ROUTER_COMMANDS.delete, async () => ({ deleted: true }));
  router.serve(ROUTER_COMMANDS.update, async (request) => ({ ...view, ...request.patch }) as never);
  router.serve(
    ROUTER_COMMANDS.rotateSecret,
    async () => ({ subscription: view, secret: 'whsec_bmV3' }) as never,
  );
  router.serve(ROUTER_COMMANDS.attempts, async () => ({ items: [] }) as never);
  router.serve(ROUTER_COMMANDS.batches, async () => ({ items: [] }) as never);
  router.serve(ROUTER_COMMANDS.replay, async () => ({ scanned: 3, enqueued: 2 }));
  router.serve(
    ROUTER_COMMANDS.resend,
    async (request) => ({ id: request.batchId, status: 'pending' }) as never,
  );
  await gw.nats.nc.flush();
  admin = new MatrixClient({
    baseUrl: gw.url,
    auth: scHmacAuth({
      accessKey: gw.tenant.accessKey,
      secretKey: gw.tenant.secretKey,
      propId: gw.tenant.propid,
    }),
  });
}, 60_000);

afterAll(async () => {
  // Roles are cluster-wide: drop what this suite made (a revoked one is gone already).
  const client = new Client({ connectionString: gw.db.url });
  await client.connect();
  for (const role of made) await client.query(`drop role if exists "${role}"`);
  await client.end();
  await router?.stop();
  await projector?.close();
  await target?.drop();
  await gw.stop();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('the SDK on forwarded REST v1 routes', () => {
  it('creates, lists, rotates and revokes a tenant SQL role (sql-projector)', async () => {
    const propId = gw.tenant.propid;
    const { data: created } = await admin.rest.POST('/v1/properties/{propId}/sql-roles', {
      params: { path: { propId } },
    });
    made.add(created.role);
    const { data: list } = await admin.rest.GET('/v1/properties/{propId}/sql-roles', {
      params: { path: { propId } },
    });
    expect(list.items.map((r) => r.role)).toEqual([created.role]);
    const { data: rotated } = await admin.rest.POST('/v1/properties/{propId}/sql-roles/{role}/rotate', {
      params: { path: { propId, role: created.role } },
    });
    expect(rotated.password).not.toBe(created.password);
    const revoked = await admin.rest.DELETE('/v1/properties/{propId}/sql-roles/{role}', {
      params: { path: { propId, role: created.role } },
    });
    expect(revoked.response.status).toBe(204);
  });

  it('sets, shows and removes a customer-hosted SQL sink (sql-projector copies into it)', async () => {
    target = await createTestDatabase('sdk_sink_target');
    const propId = gw.tenant.propid;
    const connectionString = target.url;
    const { data: set, response } = await admin.rest.PUT('/v1/properties/{propId}/sql-sink', {
      params: { path: { propId } },
      body: { connectionString },
    });
    expect(response.status).toBe(201);
    expect(set.propId).toBe(propId);
    expect(set.target).toContain(target.name);
    await expectEventually(async () => {
      const { data: shown } = await admin.rest.GET('/v1/properties/{propId}/sql-sink', {
        params: { path: { propId } },
      });
      expect(shown.state).toBe('caught-up');
    });
    const removed = await admin.rest.DELETE('/v1/properties/{propId}/sql-sink', {
      params: { path: { propId } },
    });
    expect(removed.response.status).toBe(204);
    await expect(
      admin.rest.GET('/v1/properties/{propId}/sql-sink', { params: { path: { propId } } }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('creates, pages through, reads, updates, rotates, resends, replays and deletes subscriptions (event-router stand-in)', async () => {
    const { data: created } = await admin.rest.POST('/v1/subscriptions', {
      body: { url: 'https://hooks.example.com/sdk', kind: 'matrix-events', patterns: ['matrix.*.scgrids.#'] },
    });
    expect(created).toMatchObject({ id: SUBSCRIPTION });
    const all = [];
    for await (const subscription of admin.rest.paginate('/v1/subscriptions', {})) all.push(subscription.id);
    expect(all).toEqual([SUBSCRIPTION, SUBSCRIPTION.replace('0b9', '1b9')]);
    const reader = new MatrixClient({ baseUrl: gw.url, auth: basicAuth(gw.tenant) });
    expect(
      (await reader.rest.GET('/v1/subscriptions/{id}', { params: { path: { id: SUBSCRIPTION } } })).data.url,
    ).toBe(view.url);
    const path = { id: SUBSCRIPTION };
    const { data: updated } = await admin.rest.PATCH('/v1/subscriptions/{id}', {
      params: { path },
      body: { description: 'from the SDK' },
    });
    expect(updated).toMatchObject({ id: SUBSCRIPTION, description: 'from the SDK' });
    const { data: rotated } = await admin.rest.POST('/v1/subscriptions/{id}/secret', { params: { path } });
    expect(rotated.secret).toBe('whsec_bmV3');
    expect(
      await collect(admin.rest.paginate('/v1/subscriptions/{id}/attempts', { params: { path } })),
    ).toEqual([]);
    expect(
      await collect(admin.rest.paginate('/v1/subscriptions/{id}/batches', { params: { path } })),
    ).toEqual([]);
    const batchId = 'msg_2b9c7d1e4f';
    const { data: resent } = await admin.rest.POST('/v1/subscriptions/{id}/batches/{batchId}/resend', {
      params: { path: { ...path, batchId } },
    });
    expect(resent).toMatchObject({ id: batchId });
    const { data: replay } = await admin.rest.POST('/v1/subscriptions/{id}/replay', {
      params: { path },
      body: { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' },
    });
    expect(replay).toEqual({ scanned: 3, enqueued: 2 });
    const deleted = await admin.rest.DELETE('/v1/subscriptions/{id}', {
      params: { path: { id: SUBSCRIPTION } },
    });
    expect(deleted.response.status).toBe(204);
  });
});
