import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, nkeyAuthenticator, nkeys, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy } from '@nats-io/jetstream';
import { ROUTER_COMMANDS } from '@matrix/contracts';
import {
  BatchConsumerRunner,
  DeadLetterPublisher,
  DEVICE_SLOTS,
  eachMessage,
  INGEST_KEYS,
  JetStreamPublisher,
  KvDirectory,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  natsInboxPrefix,
  openKvBucket,
  Outcome,
  provisionKvBuckets,
  provisionTopology,
  SENSOR_NORMALISER_RAW,
  type ConsumerLogger,
} from '@matrix/messaging';
import { bindMatrixEvents } from '@matrix/sdk/nats';
import { expectEventually, startSecondNats, uniqueNamespace, type SecondNats } from '@matrix/testing';
import { natsConfigText, natsKeys } from '../src/nats-auth/nats-auth.command';

/*
 * The generated authorization block on a real nats-server of its own (the installed one: 2.9 here, 2.10 in
 * compose and k8s): keys from `nats-keys`, the block from `nats-config`, for a namespaced deployment. Every
 * service connects with its own seed and does what it does on NATS; what it does not do is refused.
 */

const SERVICES = [
  'matrix-api-gateway',
  'push-ingress',
  'sensor-normaliser',
  'sql-projector',
  'event-router',
  'incident-service',
] as const;
const TEAM = 'cleaning-team';
const BOARD = 'cleaning-team-board';

const logger: ConsumerLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
let keys: string;
let namespace: string;
let server: SecondNats;
const clients: NatsClient[] = [];
let admin: NatsClient;

/** A NatsClient as the service `user` builds it from its env (NATS_NKEY_SEED_FILE). */
async function as(user: string): Promise<NatsClient> {
  const client = await new NatsClient({
    servers: [server.url],
    name: user,
    namespace,
    credentials: { kind: 'nkey', seedFile: path.join(keys, `${user}.nk`) },
  }).connect();
  clients.push(client);
  return client;
}

/** The message `promise` rejected with, or a failure when it resolved. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String((error as Error).message);
  }
  throw new Error('expected a refusal, but it succeeded');
}

/** How many messages a stream holds, as matrix-cli sees it. */
async function stored(stream: string): Promise<number> {
  const info = await admin.jsm.streams.info(admin.namespace.stream(stream));
  return info.state.messages;
}

beforeAll(async () => {
  keys = mkdtempSync(path.join(tmpdir(), 'matrix-nats-keys-'));
  natsKeys(['--dir', keys, '--downstream', TEAM]);
  // incident-service's key is being rotated: its old seed is kept aside, both public keys are listed.
  copyFileSync(path.join(keys, 'incident-service.nk'), path.join(keys, 'incident-service.old.nk'));
  natsKeys(['--dir', keys, '--rotate', 'incident-service']);
  namespace = uniqueNamespace('nats_security');
  const config = natsConfigText(['--keys', keys, '--downstream', `${TEAM}:${BOARD}`], namespace);
  server = await startSecondNats({ config });
  admin = await as('matrix-cli');
  await provisionTopology(admin.jsm, MATRIX_TOPOLOGY, admin.namespace);
  await provisionKvBuckets(admin.nc, MATRIX_KV_BUCKETS, admin.namespace);
});

afterAll(async () => {
  for (const client of clients) await client.drain().catch(() => undefined);
  await server?.destroy();
  rmSync(keys, { recursive: true, force: true });
});

