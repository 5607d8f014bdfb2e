import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import type { ActionCommandV1 } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { EscalationPoliciesRepository } from '../src/incidents/escalation-policies.repository';
import { IncidentsRepository, type NewIncident } from '../src/incidents/incidents.repository';
import { dataOf, WorkforceHarness, workforceCommand } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * Auto-assignment of open incidents (docs/data-formats.md "Auto-assignment") on a real NATS and
 * PostgreSQL: seats, STARTED shifts (rows straight into workforce.shifts, with breaks) and availability
 * (rows straight into the availability tables) in building b1 (Asia/Singapore); the clock stands at
 * Wednesday 2026-03-04 10:00 local.
 */

const NOW = 1_772_589_600; // Wednesday 2026-03-04 02:00 UTC = 10:00 in Asia/Singapore.
const WEDNESDAY = 3;
/** The documented zone ids: `Incident.Zone` "zone" (getAvailabilityForIncident), and the v2 example's. */
const ZONE = 'zone';
const PANTRY = '71d899661d5645acb0b8f8030e26fc35';
const ZONES = {
  [ZONE]: { name: 'Washroom 1', categoryId: 'zonecat' },
  [PANTRY]: { name: 'Pantry', categoryId: null },
  z3: { name: 'Lobby', categoryId: null },
  z4: { name: 'Lift lobby', categoryId: null },
  z5: { name: 'Loading bay', categoryId: null },
};
const B3 = { pid: 'b3', org: 'ACME', propId: 'p1', name: 'Annex', timeZone: 'Asia/Singapore' };

/** The documented body of `scteams.createIncidentWithoutAssignee`, in zone `ZONE`, with `AutoAssigned`. */
const CREATE_BODY = {
  Incident: {
    Start: 1656588219,
    End: 1656589219,
    Name: 'Washroom essentials.',
    Priority: 'L',
    Tasks: [{ Name: 'Wipe mirror.' }],
    ZoneCatId: 'someid',
    Zone: ZONE,
    ZoneName: 'zonename',
    By: 'KG',
    EventSource: 'HK',
    AutoAssigned: 'true',
  },
};

/** The documented bodies of the two availability-for-incident ops (Appendix A), verbatim. */
const AVAILABILITY_BODY_INCIDENT = {
  Incident: { End: 1628874000, TimeZone: '', ZoneCatId: 'zonecat1', Zone: 'zone' },
};
const AVAILABILITY_BODY_SHIFT = {
  Incident: { End: 1685976000, TimeZone: 'Asia/Singapore', Zone: 'zone', ZoneCatId: 'zonecat' },
};
const FIND_V2_BODY = { EndTime: 1645976000, ZoneID: ['71d899661d5645acb0b8f8030e26fc35'] };

const SHIFTS: Record<string, string> = {};

