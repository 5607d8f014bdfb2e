import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { CONSUMER_LEASES, openKvBucket, type NatsClient } from '@matrix/messaging';
import { SENSOR_RAW_PARTITIONS } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { SERVICES, type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * Two replicas of every service (issue #18, scale-out), from the built bundles on one database and NATS
 * namespace. Eight gateways' lanes (ingest keys) post readings in order, each request to either push-ingress
 * replica, while the two sensor-normaliser replicas share SENSOR_RAW's partitions: first a backlog posted while
 * both were stopped (then both start at once), then live load during which one is SIGKILLed and restarted, so
 * partitions change hands under load. Afterwards:
 * - per device, the readings are in the order they were posted on SENSOR_DATA and in the pushes of the
 *   subscription (counting each reading's first appearance: a redelivery after the kill may repeat one);
 * - every accepted reading is in SQL once and was pushed;
 * - both normaliser replicas held partitions;
 * - one access key's rate limit holds in total across the two gateways.
 */

const LANES = 8;
const POSTS_PER_LANE = 100;
const POINTS_PER_POST = 20;
const DEVICES_PER_LANE = 4;
const RATE_BURST = 20;
const START = Date.parse('2026-06-03T00:00:00Z');

const suite = new PlatformSuite('scaleout', SERVICES, {
  MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  ROUTER_ALLOW_TARGETS: 'loopback',
  ROUTER_LEASE_MS: '2000',
  RATE_LIMIT_PER_SECOND: '1',
  RATE_LIMIT_BURST: String(RATE_BURST),
});
const receiver = new WebhookReceiver();
let platform: Platform;
let nats: NatsClient;
let sql: Client;
const tenant = { propid: '', accessKey: '', secretKey: '' };
let pid = '';
let insId = '';
const ingestKeys: string[] = [];

const basic = (keys: { accessKey: string; secretKey: string }) =>
  `Basic ${Buffer.from(`${keys.accessKey}:${keys.secretKey}`).toString('base64')}`;

async function rest(method: string, path: string, body?: unknown, replica = 0) {
  const response = await fetch(`${platform.replica('matrix-api-gateway', replica).url}${path}`, {
    method,
    headers: {
      authorization: basic(tenant),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function created(path: string, body: unknown) {
  const answer = await rest('POST', path, body);
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const device = (lane: number, n: number) => `scale-${lane}-${n % DEVICES_PER_LANE}`;

/** Posts lane `lane`'s batches `from` … `to - 1` one after another, alternating push-ingress replicas. */
async function postLane(lane: number, accepted: Set<string>, from: number, to: number): Promise<void> {
  for (let post = from; post < to; post += 1) {
    const points = Array.from({ length: POINTS_PER_POST }, (_, i) => {
      const n = post * POINTS_PER_POST + i;
      return {
        DEVID: device(lane, n),
        DevType: 'SMARTCLEAN#PPLCTR',
        unixT: START + n * 1000,
        v: { count: 1, out_count: 0 },
        PID: pid,
        PropId: tenant.propid,
        InsID: insId,
        Region: 'Europe/Berlin',
      };
    });
    const response = await fetch(`${platform.replica('push-ingress', post % 2).url}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKeys[lane]}` },
      body: JSON.stringify(points),
    });
    await response.arrayBuffer();
    expect({ lane, post, status: response.status }).toEqual({ lane, post, status: 202 });
    for (const p of points) accepted.add(`${p.DEVID}@${p.unixT}`);
  }
}

/** The first appearance of each reading, in the order given, grouped by device. */
function firstAppearances(points: { DEVID: string; unixT: number }[]): Map<string, number[]> {
  const seen = new Set<string>();
  const byDevice = new Map<string, number[]>();
  for (const point of points) {
    const key = `${point.DEVID}@${point.unixT}`;
    if (seen.has(key)) continue;
    seen.add(key);
    byDevice.set(point.DEVID, [...(byDevice.get(point.DEVID) ?? []), point.unixT]);
  }
  return byDevice;
}

/** Devices whose readings are not in increasing time (= posting) order, with the first step back. */
function outOfOrder(byDevice: Map<string, number[]>): string[] {
  const problems: string[] = [];
  for (const [devid, times] of byDevice) {
    const back = times.findIndex((t, i) => i > 0 && t <= times[i - 1]!);
    if (back > 0) problems.push(`${devid}: ${times[back - 1]} then ${times[back]}`);
  }
  return problems;
}

/** Every point on SENSOR_DATA for the suite's building, in stream order. */
async function sensorDataInStreamOrder(): Promise<{ DEVID: string; unixT: number }[]> {
  const stream = nats.namespace.stream('SENSOR_DATA');
  const { state } = await nats.jsm.streams.info(stream);
  const points: { DEVID: string; unixT: number }[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
    const message = await nats.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!message || !nats.namespace.strip(message.subject).startsWith(`sensor.data.${pid}.`)) continue;
    points.push(
      ...(JSON.parse(new TextDecoder().decode(message.data)) as { DEVID: string; unixT: number }[]),
    );
  }
  return points;
}

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start());
  await platform.startReplicas(SERVICES);
  Object.assign(tenant, await platform.bootstrapTenant('SCALE', 'Scale Campus', 'Europe/Berlin'));
  pid = (
    await created(`/v1/properties/${tenant.propid}/buildings`, {
      name: 'Scale Tower',
      levelsCount: 1,
      timeZone: 'Europe/Berlin',
    })
  ).pid;
  const lid = (await created(`/v1/buildings/${pid}/levels`, { name: 'Ground' })).lid;
  insId = (await created(`/v1/buildings/${pid}/zones`, { zones: [{ name: 'Scale zone', lid }] })).items[0]
    .insId;
  const issued = await created(`/v1/buildings/${pid}/ingest-keys`, { name: 'all lanes' });
  ingestKeys.push(issued.key);
  // Seven more lanes, on the gateway's second replica (the first answered the one above).
  for (let lane = 1; lane < LANES; lane += 1) {
    const answer = await rest('POST', `/v1/buildings/${pid}/ingest-keys`, { name: `lane ${lane}` }, 1);
    expect(answer.status).toBe(201);
    ingestKeys.push(answer.body.key);
  }
  await receiver.start();
  await created('/v1/subscriptions', {
    url: receiver.url,
    kind: 'sensor-data',
    patterns: [`sensor.data.${pid}.#`],
    batch: { maxSize: 100, maxWaitMs: 0 },
    retry: { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 3_600_000, timeoutMs: 5000 },
  });
}, 240_000);

afterAll(async () => {
  await suite.stop();
  await receiver.stop();
});

describe('two replicas of every service', () => {
  it('keeps every device in order through SENSOR_DATA and the pushes, with a normaliser killed half-way', async () => {
    const accepted = new Set<string>();
    const lanes = Array.from({ length: LANES }, (_, lane) => lane);
    const half = POSTS_PER_LANE / 2;
    // A backlog first: both normalisers stopped while every lane posts half its readings, then both started at
    // once, so they share out a stream that holds many messages of every lane.
    await Promise.all([
      platform.service('sensor-normaliser').stop(),
      platform.replica('sensor-normaliser', 1).stop(),
    ]);
    await Promise.all(lanes.map((lane) => postLane(lane, accepted, 0, half)));
    await Promise.all([
      platform.restart('sensor-normaliser'),
      platform.restartReplica('sensor-normaliser', 1),
    ]);
    // Then live: the other half, with one normaliser SIGKILLed and restarted while it flows.
    const secondHalf = Promise.all(lanes.map((lane) => postLane(lane, accepted, half, POSTS_PER_LANE)));
    // Both normaliser replicas work partitions.
    const leases = await openKvBucket(nats.nc, CONSUMER_LEASES, nats.namespace);
    await expectEventually(
      async () => {
        const holders = new Set<string>();
        for (let k = 0; k < SENSOR_RAW_PARTITIONS; k += 1) {
          const entry = await leases.get(`sensor-normaliser-raw.p${k}`);
          if (entry?.operation === 'PUT') holders.add(entry.string());
        }
        expect(holders.size).toBe(2);
      },
      { timeoutMs: 30_000 },
    );
    await platform.replica('sensor-normaliser', 1).kill();
    await platform.restartReplica('sensor-normaliser', 1);
    await secondHalf;
    expect(accepted.size).toBe(LANES * POSTS_PER_LANE * POINTS_PER_POST);

    const stored = async () =>
      (
        await sql.query<{ n: number; distinct: number }>(
          `select count(*)::int as n, count(distinct (devid, unixt))::int as distinct from matrix.sensor_data where pid = $1`,
          [pid],
        )
      ).rows[0]!;
    await expectEventually(
      async () => expect(await stored()).toEqual({ n: accepted.size, distinct: accepted.size }),
      {
        timeoutMs: 120_000,
        intervalMs: 500,
      },
    );
    const pushed = () =>
      receiver.requests.flatMap((request) => JSON.parse(request.body) as { DEVID: string; unixT: number }[]);
    await expectEventually(() => expect(firstAppearances(pushed()).size).toBe(LANES * DEVICES_PER_LANE), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    await expectEventually(
      () => expect(new Set(pushed().map((p) => `${p.DEVID}@${p.unixT}`)).size).toBe(accepted.size),
      { timeoutMs: 120_000, intervalMs: 500 },
    );

    const onStream = firstAppearances(await sensorDataInStreamOrder());
    expect([...onStream.values()].reduce((n, times) => n + times.length, 0)).toBe(accepted.size);
    expect(outOfOrder(onStream)).toEqual([]);
    const onPush = firstAppearances(pushed());
    expect(outOfOrder(onPush)).toEqual([]);
  }, 600_000);

  it("holds one access key's rate limit in total across the two gateways", async () => {
    const keys = (await created(`/v1/properties/${tenant.propid}/access-keys`, {
      role: 'read',
      label: 'rate',
    })) as {
      accessKey: string;
      secretKey: string;
    };
    const started = Date.now();
    const statuses: { replica: number; status: number }[] = [];
    for (let i = 0; i < 3 * RATE_BURST; i += 1) {
      const replica = i % 2;
      const response = await fetch(
        `${platform.replica('matrix-api-gateway', replica).url}/v1/properties/${tenant.propid}`,
        { headers: { authorization: basic(keys) } },
      );
      await response.arrayBuffer();
      statuses.push({ replica, status: response.status });
    }
    const elapsedSeconds = (Date.now() - started) / 1000;
    const admitted = statuses.filter((s) => s.status === 200);
    // The burst and what refilled at 1/s meanwhile; a bucket per replica would admit twice the burst.
    expect(admitted.length).toBeGreaterThanOrEqual(RATE_BURST);
    expect(admitted.length).toBeLessThanOrEqual(RATE_BURST + Math.ceil(elapsedSeconds));
    expect(new Set(admitted.map((s) => s.replica))).toEqual(new Set([0, 1]));
    expect(statuses.filter((s) => s.status !== 200).every((s) => s.status === 429)).toBe(true);
  });
});
