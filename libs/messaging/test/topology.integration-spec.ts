import { testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import {
  INCIDENT_SERVICE_SENSOR_DATA,
  MATRIX_TOPOLOGY,
  SQL_PROJECTOR_SENSOR_DATA,
} from '../src/lib/topology/matrix-topology';
import { deleteTopology, provisionTopology } from '../src/lib/topology/provision';
import {
  deleteKvBuckets,
  DEVICE_SLOTS,
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
