import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { KV } from '@nats-io/kv';
import { HEADER, sensorRawPartition, sensorRawSubject, SINGLE_POINT_MESSAGE } from '@matrix/contracts';
import {
  deleteKvBuckets,
  deleteTopology,
  DEVICE_SLOTS,
  JetStreamPublisher,
  CONSUMER_LEASES,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  openKvBucket,
  provisionKvBuckets,
  provisionTopology,
  redriveRejectedReadings,
  SENSOR_NORMALISER_RAW,
  SENSOR_NORMALISER_RAW_PARTITIONED,
} from '@matrix/messaging';
import { HealthRegistry } from '@matrix/platform';
import { expectEventually, testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/sensor-normaliser.config';
import { DeviceSlotDirectory } from '../src/directory/device-slot-directory';

/*
 * sensor-normaliser (its whole app module) against the real nats-server, on a namespaced topology and
 * DEVICE_SLOTS bucket: readings posted to SENSOR_RAW as push-ingress posts them, directory entries put
 * into the bucket as the gateway's outbox relay puts them (matrix-api-gateway directoryEntry()).
 */

const BUILDING = 'a3f1c0de5e8b4c7d9e0f1a2b3c4d5e6f';
const PROPERTY = 'b1a0c2e3f4a5b6c7d8e9f0a1b2c3d4e5';
const ZONE = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const OTHER_ZONE = 'd00dfeedd00dfeedd00dfeedd00dfeed';
/** 2026-11-26T08:15:30Z: 09:15:30 in Berlin (CET, +0100), a Thursday. */
const UNIX_T = Date.parse('2026-11-26T08:15:30Z');

/** The KV value the gateway writes for a slot. */
function slot(alias: string, overrides: Record<string, unknown> = {}) {
  return {
    Alias: alias,
    DevType: 'SMARTCLEAN#PPLCTR',
    Provider: 'SMARTCLEAN',
    Org: 'ACME',
    PropId: PROPERTY,
    PID: BUILDING,
    LID: 'level-1',
    InsID: ZONE,
    Display: 'Entrance people counter',
    Region: 'Europe/Berlin',
    Devid: null,
    UpdatedOn: '2026-11-26T08:00:00.000Z',
    ...overrides,
  };
}

/** One namespace with the platform topology, optionally the KV bucket, and the normaliser app. */
class NormaliserHarness {
  client!: NatsClient;
  publisher!: JetStreamPublisher;
  app!: INestApplication;
  kv!: KV;
  private namespace = '';
  private sent = 0;

  constructor(private readonly label: string) {}

  async start({ bucket }: { bucket: boolean }): Promise<this> {
    const namespace = uniqueNamespace(this.label);
    this.client = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${this.label}`,
      namespace,
    }).connect();
    this.publisher = new JetStreamPublisher(this.client);
    await provisionTopology(this.client.jsm, MATRIX_TOPOLOGY, this.client.namespace);
    // The partitions' leases bucket always: what the test leaves out is the device-slot directory.
    if (bucket) await this.provisionBucket();
    else await provisionKvBuckets(this.client.nc, [CONSUMER_LEASES], this.client.namespace);
    this.namespace = namespace;
    await this.startApp();
    return this;
  }

  async startApp(): Promise<void> {
    const config = loadConfig({
      NATS_URL: testNatsUrl(),
      NATS_NAMESPACE: this.namespace,
      LOG_LEVEL: 'error',
    });
    this.app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
    await this.app.init();
  }

  async provisionBucket(): Promise<void> {
    await provisionKvBuckets(this.client.nc, MATRIX_KV_BUCKETS, this.client.namespace);
    this.kv = await openKvBucket(this.client.nc, DEVICE_SLOTS, this.client.namespace);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await deleteTopology(this.client.jsm, MATRIX_TOPOLOGY, this.client.namespace);
    await deleteKvBuckets(this.client.nc, MATRIX_KV_BUCKETS, this.client.namespace);
    await this.client.drain();
  }

  get directory(): DeviceSlotDirectory {
    return this.app.get(DeviceSlotDirectory);
  }

  /** Puts a slot and waits until the normaliser's directory has applied it. */
  async putSlot(alias: string, overrides: Record<string, unknown> = {}): Promise<void> {
    const revision = await this.kv.put(alias, JSON.stringify(slot(alias, overrides)));
    await expectEventually(() => expect(this.directory.version).toBeGreaterThanOrEqual(revision));
  }

  async deleteSlot(alias: string): Promise<void> {
    await this.kv.delete(alias);
    await expectEventually(() => expect(this.directory.lookup(alias)).toBeUndefined());
  }

  /** Publishes one reading as push-ingress does (a one-point array); returns its reading id. */
  async post(point: Record<string, unknown>): Promise<string> {
    this.sent += 1;
    const id = `${this.label}-reading-${this.sent}`;
    await this.publisher.publish({
      subject: sensorRawSubject('SMARTCLEAN', String(point['DEVID'])),
      payload: [point],
      msgId: id,
      headers: { [HEADER.readingIds]: id },
    });
    return id;
  }

  /**
   * Publishes a batch as push-ingress does — one message, a JSON array, the reading ids in
   * `Matrix-Reading-Ids`, the ingest key's building in `Matrix-Ingest-Pid` — and returns the ids.
   */
  async postBatch(points: Record<string, unknown>[], ingestPid: string): Promise<string[]> {
    const ids = points.map(() => `${this.label}-reading-${++this.sent}`);
    await this.publisher.publish({
      subject: sensorRawSubject('SMARTCLEAN', 'key1'),
      payload: points,
      msgId: `raw:${ids.join('+')}`,
      headers: {
        [HEADER.readingIds]: ids.join(','),
        [HEADER.ingestKeyId]: 'key1',
        [HEADER.ingestPid]: ingestPid,
      },
    });
    return ids;
  }

  /** Every message of a stream, oldest first. */
  async stored(stream: string) {
    const name = this.client.namespace.stream(stream);
    const { state } = await this.client.jsm.streams.info(name);
    const messages = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
      const message = await this.client.jsm.streams.getMessage(name, { seq });
      if (!message) continue;
      messages.push({
        subject: this.client.namespace.strip(message.subject),
        msgId: message.header?.get('Nats-Msg-Id'),
        json: JSON.parse(new TextDecoder().decode(message.data)) as Record<string, unknown>,
        headers: Object.fromEntries(
          [...(message.header?.keys() ?? [])].map((k) => [k, message.header!.get(k)]),
        ),
      });
    }
    return messages;
  }

  /** The messages of `stream` published for reading `id` (`data:<id>` / `rejected:<id>`). */
  async outputOf(stream: 'SENSOR_DATA' | 'SENSOR_REJECTED', id: string) {
    const prefix = stream === 'SENSOR_DATA' ? 'data' : 'rejected';
    return (await this.stored(stream)).filter((message) => message.msgId === `${prefix}:${id}`);
  }

  /**
   * Waits for the one output message of reading `id`; a SENSOR_DATA message is a JSON array, here of
   * this one point, which is returned as `json`.
   */
  async single(stream: 'SENSOR_DATA' | 'SENSOR_REJECTED', id: string) {
    return expectEventually(async () => {
      const found = await this.outputOf(stream, id);
      expect(found).toHaveLength(1);
      if (stream === 'SENSOR_REJECTED') return found[0]!;
      expect(found[0]!.json).toEqual([expect.any(Object)]);
      return { ...found[0]!, json: (found[0]!.json as unknown as Record<string, unknown>[])[0]! };
    });
  }

  /** Waits until the normaliser has settled every raw message stored so far. */
  async drained(): Promise<void> {
    await expectEventually(async () => {
      for (const durable of [SENSOR_NORMALISER_RAW, ...SENSOR_NORMALISER_RAW_PARTITIONED.partitions]) {
        const info = await this.client.jsm.consumers.info(
          this.client.namespace.stream(durable.stream),
          this.client.namespace.durable(durable.durable),
        );
        expect({
          durable: durable.durable,
          pending: info.num_pending,
          unacked: info.num_ack_pending,
        }).toEqual({
          durable: durable.durable,
          pending: 0,
          unacked: 0,
        });
      }
    });
  }
}

describe('sensor-normaliser enrichment from the device-slot directory', () => {
  const h = new NormaliserHarness('normaliser_enrich');

  beforeAll(async () => {
    await h.start({ bucket: true });
    await h.putSlot('slot-counter');
    await h.putSlot('slot-feedback', { DevType: 'SMARTCLEAN#FD', Display: 'Feedback tablet' });
  });
  afterAll(() => h.stop());

  it('is ready once the initial directory values are loaded', async () => {
    await expectEventually(async () => {
      const report = await h.app.get(HealthRegistry).readiness();
      expect(report.checks['device-slot-directory']).toEqual({ ok: true });
    });
    expect(h.directory.lookup('slot-counter')).toMatchObject({ PID: BUILDING, InsID: ZONE });
  });

  it('publishes an alias-only reading in the general data format, enriched from the registry', async () => {
    const id = await h.post({
      DEVID: 'slot-counter',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T,
      v: { count: 3.0, out_count: '1' },
    });
    const message = await h.single('SENSOR_DATA', id);
    expect(message.subject).toBe(`sensor.data.${BUILDING}.SMARTCLEAN.PPLCTR`);
    expect(message.json).toStrictEqual({
      DEVID: 'slot-counter',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T,
      v: { count: 3, out_count: 1 },
      PID: BUILDING,
      PropId: PROPERTY,
      InsID: ZONE,
      Display: 'Entrance people counter',
      Region: 'Europe/Berlin',
      t: '20261126091530',
      time: '2026-11-26T09:15:30+0100',
      dow: '4',
      month: '11',
      dom: '26',
      hour: '09',
      minute: '15',
    });
  });

  it("attributes a reading to the slot's zone in the registry, not the stale location it carries", async () => {
    const id = await h.post({
      DEVID: 'slot-counter',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T + 1000,
      v: { count: 1 },
      PID: 'old-building',
      InsID: 'old-zone',
      Region: 'Asia/Singapore',
      Display: 'Old name',
    });
    const message = await h.single('SENSOR_DATA', id);
    expect(message.subject).toBe(`sensor.data.${BUILDING}.SMARTCLEAN.PPLCTR`);
    expect(message.json).toMatchObject({
      PID: BUILDING,
      InsID: ZONE,
      Region: 'Europe/Berlin',
      Display: 'Entrance people counter',
      time: '2026-11-26T09:15:31+0100',
    });
  });

  it('rejects a people-counter reading from a feedback slot as invalid_point, with the original point', async () => {
    const point = { DEVID: 'slot-feedback', DevType: 'SMARTCLEAN#PPLCTR', unixT: UNIX_T, v: { count: 1 } };
    const id = await h.post(point);
    const rejection = await h.single('SENSOR_REJECTED', id);
    expect(rejection.subject).toBe('sensor.rejected.invalid_point');
    expect(rejection.json).toStrictEqual({
      reason: 'invalid_point',
      errors: [
        'DevType: the reading is SMARTCLEAN#PPLCTR but device slot slot-feedback is a SMARTCLEAN#FD slot in the registry',
      ],
      rawSubject: sensorRawSubject('SMARTCLEAN', 'slot-feedback'),
      rawMsgId: id,
      rejectedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      directoryRevision: expect.any(Number),
      point,
    });
    expect(await h.outputOf('SENSOR_DATA', id)).toEqual([]);
  });

  it('accepts a device without registry entry whose point carries its own location', async () => {
    const point = {
      DEVID: 'onboarded-elsewhere',
      DevType: 'ACME#LUX',
      unixT: UNIX_T,
      v: { lux: 300 },
      PID: 'acme-building',
      InsID: 'acme-zone',
      Region: 'Asia/Singapore',
    };
    const id = await h.post(point);
    const message = await h.single('SENSOR_DATA', id);
    expect(message.subject).toBe('sensor.data.acme-building.ACME.LUX');
    expect(message.json).toStrictEqual({
      ...point,
      t: '20261126161530',
      time: '2026-11-26T16:15:30+0800',
      dow: '4',
      month: '11',
      dom: '26',
      hour: '16',
      minute: '15',
    });
  });

  it('follows the bucket: a moved slot is attributed to its new zone, a deleted one is unknown', async () => {
    await h.putSlot('slot-moving');
    await h.putSlot('slot-moving', { InsID: OTHER_ZONE, Region: 'Asia/Singapore' });
    const valid = await h.post({
      DEVID: 'slot-moving',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T,
      v: { count: 2 },
    });
    expect((await h.single('SENSOR_DATA', valid)).json).toMatchObject({
      InsID: OTHER_ZONE,
      Region: 'Asia/Singapore',
      time: '2026-11-26T16:15:30+0800',
    });

    await h.deleteSlot('slot-moving');
    const orphan = await h.post({
      DEVID: 'slot-moving',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T,
      v: { count: 2 },
    });
    expect((await h.single('SENSOR_REJECTED', orphan)).json).toMatchObject({
      reason: 'unknown_device',
      errors: [
        'PID: missing, and device slot-moving has no registry entry to fill it in',
        'InsID: missing, and device slot-moving has no registry entry to fill it in',
        'Region: missing, and device slot-moving has no registry entry to fill it in',
      ],
    });
  });

  it('normalises a batch into one SENSOR_DATA array per subject, in order, and rejects its bad points alone', async () => {
    const reading = (DEVID: string, DevType: string, v: unknown, offset: number) => ({
      DEVID,
      DevType,
      unixT: UNIX_T + offset,
      v,
    });
    const ids = await h.postBatch(
      [
        reading('slot-counter', 'SMARTCLEAN#PPLCTR', { count: 1 }, 0),
        reading('slot-feedback', 'SMARTCLEAN#FD', { rating: 4 }, 1),
        reading('slot-nowhere', 'SMARTCLEAN#PPLCTR', { count: 1 }, 2),
        reading('slot-counter', 'SMARTCLEAN#PPLCTR', { count: 2 }, 3),
      ],
      BUILDING,
    );
    await h.drained();
    const data = (await h.stored('SENSOR_DATA')).filter((m) =>
      ids.some((id) => m.headers['Matrix-Reading-Ids']?.includes(id)),
    );
    expect(data.map((m) => [m.subject, m.headers['Matrix-Reading-Ids']])).toEqual([
      [`sensor.data.${BUILDING}.SMARTCLEAN.PPLCTR`, `${ids[0]},${ids[3]}`],
      [`sensor.data.${BUILDING}.SMARTCLEAN.FD`, ids[1]],
    ]);
    expect(data[0]!.json).toEqual([
      expect.objectContaining({ DEVID: 'slot-counter', v: { count: 1 }, InsID: ZONE }),
      expect.objectContaining({ DEVID: 'slot-counter', v: { count: 2 }, InsID: ZONE }),
    ]);
    expect((await h.single('SENSOR_REJECTED', ids[2]!)).json).toMatchObject({
      reason: 'unknown_device',
      rawMsgId: ids[2],
      point: reading('slot-nowhere', 'SMARTCLEAN#PPLCTR', { count: 1 }, 2),
      ingest: { keyId: 'key1', pid: BUILDING },
    });
  });

  it('groups the points of raw messages handled together into one SENSOR_DATA array per subject, in stream order', async () => {
    const reading = (n: number) => ({
      DEVID: 'slot-counter',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T + 1000 + n,
      v: { count: n },
    });
    // Stored while the normaliser is down, so the restarted one takes them in one batch.
    await h.app.close();
    const ids = [
      ...(await h.postBatch([reading(1), reading(2)], BUILDING)),
      ...(await h.postBatch([reading(3)], BUILDING)),
      ...(await h.postBatch([reading(4), reading(5)], BUILDING)),
    ];
    await h.startApp();
    await h.drained();
    const data = (await h.stored('SENSOR_DATA')).filter((m) =>
      ids.some((id) => m.headers['Matrix-Reading-Ids']?.split(',').includes(id)),
    );
    expect(data.map((m) => [m.subject, m.headers['Matrix-Reading-Ids']])).toEqual([
      [`sensor.data.${BUILDING}.SMARTCLEAN.PPLCTR`, ids.join(',')],
    ]);
    expect((data[0]!.json as unknown as { v: unknown }[]).map((p) => p.v)).toEqual(
      [1, 2, 3, 4, 5].map((count) => ({ count })),
    );
  });

  it("rejects as foreign_device a point whose slot is in another building than the ingest key's", async () => {
    const [id] = await h.postBatch(
      [{ DEVID: 'slot-counter', DevType: 'SMARTCLEAN#PPLCTR', unixT: UNIX_T, v: { count: 1 } }],
      'another-building',
    );
    expect((await h.single('SENSOR_REJECTED', id!)).json).toMatchObject({
      reason: 'foreign_device',
      errors: [expect.stringContaining(`belongs to building ${BUILDING}, not another-building`)],
    });
    expect(await h.outputOf('SENSOR_DATA', id!)).toEqual([]);
  });

  it('dead-letters a raw message that is one point object (the shape from before batching), naming the shape', async () => {
    const point = { DEVID: 'slot-counter', DevType: 'SMARTCLEAN#PPLCTR', unixT: UNIX_T, v: { count: 7 } };
    const subject = sensorRawSubject('SMARTCLEAN', 'slot-counter');
    await h.publisher.publish({ subject, payload: point, msgId: 'single-point-from-before-batching' });
    const letter = await expectEventually(async () => {
      const found = await h.client.jsm.streams.getMessage(h.client.namespace.stream('DLQ'), {
        last_by_subj: h.client.namespace.subject(`dlq.${subject}`),
      });
      if (!found) throw new Error('not dead-lettered yet');
      return found;
    });
    expect(letter.header.get(HEADER.dlqReason)).toBe(`invalid message: ${SINGLE_POINT_MESSAGE}`);
    expect(letter.json()).toEqual(point);
    await h.drained();
    expect(await h.outputOf('SENSOR_DATA', 'single-point-from-before-batching')).toEqual([]);
  });

  it('rebuilds the directory from a fresh watch after a NATS reconnect, and keeps following it', async () => {
    await h.putSlot('slot-before-reconnect');
    const loadedAt = h.directory.loadedAt!;
    await h.app.get(NatsClient).nc.reconnect();
    await expectEventually(() => expect(h.directory.loadedAt!.getTime()).toBeGreaterThan(loadedAt.getTime()));
    expect(h.directory.lookup('slot-before-reconnect')).toMatchObject({ PID: BUILDING });
    await h.deleteSlot('slot-before-reconnect');
    await h.putSlot('slot-after-reconnect', { InsID: OTHER_ZONE });
    expect(h.directory.lookup('slot-after-reconnect')).toMatchObject({ InsID: OTHER_ZONE });
  });

  it('re-drives an unknown device reading once the registry has the slot: it lands on SENSOR_DATA exactly once', async () => {
    // Only what this test rejects: the previous test's orphan reading is older than `since`.
    const since = new Date(Date.now() + 1);
    await expectEventually(() => expect(Date.now()).toBeGreaterThan(since.getTime()));
    const point = { DEVID: 'slot-late', DevType: 'SMARTCLEAN#PPLCTR', unixT: UNIX_T, v: { count: 4 } };
    const id = await h.post(point);
    expect((await h.single('SENSOR_REJECTED', id)).json).toMatchObject({ reason: 'unknown_device', point });

    // Re-driven before the registry is fixed: rejected again (that rejection is deduplicated), nothing lands.
    const premature = await redriveRejectedReadings(h.client, { reason: 'unknown_device', since });
    expect(premature).toMatchObject({ examined: 1, redriven: 1, skipped: 0 });
    await h.drained();
    expect(await h.outputOf('SENSOR_DATA', id)).toEqual([]);
    expect(await h.outputOf('SENSOR_REJECTED', id)).toHaveLength(1);

    await h.putSlot('slot-late', { InsID: OTHER_ZONE });
    const fixed = await redriveRejectedReadings(h.client, { reason: 'unknown_device', since });
    expect(fixed).toEqual({
      run: expect.any(String),
      reason: 'unknown_device',
      since: since.toISOString(),
      dryRun: false,
      examined: 1,
      redriven: 1,
      skipped: 0,
      limitReached: false,
    });
    const landed = await h.single('SENSOR_DATA', id);
    expect(landed.subject).toBe(`sensor.data.${BUILDING}.SMARTCLEAN.PPLCTR`);
    expect(landed.json).toStrictEqual({
      ...point,
      PID: BUILDING,
      PropId: PROPERTY,
      InsID: OTHER_ZONE,
      Display: 'Entrance people counter',
      Region: 'Europe/Berlin',
      t: '20261126091530',
      time: '2026-11-26T09:15:30+0100',
      dow: '4',
      month: '11',
      dom: '26',
      hour: '09',
      minute: '15',
    });

    // Re-driven once more: normalised again, but published as the same data:<id>, which SENSOR_DATA drops.
    const again = await redriveRejectedReadings(h.client, { reason: 'unknown_device', since });
    expect(again).toMatchObject({ examined: 1, redriven: 1 });
    await h.drained();
    expect(await h.outputOf('SENSOR_DATA', id)).toHaveLength(1);
    expect(await h.stored('SENSOR_RAW')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msgId: `redrive:${id}:${premature.run}` }),
        expect.objectContaining({ msgId: `redrive:${id}:${fixed.run}` }),
        expect.objectContaining({ msgId: `redrive:${id}:${again.run}` }),
      ]),
    );
  });
});

describe('sensor-normaliser before the DEVICE_SLOTS bucket exists', () => {
  const h = new NormaliserHarness('normaliser_nobucket');

  beforeAll(() => h.start({ bucket: false }));
  afterAll(() => h.stop());

  it('is not ready and says how to fix it, holds readings back instead of rejecting them, then catches up', async () => {
    const bucket = h.client.namespace.stream('DEVICE_SLOTS');
    await expectEventually(async () => {
      const report = await h.app.get(HealthRegistry).readiness();
      expect(report.ready).toBe(false);
      expect(report.checks['device-slot-directory']).toEqual({
        ok: false,
        error: `device-slot directory not loaded: KV bucket ${bucket} does not exist: run matrix-cli provision (is NATS_NAMESPACE right?)`,
      });
    });
    const id = await h.post({
      DEVID: 'slot-early',
      DevType: 'SMARTCLEAN#PPLCTR',
      unixT: UNIX_T,
      v: { count: 1 },
    });
    // The handler has it while the directory cannot load: it waits, then naks it for later.
    const partition = SENSOR_NORMALISER_RAW_PARTITIONED.partitions[sensorRawPartition('slot-early')]!;
    await expectEventually(async () => {
      const info = await h.client.jsm.consumers.info(
        h.client.namespace.stream(partition.stream),
        h.client.namespace.durable(partition.durable),
      );
      expect(info.delivered.stream_seq).toBe(1);
    });

    await h.provisionBucket();
    await h.kv.put('slot-early', JSON.stringify(slot('slot-early')));
    await expectEventually(
      async () => {
        const report = await h.app.get(HealthRegistry).readiness();
        expect(report.checks['device-slot-directory']).toEqual({ ok: true });
      },
      { timeoutMs: 20_000 },
    );
    // Within the handler's wait for the directory, or on the redelivery after the first backoff step (10 s).
    const landed = await expectEventually(
      async () => {
        const found = await h.outputOf('SENSOR_DATA', id);
        expect(found).toHaveLength(1);
        return found[0]!;
      },
      { timeoutMs: 30_000 },
    );
    expect(landed.json).toEqual([
      expect.objectContaining({ PID: BUILDING, InsID: ZONE, time: '2026-11-26T09:15:30+0100' }),
    ]);
    expect(await h.outputOf('SENSOR_REJECTED', id)).toEqual([]);
  });
});
