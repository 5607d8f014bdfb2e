import { randomBytes } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';
import { Client } from 'pg';
import { expectEventually, startSecondNats, startSecondPostgres } from '@matrix/testing';
import type { SecondNats, SecondPostgres } from '@matrix/testing';
import { Platform, SERVICES, type ServiceName } from './support/platform-process';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * The fault suite (issue #18): the whole platform from the built bundles, on a nats-server and a PostgreSQL
 * server of its own (so both can be killed), under a steady load of sensor readings (push-ingress) and registry
 * changes (zones created over REST v1, whose ZONE_CREATED events the gateway's outbox relays), pushed to two
 * subscriptions of a webhook receiver. One fault per phase, the load running before, during and after it:
 * SIGKILL of each service in turn (restarted at once), NATS killed and started again, PostgreSQL killed
 * (immediate shutdown: crash recovery) and started again, the receiver down for a while.
 *
 * Afterwards, per phase: every accepted reading (202) is in matrix.sensor_data exactly once and was pushed to
 * the sensor-data subscription; every accepted zone (201) has its ZONE_CREATED in matrix.events once and was
 * pushed to the events subscription. Requests refused during a fault (503, connection refused) are not accepted
 * and are only counted: a sender retries them (docs/delivery.md, docs/api.md).
 *
 * `npm run test:faults` runs the long form (MATRIX_FAULTS=full: 20 s per phase, 10 s outages, 1,000 points/s);
 * the suite's run (CI) the short form.
 */

const FULL = process.env['MATRIX_FAULTS'] === 'full';
const PHASE_MS = FULL ? 20_000 : 3_000;
const OUTAGE_MS = FULL ? 10_000 : 1_500;
const POSTS_PER_SECOND = FULL ? 50 : 20;
const POINTS_PER_POST = 20;
const ZONES_PER_SECOND = FULL ? 5 : 4;
const SETTLE_MS = FULL ? 600_000 : 240_000;

type Fault = { name: string; inject: () => Promise<void> };

interface Ledger {
  /** Readings answered 202, by `DEVID@unixT`. */
  readonly readings: Set<string>;
  /** Zones answered 201, by insId. */
  readonly zones: Set<string>;
  refusedReadings: number;
  refusedZones: number;
}

let nats: SecondNats;
let postgres: SecondPostgres;
let platform: Platform;
let sql: Client;
const receiver = new WebhookReceiver();
const tenant = { propid: '', accessKey: '', secretKey: '' };
let pid = '';
let lid = '';
let insId = '';
let ingestKey = '';

async function rest(method: string, path: string, body?: unknown) {
  const response = await fetch(`${platform.service('matrix-api-gateway').url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${tenant.accessKey}:${tenant.secretKey}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function created(method: string, path: string, body: unknown) {
  const answer = await rest(method, path, body);
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** The load: readings and zones at a fixed pace into the ledger of the current phase. */
class Load {
  private running = false;
  private sequence = 0;
  private zoneSequence = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private loops: Promise<void>[] = [];
  ledger!: Ledger;

  start(ledger: Ledger): void {
    this.ledger = ledger;
    this.running = true;
    this.loops = [
      this.paced(POSTS_PER_SECOND, () => this.postReadings()),
      this.paced(ZONES_PER_SECOND, () => this.createZone()),
    ];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(this.inFlight);
  }

  private async paced(perSecond: number, send: () => Promise<void>): Promise<void> {
    const interval = 1000 / perSecond;
    let next = Date.now();
    while (this.running) {
      if (this.inFlight.size < 64) {
        const request = send().finally(() => this.inFlight.delete(request));
        this.inFlight.add(request);
      }
      next += interval;
      await pause(Math.max(0, next - Date.now()));
    }
  }

  private async postReadings(): Promise<void> {
    const ledger = this.ledger;
    const points = Array.from({ length: POINTS_PER_POST }, () => {
      const n = this.sequence++;
      return {
        DEVID: `fault-${n % 40}`,
        DevType: 'SMARTCLEAN#PPLCTR',
        unixT: Date.parse('2026-06-01T00:00:00Z') + n,
        v: { count: 1, out_count: 0 },
        PID: pid,
        PropId: tenant.propid,
        InsID: insId,
        Region: 'Europe/Berlin',
      };
    });
    try {
      const response = await fetch(`${platform.service('push-ingress').url}/v1/sensor-data`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify(points),
      });
      await response.arrayBuffer();
      if (response.status === 202) for (const p of points) ledger.readings.add(`${p.DEVID}@${p.unixT}`);
      else ledger.refusedReadings += points.length;
    } catch {
      ledger.refusedReadings += points.length; // connection refused or reset: not accepted
    }
  }

  private async createZone(): Promise<void> {
    const ledger = this.ledger;
    const name = `Fault zone ${this.zoneSequence++}`;
    try {
      const answer = await rest('POST', `/v1/buildings/${pid}/zones`, { zones: [{ name, lid }] });
      if (answer.status === 201) ledger.zones.add(answer.body.items[0].insId as string);
      else ledger.refusedZones += 1;
    } catch {
      ledger.refusedZones += 1;
    }
  }
}

/** What reached the receiver: readings and ZONE_CREATED zones, each counted once, and how often repeated. */
function delivered(): { readings: Set<string>; zones: Set<string>; repeats: number } {
  const readings = new Set<string>();
  const zones = new Set<string>();
  let repeats = 0;
  for (const request of receiver.requests) {
    for (const item of JSON.parse(request.body) as Record<string, unknown>[]) {
      if (typeof item['DEVID'] === 'string') {
        const key = `${item['DEVID']}@${String(item['unixT'])}`;
        if (readings.has(key)) repeats += 1;
        readings.add(key);
      } else if (item['Event'] === 'ZONE_CREATED') {
        const zone = String(item['ATTR']).split('#').at(-1) ?? '';
        if (zones.has(zone)) repeats += 1;
        zones.add(zone);
      }
    }
  }
  return { readings, zones, repeats };
}

async function stored(): Promise<{ readings: Set<string>; zones: Set<string>; duplicateRows: number }> {
  const data = await sql.query<{ devid: string; unixt: string }>(
    `select devid, unixt from matrix.sensor_data where pid = $1 and devid like 'fault-%'`,
    [pid],
  );
  const events = await sql.query<{ attr: string }>(
    `select payload->>'ATTR' as attr from matrix.events where pid = $1 and event_id = 'ZONE_CREATED'`,
    [pid],
  );
  const readings = new Set(data.rows.map((row) => `${row.devid}@${row.unixt}`));
  const zones = new Set(events.rows.map((row) => row.attr.split('#').at(-1) ?? ''));
  return {
    readings,
    zones,
    duplicateRows: data.rows.length - readings.size + (events.rows.length - zones.size),
  };
}

const COLUMNS = ['accepted', 'stored', 'delivered', 'refused'];

const within = (accepted: Set<string>, found: Set<string>) =>
  [...accepted].filter((k) => found.has(k)).length;

/** The suite's own SQL client; its connection dies with the server in the PostgreSQL phase (replaced then). */
async function connectSql(): Promise<Client> {
  const client = new Client({ connectionString: postgres.url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const env = () => ({
  NATS_URL: nats.url,
  NATS_NAMESPACE: '',
  DATABASE_URL: postgres.url,
  MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'error',
  ROUTER_ALLOW_TARGETS: 'loopback',
  // A killed router's subscriptions are taken over (by its restarted self) after this.
  ROUTER_LEASE_MS: '2000',
  RATE_LIMIT_PER_SECOND: '10000',
  RATE_LIMIT_BURST: '10000',
  SQL_RETENTION_SENSOR_DATA_DAYS: '0',
  SQL_RETENTION_EVENTS_DAYS: '0',
  SQL_RETENTION_SENSOR_DATA_15M_DAYS: '0',
});

beforeAll(async () => {
  // One after the other: if the second fails to start, the first is already assigned for afterAll to remove.
  nats = await startSecondNats();
  postgres = await startSecondPostgres();
  platform = new Platform(env());
  await platform.start(SERVICES);
  sql = await connectSql();
  Object.assign(tenant, await platform.bootstrapTenant('FAULTS', 'Fault Campus', 'Europe/Berlin'));
  pid = (
    await created('POST', `/v1/properties/${tenant.propid}/buildings`, {
      name: 'Fault Tower',
      levelsCount: 1,
      timeZone: 'Europe/Berlin',
    })
  ).pid;
  lid = (await created('POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).lid;
  insId = (await created('POST', `/v1/buildings/${pid}/zones`, { zones: [{ name: 'Load zone', lid }] }))
    .items[0].insId;
  ingestKey = (await created('POST', `/v1/buildings/${pid}/ingest-keys`, { name: 'fault load' })).key;
  await receiver.start();
  const retry = { initialDelayMs: 100, maxDelayMs: 1000, giveUpAfterMs: 3_600_000, timeoutMs: 5000 };
  await created('POST', '/v1/subscriptions', {
    url: receiver.url,
    kind: 'sensor-data',
    patterns: [`sensor.data.${pid}.#`],
    batch: { maxSize: 100, maxWaitMs: 0 },
    retry,
  });
  await created('POST', '/v1/subscriptions', {
    url: receiver.url,
    kind: 'matrix-events',
    patterns: [`matrix.${pid}.scgrids.ZONE_CREATED.*`],
    batch: { maxSize: 100, maxWaitMs: 0 },
    retry,
  });
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await sql?.end();
  await receiver.stop();
  await Promise.all([nats?.destroy(), postgres?.destroy()]);
});

