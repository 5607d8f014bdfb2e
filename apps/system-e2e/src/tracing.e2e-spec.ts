import { randomBytes } from 'node:crypto';
import { bearerAuth, MatrixClient } from '@matrix/sdk';
import { Kvm } from '@nats-io/kv';
import { ROUTER_COMMANDS } from '@matrix/contracts';
import { CommandBus, DEVICE_SLOTS, openKvBucket, PRINCIPALS } from '@matrix/messaging';
import { expectEventually, putIngestKey } from '@matrix/testing';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { type Platform, type ServiceName } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * Tracing on the real built services (issue #18 item 4): with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an
 * OTLP/HTTP receiver in this test, one reading posted to push-ingress with a caller's `traceparent` yields
 * one trace: push-ingress's SERVER span under the caller's, its publish, sensor-normaliser's batch and
 * publish, sql-projector's batch and SQL write, and event-router's batch, each the child of the one
 * before it across the NATS hops; event-router's webhook POST carries the `traceparent` of its CLIENT span.
 * A zone created through the gateway (Fastify) continues the caller's trace through the outbox: the relay
 * publishes ZONE_CREATED under the request's span, and its consumers' batches are children of that publish.
 */

const PIPELINE: ServiceName[] = ['push-ingress', 'sensor-normaliser', 'sql-projector', 'event-router'];
const SERVICES: ServiceName[] = [...PIPELINE, 'matrix-api-gateway'];
const PID = 'b-tracing';
const PROPID = 'p-tracing';
const ORG = 'ORG-TRACING';
const DEVICE = 'slot-tracing';

const otlp = new OtlpReceiver();
const webhook = new WebhookReceiver();
let suite: PlatformSuite;
let platform: Platform;
let ingestKey: string;

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

function traceparent(sampled: boolean): { header: string; traceId: string; spanId: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`, traceId, spanId };
}

async function postReading(header: string, count: number): Promise<number> {
  const response = await fetch(`${platform.service('push-ingress').url}/v1/sensor-data`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${ingestKey}`,
      traceparent: header,
    },
    body: JSON.stringify([
      { DEVID: DEVICE, DevType: 'SMARTCLEAN#PPLCTR', unixT: Date.now(), v: { count, out_count: 0 } },
    ]),
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  await otlp.start();
  await webhook.start();
  suite = new PlatformSuite('tracing', SERVICES, {
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ROUTER_ALLOW_TARGETS: 'loopback',
    MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  });
  let nats;
  ({ platform, nats } = await suite.start(async (client) => {
    const slots = await new Kvm(client.nc).open(client.namespace.stream(DEVICE_SLOTS.name));
    await slots.put(
      DEVICE,
      JSON.stringify({
        Alias: DEVICE,
        DevType: 'SMARTCLEAN#PPLCTR',
        Provider: 'SMARTCLEAN',
        PID,
        PropId: PROPID,
        InsID: 'zone-tracing',
        Display: 'Tracing door',
        Region: 'Europe/Berlin',
      }),
    );
    const principals = await openKvBucket(client.nc, PRINCIPALS, client.namespace);
    await principals.put(PID, JSON.stringify({ type: 'building', org: ORG, property: PROPID }));
    ({ key: ingestKey } = await putIngestKey(client.nc, client.namespace, {
      pid: PID,
      provider: 'SMARTCLEAN',
    }));
  }));
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  await new CommandBus(nats, quiet).request(ROUTER_COMMANDS.create, {
    owner: { org: ORG },
    scope: null,
    input: {
      kind: 'sensor-data',
      url: webhook.url,
      patterns: [`sensor.data.${PID}.>`],
      batch: { maxSize: 10, maxWaitMs: 0 },
    },
  });
}, 120_000);

afterAll(async () => {
  const codes = await suite.stop();
  await Promise.all([otlp.stop(), webhook.stop()]);
  expect(codes).toEqual(Object.fromEntries(SERVICES.map((name) => [name, 0])));
});

