import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import type { NatsClient } from '@matrix/messaging';
import { expectEventually, putIngestKey } from '@matrix/testing';
import { SERVICES, type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';

/*
 * The walking skeleton on the real built services: people-counter readings POSTed to push-ingress go
 * through SENSOR_RAW, sensor-normaliser and SENSOR_DATA into matrix.sensor_data, where the first
 * documented dedicated-database query (reference §5) answers per-zone totals. Each building posts with
 * its own ingest key, registered in INGEST_KEYS before the services start, as the gateway would.
 */

const BUILDINGS = ['b-totals', 'b-format', 'b-bad', 'b-kill'] as const;
type Building = (typeof BUILDINGS)[number];

const DAY_START = '2022-06-01T00:00:00+08:00';
const DAY_END = '2022-06-01T23:59:59+08:00';
const at = (hhmm: string) => Date.parse(`2022-06-01T${hhmm}:00+08:00`);

function reading(pid: string, zone: string, device: string, unixT: number, count: number) {
  return {
    DEVID: device,
    DevType: 'SMARTCLEAN#PPLCTR',
    unixT,
    v: { count: count + 0.0, out_count: 0.0 },
    PID: pid,
    PropId: 'prop-e2e',
    InsID: zone,
    Region: 'Asia/Singapore',
    Display: 'People counter',
  };
}

/** The documented query, verbatim but for `<db.table>` and the placeholders. */
const TOTAL_PEOPLE_PER_ZONE = (pid: string) => `
  select insid as Zone, sum(cast(v->>'count' as integer)) TotalPeople from matrix.sensor_data
  where pid = '${pid}' and month = '06' and dom = '01' and devtype = 'SMARTCLEAN#PPLCTR'
  and time >= '${DAY_START}' and time <= '${DAY_END}' group by insid;`;

const suite = new PlatformSuite('e2e', SERVICES, { MATRIX_SECRET_KEY: randomBytes(32).toString('base64') });
let platform: Platform;
let sql: Client;
let nats: NatsClient;
const ingestKeys = {} as Record<Building, string>;

async function totals(pid: string): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ zone: string; totalpeople: string }>(TOTAL_PEOPLE_PER_ZONE(pid));
  return Object.fromEntries(rows.map((row) => [row.zone, Number(row.totalpeople)]));
}

/** POSTs a batch with the ingest key of `building` (none with `null`). */
async function post(
  building: Building | null,
  body: string | unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${platform.service('push-ingress').url}/v1/sensor-data`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...(building ? { authorization: `Bearer ${ingestKeys[building]}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function rawStored(): Promise<number> {
  return (await nats.jsm.streams.info(nats.namespace.stream('SENSOR_RAW'))).state.messages;
}

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start(async (client) => {
    for (const pid of BUILDINGS) {
      ingestKeys[pid] = (await putIngestKey(client.nc, client.namespace, { pid })).key;
    }
  }));
});

afterAll(async () => {
  const codes = await suite.stop();
  // Every service shut down gracefully on SIGTERM.
  expect(codes).toEqual(Object.fromEntries(SERVICES.map((name) => [name, 0])));
});