describe('connecting', () => {
  it('refuses a client without credentials', async () => {
    const anonymous = new NatsClient({ servers: [server.url], name: 'push-ingress', namespace });
    expect(await refusal(anonymous.connect())).toMatch(/authorization violation/i);
  });

  it('refuses a key the configuration does not list', async () => {
    const stranger = path.join(keys, 'stranger.nk');
    writeFileSync(stranger, new TextDecoder().decode(nkeys.createUser().getSeed()), { mode: 0o600 });
    const client = new NatsClient({
      servers: [server.url],
      name: 'push-ingress',
      namespace,
      credentials: { kind: 'nkey', seedFile: stranger },
    });
    expect(await refusal(client.connect())).toMatch(/authorization violation/i);
  });

  it('lets both the old and the new seed of a key being rotated in', async () => {
    const old = await new NatsClient({
      servers: [server.url],
      name: 'incident-service',
      namespace,
      credentials: { kind: 'nkey', seedFile: path.join(keys, 'incident-service.old.nk') },
    }).connect();
    clients.push(old);
    await expect(old.ping()).resolves.toBeUndefined();
    await expect((await as('incident-service')).ping()).resolves.toBeUndefined();
  });

  it.each(SERVICES)('lets %s in with its seed, and JetStream answers it', async (user) => {
    const client = await as(user);
    await expect(client.ping()).resolves.toBeUndefined();
  });
});

describe('push-ingress', () => {
  it('stores raw readings and reads ingest keys, but cannot publish events or write a key', async () => {
    const gateway = await as('matrix-api-gateway');
    const ingress = await as('push-ingress');
    await (await openKvBucket(gateway.nc, INGEST_KEYS, gateway.namespace)).put('key1', '{"id":"key1"}');

    const directory = new KvDirectory<unknown>(ingress, logger, {
      bucket: INGEST_KEYS,
      label: 'ingest keys',
      noun: 'keys',
      parse: (_key, value) => ({ ok: true, entry: value }),
      refusedMeans: 'ignored',
    });
    directory.start();
    try {
      await expectEventually(() => expect(directory.lookup('key1')).toEqual({ id: 'key1' }));
    } finally {
      await directory.stop();
    }

    const publisher = new JetStreamPublisher(ingress);
    await publisher.publish({ subject: 'sensor.raw.SMARTCLEAN.key1', payload: [], msgId: 'raw-1' });
    expect(await stored('SENSOR_RAW')).toBe(1);

    const before = await stored('MATRIX_EVENTS');
    expect(
      await refusal(
        publisher.publish({ subject: 'matrix.b1.scgrids.ZONE_CREATED.NORMAL', payload: {}, msgId: 'x' }),
      ),
    ).toMatch(/permissions violation/i);
    expect(await stored('MATRIX_EVENTS')).toBe(before);
    const kv = await openKvBucket(ingress.nc, INGEST_KEYS, ingress.namespace);
    expect((await kv.get('key1'))?.string()).toBe('{"id":"key1"}');
    expect(await refusal(kv.put('minted', '{"id":"minted"}'))).toMatch(/permissions violation/i);
    expect(await kv.get('minted')).toBeNull();
  });
});

