import { AckPolicy, DiscardPolicy } from '@nats-io/jetstream';
import { testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import {
  INCIDENT_SERVICE_SENSOR_DATA,
  MATRIX_TOPOLOGY,
  SENSOR_NORMALISER_RAW,
  SENSOR_NORMALISER_RAW_PARTITIONED,
  SENSOR_RAW,
  SENSOR_REJECTED,
  SQL_PROJECTOR_SENSOR_DATA,
} from '../src/lib/topology/matrix-topology';
import { deleteTopology, provisionTopology } from '../src/lib/topology/provision';
import { planCapacity } from '../src/lib/topology/capacity';
import { Kvm } from '@nats-io/kv';
import {
  deleteKvBuckets,
  CONSUMER_LEASES,
  DEVICE_SLOTS,
  MATRIX_KV_BUCKETS,
  openKvBucket,
  provisionKvBuckets,
} from '../src/lib/topology/kv-buckets';

let client: NatsClient;

beforeAll(async () => {
  client = await new NatsClient({
    servers: [testNatsUrl()],
    name: 'test-topology',
    namespace: uniqueNamespace('topology'),
  }).connect();
});
afterAll(async () => {
  await deleteTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace);
  await client.drain();
});

describe('provisioning the platform topology', () => {
  it('creates every stream and consumer, then updates them in place when run again', async () => {
    const first = await provisionTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace);
    const second = await provisionTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace);

    expect(first.streams.map((s) => s.action)).toEqual(MATRIX_TOPOLOGY.streams.map(() => 'created'));
    expect(first.consumers.map((c) => c.action)).toEqual(MATRIX_TOPOLOGY.consumers.map(() => 'created'));
    expect([...second.streams, ...second.consumers].every((entry) => entry.action === 'updated')).toBe(true);
  });

  it('declares every consumer explicitly instead of on server defaults', async () => {
    const info = await client.jsm.consumers.info(
      client.namespace.stream(SQL_PROJECTOR_SENSOR_DATA.stream),
      client.namespace.durable(SQL_PROJECTOR_SENSOR_DATA.durable),
    );
    expect(info.config.max_deliver).toBe(SQL_PROJECTOR_SENSOR_DATA.maxDeliver);
    expect(info.config.max_ack_pending).toBe(SQL_PROJECTOR_SENSOR_DATA.maxAckPending);
    expect(info.config.backoff?.length).toBe(SQL_PROJECTOR_SENSOR_DATA.backoffMs.length);
    expect(info.config.filter_subject).toBe(client.namespace.subject('sensor.data.>'));
    expect(info.config.ack_policy).toBe('explicit');
    expect(info.config.deliver_policy).toBe('all');
  });

  it('starts the solutions consumer with the readings published after it, not the days the stream keeps', async () => {
    const info = await client.jsm.consumers.info(
      client.namespace.stream(INCIDENT_SERVICE_SENSOR_DATA.stream),
      client.namespace.durable(INCIDENT_SERVICE_SENSOR_DATA.durable),
    );
    expect(info.config.deliver_policy).toBe('new');
    expect(info.config.filter_subject).toBe(client.namespace.subject('sensor.data.>'));
  });

  it('namespaces streams and subjects so deployments never overlap', async () => {
    const info = await client.jsm.streams.info(client.namespace.stream('SENSOR_RAW'));
    expect(info.config.subjects).toEqual([`${client.namespace.value}.sensor.raw.>`]);
    expect(info.config.name).toBe(`${client.namespace.value.toUpperCase()}_SENSOR_RAW`);
  });
});

describe('KV buckets', () => {
  afterAll(() => deleteKvBuckets(client.nc, [DEVICE_SLOTS], client.namespace));

  it('refuses to open a bucket that was not provisioned, naming it and the fix, then opens it once it is', async () => {
    await expect(openKvBucket(client.nc, DEVICE_SLOTS, client.namespace)).rejects.toThrow(
      `KV bucket ${client.namespace.stream('DEVICE_SLOTS')} does not exist: run matrix-cli provision`,
    );
    await provisionKvBuckets(client.nc, [DEVICE_SLOTS], client.namespace);
    const kv = await openKvBucket(client.nc, DEVICE_SLOTS, client.namespace);
    await kv.put('slot', '{}');
    expect((await kv.get('slot'))?.string()).toBe('{}');
  });
});

