import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { MatrixClient } from '@matrix/sdk';
import { expectEventually } from '@matrix/testing';
import { ExampleProcess, linkSdk } from './support/example-process';
import { SERVICES, type BootstrappedTenant, type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';
import { sdkTenantWithBuilding } from './support/sdk-tenant';

/*
 * The runnable examples of examples/ (issue #17), each run as its own node process against the real built
 * services, importing @matrix-platform/sdk as built from libs/sdk (examples/link-sdk.mjs): the webhook
 * receiver gets a real event-router delivery of each kind (Matrix events; sensor data in the legacy
 * json-strings encoding), the NATS subscriber keeps the last clean time of a zone from a real
 * TASK_COMPLETED, and the SDK script creates a zone, posts readings with an ingest key and reads the people
 * counts back. Each test asserts what the example printed.
 */

const suite = new PlatformSuite('e2e-examples', SERVICES, {
  MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  ROUTER_ALLOW_TARGETS: 'loopback',
  RATE_LIMIT_PER_SECOND: '10000',
  RATE_LIMIT_BURST: '10000',
});
const TIME_ZONE = 'Europe/Berlin';

let platform: Platform;
let tenant: BootstrappedTenant;
let client: MatrixClient;
let pid: string;
let lid: string;
const examples: ExampleProcess[] = [];

function example(file: string, env: NodeJS.ProcessEnv): ExampleProcess {
  const started = new ExampleProcess(file, env).start();
  examples.push(started);
  return started;
}

/** A receiver example on an ephemeral port with `secret`; answers its URL once it listens. */
async function startReceiver(secret: string): Promise<{ receiver: ExampleProcess; url: string }> {
  const receiver = example('webhook-receiver/receiver.mjs', { MATRIX_WEBHOOK_SECRET: secret, PORT: '0' });
  const url = await expectEventually(() => {
    const listening = receiver.lines<{ listening?: string }>().find((line) => line.listening)?.listening;
    expect({ listening, stderr: receiver.stderr }).toEqual({ listening: expect.any(String), stderr: '' });
    return listening!;
  });
  return { receiver, url };
}

/**
 * A push subscription (REST v1) to a receiver example: the subscription needs the receiver's URL and the
 * receiver the subscription's secret, so a first receiver takes an ephemeral port, then one with the
 * secret takes its place on that port. Answers the receiver and the secret.
 */
async function receiverFor(
  subscription: Record<string, unknown>,
): Promise<{ receiver: ExampleProcess; secret: string; url: string }> {
  const first = await startReceiver(`whsec_${randomBytes(32).toString('base64')}`);
  const { data } = await client.rest.POST('/v1/subscriptions', {
    body: { url: first.url, batch: { maxSize: 100, maxWaitMs: 0 }, ...subscription } as never,
  });
  const secret = (data as { secret: string }).secret;
  expect(await first.receiver.stop()).toBe(0);
  const receiver = example('webhook-receiver/receiver.mjs', {
    MATRIX_WEBHOOK_SECRET: secret,
    PORT: new URL(first.url).port,
  });
  await expectEventually(() => expect(receiver.lines().some((line) => line['listening'])).toBe(true));
  return { receiver, secret, url: first.url };
}

beforeAll(async () => {
  linkSdk();
  ({ platform } = await suite.start());
  ({ tenant, client, pid, lid } = await sdkTenantWithBuilding(
    platform,
    { org: 'EXAMPLES', property: 'Examples Campus', building: 'Example Tower' },
    TIME_ZONE,
  ));
}, 300_000);

afterAll(async () => {
  const exits = await Promise.all(examples.map((running) => running.stop()));
  const codes = await suite.stop();
  expect(codes).toEqual(Object.fromEntries(SERVICES.map((name) => [name, 0])));
  expect(exits.every((code) => code === 0 || code === null)).toBe(true);
});

describe('examples', () => {
  it('webhook-receiver prints the Matrix events event-router pushes to it, and refuses a forged POST', async () => {
    const { receiver, url } = await receiverFor({
      kind: 'matrix-events',
      patterns: [`matrix.${pid}.scgrids.ZONE_CREATED.*`],
    });
    const { data: zones } = await client.rest.POST('/v1/buildings/{pid}/zones', {
      params: { path: { pid } },
      body: { zones: [{ name: 'Lobby', lid }] },
    });
    const lobby = (zones as { items: { insId: string }[] }).items[0]!.insId;
    const line = await expectEventually(
      () => {
        const printed = receiver.lines<Record<string, any>>().filter((l) => l['event'] === 'ZONE_CREATED');
        expect(printed).toHaveLength(1);
        return printed[0]!;
      },
      { timeoutMs: 20_000 },
    );
    expect(line).toMatchObject({
      webhookId: expect.stringMatching(/^msg_/),
      routingKey: `matrix.${pid}.scgrids.ZONE_CREATED.NORMAL`,
    });
    expect(JSON.stringify(line['meta'])).toContain(lobby);

    // A POST signed with another secret is answered 401 and prints nothing.
    const body = JSON.stringify([{ forged: true }]);
    const now = new Date();
    const forged = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign(
          'msg_forged',
          now,
          body,
        ),
      },
    });
    expect(forged.status).toBe(401);
    expect(receiver.lines().filter((l) => l['webhookId'] === 'msg_forged')).toEqual([]);
  });

  it('people-counts creates a zone, posts readings with an ingest key and reads the people counts back; a json-strings sensor subscription pushes them to the webhook receiver', async () => {
    const { receiver: sensorReceiver } = await receiverFor({
      kind: 'sensor-data',
      encoding: 'json-strings',
      patterns: [`sensor.data.${pid}.SMARTCLEAN.PPLCTR`],
    });

    const script = example('people-counts/people-counts.mjs', {
      MATRIX_GATEWAY_URL: platform.service('matrix-api-gateway').url,
      MATRIX_INGEST_URL: platform.service('push-ingress').url,
      MATRIX_ACCESS_KEY: tenant.accessKey,
      MATRIX_SECRET_KEY: tenant.secretKey,
      MATRIX_PROPID: tenant.propid,
      MATRIX_PID: pid,
      MATRIX_LEVEL_ID: lid,
    });
    expect({ code: await script.finished(), stderr: script.stderr }).toEqual({ code: 0, stderr: '' });
    const [result] = script.lines<Record<string, any>>();
    expect(result).toEqual({
      zone: { id: expect.any(String), name: expect.stringMatching(/^Washroom /) },
      device: expect.any(String),
      peopleCounts: [
        { time: expect.any(String), count: 3 },
        { time: expect.any(String), count: 5 },
        { time: expect.any(String), count: 2 },
      ],
      total: 10,
    });

    const pushed = await expectEventually(
      () => {
        const points = sensorReceiver
          .lines<Record<string, any>>()
          .filter((l) => l['device'] === result!['device']);
        expect(points).toHaveLength(3);
        return points;
      },
      { timeoutMs: 20_000 },
    );
    expect(pushed.map((p) => ({ encoding: p['encoding'], zone: p['zone'], count: p['v'].count }))).toEqual(
      [3, 5, 2].map((count) => ({ encoding: 'json-strings', zone: result!['zone'].id, count })),
    );
  });

  it('last-clean-time keeps the last clean time of a zone from a real TASK_COMPLETED', async () => {
    const subscriber = example('last-clean-time/last-clean.mjs', {
      NATS_URL: platform.env['NATS_URL'],
      NATS_NAMESPACE: suite.namespace,
      DURABLE: 'example-last-clean',
    });
    const { data: zones } = await client.rest.POST('/v1/buildings/{pid}/zones', {
      params: { path: { pid } },
      body: { zones: [{ name: 'Pantry', lid }] },
    });
    const pantry = (zones as { items: { insId: string }[] }).items[0]!.insId;
    const { data: seat } = await client.rest.POST('/v1/properties/{propId}/seats', {
      params: { path: { propId: tenant.propid } },
      body: { userName: 'Dana', userGroup: 'HOUSEKEEPING' } as never,
    });
    const seatId = (seat as { seatId: string }).seatId;
    const work = <T>(op: string, body: unknown) =>
      client.actions.call(op, body, { pid }) as Promise<{ code: string; data: T }>;
    const shift = await work<{ ShiftId: string }>('scteams.createAdhocShift', {
      SeatId: seatId,
      TimeZone: TIME_ZONE,
      Zones: { [pantry]: 'Pantry' },
    });
    const started = await work<{ TaskId: string }>('scteams.startAdhocTask', {
      EndTime: Math.floor(Date.now() / 1000) + 3600,
      ZoneName: 'Pantry',
      ShiftID: shift.data.ShiftId,
      SeatId: seatId,
      zoneId: pantry,
      ZoneCategoryId: 'PANTRIES',
    });
    const ended = await work<{ AEnd: number; Status: string }>('scteams.endAdhocTask', {
      ShiftID: shift.data.ShiftId,
      SeatId: seatId,
      TaskId: started.data.TaskId,
      Tasks: [{ Comments: 'Wiped the counters', Name: 'Counters', Done: true, T: -1 }],
    });
    expect(ended.data.Status).toBe('COMPLETED');

    const line = await expectEventually(
      () => {
        const printed = subscriber.lines<Record<string, any>>().filter((l) => l['zone'] === pantry);
        expect({ printed, stderr: subscriber.stderr }).toEqual({ printed: [expect.anything()], stderr: '' });
        return printed[0]!;
      },
      { timeoutMs: 20_000 },
    );
    expect(line).toEqual({
      zone: pantry,
      zoneName: 'Pantry',
      building: pid,
      lastCleanAt: ended.data.AEnd,
      lastCleanAtIso: new Date(ended.data.AEnd * 1000).toISOString(),
    });
    expect(await subscriber.stop()).toBe(0);
  });
});