describe('sensor-normaliser', () => {
  it('pulls and settles its durable, publishes data and dead letters, and reads device slots only', async () => {
    const ingress = await as('push-ingress');
    const normaliser = await as('sensor-normaliser');
    await new JetStreamPublisher(ingress).publish({
      subject: 'sensor.raw.SMARTCLEAN.key2',
      payload: [{ DEVID: 'd1' }],
      msgId: 'raw-2',
    });
    const dlqBefore = await stored('DLQ');
    const publisher = new JetStreamPublisher(normaliser);
    const seen: string[] = [];
    const runner = new BatchConsumerRunner(
      normaliser,
      new DeadLetterPublisher(normaliser),
      {
        spec: SENSOR_NORMALISER_RAW,
        decode: (json) => ({ ok: true, value: json }),
        maxMessages: 10,
        maxWaitMs: 10,
        handle: eachMessage(async (message) => {
          seen.push(message.subject);
          if (message.subject.endsWith('key1')) return Outcome.rejected('not wanted here');
          await publisher.publish({
            subject: 'sensor.data.b1.SMARTCLEAN.PPLCTR',
            payload: [],
            msgId: 'data-1',
          });
          await publisher.publish({ subject: 'sensor.rejected.unknown_device', payload: {}, msgId: 'rej-1' });
          return Outcome.done();
        }),
      },
      logger,
    );
    runner.start();
    try {
      await expectEventually(async () => {
        expect(seen.sort()).toEqual(['sensor.raw.SMARTCLEAN.key1', 'sensor.raw.SMARTCLEAN.key2']);
        expect(await stored('DLQ')).toBe(dlqBefore + 1);
        const info = await admin.jsm.consumers.info(
          admin.namespace.stream('SENSOR_RAW'),
          admin.namespace.durable(SENSOR_NORMALISER_RAW.durable),
        );
        expect(info.num_ack_pending).toBe(0);
      });
    } finally {
      await runner.stop();
    }
    expect(await stored('SENSOR_DATA')).toBeGreaterThanOrEqual(1);

    await expect(openKvBucket(normaliser.nc, DEVICE_SLOTS, normaliser.namespace)).resolves.toBeDefined();
    const keysBucket = await refusal(openKvBucket(normaliser.nc, INGEST_KEYS, normaliser.namespace));
    expect(keysBucket).toMatch(/permissions violation/i);
    const slots = await openKvBucket(normaliser.nc, DEVICE_SLOTS, normaliser.namespace);
    expect(await refusal(slots.put('alias', '{}'))).toMatch(/permissions violation/i);
    expect(
      await refusal(
        normaliser.js.consumers
          .get(
            normaliser.namespace.stream('SENSOR_DATA'),
            normaliser.namespace.durable('sql-projector-sensor-data'),
          )
          .then((consumer) => consumer.next({ expires: 1000 })),
      ),
    ).toMatch(/permissions violation/i);
  });
});

describe('the capacity gauges of matrix-api-gateway', () => {
  it('read the state of every stream, KV bucket and durable, and no other service may', async () => {
    const gateway = await as('matrix-api-gateway');
    const ns = gateway.namespace;
    for (const stream of MATRIX_TOPOLOGY.streams) {
      expect((await gateway.jsm.streams.info(ns.stream(stream.name))).config.max_bytes).toBeGreaterThan(0);
    }
    for (const bucket of MATRIX_KV_BUCKETS) {
      expect(
        (await gateway.jsm.streams.info(`KV_${ns.stream(bucket.name)}`)).config.max_bytes,
      ).toBeGreaterThan(0);
    }
    for (const consumer of MATRIX_TOPOLOGY.consumers) {
      const info = await gateway.jsm.consumers.info(ns.stream(consumer.stream), ns.durable(consumer.durable));
      expect(info.num_pending).toBeGreaterThanOrEqual(0);
    }
    const ingress = await as('push-ingress');
    expect(await refusal(ingress.jsm.streams.info(ns.stream('SENSOR_DATA')))).toMatch(
      /permissions violation/i,
    );
  });
});

describe('event-router', () => {
  it('replays a stream through an ordered consumer of its own, as a subscription replay does', async () => {
    const gateway = await as('matrix-api-gateway');
    const router = await as('event-router');
    await new JetStreamPublisher(gateway).publish({
      subject: 'matrix.b9.scgrids.ZONE_REMOVED.HIGH',
      payload: {},
      msgId: 'replayed-1',
    });
    const ns = router.namespace;
    const stream = ns.stream('MATRIX_EVENTS');
    const end = (await router.jsm.streams.info(stream)).state.last_seq;
    const consumer = await router.js.consumers.get(stream, {
      deliver_policy: DeliverPolicy.All,
      filter_subjects: ns.subject('matrix.>'),
    });
    const seen: string[] = [];
    for await (const message of await consumer.fetch({ max_messages: end, expires: 2000 })) {
      seen.push(ns.strip(message.subject));
      if (message.seq >= end) break;
    }
    expect(seen).toContain('matrix.b9.scgrids.ZONE_REMOVED.HIGH');
  });
});