const killAndRestart = (name: ServiceName): Fault => ({
  name: `SIGKILL ${name}`,
  inject: async () => {
    await platform.service(name).kill();
    await platform.restart(name);
  },
});

const FAULTS: Fault[] = [
  { name: 'none (baseline)', inject: async () => undefined },
  ...SERVICES.map(killAndRestart),
  {
    name: 'NATS killed and restarted',
    inject: async () => {
      await nats.kill();
      await pause(OUTAGE_MS);
      await nats.start();
    },
  },
  {
    name: 'PostgreSQL crashed and restarted',
    inject: async () => {
      await postgres.kill();
      await pause(OUTAGE_MS);
      await postgres.start();
      // the suite's own SQL client went with the server
      await sql.end().catch(() => undefined);
      sql = await connectSql();
    },
  },
  {
    name: 'webhook receiver down',
    inject: async () => {
      const port = receiver.port;
      await receiver.stop();
      await pause(OUTAGE_MS);
      await receiver.start(port);
    },
  },
];

it('keeps accepted = stored = delivered through every fault', async () => {
  const load = new Load();
  const ledgers = new Map<string, Ledger>();
  for (const fault of FAULTS) {
    const ledger: Ledger = { readings: new Set(), zones: new Set(), refusedReadings: 0, refusedZones: 0 };
    ledgers.set(fault.name, ledger);
    if (ledgers.size === 1) load.start(ledger);
    else load.ledger = ledger;
    await pause(PHASE_MS / 2);
    await fault.inject();
    await pause(PHASE_MS / 2);
  }
  await load.stop();

  const acceptedReadings = new Set([...ledgers.values()].flatMap((l) => [...l.readings]));
  const acceptedZones = new Set([...ledgers.values()].flatMap((l) => [...l.zones]));
  await expectEventually(
    async () => {
      const inSql = await stored();
      const pushed = delivered();
      expect(within(acceptedReadings, inSql.readings)).toBe(acceptedReadings.size);
      expect(within(acceptedZones, inSql.zones)).toBe(acceptedZones.size);
      expect(within(acceptedReadings, pushed.readings)).toBe(acceptedReadings.size);
      expect(within(acceptedZones, pushed.zones)).toBe(acceptedZones.size);
    },
    { timeoutMs: SETTLE_MS, intervalMs: 1000 },
  );

  const inSql = await stored();
  const pushed = delivered();
  const rows = [...ledgers].map(([fault, ledger]) => ({
    fault,
    accepted: ledger.readings.size,
    stored: within(ledger.readings, inSql.readings),
    delivered: within(ledger.readings, pushed.readings),
    refused: ledger.refusedReadings,
    zonesAccepted: ledger.zones.size,
    zonesStored: within(ledger.zones, inSql.zones),
    zonesDelivered: within(ledger.zones, pushed.zones),
    zonesRefused: ledger.refusedZones,
  }));
  process.stdout.write(
    `\nFault suite (${FULL ? 'full' : 'short'} form: ${PHASE_MS / 1000} s per phase, outages ${OUTAGE_MS / 1000} s, ` +
      `${POSTS_PER_SECOND * POINTS_PER_POST} points/s, ${ZONES_PER_SECOND} zones/s)\n` +
      `${''.padEnd(36)}${'    readings'.padEnd(44)}    zones (ZONE_CREATED)\n` +
      `${'fault'.padEnd(36)}${[...COLUMNS, ...COLUMNS].map((h) => h.padStart(11)).join('')}\n` +
      rows
        .map(
          (r) =>
            r.fault.padEnd(36) +
            [
              r.accepted,
              r.stored,
              r.delivered,
              r.refused,
              r.zonesAccepted,
              r.zonesStored,
              r.zonesDelivered,
              r.zonesRefused,
            ]
              .map((n) => String(n).padStart(11))
              .join(''),
        )
        .join('\n') +
      `\nrows in SQL beyond one per reading or event: ${inSql.duplicateRows}; pushes repeated (at-least-once): ${pushed.repeats}\n`,
  );

  for (const row of rows) {
    expect({ fault: row.fault, stored: row.stored, delivered: row.delivered }).toEqual({
      fault: row.fault,
      stored: row.accepted,
      delivered: row.accepted,
    });
    expect({ fault: row.fault, stored: row.zonesStored, delivered: row.zonesDelivered }).toEqual({
      fault: row.fault,
      stored: row.zonesAccepted,
      delivered: row.zonesAccepted,
    });
  }
  // Every phase carried load, and the baseline refused nothing.
  expect(rows.every((r) => r.accepted > 0 && r.zonesAccepted > 0)).toBe(true);
  expect(rows[0]).toMatchObject({ refused: 0, zonesRefused: 0 });
  expect(inSql.duplicateRows).toBe(0);
}, 900_000);