/** The one span of `trace` that `service` named `name`; fails on none or several. */
function only(spans: ReceivedSpan[], service: string, name: string | RegExp): ReceivedSpan {
  const found = spans.filter(
    (s) => s.service === service && (typeof name === 'string' ? s.name === name : name.test(s.name)),
  );
  expect({ service, name: String(name), found: found.length }).toEqual({
    service,
    name: String(name),
    found: 1,
  });
  return found[0]!;
}

/** `<service> <span name>`, a partition durable's span (`…-raw-p3`) named as its group (`…-raw`). */
const label = (s: ReceivedSpan) => `${s.service} ${s.name.replace(/-p\d+$/, '')}`;

describe('tracing', () => {
  it('shows one reading as one trace: push-ingress → sensor-normaliser → sql-projector and event-router', async () => {
    const caller = traceparent(true);
    expect(await postReading(caller.header, 1)).toBe(202);
    const spans = await expectEventually(
      () => {
        const found = otlp.spans.filter((s) => s.traceId === caller.traceId);
        expect(found.map(label).sort()).toEqual([
          'event-router process event-router-sensor-data',
          'push-ingress POST /v1/sensor-data',
          'push-ingress send sensor.raw',
          'sensor-normaliser process sensor-normaliser-raw',
          'sensor-normaliser send sensor.data',
          'sql-projector INSERT matrix.sensor_data',
          'sql-projector process sql-projector-sensor-data',
        ]);
        return found;
      },
      { timeoutMs: 30_000 },
    );
    const request = only(spans, 'push-ingress', 'POST /v1/sensor-data');
    const raw = only(spans, 'push-ingress', 'send sensor.raw');
    const normalise = only(spans, 'sensor-normaliser', /^process sensor-normaliser-raw(-p\d+)?$/);
    const data = only(spans, 'sensor-normaliser', 'send sensor.data');
    const project = only(spans, 'sql-projector', 'process sql-projector-sensor-data');
    const insert = only(spans, 'sql-projector', 'INSERT matrix.sensor_data');
    const route = only(spans, 'event-router', 'process event-router-sensor-data');
    const chain = (span: ReceivedSpan) => ({ kind: span.kind, parent: span.parentSpanId });
    expect([request, raw, normalise, data, project, insert, route].map(chain)).toEqual([
      { kind: SERVER, parent: caller.spanId },
      { kind: PRODUCER, parent: request.spanId },
      { kind: CONSUMER, parent: raw.spanId },
      { kind: PRODUCER, parent: normalise.spanId },
      { kind: CONSUMER, parent: data.spanId },
      { kind: CLIENT, parent: project.spanId },
      { kind: CONSUMER, parent: data.spanId },
    ]);
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/sensor-data',
      'http.response.status_code': 202,
    });
    expect(raw.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': expect.stringMatching(/^sensor\.raw\.SMARTCLEAN\./),
    });
    expect(insert.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.operation.batch.size': 1 });

    // The webhook POST of the reading carries the traceparent of event-router's CLIENT span.
    const post = await expectEventually(() => {
      expect(webhook.requests).toHaveLength(1);
      return webhook.requests[0]!;
    });
    const [, traceId, spanId] =
      /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(post.headers['traceparent'] ?? '') ?? [];
    expect(post.body).toContain(DEVICE);
    const delivery = await expectEventually(() => {
      const found = otlp.spans.filter((s) => s.spanId === spanId);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(delivery).toMatchObject({
      service: 'event-router',
      traceId,
      name: 'POST',
      kind: CLIENT,
      attributes: { 'http.response.status_code': 200, 'server.address': '127.0.0.1' },
    });
    expect(otlp.refused).toEqual([]);
  });

  it('records nothing of a reading whose caller did not sample its trace, on any hop', async () => {
    const unsampled = traceparent(false);
    expect(await postReading(unsampled.header, 2)).toBe(202);
    // A sampled reading after it, through the same batches' path: once its spans are in, the other's would be.
    const sampled = traceparent(true);
    expect(await postReading(sampled.header, 3)).toBe(202);
    await expectEventually(
      () => {
        const services = new Set(
          otlp.spans.filter((s) => s.traceId === sampled.traceId).map((s) => s.service),
        );
        expect([...services].sort()).toEqual(PIPELINE.slice().sort());
      },
      { timeoutMs: 30_000 },
    );
    expect(otlp.spans.filter((s) => s.traceId === unsampled.traceId)).toEqual([]);
  });

  it('continues a gateway request through its outbox row: the relay publishes ZONE_CREATED under the request', async () => {
    const tenant = await platform.bootstrapTenant('TRACING', 'Tracing Campus', 'Europe/Berlin');
    const gateway = platform.service('matrix-api-gateway').url;
    const client = new MatrixClient({
      baseUrl: gateway,
      auth: bearerAuth(tenant),
      actions: { org: tenant.org, propid: tenant.propid },
    });
    const { data: building } = await client.rest.POST('/v1/properties/{propId}/buildings', {
      params: { path: { propId: tenant.propid } },
      body: { name: 'Trace Tower', levelsCount: 0, timeZone: 'Europe/Berlin' },
    });
    const pid = (building as { pid: string }).pid;
    const { data: level } = await client.rest.POST('/v1/buildings/{pid}/levels', {
      params: { path: { pid } },
      body: { name: 'Ground' },
    });
    // LEVEL_CREATED consumed first: a batch holding it and ZONE_CREATED would be the level's child, linked
    // to the zone's publish (see docs/tracing.md, Batches).
    await expectEventually(
      () => {
        const consumed = otlp.spans.filter(
          (s) =>
            s.kind === CONSUMER &&
            String(s.attributes['messaging.destination.name']).includes('.LEVEL_CREATED.'),
        );
        expect(new Set(consumed.map((s) => s.name)).size).toBe(3);
      },
      { timeoutMs: 30_000 },
    );
    const caller = traceparent(true);
    const response = await fetch(`${gateway}/v1/buildings/${pid}/zones`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${tenant.accessKey}.${tenant.secretKey}`,
        traceparent: caller.header,
      },
      body: JSON.stringify({ zones: [{ name: 'Traced lobby', lid: (level as { lid: string }).lid }] }),
    });
    expect(response.status).toBe(201);
    const spans = await expectEventually(
      () => {
        const found = otlp.spans.filter((s) => s.traceId === caller.traceId);
        expect(found.map((s) => `${s.service} ${s.name}`).sort()).toEqual([
          'event-router process event-router-matrix-events',
          'matrix-api-gateway POST /v1/buildings/:pid/zones',
          'matrix-api-gateway send matrix',
          'sql-projector process sql-projector-matrix-events',
          'sql-projector process sql-projector-read-models',
        ]);
        return found;
      },
      { timeoutMs: 30_000 },
    );
    const request = only(spans, 'matrix-api-gateway', 'POST /v1/buildings/:pid/zones');
    const publish = only(spans, 'matrix-api-gateway', 'send matrix');
    expect(request).toMatchObject({
      kind: SERVER,
      parentSpanId: caller.spanId,
      attributes: { 'url.path': `/v1/buildings/${pid}/zones`, 'http.response.status_code': 201 },
    });
    expect(publish).toMatchObject({
      kind: PRODUCER,
      parentSpanId: request.spanId,
      attributes: { 'messaging.destination.name': expect.stringMatching(/\.ZONE_CREATED\./) },
    });
    for (const consumer of spans.filter((s) => s.kind === CONSUMER)) {
      expect({ name: consumer.name, parent: consumer.parentSpanId }).toEqual({
        name: consumer.name,
        parent: publish.spanId,
      });
    }
  });
});