describe('incident-service: auto-assignment of open incidents', () => {
  const clock = new TestClock(NOW);
  const harness = new WorkforceHarness('auto-assign', { clock });
  let second: INestApplication;
  let seq = 0;

  /** A seat with a STARTED shift in `pid` serving `zones`, with `breaks`. */
  async function onShift(
    seatId: string,
    zones: Record<string, string>,
    breaks: Record<string, unknown>[] = [],
    status = 'STARTED',
    start = NOW - 3600,
  ) {
    const shiftId = randomUUID();
    SHIFTS[seatId] = shiftId;
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, a_start,
         status, breaks, zones, created_by, modified_by)
       values ($1, 'ACME', 'p1', 'b1', $2, 'Asia/Singapore', $3, $4, $5, $6, $7, $8, 'AK1', 'AK1')`,
      [
        shiftId,
        seatId,
        start,
        start + 8 * 3600,
        status === 'STARTED' ? start : 0,
        status,
        JSON.stringify(breaks),
        JSON.stringify(zones),
      ],
    );
  }

  /** Wednesday 08:00–18:00 local, for every zone (or the availability zones given). */
  async function available(seatId: string, zones?: Record<string, string>) {
    await harness.sql.query(
      `insert into workforce.seat_availability (seat_id, prop_id, dow, time_slots, created_by, modified_by)
       values ($1, 'p1', $2, $3, 'AK1', 'AK1')`,
      [
        seatId,
        WEDNESDAY,
        JSON.stringify([{ StartTime: 28800, EndTime: 64800, Name: 'day', NextDay: false }]),
      ],
    );
    if (zones) {
      await harness.sql.query(
        `insert into workforce.seat_availability_zones (seat_id, pid, prop_id, zones, created_by, modified_by)
         values ($1, 'b1', 'p1', $2, 'AK1', 'AK1')`,
        [seatId, JSON.stringify(zones)],
      );
    }
  }

  const plannedBreak = (extra: Record<string, unknown>) => ({
    ID: '0001',
    Type: 'lunch',
    Notes: '',
    IsPlannedBreak: true,
    Scheduled: true,
    DurationInSeconds: 1800,
    Start: NOW - 600,
    End: NOW + 1200,
    AStart: 0,
    AEnd: 0,
    ...extra,
  });

  beforeAll(async () => {
    await harness.start();
    second = await harness.createApp();
    for (let n = 1; n <= 7; n += 1) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', $2, 'HOUSEKEEPING')`,
        [`p1_00${n}`, `cleaner ${n}`],
      );
    }
    // p1_001, p1_002: on shift for ZONE, available. p1_003: the same, but on its planned break.
    // p1_004: on shift for ZONE without any availability. p1_005: on shift for PANTRY only.
    // p1_006: on shift for every zone (no zones), available for z4 only. p1_007: a PUBLISHED shift in an hour.
    await onShift('p1_001', { [ZONE]: 'Washroom 1' });
    await onShift('p1_002', { [ZONE]: 'Washroom 1' });
    await onShift('p1_003', { [ZONE]: 'Washroom 1' }, [plannedBreak({ AStart: NOW - 300 })]);
    await onShift('p1_004', { [ZONE]: 'Washroom 1' });
    await onShift('p1_005', { [PANTRY]: 'Pantry' });
    await onShift('p1_006', {});
    await onShift('p1_007', { [ZONE]: 'Washroom 1' }, [], 'PUBLISHED', NOW + 3600);
    for (const seat of ['p1_001', 'p1_002', 'p1_003', 'p1_005', 'p1_007']) await available(seat);
    await available('p1_006', { z4: 'Lift lobby' });
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await harness.stop();
  });

  const command = (op: string, args: unknown, extra: Partial<ActionCommandV1> = {}) =>
    workforceCommand(op, args as Record<string, unknown>, ZONES, extra);
  const call = (op: string, args: unknown, extra: Partial<ActionCommandV1> = {}) =>
    harness.call(command(op, args, extra));
  /** A new auto-assigned incident from the documented body, with a distinct start time (no two alike). */
  const create = async (incident: Record<string, unknown> = {}, extra: Partial<ActionCommandV1> = {}) =>
    dataOf(
      await call(
        'scteams.createIncidentWithoutAssignee',
        { Incident: { ...CREATE_BODY.Incident, Start: 1656588219 + ++seq, ...incident } },
        extra,
      ),
    );
  const eventsOf = (taskId: string) => harness.events.filter((e) => e.event.Meta['TaskId'] === taskId);
  const rotation = async () =>
    (
      await harness.sql.query<{ seat_id: string; assignments: number; last_task_id: string }>(
        `select seat_id, assignments, last_task_id from workforce.auto_assign_seats where pid = 'b1' order by seat_id`,
      )
    ).rows;
  const counter = async () =>
    Number(
      (await harness.sql.query(`select seq from workforce.auto_assign_buildings where pid = 'b1'`)).rows[0]
        ?.seq ?? 0,
    );

  it('assigns an AutoAssigned incident to the seat on shift for its zone, with its shift, and publishes INCIDENT_CREATED_OPEN then INCIDENT_CREATED, once each', async () => {
    const answer = await call('scteams.createIncidentWithoutAssignee', CREATE_BODY);
    const incident = dataOf(answer);
    expect(answer.ok && answer.reply.message).toBe('Incident created');
    const taskId = incident['TaskId'] as string;
    expect(incident).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: 'p1_001',
      ShiftId: SHIFTS['p1_001'],
      AutoAssigned: true,
      Zone: ZONE,
      EscalationLevel: 'L0',
      AutoAssignment: {
        Assigned: true,
        SeatId: 'p1_001',
        ShiftId: SHIFTS['p1_001'],
        At: NOW,
        Candidates: 2,
        Excluded: [
          { SeatId: 'p1_003', ShiftId: SHIFTS['p1_003'], Why: 'ON_PLANNED_BREAK' },
          { SeatId: 'p1_004', ShiftId: SHIFTS['p1_004'], Why: 'NOT_AVAILABLE' },
          { SeatId: 'p1_006', ShiftId: SHIFTS['p1_006'], Why: 'NOT_AVAILABLE' },
        ],
      },
    });
    // Not the seat on a planned break, not the one without availability, not the other zone's, nor the
    // seat on shift for every zone whose availability is for another zone.
    // Created open, then assigned by the platform: INCIDENT_CREATED_OPEN, then INCIDENT_CREATED, in that order.
    await expectEventually(() =>
      expect(eventsOf(taskId).map((e) => e.event.Event)).toEqual([
        'INCIDENT_CREATED_OPEN',
        'INCIDENT_CREATED',
      ]),
    );
    expect(eventsOf(taskId)[0]!.event).toMatchObject({
      Description: 'Open incident Washroom essentials. was created in Washroom 1.',
      Meta: { Status: 'NOT_ASSIGNED', TaskId: taskId, Zone: ZONE, By: 'KG' },
    });
    const { subject, event } = eventsOf(taskId)[1]!;
    expect(subject).toBe('matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH');
    expect(event).toEqual({
      ID: 'b1',
      ATTR: `INCIDENT_CREATED#p1#b1#${taskId}#L0`,
      Description: 'Incident Washroom essentials. in Washroom 1 was assigned to p1_001.',
      Event: 'INCIDENT_CREATED',
      Principal: 'b1',
      PType: 'building',
      Entity: 'p1',
      EType: 'property',
      RoutingKey: 'matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH',
      RoutingKeyS: ['matrix', 'b1', 'scworkforcemanagement', 'INCIDENT_CREATED', 'HIGH'],
      Status: 'HIGH',
      Time: `scworkforcemanagement#${event.UnixTime}`,
      UnixTime: event.UnixTime,
      UnixTimeInt: Number(event.UnixTime),
      Module: 'scworkforcemanagement',
      Meta: {
        AEnd: 0,
        AStart: 0,
        By: 'KG',
        End: 1656589219,
        EscalationLevel: 'L0',
        Name: 'Washroom essentials.',
        Priority: 'L',
        SourceDeviceIdentifier: [],
        Start: 1656588219,
        Status: 'ASSIGNED',
        TaskId: taskId,
        Type: 'INCIDENT',
        Zone: ZONE,
        ZoneName: 'Washroom 1',
      },
    });
    expect(Number(event.UnixTime)).toBe(NOW);
    const { rows } = await harness.sql.query(
      `select transition, from_status, to_status, seat_id from workforce.incident_timeline where task_id = $1 order by id`,
      [taskId],
    );
    expect(rows).toEqual([
      { transition: 'create-open', from_status: null, to_status: 'NOT_ASSIGNED', seat_id: 'tbp' },
      { transition: 'assign', from_status: 'NOT_ASSIGNED', to_status: 'ASSIGNED', seat_id: 'p1_001' },
    ]);
    // Its escalation deadline is the ASSIGNED one: not started by Start + StartThreshold (L: 1800 s),
    // counted from its creation since Start is past; no work-window close (it has a shift).
    const [stored] = (
      await harness.sql.query(
        `select extract(epoch from escalate_at)::bigint::text as at, escalate_kind from workforce.incidents where task_id = $1`,
        [taskId],
      )
    ).rows;
    expect(stored).toEqual({ at: String(NOW + 1800), escalate_kind: 'startTime' });
    expect(await rotation()).toEqual([{ seat_id: 'p1_001', assignments: 1, last_task_id: taskId }]);
  });

  it('answers a retried create with the same incident and decision: no second pick, no second event', async () => {
    const before = await counter();
    const first = await call('scteams.createIncidentWithoutAssignee', CREATE_BODY);
    expect(first.ok && first.reply.message).toBe('Incident already created by an identical request');
    const again = dataOf(first);
    expect(again).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: 'p1_001',
      AutoAssignment: { Assigned: true, SeatId: 'p1_001', At: NOW },
    });
    expect(await counter()).toBe(before);
    expect(await harness.count('auto_assignments')).toBe(1);
    await expectEventually(() => expect(eventsOf(again['TaskId'])).toHaveLength(2));
  });

  it('goes to the only seat for a zone: a shift of that zone, or a shift of every zone whose availability is for it', async () => {
    const pantry = await create({ Zone: PANTRY, AutoAssigned: true });
    expect(pantry).toMatchObject({ Status: 'ASSIGNED', SeatId: 'p1_005', ShiftId: SHIFTS['p1_005'] });
    const lift = await create({ Zone: 'z4' });
    expect(lift).toMatchObject({ Status: 'ASSIGNED', SeatId: 'p1_006', ShiftId: SHIFTS['p1_006'] });
  });

  it('rotates between the two seats that can take the zone, one create after another', async () => {
    const seats = [];
    for (let i = 0; i < 4; i += 1) seats.push((await create())['SeatId']);
    expect(seats).toEqual(['p1_002', 'p1_001', 'p1_002', 'p1_001']);
  });

  it('rotates fairly across concurrent creates on two replicas (each pick sees the last)', async () => {
    const policies = harness.app.get(EscalationPoliciesRepository);
    const { policy } = await policies.forNewIncident('b1', 'concurrent', 'INCIDENT_NORMAL_TIMEOUT');
    const input = (i: number): NewIncident => ({
      org: 'ACME',
      propId: 'p1',
      pid: 'b1',
      zoneId: ZONE,
      zoneName: 'Washroom 1',
      zoneCategoryId: null,
      name: 'concurrent',
      priority: 'N',
      startBy: NOW,
      due: NOW + 1800,
      bySource: null,
      eventSource: null,
      autoAssigned: true,
      tasks: [],
      autoAssign: { timeZone: 'Asia/Singapore' },
      requestKey: `concurrent-${i}`,
      createdBy: 'AK1',
    });
    const replicas = [harness.app.get(IncidentsRepository), second.get(IncidentsRepository)];
    const before = await rotation();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.create(input(i), policy, new Date(NOW * 1000))),
    );
    const picks = results.map((r) => r.incident.seat_id);
    expect(picks.filter((s) => s === 'p1_001')).toHaveLength(5);
    expect(picks.filter((s) => s === 'p1_002')).toHaveLength(5);
    // In commit order (timeline ids are handed out in insert order, batch after batch) the picks alternate.
    const { rows } = await harness.sql.query<{ seat_id: string }>(
      `select t.seat_id from workforce.incident_timeline t join workforce.incidents i using (task_id)
       where i.name = 'concurrent' and t.transition = 'assign' order by t.id`,
    );
    const seats = rows.map((r) => r.seat_id);
    expect(seats).toHaveLength(10);
    seats.forEach((seat, i) => expect(seat).not.toBe(seats[i - 1]));
    const after = await rotation();
    const count = (rows: { seat_id: string; assignments: number }[], seat: string) =>
      rows.find((r) => r.seat_id === seat)?.assignments ?? 0;
    expect(count(after, 'p1_001') - count(before, 'p1_001')).toBe(5);
    expect(count(after, 'p1_002') - count(before, 'p1_002')).toBe(5);
    for (const result of results) {
      await expectEventually(() =>
        expect(eventsOf(result.incident.task_id).map((e) => e.event.Event)).toEqual([
          'INCIDENT_CREATED_OPEN',
          'INCIDENT_CREATED',
        ]),
      );
    }
  });

  it('takes the seat back into the rotation once its planned break has ended (it was assigned longest ago: never)', async () => {
    await harness.sql.query(`update workforce.shifts set breaks = $2 where shift_id = $1`, [
      SHIFTS['p1_003'],
      JSON.stringify([plannedBreak({ AStart: NOW - 300, AEnd: NOW - 10 })]),
    ]);
    try {
      const incident = await create();
      expect(incident).toMatchObject({ SeatId: 'p1_003', AutoAssignment: { Candidates: 3 } });
    } finally {
      await harness.sql.query(`update workforce.shifts set breaks = $2 where shift_id = $1`, [
        SHIFTS['p1_003'],
        JSON.stringify([plannedBreak({ AStart: NOW - 300 })]),
      ]);
    }
  });

  describe('stays open and says why, with INCIDENT_CREATED_OPEN once', () => {
    const expectOpen = async (incident: Record<string, any>) => {
      expect(incident).toMatchObject({
        Status: 'NOT_ASSIGNED',
        SeatId: 'tbp',
        ShiftId: 'tbp',
        AutoAssigned: true,
      });
      await expectEventually(() => expect(eventsOf(incident['TaskId'])).toHaveLength(1));
      const { subject, event } = eventsOf(incident['TaskId'])[0]!;
      expect(subject).toBe(`matrix.${incident['ID']}.scworkforcemanagement.INCIDENT_CREATED_OPEN.HIGH`);
      expect(event).toMatchObject({
        Event: 'INCIDENT_CREATED_OPEN',
        Description: `Open incident Washroom essentials. was created in ${incident['ZoneName']}.`,
        Meta: {
          Status: 'NOT_ASSIGNED',
          TaskId: incident['TaskId'],
          Zone: incident['Zone'],
          EscalationLevel: 'L0',
        },
      });
    };

    it('when nobody is on shift for the zone (another building of the property)', async () => {
      const before = await counter();
      const incident = await create({}, { pid: 'b3', building: B3 });
      expect(incident['AutoAssignment']).toEqual({
        Assigned: false,
        Code: 'NO_SEAT_ON_SHIFT',
        Reason: `no seat on shift for zone zone at ${NOW}`,
        At: NOW,
        Candidates: 0,
        Excluded: [],
      });
      await expectOpen(incident);
      expect(await counter()).toBe(before);
    });

    it('when the seats on shift for the zone cannot take it, naming them and why', async () => {
      const incident = await create({ Zone: 'z3' });
      expect(incident['AutoAssignment']).toEqual({
        Assigned: false,
        Code: 'NO_CANDIDATE',
        Reason: `no seat on shift for zone z3 can take it at ${NOW}: p1_006 (shift ${SHIFTS['p1_006']}) not available then (no availability window for the zone)`,
        At: NOW,
        Candidates: 0,
        Excluded: [{ SeatId: 'p1_006', ShiftId: SHIFTS['p1_006'], Why: 'NOT_AVAILABLE' }],
      });
      await expectOpen(incident);
    });

    it('when the building has AUTO_ASSIGN_INCIDENTS off', async () => {
      await harness.sql.query(
        `insert into workforce.incident_settings (pid, key, boolean_value, modified_by) values ('b1', 'AUTO_ASSIGN_INCIDENTS', false, 'AK1')`,
      );
      try {
        const before = await rotation();
        const incident = await create();
        expect(incident['AutoAssignment']).toEqual({
          Assigned: false,
          Code: 'AUTO_ASSIGN_OFF',
          Reason: 'AUTO_ASSIGN_INCIDENTS is off in building b1',
          At: NOW,
          Candidates: 0,
          Excluded: [],
        });
        await expectOpen(incident);
        expect(await rotation()).toEqual(before);
      } finally {
        await harness.sql.query(`delete from workforce.incident_settings where pid = 'b1'`);
      }
    });

    it('when it does not ask (no AutoAssigned): open, and no AutoAssignment in the answer', async () => {
      const incident = await create({ AutoAssigned: undefined });
      expect(incident).toMatchObject({ Status: 'NOT_ASSIGNED', AutoAssigned: false });
      expect(incident).not.toHaveProperty('AutoAssignment');
      await expectEventually(() =>
        expect(eventsOf(incident['TaskId']).map((e) => e.event.Event)).toEqual(['INCIDENT_CREATED_OPEN']),
      );
    });
  });

  describe('scteams.getAvailabilityForIncident and scteams.findAvailabilityForIncident-v2', () => {
    /** Of the two seats in rotation for the zone, the one assigned longest ago (both have been by now). */
    const nextSeat = async () =>
      (
        await harness.sql.query<{ seat_id: string }>(
          `select seat_id from workforce.auto_assign_seats
           where pid = 'b1' and seat_id in ('p1_001', 'p1_002') order by last_seq limit 1`,
        )
      ).rows[0]!.seat_id;

    const candidate = (seatId: string, extra: Record<string, unknown> = {}) => ({
      SeatId: seatId,
      ShiftId: SHIFTS[seatId],
      ShiftStatus: 'STARTED',
      Start: NOW - 3600,
      End: NOW - 3600 + 8 * 3600,
      AStart: NOW - 3600,
      Zones: { [ZONE]: 'Washroom 1' },
      OnPlannedBreak: false,
      AvailableNow: true,
      AutoAssignable: true,
      LastAutoAssigned: expect.any(Number),
      LastAutoAssignedIncident: expect.any(String),
      Availabilities: [
        {
          DayOfWeek: WEDNESDAY,
          Date: '20260304',
          Name: 'day',
          StartTime: 28800,
          EndTime: 64800,
          NextDay: false,
          Start: NOW - 7200,
          End: NOW + 8 * 3600,
        },
      ],
      ...extra,
    });

    it('answers the documented bodies: the zone candidates now (End past), auto-assignable first in rotation order', async () => {
      const next = await nextSeat();
      const other = next === 'p1_001' ? 'p1_002' : 'p1_001';
      for (const body of [AVAILABILITY_BODY_INCIDENT, AVAILABILITY_BODY_SHIFT]) {
        const answer = await call('scteams.getAvailabilityForIncident', body);
        expect(answer.ok && answer.reply.message).toBe('Availability for the incident');
        expect(dataOf(answer)).toEqual({
          Zone: ZONE,
          ZoneName: 'Washroom 1',
          ZoneCatId: 'zonecat',
          ID: 'b1',
          From: NOW,
          To: NOW + 1,
          TimeZone: 'Asia/Singapore',
          AutoAssignNext: next,
          Candidates: [
            candidate(next),
            candidate(other),
            candidate('p1_003', {
              OnPlannedBreak: true,
              PlannedBreak: { ID: '0001', AStart: NOW - 300, End: NOW + 1200 },
              AutoAssignable: false,
              LastAutoAssigned: NOW,
            }),
          ],
        });
      }
    });

    it('lists a PUBLISHED shift starting before End, not auto-assignable now', async () => {
      const data = dataOf(
        await call('scteams.getAvailabilityForIncident', { incident: { end: NOW + 7200, zone: ZONE } }),
      );
      expect(data['To']).toBe(NOW + 7200);
      expect(data['Candidates'].map((c: any) => [c.SeatId, c.ShiftStatus, c.AutoAssignable])).toEqual([
        [data['AutoAssignNext'], 'STARTED', true],
        [data['AutoAssignNext'] === 'p1_001' ? 'p1_002' : 'p1_001', 'STARTED', true],
        ['p1_003', 'STARTED', false],
        ['p1_007', 'PUBLISHED', false],
      ]);
      // The last auto-assignment of each seat is the one stored.
      const rows = await rotation();
      const first = data['Candidates'][0];
      expect(first.LastAutoAssignedIncident).toBe(rows.find((r) => r.seat_id === first.SeatId)!.last_task_id);
    });

    it('answers the documented v2 body (a list of zones), and zoneId / ZoneId and one id as case variants', async () => {
      const expected = [
        {
          Zone: PANTRY,
          ZoneName: 'Pantry',
          ZoneCatId: '',
          ID: 'b1',
          From: NOW,
          To: NOW + 1,
          TimeZone: 'Asia/Singapore',
          AutoAssignNext: 'p1_005',
          Candidates: [candidate('p1_005', { Zones: { [PANTRY]: 'Pantry' }, LastAutoAssigned: NOW })],
        },
      ];
      const answer = await call('scteams.findAvailabilityForIncident-v2', FIND_V2_BODY);
      expect(answer.ok && answer.reply.message).toBe('Availability for incidents of the zones');
      expect(dataOf(answer)).toEqual(expected);
      expect(
        dataOf(
          await call('scteams.findAvailabilityForIncident-v2', { EndTime: 1645976000, zoneId: [PANTRY] }),
        ),
      ).toEqual(expected);
      expect(
        dataOf(await call('scteams.findAvailabilityForIncident-v2', { endTime: 1645976000, ZoneId: PANTRY })),
      ).toEqual(expected);
      const two = dataOf(
        await call('scteams.findAvailabilityForIncident-v2', { EndTime: NOW, ZoneID: ['z4', PANTRY, 'z4'] }),
      );
      expect(two.map((z: any) => [z.Zone, z.AutoAssignNext])).toEqual([
        ['z4', 'p1_006'],
        [PANTRY, 'p1_005'],
      ]);
      expect(
        dataOf(await call('scteams.findAvailabilityForIncident-v2', { EndTime: NOW, ZoneID: ['z3'] })),
      ).toEqual([expect.objectContaining({ Zone: 'z3', AutoAssignNext: null, Candidates: [] })]);
    });

    it('refuses bad bodies naming the field, unknown zones and other buildings NOT_FOUND, and writes nothing', async () => {
      const before = {
        decisions: await harness.count('auto_assignments'),
        counter: await counter(),
        incidents: await harness.count('incidents'),
      };
      // A JSON null body reaches the service as no arguments (the gateway forwards it as `{}`).
      const refusals: [string, unknown, string, string][] = [
        ['scteams.getAvailabilityForIncident', {}, 'MISSING_PARAMETERS', 'Incident: is required'],
        [
          'scteams.getAvailabilityForIncident',
          { Incident: { Zone: ZONE } },
          'MISSING_PARAMETERS',
          'Incident.End: is required',
        ],
        [
          'scteams.getAvailabilityForIncident',
          { Incident: { End: 'soon', Zone: ZONE } },
          'WRONG_PARAMETERS',
          'Incident.End: must be epoch seconds (a non-negative integer)',
        ],
        [
          'scteams.getAvailabilityForIncident',
          { Incident: { End: NOW } },
          'MISSING_PARAMETERS',
          'Incident.Zone: is required',
        ],
        [
          'scteams.getAvailabilityForIncident',
          { Incident: { End: NOW, Zone: 7 } },
          'WRONG_PARAMETERS',
          'Incident.Zone: must be a zone id',
        ],
        [
          'scteams.getAvailabilityForIncident',
          { Incident: { End: NOW + 40 * 86400, Zone: ZONE } },
          'WRONG_PARAMETERS',
          'Incident.End: must be at most 31 days from now',
        ],
        [
          'scteams.getAvailabilityForIncident',
          { Incident: { End: NOW, Zone: 'nowhere' } },
          'NOT_FOUND',
          'zone nowhere not found',
        ],
        ['scteams.findAvailabilityForIncident-v2', {}, 'MISSING_PARAMETERS', 'EndTime: is required'],
        [
          'scteams.findAvailabilityForIncident-v2',
          { EndTime: NOW },
          'MISSING_PARAMETERS',
          'ZoneID: is required',
        ],
        [
          'scteams.findAvailabilityForIncident-v2',
          { EndTime: NOW, ZoneID: [] },
          'WRONG_PARAMETERS',
          'ZoneID: must be a list of 1 to 50 zone ids',
        ],
        [
          'scteams.findAvailabilityForIncident-v2',
          { EndTime: NOW, ZoneID: [PANTRY, 5] },
          'WRONG_PARAMETERS',
          'ZoneID[1]: must be a zone id',
        ],
        [
          'scteams.findAvailabilityForIncident-v2',
          { EndTime: NOW, ZoneID: [PANTRY, 'elsewhere'] },
          'NOT_FOUND',
          'zone elsewhere not found',
        ],
      ];
      for (const [op, body, code, message] of refusals) {
        expect(await call(op, body)).toEqual({ ok: false, code, message });
      }
      // Another tenant's building: the gateway resolves none of its zones for this caller.
      expect(
        await harness.call(
          workforceCommand(
            'scteams.findAvailabilityForIncident-v2',
            FIND_V2_BODY,
            {},
            {
              pid: 'b2',
              building: {
                pid: 'b2',
                org: 'OTHER',
                propId: 'p2',
                name: 'Elsewhere',
                timeZone: 'Asia/Singapore',
              },
            },
          ),
        ),
      ).toEqual({ ok: false, code: 'NOT_FOUND', message: `zone ${PANTRY} not found` });
      expect({
        decisions: await harness.count('auto_assignments'),
        counter: await counter(),
        incidents: await harness.count('incidents'),
      }).toEqual(before);
    });
  });

  describe('a shift that ends or goes on a planned break while the create picks it', () => {
    // Zone z5: served by p1_008, p1_009, p1_010 (shifts of z5 only, available); p1_006 serves every
    // zone but is available for z4 only. A second connection holds the picked shift's row `for update`
    // (as a shift transition does), the create picks that seat and waits on its shift; the transition
    // then commits and the create must see it.
    let other: Client;

    beforeAll(async () => {
      for (const seatId of ['p1_008', 'p1_009', 'p1_010']) {
        await harness.sql.query(
          `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', $1, 'HOUSEKEEPING')`,
          [seatId],
        );
        await onShift(seatId, { z5: 'Loading bay' });
        await available(seatId);
      }
      other = new Client({ connectionString: harness.db.url });
      await other.connect();
    });
    afterAll(async () => {
      await other?.end();
    });

    /** How many statements of the service wait for a lock on a shift row (the create's `for share`). */
    const waitingOnShift = async () =>
      Number(
        (
          await harness.sql.query(
            `select count(*) as n from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock'
               and query like 'select status, breaks from workforce.shifts%for share'`,
          )
        ).rows[0].n,
      );

    /**
     * Creates an incident of z5 while `seatId`'s shift is held `for update` in the other connection; once
     * the create waits on that row, `change` (SQL on the shift, in that connection) commits.
     */
    async function createWhile(seatId: string, change: string, params: unknown[]) {
      await other.query('begin');
      await other.query('select 1 from workforce.shifts where shift_id = $1 for update', [SHIFTS[seatId]]);
      const creating = create({ Zone: 'z5' });
      try {
        await expectEventually(async () => expect(await waitingOnShift()).toBe(1));
        await other.query(change, [SHIFTS[seatId], ...params]);
        await other.query('commit');
      } catch (error) {
        await other.query('rollback');
        throw error;
      }
      return creating;
    }
    const shiftsOfIncidents = async (shiftId: string) =>
      Number(
        (
          await harness.sql.query('select count(*) as n from workforce.incidents where shift_id = $1', [
            shiftId,
          ])
        ).rows[0].n,
      );
    const notAvailable = () => ({ SeatId: 'p1_006', ShiftId: SHIFTS['p1_006'], Why: 'NOT_AVAILABLE' });

    it('does not assign to a shift ended meanwhile: the next seat in the rotation takes it', async () => {
      const incident = await createWhile(
        'p1_008',
        `update workforce.shifts set status = 'COMPLETED', a_end = $2 where shift_id = $1`,
        [NOW],
      );
      expect(incident).toMatchObject({
        Status: 'ASSIGNED',
        SeatId: 'p1_009',
        ShiftId: SHIFTS['p1_009'],
        AutoAssignment: {
          Assigned: true,
          SeatId: 'p1_009',
          Candidates: 2,
          Excluded: [notAvailable()],
        },
      });
      expect(await shiftsOfIncidents(SHIFTS['p1_008']!)).toBe(0);
      expect((await rotation()).map((r) => r.seat_id)).not.toContain('p1_008');
    });

    it('does not assign to a seat that went on a planned break meanwhile (taken a second after the pick): named excluded', async () => {
      // p1_010 was never auto-assigned: it is picked first.
      const incident = await createWhile(
        'p1_010',
        'update workforce.shifts set breaks = $2 where shift_id = $1',
        [JSON.stringify([plannedBreak({ AStart: NOW + 1 })])],
      );
      expect(incident).toMatchObject({
        Status: 'ASSIGNED',
        SeatId: 'p1_009',
        AutoAssignment: {
          Assigned: true,
          SeatId: 'p1_009',
          Candidates: 1,
          Excluded: [
            notAvailable(),
            { SeatId: 'p1_010', ShiftId: SHIFTS['p1_010'], Why: 'ON_PLANNED_BREAK' },
          ],
        },
      });
      expect(await shiftsOfIncidents(SHIFTS['p1_010']!)).toBe(0);
    });

    it("leaves it open with the reason when the last candidate's shift ended meanwhile, with INCIDENT_CREATED_OPEN", async () => {
      const incident = await createWhile(
        'p1_009',
        `update workforce.shifts set status = 'COMPLETED', a_end = $2 where shift_id = $1`,
        [NOW],
      );
      expect(incident).toMatchObject({
        Status: 'NOT_ASSIGNED',
        SeatId: 'tbp',
        AutoAssignment: {
          Assigned: false,
          Code: 'NO_CANDIDATE',
          Candidates: 0,
          Excluded: [
            notAvailable(),
            { SeatId: 'p1_010', ShiftId: SHIFTS['p1_010'], Why: 'ON_PLANNED_BREAK' },
          ],
        },
      });
      expect(incident['AutoAssignment'].Reason).toContain('p1_010 (shift');
      expect(incident['AutoAssignment'].Reason).not.toContain('p1_009');
      await expectEventually(() =>
        expect(eventsOf(incident['TaskId']).map((e) => e.event.Event)).toEqual(['INCIDENT_CREATED_OPEN']),
      );
    });
  });
});
