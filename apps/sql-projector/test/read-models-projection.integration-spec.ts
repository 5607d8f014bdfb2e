import { buildMatrixEvent, HEADER, type MatrixEventV1 } from '@matrix/contracts';
import {
  DEVICE_SLOTS,
  JetStreamPublisher,
  MATRIX_EVENTS,
  NatsClient,
  openKvBucket,
  PRINCIPALS,
  SQL_PROJECTOR_READ_MODELS,
} from '@matrix/messaging';
import type { Database } from '@matrix/persistence';
import { expectEventually } from '@matrix/testing';
import { ProjectorHarness } from './projector-harness';

/*
 * sql-projector's read models on a real PostgreSQL and nats-server (own database, own NATS namespace):
 * grid and workforce events become rows of matrix.zones, levels, incidents, tasks and shifts; a late
 * (older) event or a redelivery never rolls a row back; a followed event whose Meta cannot be read is
 * dead-lettered naming the field; DEVICE_SLOTS and PRINCIPALS become matrix.device_slots, buildings and
 * properties, deletes included.
 */

const harness = new ProjectorHarness('projector_read_models');
let nats: NatsClient;
let publisher: JetStreamPublisher;
let sql: Database;
let published = 0;

const PID = 'b-rm';
const PROP = 'prop-rm';

const event = (
  module: 'scgrids' | 'scworkforcemanagement',
  eventId: string,
  when: string,
  meta: Record<string, unknown>,
  priority: 'HIGH' | 'NORMAL' | 'MEDIUM' = 'NORMAL',
): MatrixEventV1 =>
  buildMatrixEvent({
    principal: PID,
    principalType: 'building',
    entity: PROP,
    entityType: 'property',
    module,
    eventId,
    priority,
    description: `${eventId} at ${when}`,
    occurredAt: new Date(when),
    meta,
  });

const publish = (e: MatrixEventV1, msgId = `test:${++published}`) =>
  publisher.publish({ subject: e.RoutingKey, payload: e, msgId });

const zone = (name: string, status = 'ACTIVE') => ({
  InsID: 'z-1',
  LID: 'l-1',
  PID,
  ZoneCategoryID: 'washroom',
  Name: name,
  Area: 12.5,
  Status: status,
  CreatedOn: 1764000000,
});

const incident = (status: string, extra: Record<string, unknown> = {}) => ({
  TaskId: '1764000000000123456',
  Type: 'INCIDENT',
  Zone: 'z-1',
  ZoneName: 'Washroom 1',
  Name: 'Spill',
  Priority: 'H',
  Status: status,
  EscalationLevel: 'L0',
  By: 'WD',
  SourceDeviceIdentifier: ['spill-1'],
  Start: 1764000000,
  End: 1764000900,
  AStart: 0,
  AEnd: 0,
  ...extra,
});

const settled = async () => {
  const info = await nats.jsm.consumers.info(
    nats.namespace.stream(MATRIX_EVENTS.name),
    nats.namespace.durable(SQL_PROJECTOR_READ_MODELS.durable),
  );
  expect(info.num_pending + info.num_ack_pending).toBe(0);
};

const one = async (text: string, values: unknown[] = []) => (await sql.query(text, values))[0];

beforeAll(async () => {
  ({ nats, sql } = await harness.start());
  publisher = new JetStreamPublisher(nats);
});

afterAll(() => harness.stop());

