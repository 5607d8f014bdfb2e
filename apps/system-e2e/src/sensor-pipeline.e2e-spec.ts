import { Kvm } from '@nats-io/kv';
import type { Client } from 'pg';
import { HEADER } from '@matrix/contracts';
import { DEVICE_SLOTS, type NatsClient } from '@matrix/messaging';
import { expectEventually, putIngestKey } from '@matrix/testing';
import type { Platform, ServiceName } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';

/*
 * The sensor pipeline on the real built services (push-ingress → SENSOR_RAW → sensor-normaliser →
 * SENSOR_DATA → sql-projector → matrix.sensor_data), with device slots in the DEVICE_SLOTS bucket and an
 * ingest key in INGEST_KEYS as the gateway would write them:
 * - one valid and one invalid point of every documented slot type: the exact general-format object on
 *   SENSOR_DATA, the exact row in SQL, the 400 naming the invalid field, and a point of an unregistered
 *   device of every type rejected on SENSOR_REJECTED with its reason and the original point;
 * - 100,000 points while sensor-normaliser and sql-projector are SIGKILLed and restarted: every accepted
 *   point is in SQL exactly once.
 */

const PIPELINE: ServiceName[] = ['push-ingress', 'sensor-normaliser', 'sql-projector'];
const PID = 'b-pipeline';
const PROPID = 'p-pipeline';
const ZONE = 'zone-pipeline';
const REGION = 'Europe/Berlin';
/** Monday 2026-06-01 08:15:30 in Berlin (UTC+2). */
const BASE = Date.parse('2026-06-01T06:15:30Z');

interface SlotCase {
  type: string;
  /** What the device sends. */
  v: Record<string, unknown>;
  /** The canonical `v` on SENSOR_DATA and in SQL. */
  canonical: Record<string, unknown>;
  /** An invalid `v`, and the field its 400 names. */
  invalid: Record<string, unknown>;
  field: string;
  /** Extra top-level fields the type documents (ODRDTR `stats`). */
  extra?: Record<string, unknown>;
}

const CASES: SlotCase[] = [
  {
    type: 'PPLCTR',
    v: { count: '2', out_count: 1.0 },
    canonical: { count: 2, out_count: 1 },
    invalid: { count: -1 },
    field: 'count',
  },
  {
    type: 'UM',
    v: { count: 3.0, b: '3600' },
    canonical: { count: 3, b: '3600' },
    invalid: { b: '3600' },
    field: 'count',
  },
  {
    type: 'FD',
    v: { rating: '2', n: 1, nm: 'Dirty' },
    canonical: { rating: 2, n: 1, nm: 'Dirty' },
    invalid: { rating: 0 },
    field: 'rating',
  },
  { type: 'TR', v: { p: '80', d: 120 }, canonical: { p: 80, d: 120 }, invalid: { p: 101 }, field: 'p' },
  { type: 'PT', v: { p: 55 }, canonical: { p: 55 }, invalid: { d: 10 }, field: 'p' },
  { type: 'SS', v: { p: 5.5 }, canonical: { p: 5.5 }, invalid: { p: 'lots' }, field: 'p' },
  { type: 'BIN', v: { p: 10, d: 400 }, canonical: { p: 10, d: 400 }, invalid: { p: -3 }, field: 'p' },
  {
    type: 'WD',
    v: { value: 1, AreaP: 12.5 },
    canonical: { value: 1, AreaP: 12.5 },
    invalid: { value: 2 },
    field: 'value',
  },
  {
    type: 'ODRDTR_10_IN_1',
    v: { co2: 600, 'pm_2.5': 12, temperature: 23.5, humidity: 40 },
    canonical: { co2: 600, 'pm_2.5': 12, pm_25: 12, temperature: 23.5, humidity: 40 },
    invalid: { humidity: 140 },
    field: 'humidity',
  },
  {
    type: 'ODRDTR_BATT_V1',
    v: { amm: 12, aqi: 50, rh: 730, temp: 304 },
    canonical: { amm: 12, aqi: 50, rh: 730, temp: 304 },
    invalid: { rh: 1200 },
    field: 'rh',
  },
  {
    type: 'ODRDTR',
    v: { amm: 0.5, alc: 0.2, no2: 0.01, rssi: '-70' },
    canonical: { amm: 0.5, alc: 0.2, no2: 0.01, rssi: '-70' },
    invalid: { rssi: '-70' },
    field: 'v',
  },
  { type: 'OCCMINEW', v: { occ: 0 }, canonical: { occ: 0 }, invalid: { occ: 2 }, field: 'occ' },
  { type: 'OCCSCM', v: { occ: 1 }, canonical: { occ: 1 }, invalid: { occ: 'yes' }, field: 'occ' },
  { type: 'OCCDESK', v: { occ: 1 }, canonical: { occ: 1 }, invalid: { occ: -1 }, field: 'occ' },
  {
    type: 'TILT',
    v: { Xt: 1.5, Yt: -2, Zt: 0, v: 90 },
    canonical: { Xt: 1.5, Yt: -2, Zt: 0, v: 90 },
    invalid: { v: 150 },
    field: 'v',
  },
  { type: 'TH', v: { t: 22.5, h: '45' }, canonical: { t: 22.5, h: 45 }, invalid: { h: 120 }, field: 'h' },
];

