import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Client } from 'pg';
import { HEADER, type NormalisedSensorDataPoint } from '@matrix/contracts';
import { INCIDENT_SERVICE_SENSOR_DATA, openKvBucket, PRINCIPALS, SENSOR_DATA } from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import { SolutionsService } from '../src/solutions/solutions.service';
import { expectEventually } from '@matrix/testing';
import { dataOf, WorkforceHarness, workforceCommand } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * Incidents raised from sensor data (docs/solutions.md) through the real SENSOR_DATA stream: readings are
 * published as sensor-normaliser publishes them (JSON arrays, `Matrix-Reading-Ids`), incident-service's
 * durable consumer applies them. Building b1 (Asia/Singapore, property p1 of ACME in the PRINCIPALS
 * directory); seat p1_001 is on shift for every zone and available, p1_002 on shift for zone wc1 but on a
 * planned break. The clock stands at Wednesday 2026-03-04 10:00 local.
 */

const NOW = 1_772_589_600; // Wednesday 2026-03-04 02:00 UTC = 10:00 in Asia/Singapore.
const T0 = NOW * 1000;
const MIN = 60_000;

/** A normalised point as sensor-normaliser publishes it (local-time fields in Asia/Singapore). */
function point(devId: string, slotType: string, zoneId: string, at: number, v: Record<string, unknown>) {
  const local = new Date(at + 8 * 3600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const [y, mo, d, h, mi, s] = [
    local.getUTCFullYear(),
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  return {
    t: `${y}${two(mo)}${two(d)}${two(h)}${two(mi)}${two(s)}`,
    v,
    unixT: at,
    DEVID: devId,
    Region: 'Asia/Singapore',
    time: `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}+0800`,
    DevType: `SMARTCLEAN#${slotType}`,
    PID: 'b1',
    PropId: 'p1',
    InsID: zoneId,
    dow: String(local.getUTCDay()),
    month: two(mo),
    hour: two(h),
    dom: two(d),
    minute: two(mi),
  } satisfies NormalisedSensorDataPoint;
}

interface Reading {
  id: string;
  point: NormalisedSensorDataPoint;
}

describe('incident-service: incidents raised from sensor data (solutions)', () => {
  const clock = new TestClock(NOW);
  const harness = new WorkforceHarness('solutions', { clock });

  /** Publishes readings as one SENSOR_DATA message (a new message id each time: a replay, not a dedupe). */
  async function publish(readings: Reading[]) {
    const [first] = readings;
    const { slotType } = { slotType: first!.point.DevType.split('#')[1]! };
    const h = natsHeaders();
    h.set(HEADER.readingIds, readings.map((r) => r.id).join(','));
    h.set('Nats-Msg-Id', randomUUID());
    await harness.nats.js.publish(
      harness.nats.namespace.subject(`sensor.data.b1.SMARTCLEAN.${slotType}`),
      JSON.stringify(readings.map((r) => r.point)),
      { headers: h },
    );
  }

  /** Waits until the solutions consumer has settled every message published so far. */
  async function settled() {
    await expectEventually(async () => {
      const info = await harness.nats.jsm.consumers.info(
        harness.nats.namespace.stream(SENSOR_DATA.name),
        harness.nats.namespace.durable(INCIDENT_SERVICE_SENSOR_DATA.durable),
      );
      expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    });
  }

  const incidents = async (zoneId: string) =>
    (
      await harness.sql.query(
        `select task_id, name, priority, status, seat_id, shift_id, by_source, event_source, auto_assigned,
                source_device_ids, zone_id, created_by
         from workforce.incidents where zone_id = $1 order by created_on, task_id`,
        [zoneId],
      )
    ).rows;

  let seq = 0;
  const readings = (
    devId: string,
    slotType: string,
    zoneId: string,
    values: Record<string, unknown>[],
    from = T0,
  ) => values.map((v, i) => ({ id: `r${++seq}`, point: point(devId, slotType, zoneId, from + i * 1000, v) }));
  const visits = (n: number, from = T0, devId = 'pc1', zoneId = 'wc1') =>
    readings(
      devId,
      'PPLCTR',
      zoneId,
      Array.from({ length: n }, () => ({ count: 1, out_count: 0 })),
      from,
    );

  beforeAll(async () => {
    await harness.start();
    const kv = await openKvBucket(harness.nats.nc, PRINCIPALS, harness.nats.namespace);
    await kv.put('b1', JSON.stringify({ type: 'building', org: 'ACME', property: 'p1' }));
    for (const n of [1, 2]) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', $2, 'HOUSEKEEPING')`,
        [`p1_00${n}`, `cleaner ${n}`],
      );
      await harness.sql.query(
        `insert into workforce.seat_availability (seat_id, prop_id, dow, time_slots, created_by, modified_by)
         values ($1, 'p1', 3, $2, 'AK1', 'AK1')`,
        [`p1_00${n}`, JSON.stringify([{ StartTime: 28800, EndTime: 64800, Name: 'day', NextDay: false }])],
      );
    }
    const onBreak = {
      ID: '0001',
      Type: 'lunch',
      Notes: '',
      IsPlannedBreak: true,
      Scheduled: true,
      DurationInSeconds: 1800,
      Start: NOW - 600,
      End: NOW + 7200,
      AStart: NOW - 300,
      AEnd: 0,
    };
    for (const [seat, zones, breaks] of [
      ['p1_001', {}, []],
      ['p1_002', { wc1: 'Washroom 1' }, [onBreak]],
    ] as const) {
      await harness.sql.query(
        `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, a_start,
           status, breaks, zones, created_by, modified_by)
         values ($1, 'ACME', 'p1', 'b1', $2, 'Asia/Singapore', $3, $4, $3, 'STARTED', $5, $6, 'AK1', 'AK1')`,
        [randomUUID(), seat, NOW - 3600, NOW + 7 * 3600, JSON.stringify(breaks), JSON.stringify(zones)],
      );
    }
  }, 60_000);
  afterAll(() => harness.stop());

  it('raises one high-priority incident when a people counter passes 30 visits, auto-assigned to the seat on shift', async () => {
    const first = visits(30);
    await publish(first.slice(0, 12));
    await publish(first.slice(12));
    await publish(visits(5, T0 + 40_000));
    await settled();
    const rows = await incidents('wc1');
    expect(rows).toEqual([
      {
        task_id: expect.any(String),
        name: 'Usage threshold reached: 30 visits since the last clean',
        priority: 'H',
        status: 'ASSIGNED',
        seat_id: 'p1_001',
        shift_id: expect.any(String),
        by_source: 'Sensor',
        event_source: 'p1#sensor',
        auto_assigned: true,
        source_device_ids: ['pc1'],
        zone_id: 'wc1',
        created_by: 'matrix-solutions',
      },
    ]);
    const taskId = rows[0].task_id as string;
    await expectEventually(() =>
      expect(
        harness.events.filter((e) => e.event.Meta['TaskId'] === taskId).map((e) => e.event.Event),
      ).toEqual(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']),
    );
    // Raised open (the first event), then assigned by the platform (the second).
    const [open, event] = harness.events.filter((e) => e.event.Meta['TaskId'] === taskId) as [
      (typeof harness.events)[number],
      (typeof harness.events)[number],
    ];
    expect(open.subject).toBe('matrix.b1.scworkforcemanagement.INCIDENT_CREATED_OPEN.HIGH');
    expect(open.event.Meta).toMatchObject({
      By: 'Sensor',
      SourceDeviceIdentifier: ['pc1'],
      Status: 'NOT_ASSIGNED',
    });
    expect(event.subject).toBe('matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH');
    expect(event.event.Meta).toMatchObject({
      By: 'Sensor',
      SourceDeviceIdentifier: ['pc1'],
      Priority: 'H',
      Zone: 'wc1',
      Status: 'ASSIGNED',
      Name: 'Usage threshold reached: 30 visits since the last clean',
    });
    // Due after the building's high-priority timeout (900 s by default) from its creation.
    expect(event.event.Meta['End']).toBe(NOW + 900);
  });

  it('raises nothing when the same readings come again (a replay), and nothing new within the block window', async () => {
    const before = await incidents('wc1');
    const again = await harness.sql.query(
      `select state from workforce.solution_state where scope = 'device:pc1'`,
    );
    await publish(visits(30).map((r, i) => ({ ...r, id: `r${i + 1}` })));
    // 35 visits more, new readings, within 15 minutes of the incident: blocked.
    clock.advance(6 * 60); // the clock moves on with the readings (a reading 5 min ahead of it is not applied)
    await publish(visits(35, T0 + 5 * MIN));
    await settled();
    expect(await incidents('wc1')).toEqual(before);
    expect(again.rows).toHaveLength(1);
  });

  it('raises again after the block window, counting the visits made meanwhile', async () => {
    clock.advance(10 * 60);
    await publish(visits(1, T0 + 16 * MIN));
    await settled();
    const rows = await incidents('wc1');
    expect(rows.map((r) => r.name)).toEqual([
      'Usage threshold reached: 30 visits since the last clean',
      'Usage threshold reached: 41 visits since the last clean',
    ]);
  });

  it('keeps its counts across a restart of incident-service', async () => {
    await publish(visits(20, T0, 'pc2', 'wc2'));
    await settled();
    await harness.app.close();
    await publish(visits(10, T0 + 30_000, 'pc2', 'wc2'));
    harness.app = await harness.createApp();
    await settled();
    expect((await incidents('wc2')).map((r) => r.name)).toEqual([
      'Usage threshold reached: 30 visits since the last clean',
    ]);
  });

  it('raises each documented rule from its slot type', async () => {
    clock.advance(24 * 60); // T0 + 40 min: after the air-quality series below
    const admin = (args: Record<string, unknown>) =>
      harness.call(workforceCommand('scteams.updateSolutionSettings', args));
    dataOf(await admin({ SlotType: 'SMARTCLEAN#ODRDTR', Params: { AmmoniaThresholdPpm: 0.5 } }));
    await publish(
      readings('soap1', 'SS', 'z-ss', [
        { p: 40, d: 90 },
        { p: 4, d: 150 },
      ]),
    );
    await publish(readings('bin1', 'BIN', 'z-bin', [{ p: 8, d: 20 }]));
    await publish(
      readings('fd1', 'FD', 'z-fd', [
        { rating: 1, n: 0, s: 5 },
        {
          c: 'cfg',
          n: 1,
          nm: 'Very bad',
          rating: 5,
          reasons: { ID_1: { ID: '1', Name: 'Dirty Urinal', selector: 1 } },
          s: 1,
          type: 'DEFECT',
        },
      ]),
    );
    await publish(readings('wd1', 'WD', 'z-wd', [{ value: 1, AreaP: 5.5 }]));
    await publish(readings('amm1', 'ODRDTR', 'z-amm', [{ amm: 0.9, amm_zscore: 0.1, rssi: '-68' }]));
    // A recorded-like CO₂ series, one reading a minute around 600 ppm, with one spike.
    await publish(
      readings(
        'aq1',
        'ODRDTR_10_IN_1',
        'z-aq',
        Array.from({ length: 40 }, (_, i) => ({
          co2: i === 30 ? 1500 : 600 + ((i * 37) % 23) - 11,
          temperature: 27.4,
          humidity: 69.5,
          tvoc: 0.64,
          pm_25: 18,
          pm_10: 19,
        })).map((v) => v),
        T0,
      ).map((r, i) => ({ ...r, point: { ...r.point, unixT: T0 + i * MIN } })),
    );
    await settled();
    const names = async (zone: string) => (await incidents(zone)).map((r) => r.name);
    expect(await names('z-ss')).toEqual(['Soap running low: 4 % left']);
    expect(await names('z-bin')).toEqual(['Bin nearly full: 8 % space left']);
    expect(await names('z-fd')).toEqual(['Bad feedback: Dirty Urinal']);
    expect(await names('z-wd')).toEqual(['Spill detected: 5.5 % of the view wet']);
    expect(await names('z-amm')).toEqual(['Ammonia above 0.5 ppm: 0.9 ppm']);
    expect(await names('z-aq')).toEqual([
      expect.stringMatching(/^Air quality anomaly: co2 1500 \(z [\d.]+\)$/),
    ]);
  });

  it('serves the settings of every watched slot type and changes one, refusing what is not a parameter', async () => {
    const call = (op: string, args: unknown, role: 'read' | 'admin' = 'admin') =>
      harness.call(
        workforceCommand(
          op,
          args as Record<string, unknown>,
          {},
          {
            caller: { accessKey: 'AK1', org: 'ACME', property: 'p1', role },
          },
        ),
      );
    const all = dataOf(await call('scteams.getSolutionSettings', {}));
    expect(all['Solutions'].map((s: { SlotType: string }) => s.SlotType)).toEqual([
      'BIN',
      'FD',
      'ODRDTR',
      'ODRDTR_10_IN_1',
      'ODRDTR_BATT_V1',
      'PPLCTR',
      'PT',
      'SS',
      'TR',
      'UM',
      'WD',
    ]);
    expect(all['Solutions'].find((s: { SlotType: string }) => s.SlotType === 'PPLCTR')).toEqual({
      SlotType: 'PPLCTR',
      Rules: ['usage'],
      Params: { Enabled: true, DeviceBlockSeconds: 900, ZoneBlockSeconds: 900, PeopleThreshold: 30 },
      Customised: [],
    });
    const before = await harness.sql.query(
      'select * from workforce.solution_settings order by pid, slot_type',
    );
    const refusals = await Promise.all([
      call('scteams.updateSolutionSettings', { SlotType: 'PPLCTR', Params: { MinFillPercent: 3 } }),
      call('scteams.updateSolutionSettings', { SlotType: 'TH', Params: { Enabled: false } }),
      call('scteams.updateSolutionSettings', { SlotType: 'PPLCTR' }),
      call('scteams.updateSolutionSettings', { SlotType: 'PPLCTR', Params: { PeopleThreshold: 0 } }),
      call('scteams.updateSolutionSettings', { SlotType: 'PPLCTR', Params: { PeopleThreshold: 5 } }, 'read'),
    ]);
    expect(refusals.map((a) => (a.ok ? 'ok' : `${a.code} ${a.message}`))).toEqual([
      'WRONG_PARAMETERS Params.MinFillPercent: is not a parameter of PPLCTR (one of Enabled, DeviceBlockSeconds, ZoneBlockSeconds, PeopleThreshold)',
      'WRONG_PARAMETERS SlotType: TH is not a slot type a solution watches (one of BIN, FD, ODRDTR, ODRDTR_10_IN_1, ODRDTR_BATT_V1, PPLCTR, PT, SS, TR, UM, WD)',
      'MISSING_PARAMETERS Params: is required (or Reset: true)',
      'WRONG_PARAMETERS Params.PeopleThreshold: must be a number from 1 to 1000000',
      'IMPLICIT_DENY scteams.updateSolutionSettings needs a credential with admin access',
    ]);
    expect(
      (await harness.sql.query('select * from workforce.solution_settings order by pid, slot_type')).rows,
    ).toEqual(before.rows);
    const changed = dataOf(
      await call('scteams.updateSolutionSettings', {
        slottype: 'smartclean#pplctr',
        Params: { peopleThreshold: 5 },
      }),
    );
    expect(changed['Solutions'][0]).toMatchObject({
      Params: { PeopleThreshold: 5 },
      Customised: ['PeopleThreshold'],
    });
    await publish(visits(5, T0, 'pc3', 'wc3'));
    await settled();
    expect((await incidents('wc3')).map((r) => r.name)).toEqual([
      'Usage threshold reached: 5 visits since the last clean',
    ]);
    const reset = dataOf(await call('scteams.updateSolutionSettings', { SlotType: 'PPLCTR', Reset: true }));
    expect(reset['Solutions'][0]).toMatchObject({ Params: { PeopleThreshold: 30 }, Customised: [] });
  });
  it('keeps both of two concurrent changes of different parameters of one slot type', async () => {
    const change = (params: Record<string, unknown>) =>
      harness.call(workforceCommand('scteams.updateSolutionSettings', { SlotType: 'SS', Params: params }));
    const answers = await Promise.all([
      change({ MinFillPercent: 12 }),
      change({ DeviceBlockSeconds: 60 }),
      change({ ZoneBlockSeconds: 120 }),
    ]);
    answers.forEach((a) => expect(a.ok).toBe(true));
    const after = dataOf(
      await harness.call(workforceCommand('scteams.getSolutionSettings', { SlotType: 'SS' })),
    );
    expect(after['Solutions'][0]).toMatchObject({
      Params: { MinFillPercent: 12, DeviceBlockSeconds: 60, ZoneBlockSeconds: 120 },
      Customised: ['DeviceBlockSeconds', 'MinFillPercent', 'ZoneBlockSeconds'],
    });
  });
  it('skips the readings of a building the registry does not hold, and goes on with the others', async () => {
    const stranger = visits(30, T0, 'pc9', 'wc9').map((r) => ({
      ...r,
      point: { ...r.point, PID: 'b-gone' },
    }));
    const h = natsHeaders();
    h.set(HEADER.readingIds, stranger.map((r) => r.id).join(','));
    await harness.nats.js.publish(
      harness.nats.namespace.subject('sensor.data.b-gone.SMARTCLEAN.PPLCTR'),
      JSON.stringify(stranger.map((r) => r.point)),
      { headers: h },
    );
    await publish(readings('soap9', 'SS', 'z-ss9', [{ p: 1 }]));
    await settled();
    expect(
      (await harness.sql.query(`select count(*)::int as n from workforce.incidents where pid = 'b-gone'`))
        .rows[0].n,
    ).toBe(0);
    expect((await incidents('z-ss9')).map((r) => r.name)).toEqual(['Soap running low: 1 % left']);
  });

  it('applies a batch again to the state as stored when another writer changed a record it held: nothing lost, nothing counted twice', async () => {
    const from = T0 + 41 * MIN;
    await publish(visits(20, from, 'pc7', 'wc7'));
    await settled();
    // Another writer (a replica that led meanwhile) left the device's record empty, one version on: the
    // leader's checkpoint of the next batch fails, the batch is redelivered and applied to that record.
    await harness.sql.query(
      `update workforce.solution_state set state = '{}', version = version + 1 where scope = 'device:pc7'`,
    );
    await publish(visits(15, from + 30_000, 'pc7', 'wc7'));
    await settled();
    expect(await incidents('wc7')).toEqual([]); // 15 visits counted, not 35
    const [stored] = (
      await harness.sql.query(
        `select state, version::int from workforce.solution_state where scope = 'device:pc7'`,
      )
    ).rows;
    expect(stored.state.seen).toHaveLength(15);
    await publish(visits(15, from + 60_000, 'pc7', 'wc7'));
    await settled();
    expect((await incidents('wc7')).map((r) => r.name)).toEqual([
      'Usage threshold reached: 30 visits since the last clean',
    ]);
  });

  it('writes a raise ahead of its checkpoint; when that checkpoint then fails, the redelivered readings raise nothing twice', async () => {
    const from = T0 + 41 * MIN + 30_000;
    // pc6's record is stored (version 1) and held; a transaction of the test locks its row, so the next
    // checkpoint waits on it.
    await publish(visits(1, from, 'pc6', 'wc6'));
    await settled();
    const other = new Client({ connectionString: harness.db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`select 1 from workforce.solution_state where scope = 'device:pc6' for update`);
      // One message: pc5 crosses 30 visits (a raise, written at once with pc5's and wc5's records) and pc6
      // counts 5 more (its record waits for the checkpoint, which waits for the lock).
      await publish([...visits(30, from, 'pc5', 'wc5'), ...visits(5, from + 1000, 'pc6', 'wc6')]);
      await expectEventually(async () => expect(await incidents('wc5')).toHaveLength(1));
      // Another writer changes pc6 meanwhile: the checkpoint fails, every batch since is delivered again.
      await other.query(
        `update workforce.solution_state set version = version + 1 where scope = 'device:pc6'`,
      );
      await other.query('commit');
    } finally {
      await other.end();
    }
    await settled();
    expect((await incidents('wc5')).map((r) => r.name)).toEqual([
      'Usage threshold reached: 30 visits since the last clean',
    ]);
    const stored = await harness.sql.query(
      `select scope, jsonb_array_length(state->'seen') as seen from workforce.solution_state
       where scope in ('device:pc5', 'device:pc6') order by scope`,
    );
    expect(stored.rows).toEqual([
      { scope: 'device:pc5', seen: 30 },
      { scope: 'device:pc6', seen: 6 }, // its 5 readings applied once, after the failed checkpoint
    ]);
  });

  it('writes a raise between two parts of a checkpoint that holds the raising record, without a conflict', async () => {
    const from = T0 + 43 * MIN;
    const failedWrites = async () => {
      const metrics = await harness.app
        .get(MetricsService)
        .registry.getSingleMetricAsString('matrix_solution_writes_total');
      return [...metrics.matchAll(/outcome="failed"[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const failedBefore = await failedWrites();
    // pcr has 28 visits stored; pcx's and pcy's records are stored too.
    await publish([
      ...visits(28, from - 60_000, 'pcr', 'wcr'),
      ...visits(1, from - 60_000, 'pcx', 'wcx'),
      ...visits(1, from - 60_000, 'pcy', 'wcy'),
    ]);
    await settled();
    const lockers = [
      new Client({ connectionString: harness.db.url }),
      new Client({ connectionString: harness.db.url }),
    ];
    const waitingOnLocks = async (n: number) =>
      expectEventually(async () => {
        const waiting = await harness.sql.query(
          `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%solution_state%'`,
        );
        expect(waiting.rows[0].n).toBe(n);
      });
    try {
      for (const [client, device] of [
        [lockers[0]!, 'pcy'],
        [lockers[1]!, 'pcx'],
      ] as const) {
        await client.connect();
        await client.query('begin');
        await client.query(`select 1 from workforce.solution_state where scope = $1 for update`, [
          `device:${device}`,
        ]);
      }
      // A first checkpoint (pcy alone) waits for its lock, so what comes next gathers for the one after it:
      // pcx first, 600 others, pcr's 29th visit last — 602 records, parts of 500.
      await publish(visits(1, from, 'pcy', 'wcy'));
      await waitingOnLocks(1);
      await publish(visits(1, from + 500, 'pcx', 'wcx'));
      const bulk = Array.from({ length: 600 }, (_, i) => visits(1, from + 1000, `pcb${i}`, 'wcb')[0]!);
      for (let i = 0; i < 600; i += 200) await publish(bulk.slice(i, i + 200));
      await publish(visits(1, from + 2000, 'pcr', 'wcr'));
      // All five batches applied in memory, waiting for the checkpoint after the one that is held.
      await expectEventually(() => expect(harness.app.get(SolutionsService).waiting.readings).toBe(602));
      await lockers[0]!.query('commit');
      // The second checkpoint took them (none waits for one not begun) and its first part (pcx and 499
      // others) waits for pcx's lock.
      await expectEventually(() => expect(harness.app.get(SolutionsService).waiting.batches).toBe(0));
      await waitingOnLocks(1);
      // pcr's 30th visit raises meanwhile: the raise goes right after that part, with pcr's record as it is
      // then, taken out of the checkpoint's second part (which would otherwise write an older copy).
      await publish(visits(1, from + 3000, 'pcr', 'wcr'));
      await expectEventually(() => expect(harness.app.get(SolutionsService).waiting.batches).toBe(1));
      await lockers[1]!.query('commit');
    } finally {
      await Promise.all(lockers.map((c) => c.end()));
    }
    await settled();
    expect((await incidents('wcr')).map((r) => r.name)).toEqual([
      'Usage threshold reached: 30 visits since the last clean',
    ]);
    const stored = await harness.sql.query(
      `select jsonb_array_length(state->'seen') as seen, (select count(*)::int from workforce.solution_state where scope like 'device:pcb%') as bulk
       from workforce.solution_state where scope = 'device:pcr'`,
    );
    expect(stored.rows).toEqual([{ seen: 30, bulk: 600 }]);
    expect(await failedWrites()).toBe(failedBefore);
  });

  it('goes on from the stored state on a standby replica when the leading one stops', async () => {
    const from = T0 + 42 * MIN;
    const standby = await harness.createApp();
    await publish(visits(20, from, 'pc8', 'wc8'));
    await settled();
    await harness.app.close();
    harness.app = standby; // closed by the harness
    await publish(visits(10, from + 30_000, 'pc8', 'wc8'));
    await settled(); // the standby takes the lead at its next try of the lock, then consumes
    expect((await incidents('wc8')).map((r) => r.name)).toEqual([
      'Usage threshold reached: 30 visits since the last clean',
    ]);
  });
});