describe('sql-projector: registry and workforce read models', () => {
  it('keeps a zone and a level at their newest event, whatever order the events arrive in', async () => {
    await publish(event('scgrids', 'ZONE_CREATED', '2025-12-01T08:00:00Z', zone('Washroom 1')));
    await publish(
      event('scgrids', 'LEVEL_CREATED', '2025-12-01T08:00:00Z', {
        LID: 'l-1',
        PID,
        Name: 'Ground',
        Level: '0',
      }),
    );
    // Renamed at 09:00, then set inactive at 10:00 — the 10:00 event arrives before the 09:00 one.
    const renamed = event('scgrids', 'ZONE_NAME_MODIFIED', '2025-12-01T09:00:00Z', {
      ...zone('Washroom A'),
      OldName: 'Washroom 1',
    });
    await publish(
      event('scgrids', 'ZONE_STATUS_MODIFIED', '2025-12-01T10:00:00Z', {
        ...zone('Washroom A', 'INACTIVE'),
        OldStatus: 'ACTIVE',
      }),
    );
    // Settled first, so the late event meets the stored row (not only a newer one in its batch).
    await expectEventually(async () =>
      expect(await one(`select status from matrix.zones`)).toEqual({ status: 'INACTIVE' }),
    );
    await publish(renamed);
    await publish(renamed, 'test:renamed-again'); // a republish under another id: the same version

    await expectEventually(async () => {
      await settled();
      expect(await one(`select count(*)::int as n from matrix.zones`)).toEqual({ n: 1 });
    });
    expect(
      await one(
        `select pid, insid, prop_id, lid, name, category, status, area, created_on, removed, removed_at,
                event_time from matrix.zones`,
      ),
    ).toEqual({
      pid: PID,
      insid: 'z-1',
      prop_id: PROP,
      lid: 'l-1',
      name: 'Washroom A',
      category: 'washroom',
      status: 'INACTIVE',
      area: 12.5,
      created_on: new Date(1764000000 * 1000),
      removed: false,
      removed_at: null,
      event_time: new Date('2025-12-01T10:00:00Z'),
    });
    expect(await one(`select pid, lid, prop_id, name, level from matrix.levels`)).toEqual({
      pid: PID,
      lid: 'l-1',
      prop_id: PROP,
      name: 'Ground',
      level: '0',
    });

    await publish(
      event('scgrids', 'ZONE_REMOVED', '2025-12-02T00:00:00Z', zone('Washroom A', 'INACTIVE'), 'HIGH'),
    );
    await expectEventually(async () =>
      expect(await one(`select removed, removed_at, name from matrix.zones`)).toEqual({
        removed: true,
        removed_at: new Date('2025-12-02T00:00:00Z'),
        name: 'Washroom A',
      }),
    );
  });

  it('follows an incident through its events, keeping its creation when the first event comes last', async () => {
    const created = event(
      'scworkforcemanagement',
      'INCIDENT_CREATED_OPEN',
      '2025-12-01T08:00:00Z',
      incident('NOT_ASSIGNED'),
      'HIGH',
    );
    await publish(
      event(
        'scworkforcemanagement',
        'INCIDENT_CREATED',
        '2025-12-01T08:01:00Z',
        incident('ASSIGNED'),
        'HIGH',
      ),
    );
    await publish(
      event(
        'scworkforcemanagement',
        'INCIDENT_STARTED',
        '2025-12-01T08:05:00Z',
        incident('STARTED', { AStart: 1764576300 }),
      ),
    );
    await publish(
      event(
        'scworkforcemanagement',
        'INCIDENT_COMPLETED',
        '2025-12-01T08:20:00Z',
        incident('COMPLETED', { AStart: 1764576300, AEnd: 1764577200 }),
      ),
    );
    await expectEventually(async () =>
      expect(await one(`select status from matrix.incidents`)).toEqual({ status: 'COMPLETED' }),
    );
    await publish(created); // the first event, late: it meets the stored row

    await expectEventually(async () => {
      await settled();
      expect(await one(`select created_at from matrix.incidents`)).toEqual({
        created_at: new Date('2025-12-01T08:00:00Z'),
      });
    });
    expect(
      await one(
        `select pid, task_id, prop_id, zone, zone_name, name, priority, status, escalation_level, source,
                source_devices, planned_start, due, started_at, ended_at, created_at, last_event
           from matrix.incidents`,
      ),
    ).toEqual({
      pid: PID,
      task_id: '1764000000000123456',
      prop_id: PROP,
      zone: 'z-1',
      zone_name: 'Washroom 1',
      name: 'Spill',
      priority: 'H',
      status: 'COMPLETED',
      escalation_level: 'L0',
      source: 'WD',
      source_devices: ['spill-1'],
      planned_start: new Date(1764000000 * 1000),
      due: new Date(1764000900 * 1000),
      started_at: new Date(1764576300 * 1000),
      ended_at: new Date(1764577200 * 1000),
      created_at: new Date('2025-12-01T08:00:00Z'),
      last_event: 'INCIDENT_COMPLETED',
    });
  });

  it('keeps task groups and shifts, every shift of a publish included', async () => {
    const shift = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
      Type: 'SHIFT',
      ShiftId: id,
      SeatId: `${PROP}_001`,
      ID: PID,
      PropID: PROP,
      Status: status,
      Delayed: false,
      Start: 1764576000,
      End: 1764604800,
      AStart: 0,
      AEnd: 0,
      TimeZone: 'Asia/Singapore',
      LocalTime: '20251201160000',
      Zones: { 'z-1': 'Washroom A' },
      Adhoc: false,
      TaskGroups: [],
      ...extra,
    });
    await publish(
      event(
        'scworkforcemanagement',
        'SHIFTS_PUBLISHED',
        '2025-11-30T00:00:00Z',
        {
          Type: 'SHIFTS',
          ID: PID,
          PropID: PROP,
          Count: 2,
          Shifts: [shift('s-1', 'PUBLISHED'), shift('s-2', 'PUBLISHED')],
          By: 'key',
        },
        'MEDIUM',
      ),
    );
    await publish(
      event('scworkforcemanagement', 'SHIFT_STARTED', '2025-12-01T08:00:00Z', {
        ...shift('s-1', 'STARTED', { AStart: 1764576000 }),
        By: 'key',
      }),
    );
    await publish(
      event('scworkforcemanagement', 'TASK_COMPLETED', '2025-12-01T09:00:00Z', {
        Type: 'TASK',
        TaskId: '1764000000000999999',
        ShiftId: 's-1',
        SeatId: `${PROP}_001`,
        ID: PID,
        PropID: PROP,
        Zone: 'z-1',
        ZoneName: 'Washroom A',
        ZoneCatId: 'washroom',
        Name: 'Clean',
        Priority: 'N',
        Start: 1764576000,
        End: 1764579600,
        AStart: 1764576600,
        AEnd: 1764579600,
        Status: 'COMPLETED',
        TasksDone: 3,
        taskCount: 3,
        By: 'key',
      }),
    );
    await expectEventually(async () => {
      await settled();
      expect(
        await sql.query(`select shift_id, status, started_at from matrix.shifts order by shift_id`),
      ).toEqual([
        { shift_id: 's-1', status: 'STARTED', started_at: new Date(1764576000 * 1000) },
        { shift_id: 's-2', status: 'PUBLISHED', started_at: null },
      ]);
    });
    expect(
      await one(
        `select task_id, shift_id, seat_id, zone, zone_category, status, ended_at, tasks_done, task_count from matrix.tasks`,
      ),
    ).toEqual({
      task_id: '1764000000000999999',
      shift_id: 's-1',
      seat_id: `${PROP}_001`,
      zone: 'z-1',
      zone_category: 'washroom',
      status: 'COMPLETED',
      ended_at: new Date(1764579600 * 1000),
      tasks_done: 3,
      task_count: 3,
    });
  });

  it('dead-letters a followed event whose Meta lacks the row key, naming the field', async () => {
    const bad = event('scgrids', 'ZONE_CREATED', '2025-12-03T00:00:00Z', { Name: 'no id' });
    await publish(bad);
    const letter = await expectEventually(async () => {
      const found = await nats.jsm.streams
        .getMessage(nats.namespace.stream('DLQ'), {
          last_by_subj: nats.namespace.subject(`dlq.${bad.RoutingKey}`),
        })
        .catch(() => undefined);
      if (!found) throw new Error('no dead letter yet');
      return found;
    });
    expect(letter.header.get(HEADER.dlqReason)).toBe(
      'ZONE_CREATED cannot change a read model: Meta.InsID: must be a non-empty string',
    );
    expect(await one(`select count(*)::int as n from matrix.zones where name = 'no id'`)).toEqual({ n: 0 });
  });

  it('copies DEVICE_SLOTS and PRINCIPALS, marking deleted keys removed', async () => {
    const slots = await openKvBucket(nats.nc, DEVICE_SLOTS, nats.namespace);
    const principals = await openKvBucket(nats.nc, PRINCIPALS, nats.namespace);
    const slot = {
      Alias: 'pc-1',
      DevType: 'SMARTCLEAN#PPLCTR',
      Provider: 'SMARTCLEAN',
      Org: 'org-1',
      PropId: PROP,
      PID,
      LID: 'l-1',
      InsID: 'z-1',
      Display: 'Entrance',
      Region: 'Asia/Singapore',
      Devid: null,
      UpdatedOn: '2025-12-01T00:00:00.000Z',
    };
    await slots.put('pc-1', JSON.stringify(slot));
    await slots.put('pc-2', JSON.stringify({ ...slot, Alias: 'pc-2', InsID: 'z-2' }));
    await principals.put(PID, JSON.stringify({ type: 'building', org: 'org-1', property: PROP }));
    await principals.put(PROP, JSON.stringify({ type: 'property', org: 'org-1', property: PROP }));

    await expectEventually(async () => {
      expect(await sql.query(`select alias, insid, removed from matrix.device_slots order by alias`)).toEqual(
        [
          { alias: 'pc-1', insid: 'z-1', removed: false },
          { alias: 'pc-2', insid: 'z-2', removed: false },
        ],
      );
      expect(await sql.query(`select pid, prop_id, org_id, removed from matrix.buildings`)).toEqual([
        { pid: PID, prop_id: PROP, org_id: 'org-1', removed: false },
      ]);
      expect(await sql.query(`select prop_id, org_id, removed from matrix.properties`)).toEqual([
        { prop_id: PROP, org_id: 'org-1', removed: false },
      ]);
    });
    expect(
      await one(
        `select devtype, provider, org_id, prop_id, pid, lid, display, region, devid, updated_on from matrix.device_slots where alias = 'pc-1'`,
      ),
    ).toEqual({
      devtype: 'SMARTCLEAN#PPLCTR',
      provider: 'SMARTCLEAN',
      org_id: 'org-1',
      prop_id: PROP,
      pid: PID,
      lid: 'l-1',
      display: 'Entrance',
      region: 'Asia/Singapore',
      devid: null,
      updated_on: new Date('2025-12-01T00:00:00Z'),
    });

    await slots.delete('pc-2');
    await expectEventually(async () =>
      expect(await sql.query(`select alias, insid, removed from matrix.device_slots order by alias`)).toEqual(
        [
          { alias: 'pc-1', insid: 'z-1', removed: false },
          { alias: 'pc-2', insid: 'z-2', removed: true },
        ],
      ),
    );
  });
});
