import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'pg';
import type { MatrixClient } from '@matrix/sdk';
import { expectEventually, startSecondNats, type SecondNats } from '@matrix/testing';
import { runOnce, SERVICES, type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';
import { sdkTenantWithBuilding } from './support/sdk-tenant';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * The six built services on a nats-server of their own that runs the generated authorization block
 * (`matrix-cli nats-keys`, then `matrix-cli nats-config`), each service with only its own seed: the
 * registry's changes (gateway → outbox → KV buckets and Matrix events), a push subscription (gateway →
 * event-router command), an ingest key (gateway → INGEST_KEYS → push-ingress), readings through
 * push-ingress → sensor-normaliser → sql-projector, and the zone event event-router pushes. No service is
 * refused anything on the way (a refusal is logged by the client as a permissions violation).
 */

const keys = mkdtempSync(path.join(tmpdir(), 'matrix-e2e-nats-keys-'));
const TIME_ZONE = 'Europe/Berlin';
let server: SecondNats | undefined;
const suite = new PlatformSuite(
  'e2e-nats-security',
  SERVICES,
  { MATRIX_SECRET_KEY: randomBytes(32).toString('base64'), ROUTER_ALLOW_TARGETS: 'loopback' },
  {
    get url() {
      if (!server) throw new Error('the suite nats-server is not started');
      return server.url;
    },
    seedFile: (user) => path.join(keys, `${user}.nk`),
  },
);
const receiver = new WebhookReceiver();
let platform: Platform;
let sql: Client;
let client: MatrixClient;
let pid: string;
let lid: string;

beforeAll(async () => {
  await runOnce('matrix-cli', 'nats-keys', {}, ['--dir', keys]);
  const config = await runOnce('matrix-cli', 'nats-config', { NATS_NAMESPACE: suite.namespace }, [
    '--keys',
    keys,
  ]);
  server = await startSecondNats({ config });
  await receiver.start();
  ({ platform, sql } = await suite.start());
  ({ client, pid, lid } = await sdkTenantWithBuilding(
    platform,
    { org: 'SECURED', property: 'Secured Campus', building: 'Secured Tower' },
    TIME_ZONE,
  ));
}, 300_000);

afterAll(async () => {
  const codes = await suite.stop();
  await receiver.stop();
  await server?.destroy();
  rmSync(keys, { recursive: true, force: true });
  expect(codes).toEqual(Object.fromEntries(SERVICES.map((name) => [name, 0])));
});

describe('the platform on the generated NATS users', () => {
  it('stores readings and pushes a zone event, and no service is refused anything', async () => {
    await client.rest.POST('/v1/subscriptions', {
      body: {
        url: receiver.url,
        kind: 'matrix-events',
        patterns: [`matrix.${pid}.scgrids.ZONE_CREATED.*`],
        batch: { maxSize: 100, maxWaitMs: 0 },
      } as never,
    });
    const { data: zones } = await client.rest.POST('/v1/buildings/{pid}/zones', {
      params: { path: { pid } },
      body: { zones: [{ name: 'Lobby', lid }] },
    });
    const zone = (zones as { items: { insId: string }[] }).items[0]!.insId;
    const { data: slot } = await client.rest.POST('/v1/buildings/{pid}/device-slots', {
      params: { path: { pid } },
      body: { type: 'SMARTCLEAN#PPLCTR', zoneId: zone, display: 'Lobby people counter' },
    });
    const alias = (slot as { alias: string }).alias;
    const { data: ingestKey } = await client.rest.POST('/v1/buildings/{pid}/ingest-keys', {
      params: { path: { pid } },
      body: { name: 'secured e2e' },
    });

    const unixT = Date.now() - 60_000;
    const posted = await fetch(`${platform.service('push-ingress').url}/v1/sensor-data`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(ingestKey as { key: string }).key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify([
        { DEVID: alias, DevType: 'SMARTCLEAN#PPLCTR', unixT, v: { count: 7, out_count: 0 } },
      ]),
    });
    expect(posted.status).toBe(202);

    // sensor-normaliser enriched it from DEVICE_SLOTS, sql-projector stored it.
    await expectEventually(
      async () => {
        const { rows } = await sql.query<{ insid: string; count: string }>(
          `select insid, v->>'count' as count from matrix.sensor_data where pid = $1`,
          [pid],
        );
        expect(rows).toEqual([{ insid: zone, count: '7' }]);
      },
      { timeoutMs: 20_000 },
    );
    // event-router matched the zone's event (MATRIX_EVENTS, PRINCIPALS) and pushed it.
    await expectEventually(
      () => expect(receiver.requests.some((request) => request.body.includes(zone))).toBe(true),
      { timeoutMs: 20_000 },
    );
    for (const name of SERVICES) {
      const refused = platform
        .service(name)
        .output.split('\n')
        .filter((line) => /permissions violation|authorization violation/i.test(line));
      expect({ name, refused }).toEqual({ name, refused: [] });
    }
  });
});
