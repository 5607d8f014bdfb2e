import { randomUUID } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import type { Client } from 'pg';
import type { MatrixEventV1 } from '@matrix/contracts';
import { DEVICE_SLOTS, PRINCIPALS, type NatsClient } from '@matrix/messaging';
import { expectEventually, putIngestKey } from '@matrix/testing';
import type { Platform, ServiceName } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';

/*
 * Incidents raised from sensor data on the real built services (issue #14's acceptance): a people
 * counter posts to push-ingress with an ingest key → SENSOR_RAW → sensor-normaliser → SENSOR_DATA →
 * incident-service's solutions → INCIDENT_CREATED_OPEN and INCIDENT_CREATED on NATS, assigned to the seat
 * on shift for the zone. The same readings posted again raise nothing; incident-service SIGKILLed in the
 * middle of a second counter's readings and restarted raises exactly one incident for it.
 */

const SERVICES: ServiceName[] = ['push-ingress', 'sensor-normaliser', 'incident-service'];
const PID = 'b-sensors';
const PROPID = 'p-sensors';
const ORG = 'ORG-SENSORS';
const SEAT = `${PROPID}_001`;
const REGION = 'Asia/Singapore';

const suite = new PlatformSuite('sensor-incidents', SERVICES);
let platform: Platform;
let sql: Client;
let nats: NatsClient;
let ingestKey: string;
const events: MatrixEventV1[] = [];

const slot = (alias: string, zone: string) => ({
  Alias: alias,
  DevType: 'SMARTCLEAN#PPLCTR',
  Provider: 'SMARTCLEAN',
  PID,
  PropId: PROPID,
  InsID: zone,
  Display: `${alias} counter`,
  Region: REGION,
});

/** `n` visits of `devId`, one a second from `from` (epoch ms): what a people counter posts. */
const visits = (devId: string, n: number, from: number) =>
  Array.from({ length: n }, (_, i) => ({
    DEVID: devId,
    DevType: 'SMARTCLEAN#PPLCTR',
    unixT: from + i * 1000,
    v: { count: 1, out_count: 0 },
  }));

async function post(points: unknown[]): Promise<number> {
  const response = await fetch(`${platform.service('push-ingress').url}/v1/sensor-data`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify(points),
  });
  return response.status;
}

const incidentsOf = async (zone: string) =>
  (
    await sql.query(
      `select task_id, name, status, seat_id, by_source, source_device_ids, priority
       from workforce.incidents where pid = $1 and zone_id = $2 order by created_on`,
      [PID, zone],
    )
  ).rows;

/** Waits until the solutions consumer has settled everything on SENSOR_DATA. */
async function settled() {
  await expectEventually(
    async () => {
      const info = await nats.jsm.consumers.info(
        nats.namespace.stream('SENSOR_DATA'),
        nats.namespace.durable('incident-service-sensor-data'),
      );
      const raw = await nats.jsm.consumers.info(
        nats.namespace.stream('SENSOR_RAW'),
        nats.namespace.durable('sensor-normaliser-raw'),
      );
      expect([raw.num_pending, raw.num_ack_pending, info.num_pending, info.num_ack_pending]).toEqual([
        0, 0, 0, 0,
      ]);
    },
    { timeoutMs: 30_000 },
  );
}

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start(async (client) => {
    const kvm = new Kvm(client.nc);
    const slots = await kvm.open(client.namespace.stream(DEVICE_SLOTS.name));
    await slots.put('pc-1', JSON.stringify(slot('pc-1', 'wc-1')));
    await slots.put('pc-2', JSON.stringify(slot('pc-2', 'wc-2')));
    const principals = await kvm.open(client.namespace.stream(PRINCIPALS.name));
    await principals.put(PID, JSON.stringify({ type: 'building', org: ORG, property: PROPID }));
    ({ key: ingestKey } = await putIngestKey(client.nc, client.namespace, {
      pid: PID,
      provider: 'SMARTCLEAN',
    }));
  }));
  // A seat on shift for every zone of the building, available all day today (the building's wall clock).
  const now = Math.floor(Date.now() / 1000);
  const dow = new Date((now + 8 * 3600) * 1000).getUTCDay();
  await sql.query(
    `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, $2, $3, 'cleaner', 'HOUSEKEEPING')`,
    [SEAT, ORG, PROPID],
  );
  // Today and tomorrow, so a run across the building's midnight still finds the seat available.
  for (const day of [dow, (dow + 1) % 7]) {
    await sql.query(
      `insert into workforce.seat_availability (seat_id, prop_id, dow, time_slots, created_by, modified_by)
       values ($1, $2, $3, $4, 'e2e', 'e2e')`,
      [
        SEAT,
        PROPID,
        day,
        JSON.stringify([{ StartTime: 0, EndTime: 86399, Name: 'all day', NextDay: false }]),
      ],
    );
  }
  await sql.query(
    `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, a_start,
       status, breaks, zones, created_by, modified_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $7, 'STARTED', '[]', '{}', 'e2e', 'e2e')`,
    [randomUUID(), ORG, PROPID, PID, SEAT, REGION, now - 3600, now + 6 * 3600],
  );
  nats.nc.subscribe(nats.namespace.subject(`matrix.${PID}.scworkforcemanagement.>`), {
    callback: (_error, message) => {
      events.push(message.json<MatrixEventV1>());
    },
  });
  await nats.nc.flush();
}, 120_000);

afterAll(async () => {
  const codes = await suite.stop();
  expect(codes).toEqual(Object.fromEntries(SERVICES.map((name) => [name, 0])));
});

it('raises one incident when a people counter passes 30 visits: open, then assigned to the seat on shift', async () => {
  const start = Date.now() - 60_000;
  expect(await post(visits('pc-1', 30, start))).toBe(202);
  await expectEventually(async () => expect(await incidentsOf('wc-1')).toHaveLength(1), {
    timeoutMs: 30_000,
  });
  const [incident] = await incidentsOf('wc-1');
  expect(incident).toEqual({
    task_id: expect.any(String),
    name: 'Usage threshold reached: 30 visits since the last clean',
    status: 'ASSIGNED',
    seat_id: SEAT,
    by_source: 'Sensor',
    source_device_ids: ['pc-1'],
    priority: 'H',
  });
  await expectEventually(() =>
    expect(events.filter((e) => e.Meta['TaskId'] === incident.task_id).map((e) => e.Event)).toEqual([
      'INCIDENT_CREATED_OPEN',
      'INCIDENT_CREATED',
    ]),
  );
  for (const event of events.filter((e) => e.Meta['TaskId'] === incident.task_id)) {
    expect(event).toMatchObject({
      Principal: PID,
      Entity: PROPID,
      Meta: { By: 'Sensor', SourceDeviceIdentifier: ['pc-1'], Zone: 'wc-1', Priority: 'H' },
    });
  }

  // The same readings posted again (a device retrying, a replay) raise nothing.
  expect(await post(visits('pc-1', 30, start))).toBe(202);
  await settled();
  expect(await incidentsOf('wc-1')).toHaveLength(1);
});

it('raises exactly one incident when incident-service is killed between the readings and restarted', async () => {
  const start = Date.now() - 60_000;
  expect(await post(visits('pc-2', 20, start))).toBe(202);
  await settled();
  await platform.service('incident-service').kill();
  expect(await post(visits('pc-2', 10, start + 20_000))).toBe(202);
  await platform.restart('incident-service');
  await settled();
  const rows = await incidentsOf('wc-2');
  expect(rows.map((r) => [r.name, r.source_device_ids])).toEqual([
    ['Usage threshold reached: 30 visits since the last clean', ['pc-2']],
  ]);
});