describe('the dead-letter relay', () => {
  let seq: number;
  beforeAll(async () => {
    const ingress = await as('push-ingress');
    const ack = await new JetStreamPublisher(ingress).publish({
      subject: 'sensor.raw.SMARTCLEAN.relay',
      payload: [],
      msgId: 'relay-1',
    });
    seq = ack.seq;
  });

  it.each(SERVICES)('lets %s read a message of a consumed stream by its sequence', async (user) => {
    const client = await as(user);
    const message = await client.jsm.streams.getMessage(client.namespace.stream('SENSOR_RAW'), { seq });
    expect(message?.subject).toBe(client.namespace.subject('sensor.raw.SMARTCLEAN.relay'));
  });
});

describe('request/reply', () => {
  it('lets the gateway call event-router, and nobody else', async () => {
    const gateway = await as('matrix-api-gateway');
    const router = await as('event-router');
    const ingress = await as('push-ingress');
    const subject = router.namespace.subject(ROUTER_COMMANDS.list.subject);
    const sub = router.nc.subscribe(subject, { queue: subject });
    void (async () => {
      for await (const message of sub) message.respond(new TextEncoder().encode('{"ok":true,"data":[]}'));
    })();
    await router.nc.flush();
    const reply = await gateway.nc.request(subject, new TextEncoder().encode('{}'), { timeout: 2000 });
    expect(new TextDecoder().decode(reply.data)).toBe('{"ok":true,"data":[]}');
    expect(
      await refusal(ingress.nc.request(subject, new TextEncoder().encode('{}'), { timeout: 1000 })),
    ).toMatch(/permissions violation/i);
    sub.unsubscribe();
  });
});

describe('a downstream team', () => {
  let downstream: NatsConnection;

  beforeAll(async () => {
    // As a downstream team connects: its own seed and the inbox prefix its permissions allow.
    const seed = readFileSync(path.join(keys, `${TEAM}.nk`), 'utf8').trim();
    downstream = await connect({
      servers: [server.url],
      authenticator: nkeyAuthenticator(new TextEncoder().encode(seed)),
      inboxPrefix: natsInboxPrefix(TEAM, admin.namespace),
    });
  });
  afterAll(async () => {
    await downstream?.drain();
  });

  it('reads Matrix events through its own durable', async () => {
    const gateway = await as('matrix-api-gateway');
    const event = {
      Principal: 'b1',
      Description: 'Zone created',
      Event: 'ZONE_CREATED',
      RoutingKey: 'matrix.b1.scgrids.ZONE_CREATED.NORMAL',
      Module: 'scgrids',
      Status: 'NORMAL',
      UnixTime: '1733011200',
      UnixTimeInt: 1733011200,
      Meta: {},
    };
    await new JetStreamPublisher(gateway).publish({
      subject: event.RoutingKey,
      payload: event,
      msgId: 'zone-1',
    });
    const events = await bindMatrixEvents(downstream, { subject: 'matrix.>', durable: BOARD, namespace });
    for await (const { event: received } of events) {
      expect(received.Event).toBe('ZONE_CREATED');
      events.close();
    }
  });

  it('cannot publish, nor use a durable it was not given, nor ours', async () => {
    const before = await stored('MATRIX_EVENTS');
    downstream.publish(`${namespace}.matrix.b1.scgrids.ZONE_CREATED.NORMAL`, '{}');
    await downstream.flush();
    expect(await stored('MATRIX_EVENTS')).toBe(before);
    expect(
      await refusal(
        bindMatrixEvents(downstream, { subject: 'matrix.>', durable: 'cleaning-team-other', namespace }),
      ),
    ).toMatch(/permissions violation/i);
    expect(
      await refusal(
        bindMatrixEvents(downstream, {
          subject: 'matrix.>',
          durable: 'sql-projector-matrix-events',
          namespace,
        }),
      ),
    ).toMatch(/permissions violation/i);
  });
});