const suite = new PlatformSuite('pipeline', PIPELINE);
let platform: Platform;
let sql: Client;
let nats: NatsClient;
let ingestKey: string;

const alias = (type: string) => `slot-${type.toLowerCase()}`;

async function post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${platform.service('push-ingress').url}/v1/sensor-data`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every message of a stream whose subject starts with `prefix`: its points, reading ids and subject. */
async function streamMessages(stream: string, prefix: string) {
  const name = nats.namespace.stream(stream);
  const { state } = await nats.jsm.streams.info(name);
  const found: { subject: string; json: unknown; ids: string[] }[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
    const message = await nats.jsm.streams.getMessage(name, { seq }).catch(() => null);
    if (!message) continue;
    const subject = nats.namespace.strip(message.subject);
    if (!subject.startsWith(prefix)) continue;
    found.push({
      subject,
      json: message.json(),
      ids: message.header?.get(HEADER.readingIds)?.split(',') ?? [],
    });
  }
  return found;
}

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start(async (client) => {
    const slots = await new Kvm(client.nc).open(client.namespace.stream(DEVICE_SLOTS.name));
    const slot = (name: string, type: string) => ({
      Alias: name,
      DevType: `SMARTCLEAN#${type}`,
      Provider: 'SMARTCLEAN',
      PID,
      PropId: PROPID,
      InsID: ZONE,
      Display: `${type} slot`,
      Region: REGION,
    });
    for (const { type } of CASES) await slots.put(alias(type), JSON.stringify(slot(alias(type), type)));
    for (let d = 0; d < 200; d += 1) {
      await slots.put(`load-${d}`, JSON.stringify(slot(`load-${d}`, 'PPLCTR')));
    }
    ({ key: ingestKey } = await putIngestKey(client.nc, client.namespace, {
      pid: PID,
      provider: 'SMARTCLEAN',
    }));
  }));
});

afterAll(async () => {
  const codes = await suite.stop();
  expect(codes).toEqual(Object.fromEntries(PIPELINE.map((name) => [name, 0])));
});