describe('walking skeleton', () => {
  it('brings all six services to ready', async () => {
    for (const name of SERVICES) {
      const response = await fetch(`${platform.service(name).url}/health/ready`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
    const metrics = await fetch(`${platform.service('push-ingress').url}/metrics`);
    expect(await metrics.text()).toContain('process_cpu_seconds_total');
  });

  it('answers the documented per-zone query after three readings, and a repeated batch changes nothing', async () => {
    const batch = [
      reading('b-totals', 'zone-a', 'dev-a', at('09:00'), 2),
      reading('b-totals', 'zone-a', 'dev-a', at('09:15'), 3),
      reading('b-totals', 'zone-b', 'dev-b', at('09:00'), 4),
    ];
    const first = await post('b-totals', batch);
    expect(first).toEqual({
      status: 202,
      body: { accepted: 3, duplicates: 0, correlationId: expect.any(String) },
    });

    await expectEventually(async () =>
      expect(await totals('b-totals')).toEqual({ 'zone-a': 5, 'zone-b': 4 }),
    );

    const storedBefore = await rawStored();
    const again = await post('b-totals', batch);
    expect(again).toMatchObject({ status: 202, body: { accepted: 3, duplicates: 3 } });
    // A sentinel after the repeat: once it is in SQL, the repeat has had every chance to land too.
    await post('b-totals', [reading('b-totals', 'zone-c', 'dev-c', at('10:00'), 1)]);
    await expectEventually(async () =>
      expect(await totals('b-totals')).toEqual({ 'zone-a': 5, 'zone-b': 4, 'zone-c': 1 }),
    );
    expect(await rawStored()).toBe(storedBefore + 1);
    const { rows } = await sql.query(
      `select count(*)::int as n from matrix.sensor_data where pid = 'b-totals'`,
    );
    expect(rows[0].n).toBe(4);
  });

  it('stores the documented general data format in matrix.sensor_data', async () => {
    await post('b-format', [reading('b-format', 'zone-f', 'dev-f', at('13:59') + 45904, 2)]);
    const row = await expectEventually(async () => {
      const { rows } = await sql.query(
        `select t, v, unixt, devid, region, time, devtype, pid, propid, insid, display, dow, month, hour, dom, minute from matrix.sensor_data where pid = 'b-format'`,
      );
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    expect(row).toEqual({
      t: '20220601135945',
      v: { count: 2, out_count: 0 },
      unixt: String(at('13:59') + 45904),
      devid: 'dev-f',
      region: 'Asia/Singapore',
      time: new Date('2022-06-01T05:59:45.904Z'),
      devtype: 'SMARTCLEAN#PPLCTR',
      pid: 'b-format',
      propid: 'prop-e2e',
      insid: 'zone-f',
      display: 'People counter',
      dow: '3',
      month: '06',
      hour: '13',
      dom: '01',
      minute: '59',
    });
  });

  it("refuses a batch without an ingest key or with another building's, malformed JSON, a non-array body and incomplete points, naming the problem, publishing nothing", async () => {
    const storedBefore = await rawStored();
    const anonymous = await post(null, [reading('b-bad', 'z', 'd', at('09:00'), 1)]);
    expect(anonymous).toMatchObject({ status: 401, body: { title: 'Unauthorized' } });
    const foreign = await post('b-format', [reading('b-bad', 'z', 'd', at('09:00'), 1)]);
    expect(foreign).toMatchObject({ status: 403, body: { title: 'Forbidden data points' } });

    const malformed = await post('b-bad', '[{"DEVID": "x",');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      title: 'Malformed JSON',
      detail: expect.stringMatching(/not valid JSON/),
    });

    const notArray = await post('b-bad', reading('b-bad', 'z', 'd', at('09:00'), 1));
    expect(notArray).toMatchObject({
      status: 400,
      body: { detail: 'The body must be a JSON array of data points, got an object' },
    });

    const { DEVID: _omitted, ...noDevice } = reading('b-bad', 'z', 'd', at('09:00'), 1);
    const incomplete = await post('b-bad', [reading('b-bad', 'z', 'd', at('09:00'), 1), noDevice]);
    expect(incomplete).toMatchObject({
      status: 400,
      body: { title: 'Invalid data points', errors: [{ index: 1, problems: ['DEVID: is required'] }] },
    });

    const wrongType = await post('b-bad', '[]', 'text/plain');
    expect(wrongType.status).toBe(415);
    expect(await rawStored()).toBe(storedBefore);
  });

  it('loses no row and duplicates none when sql-projector is SIGKILLed while a batch flows', async () => {
    const total = 3000;
    const points = Array.from({ length: total }, (_, i) =>
      reading('b-kill', `zone-${i % 5}`, `dev-${i % 50}`, at('11:00') + i * 1000, 1),
    );
    const batches = Array.from({ length: total / 300 }, (_, i) => points.slice(i * 300, (i + 1) * 300));
    const posting = Promise.all(batches.map((batch) => post('b-kill', batch)));
    const count = async () =>
      (await sql.query(`select count(*)::int as n from matrix.sensor_data where pid = 'b-kill'`)).rows[0]
        .n as number;

    await expectEventually(async () => expect(await count()).toBeGreaterThan(0), { intervalMs: 5 });
    await platform.service('sql-projector').kill();
    const atKill = await count();
    expect((await posting).every((response) => response.status === 202)).toBe(true);
    expect(atKill).toBeLessThan(total);

    await platform.restart('sql-projector');
    await expectEventually(async () => expect(await count()).toBe(total), { timeoutMs: 60000 });
    const { rows } = await sql.query(
      `select count(distinct (devid, unixt))::int as distinct_readings, sum(cast(v->>'count' as integer))::int as people from matrix.sensor_data where pid = 'b-kill'`,
    );
    expect(rows[0]).toEqual({ distinct_readings: total, people: total });
  });
});