describe('capacity limits on an upgrade (streams and buckets created before they had limits)', () => {
  let old: NatsClient;
  const stream = () => old.namespace.stream(SENSOR_RAW.name);
  const bucket = () => `KV_${old.namespace.stream(DEVICE_SLOTS.name)}`;

  beforeAll(async () => {
    old = await new NatsClient({
      servers: [testNatsUrl()],
      name: 'test-topology-upgrade',
      namespace: uniqueNamespace('upgrade'),
    }).connect();
    // As the previous release provisioned them: bounded by age only, discard old.
    await old.jsm.streams.add({
      name: stream(),
      subjects: [old.namespace.subject('sensor.raw.>')],
      max_age: 7 * 24 * 3600 * 1e9,
      discard: DiscardPolicy.Old,
    });
    for (let i = 0; i < 10; i++) {
      await old.js.publish(old.namespace.subject('sensor.raw.p.k'), new Uint8Array(200));
    }
    const kv = await new Kvm(old.nc).create(old.namespace.stream(DEVICE_SLOTS.name), { history: 1 });
    await kv.put('slot-1', '{"Alias":"slot-1"}');
    // A leases bucket made without its TTL (by hand, or by a tool that did not know it).
    await new Kvm(old.nc).create(old.namespace.stream(CONSUMER_LEASES.name), { history: 1 });
    // The normaliser's durable from before partitions, on every raw subject.
    await old.jsm.consumers.add(stream(), {
      durable_name: old.namespace.durable(SENSOR_NORMALISER_RAW.durable),
      filter_subject: old.namespace.subject('sensor.raw.>'),
      ack_policy: AckPolicy.Explicit,
    });
  });
  afterAll(async () => {
    await deleteKvBuckets(old.nc, MATRIX_KV_BUCKETS, old.namespace);
    await deleteTopology(old.jsm, MATRIX_TOPOLOGY, old.namespace);
    await old.drain();
  });

  it('refuses, changing nothing, a max_bytes below what a stream holds (nats-server would delete the oldest)', async () => {
    const tiny = planCapacity(MATRIX_TOPOLOGY.streams, [], { maxBytes: { SENSOR_RAW: 1024 } });
    await expect(
      provisionTopology(old.jsm, MATRIX_TOPOLOGY, old.namespace, { capacity: tiny }),
    ).rejects.toThrow(
      /stream [A-Z0-9_]+_SENSOR_RAW holds \d+ bytes, more than its new max_bytes 1024: nats-server would delete/,
    );
    const info = await old.jsm.streams.info(stream());
    expect(info.config.max_bytes).toBe(-1);
    expect(info.state.messages).toBe(10);
  });

  it('puts max_bytes and the chosen discard policy on the existing streams and buckets, keeping their data', async () => {
    const capacity = planCapacity(MATRIX_TOPOLOGY.streams, MATRIX_KV_BUCKETS, {
      budgetBytes: 64 * 1024 ** 2,
    });
    const report = await provisionTopology(old.jsm, MATRIX_TOPOLOGY, old.namespace, { capacity });
    const buckets = await provisionKvBuckets(old.nc, MATRIX_KV_BUCKETS, old.namespace, { capacity });

    expect(report.streams.find((s) => s.name === stream())).toEqual({
      name: stream(),
      action: 'updated',
      maxBytes: capacity.maxBytes('SENSOR_RAW'),
      discard: 'new',
    });
    const raw = await old.jsm.streams.info(stream());
    expect(raw.config.max_bytes).toBe(Math.floor(64 * 1024 ** 2 * SENSOR_RAW.budgetShare));
    expect(raw.config.discard).toBe(DiscardPolicy.New);
    expect(raw.state.messages).toBe(10);
    const rejected = await old.jsm.streams.info(old.namespace.stream(SENSOR_REJECTED.name));
    expect([rejected.config.discard, rejected.config.max_bytes]).toEqual([
      DiscardPolicy.Old,
      capacity.maxBytes('SENSOR_REJECTED'),
    ]);

    expect(buckets.map((b) => b.action)).toEqual(['updated', 'created', 'created', 'updated']);
    const leases = await old.jsm.streams.info(`KV_${old.namespace.stream(CONSUMER_LEASES.name)}`);
    expect(leases.config.max_age).toBe((CONSUMER_LEASES.ttlMs ?? 0) * 1e6);
    // The old durable now reads the four-token subjects only; each partition has its own.
    const legacy = await old.jsm.consumers.info(
      stream(),
      old.namespace.durable(SENSOR_NORMALISER_RAW.durable),
    );
    expect(legacy.config.filter_subject).toBe(old.namespace.subject('sensor.raw.*.*'));
    expect(legacy.delivered.stream_seq).toBe(0);
    const p3 = await old.jsm.consumers.info(
      stream(),
      old.namespace.durable(SENSOR_NORMALISER_RAW_PARTITIONED.partitions[3]!.durable),
    );
    expect(p3.config.filter_subject).toBe(old.namespace.subject('sensor.raw.*.*.p3'));
    const slots = await old.jsm.streams.info(bucket());
    expect(slots.config.max_bytes).toBe(capacity.maxBytes('DEVICE_SLOTS'));
    expect(slots.config.discard).toBe(DiscardPolicy.New);
    expect(slots.config.max_msgs_per_subject).toBe(1);
    const kv = await openKvBucket(old.nc, DEVICE_SLOTS, old.namespace);
    expect((await kv.get('slot-1'))?.string()).toBe('{"Alias":"slot-1"}');
  });

  it('makes a full discard-new stream refuse a publish rather than drop an unread message', async () => {
    const small = planCapacity(MATRIX_TOPOLOGY.streams, [], { maxBytes: { SENSOR_RAW: 8 * 1024 } });
    await provisionTopology(old.jsm, MATRIX_TOPOLOGY, old.namespace, { capacity: small });
    const subject = old.namespace.subject('sensor.raw.p.k');
    let refused: Error | undefined;
    for (let i = 0; i < 100 && !refused; i++) {
      await old.js.publish(subject, new Uint8Array(500)).catch((error: Error) => (refused = error));
    }
    expect(refused?.message).toBe('maximum bytes exceeded');
    const info = await old.jsm.streams.info(stream());
    expect(info.state.first_seq).toBe(1);
    expect(info.state.bytes).toBeLessThanOrEqual(8 * 1024);
  });
});