describe('every documented slot type, end to end', () => {
  const sent = CASES.map((c, i) => ({
    DEVID: alias(c.type),
    DevType: `SMARTCLEAN#${c.type}`,
    // TH sends unixT in seconds, as 2021 devices did; the others in milliseconds.
    unixT: c.type === 'TH' ? (BASE + i * 1000) / 1000 : BASE + i * 1000,
    v: c.v,
    ...c.extra,
  }));
  /** The general-format object every subscriber must see: enriched from the slot, local time in Berlin. */
  const expected = CASES.map((c, i) => ({
    DEVID: alias(c.type),
    DevType: `SMARTCLEAN#${c.type}`,
    unixT: BASE + i * 1000,
    v: c.canonical,
    PID,
    PropId: PROPID,
    InsID: ZONE,
    Display: `${c.type} slot`,
    Region: REGION,
    t: `202606010815${30 + i}`,
    time: `2026-06-01T08:15:${30 + i}+0200`,
    dow: '1',
    month: '06',
    dom: '01',
    hour: '08',
    minute: '15',
    ...c.extra,
  }));

  it('refuses an invalid point of every type with a 400 that names its field, storing nothing', async () => {
    const before = (await nats.jsm.streams.info(nats.namespace.stream('SENSOR_RAW'))).state.messages;
    const invalid = CASES.map((c, i) => ({ ...sent[i], v: c.invalid }));
    const response = await post(invalid);
    expect(response.status).toBe(400);
    expect(response.body['title']).toBe('Invalid data points');
    const errors = response.body['errors'] as { index: number; problems: string[] }[];
    expect(errors.map((e) => e.index)).toEqual(CASES.map((_, i) => i));
    CASES.forEach((c, i) => {
      expect({ type: c.type, problems: errors[i]!.problems }).toEqual({
        type: c.type,
        problems: expect.arrayContaining([expect.stringMatching(new RegExp(`^v(\\.${c.field})?:`))]),
      });
    });
    expect((await nats.jsm.streams.info(nats.namespace.stream('SENSOR_RAW'))).state.messages).toBe(before);
  });

  it('publishes the exact general-format object of a valid point of every type on SENSOR_DATA', async () => {
    expect(await post(sent)).toMatchObject({ status: 202, body: { accepted: CASES.length, duplicates: 0 } });
    const messages = await expectEventually(async () => {
      const found = await streamMessages('SENSOR_DATA', `sensor.data.${PID}.`);
      expect(
        found
          .flatMap((m) => m.json as unknown[])
          .filter((p) => !String((p as { DEVID: string }).DEVID).startsWith('load-')),
      ).toHaveLength(CASES.length);
      return found;
    });
    CASES.forEach((c, i) => {
      const message = messages.find((m) => m.subject === `sensor.data.${PID}.SMARTCLEAN.${c.type}`);
      expect({ type: c.type, points: message?.json }).toEqual({ type: c.type, points: [expected[i]] });
      expect(message!.ids).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/)]);
    });
  });

  it('stores the same object as a row of matrix.sensor_data, keyed by its reading id', async () => {
    const readingIds = new Map(
      (await streamMessages('SENSOR_DATA', `sensor.data.${PID}.`)).map((m) => [m.subject, m.ids[0]]),
    );
    const rows = await expectEventually(async () => {
      const { rows } = await sql.query(
        `select msg_id, t, v, unixt, devid, region, time, devtype, pid, propid, insid, display, dow, month, hour, dom, minute, extra
           from matrix.sensor_data where pid = $1 and devid like 'slot-%' order by unixt`,
        [PID],
      );
      expect(rows).toHaveLength(CASES.length);
      return rows;
    });
    CASES.forEach((c, i) => {
      const e = expected[i]!;
      expect(rows[i]).toEqual({
        msg_id: `data:${readingIds.get(`sensor.data.${PID}.SMARTCLEAN.${c.type}`)}`,
        t: e.t,
        v: e.v,
        unixt: String(e.unixT),
        devid: e.DEVID,
        region: REGION,
        time: new Date(e.unixT),
        devtype: e.DevType,
        pid: PID,
        propid: PROPID,
        insid: ZONE,
        display: e.Display,
        dow: e.dow,
        month: e.month,
        hour: e.hour,
        dom: e.dom,
        minute: e.minute,
        extra: null,
      });
    });
  });

  it('rejects a point of an unregistered device of every type on SENSOR_REJECTED, with the reason and the point', async () => {
    const orphans = sent.map((point) => ({ ...point, DEVID: `orphan-${point.DEVID}` }));
    expect(await post(orphans)).toMatchObject({ status: 202, body: { accepted: CASES.length } });
    const rejections = await expectEventually(async () => {
      const found = await streamMessages('SENSOR_REJECTED', 'sensor.rejected.unknown_device');
      expect(found).toHaveLength(CASES.length);
      return found.map((m) => m.json as Record<string, unknown>);
    });
    orphans.forEach((point) => {
      const rejection = rejections.find((r) => (r['point'] as { DEVID: string }).DEVID === point.DEVID);
      expect(rejection).toMatchObject({
        reason: 'unknown_device',
        errors: [
          `PID: missing, and device ${point.DEVID} has no registry entry to fill it in`,
          `InsID: missing, and device ${point.DEVID} has no registry entry to fill it in`,
          `Region: missing, and device ${point.DEVID} has no registry entry to fill it in`,
        ],
        rawSubject: expect.stringMatching(/^sensor\.raw\.SMARTCLEAN\./),
        rawMsgId: expect.stringMatching(/^[0-9a-f]{40}$/),
        point,
      });
    });
    const { rows } = await sql.query(
      `select count(*)::int as n from matrix.sensor_data where devid like 'orphan-%'`,
    );
    expect(rows[0].n).toBe(0);
  });
});

describe('crash recovery', () => {
  it('keeps every accepted point exactly once when sensor-normaliser and sql-projector are SIGKILLed mid-stream', async () => {
    const total = 100_000;
    const perBatch = 100;
    const start = Date.parse('2026-06-02T00:00:00Z');
    const batch = (b: number) =>
      Array.from({ length: perBatch }, (_, i) => {
        const n = b * perBatch + i;
        return {
          DEVID: `load-${n % 200}`,
          DevType: 'SMARTCLEAN#PPLCTR',
          unixT: start + n * 10,
          v: { count: 1 + (n % 3) },
        };
      });
    const expectedPeople = Array.from({ length: total }, (_, n) => 1 + (n % 3)).reduce((a, b) => a + b, 0);
    const count = async () =>
      (await sql.query(`select count(*)::int as n from matrix.sensor_data where devid like 'load-%'`)).rows[0]
        .n as number;

    let next = 0;
    const statuses: number[] = [];
    const worker = async () => {
      while (next < total / perBatch) {
        const b = next++;
        statuses[b] = (await post(batch(b))).status;
      }
    };
    const posting = Promise.all(Array.from({ length: 8 }, worker));

    await expectEventually(async () => expect(await count()).toBeGreaterThan(10_000), {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    await Promise.all([
      platform.service('sensor-normaliser').kill(),
      platform.service('sql-projector').kill(),
    ]);
    const atKill = await count();
    expect(atKill).toBeLessThan(total);
    await Promise.all([platform.restart('sensor-normaliser'), platform.restart('sql-projector')]);

    await posting;
    expect(statuses.filter((status) => status !== 202)).toEqual([]);
    expect(statuses).toHaveLength(total / perBatch);
    await expectEventually(async () => expect(await count()).toBe(total), {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    const { rows } = await sql.query(
      `select count(distinct (devid, unixt))::int as readings, count(distinct msg_id)::int as ids,
              sum(cast(v->>'count' as integer))::int as people
         from matrix.sensor_data where devid like 'load-%'`,
    );
    expect(rows[0]).toEqual({ readings: total, ids: total, people: expectedPeople });
  });
});
