import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { ActionCommandV1, MatrixEventV1 } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { ShiftSweeper } from '../src/shift-timer/shift-sweeper';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * What a shift's start or end does to incidents (docs/data-formats.md "Auto-assignment", "Workforce
 * incidents"), on a real NATS and PostgreSQL, through the ops: a seat coming on shift (shiftStart,
 * shiftStartAdmin, endBreak of a planned break, createAdhocShift) picks up the open AutoAssigned incidents
 * waiting for its zones; a shift completing (shiftEnd, shiftEndAdmin, the timer's clock-out) leaves its
 * unresolved incidents INCOMPLETE. Seats and availability are rows straight into their tables; shifts are
 * PUBLISHED rows started through the ops. Building b1 (Asia/Singapore); the clock starts at Wednesday
 * 2026-03-04 10:00 local; every seat is available on Wednesdays 08:00–18:00 for every zone unless said.
 */

const NOW = 1_772_589_600; // Wednesday 2026-03-04 02:00 UTC = 10:00 in Asia/Singapore.
const WEDNESDAY = 3;
/** Each test works in zones of its own (the building's shifts outlive their test). */
const ZONES: ActionCommandV1['zones'] = Object.fromEntries(
  ['a1', 'a2', 'a3', 'b1', 'c1', 'd1', 'e1', 'f1', 'g1', 'h1', 'i1'].map((z) => [
    z,
    { name: `Zone ${z}`, categoryId: null },
  ]),
);

describe('incident-service: incidents of a shift that starts or ends', () => {
  const clock = new TestClock(NOW);
  // The timers' own loops are slow here (once a minute): the spec sweeps itself.
  const harness = new WorkforceHarness('auto-assign-waiting', {
    clock,
    env: { ESCALATION_SWEEP_MS: '60000' },
  });
  let other: Client;
  let seq = 0;
  let seats = 0;

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const call = (op: string, args: unknown) =>
    harness.call(workforceCommand(op, args as Record<string, unknown>, ZONES));
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);

  /** A new active seat, available on Wednesdays 08:00–18:00 (for the availability zones given, else every zone). */
  async function newSeat(availableFor?: Record<string, string>, available = true): Promise<string> {
    seats += 1;
    const seatId = `p1_${String(seats).padStart(3, '0')}`;
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', $1, 'HOUSEKEEPING')`,
      [seatId],
    );
    if (!available) return seatId;
    await harness.sql.query(
      `insert into workforce.seat_availability (seat_id, prop_id, dow, time_slots, created_by, modified_by)
       values ($1, 'p1', $2, $3, 'AK1', 'AK1')`,
      [
        seatId,
        WEDNESDAY,
        JSON.stringify([{ StartTime: 28800, EndTime: 64800, Name: 'day', NextDay: false }]),
      ],
    );
    if (availableFor) {
      await harness.sql.query(
        `insert into workforce.seat_availability_zones (seat_id, pid, prop_id, zones, created_by, modified_by)
         values ($1, 'b1', 'p1', $2, 'AK1', 'AK1')`,
        [seatId, JSON.stringify(availableFor)],
      );
    }
    return seatId;
  }

  /** A PUBLISHED shift of `seatId` serving `zones`, planned from 10 minutes ago for `hours`. */
  async function publishedShift(
    seatId: string,
    zones: Record<string, string>,
    options: { breaks?: Record<string, unknown>[]; hours?: number } = {},
  ): Promise<string> {
    const shiftId = randomUUID();
    const start = now() - 600;
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at,
         status, breaks, zones, created_by, modified_by)
       values ($1, 'ACME', 'p1', 'b1', $2, 'Asia/Singapore', $3, $4, 'PUBLISHED', $5, $6, 'AK1', 'AK1')`,
      [
        shiftId,
        seatId,
        start,
        start + (options.hours ?? 8) * 3600,
        JSON.stringify(options.breaks ?? []),
        JSON.stringify(zones),
      ],
    );
    return shiftId;
  }

  const shiftBody = (seatId: string, shiftId: string, extra: Record<string, unknown> = {}) => ({
    Shift: { SeatId: seatId, ShiftId: shiftId, ...extra },
  });
  const startShift = async (seatId: string, shiftId: string) =>
    dataOf(await call('scteams.shiftStart', shiftBody(seatId, shiftId)));

  /** An open incident of `zone` (AutoAssigned unless said), created now with a start-by of its own. */
  const createIncident = async (zone: string, autoAssigned = true) =>
    dataOf(
      await call('scteams.createIncidentWithoutAssignee', {
        Incident: {
          Start: NOW + ++seq,
          End: NOW + seq + 3600,
          Name: `Spill ${seq}`,
          Priority: 'H',
          Tasks: [{ Name: 'Mop.' }],
          Zone: zone,
          By: 'KG',
          EventSource: 'HK',
          ...(autoAssigned ? { AutoAssigned: true } : {}),
        },
      }),
    );

  const incident = async (taskId: string) =>
    (
      await harness.sql.query<{
        status: string;
        seat_id: string;
        shift_id: string;
        escalate_kind: string | null;
      }>('select status, seat_id, shift_id, escalate_kind from workforce.incidents where task_id = $1', [
        taskId,
      ])
    ).rows[0]!;
  const timeline = async (taskId: string) =>
    (
      await harness.sql.query(
        `select transition, from_status, to_status, seat_id, by_key, at::int from workforce.incident_timeline
         where task_id = $1 order by id`,
        [taskId],
      )
    ).rows;
  const decision = async (taskId: string) =>
    (await harness.sql.query('select answer from workforce.auto_assignments where task_id = $1', [taskId]))
      .rows[0]?.answer;
  const rotationOf = async (seatId: string) =>
    (
      await harness.sql.query(
        `select assignments, last_task_id, last_assigned_at::int from workforce.auto_assign_seats
         where pid = 'b1' and seat_id = $1`,
        [seatId],
      )
    ).rows[0];
  const counter = async () =>
    Number(
      (await harness.sql.query(`select seq from workforce.auto_assign_buildings where pid = 'b1'`)).rows[0]
        ?.seq ?? 0,
    );
  const eventsOf = (taskId: string) =>
    harness.events.filter((e) => e.event.Meta['TaskId'] === taskId).map((e) => e.event);
  const namesOf = (taskId: string) => eventsOf(taskId).map((e) => e.Event);
  /** The outbox's events of a shift and of incidents, in the order written. */
  const outboxOrder = async (ids: string[]) =>
    (
      await harness.sql.query<{ event: string; of: string }>(
        `select o.payload->>'Event' as event, coalesce(o.payload->'Meta'->>'TaskId', o.payload->'Meta'->>'ShiftId') as of
         from workforce.outbox o
         where coalesce(o.payload->'Meta'->>'TaskId', o.payload->'Meta'->>'ShiftId') = any($1::text[]) order by o.id`,
        [ids],
      )
    ).rows.map((r) => `${r.event}:${r.of}`);
  /** How many statements of the service wait for a row lock. */
  const waitingOnLocks = async () =>
    Number(
      (
        await harness.sql.query(
          `select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
        )
      ).rows[0].n,
    );

  /** The documented envelope of an incident event, every field. */
  const incidentEvent = (
    eventId: string,
    description: string,
    meta: Record<string, unknown>,
    event: MatrixEventV1,
  ) => ({
    ID: 'b1',
    ATTR: `${eventId}#p1#b1#${meta['TaskId'] as string}#L0`,
    Description: description,
    Event: eventId,
    Principal: 'b1',
    PType: 'building',
    Entity: 'p1',
    EType: 'property',
    RoutingKey: `matrix.b1.scworkforcemanagement.${eventId}.HIGH`,
    RoutingKeyS: ['matrix', 'b1', 'scworkforcemanagement', eventId, 'HIGH'],
    Status: 'HIGH',
    Time: `scworkforcemanagement#${event.UnixTime}`,
    UnixTime: event.UnixTime,
    UnixTimeInt: Number(event.UnixTime),
    Module: 'scworkforcemanagement',
    Meta: meta,
  });

  beforeAll(async () => {
    await harness.start();
    other = new Client({ connectionString: harness.db.url });
    await other.connect();
  }, 60_000);
  afterAll(async () => {
    await other?.end();
    await harness.stop();
  });

  describe('a seat coming on shift picks up the AutoAssigned incidents waiting for it', () => {
    it('on shiftStart: those of its zones it is available for, oldest first, each ASSIGNED to the shift with INCIDENT_CREATED', async () => {
      // The shift serves a1 and a2; the seat's availability is for a1 and a3 only.
      const seatId = await newSeat({ a1: 'Zone a1', a3: 'Zone a3' });
      const shiftId = await publishedShift(seatId, { a1: 'Zone a1', a2: 'Zone a2' });
      const older = await createIncident('a1');
      clock.advance(1);
      const newer = await createIncident('a1');
      const notAvailable = await createIncident('a2');
      const notServed = await createIncident('a3');
      const notAsked = await createIncident('a1', false);
      expect(older['AutoAssignment']).toMatchObject({ Assigned: false, Code: 'NO_SEAT_ON_SHIFT' });
      const before = await counter();
      clock.advance(60);
      const at = now();

      expect(await startShift(seatId, shiftId)).toMatchObject({ Status: 'STARTED', ShiftId: shiftId });

      for (const taskId of [older['TaskId'], newer['TaskId']]) {
        expect(await incident(taskId)).toEqual({
          status: 'ASSIGNED',
          seat_id: seatId,
          shift_id: shiftId,
          escalate_kind: 'startTime',
        });
        expect(await decision(taskId)).toEqual({
          Assigned: true,
          SeatId: seatId,
          ShiftId: shiftId,
          At: at,
          Candidates: 1,
          Excluded: [],
        });
      }
      for (const waiting of [notAvailable, notServed, notAsked]) {
        expect(await incident(waiting['TaskId'])).toMatchObject({ status: 'NOT_ASSIGNED', seat_id: 'tbp' });
      }
      expect(await timeline(older['TaskId'])).toEqual([
        {
          transition: 'create-open',
          from_status: null,
          to_status: 'NOT_ASSIGNED',
          seat_id: 'tbp',
          by_key: 'AK1',
          at: at - 61,
        },
        {
          transition: 'assign',
          from_status: 'NOT_ASSIGNED',
          to_status: 'ASSIGNED',
          seat_id: seatId,
          by_key: 'auto-assignment',
          at,
        },
      ]);
      // The round-robin bookkeeping of two auto-assignments, the newer last.
      expect(await counter()).toBe(before + 2);
      expect(await rotationOf(seatId)).toEqual({
        assignments: 2,
        last_task_id: newer['TaskId'],
        last_assigned_at: at,
      });
      // SHIFT_STARTED first, then the assignments oldest first, in one transaction's outbox rows.
      expect(await outboxOrder([shiftId, older['TaskId'], newer['TaskId']])).toEqual([
        `INCIDENT_CREATED_OPEN:${older['TaskId']}`,
        `INCIDENT_CREATED_OPEN:${newer['TaskId']}`,
        `SHIFT_STARTED:${shiftId}`,
        `INCIDENT_CREATED:${older['TaskId']}`,
        `INCIDENT_CREATED:${newer['TaskId']}`,
      ]);
      await expectEventually(() =>
        expect(namesOf(older['TaskId'])).toEqual(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']),
      );
      const assigned = eventsOf(older['TaskId'])[1]!;
      expect(assigned).toEqual(
        incidentEvent(
          'INCIDENT_CREATED',
          `Incident ${older['Name'] as string} in Zone a1 was assigned to ${seatId}.`,
          {
            AEnd: 0,
            AStart: 0,
            By: 'KG',
            End: older['End'],
            EscalationLevel: 'L0',
            Name: older['Name'],
            Priority: 'H',
            SourceDeviceIdentifier: [],
            Start: older['Start'],
            Status: 'ASSIGNED',
            TaskId: older['TaskId'],
            Type: 'INCIDENT',
            Zone: 'a1',
            ZoneName: 'Zone a1',
          },
          assigned,
        ),
      );
      expect(Number(assigned.UnixTime)).toBe(at);
      await expectEventually(() => expect(namesOf(newer['TaskId'])).toHaveLength(2));
      expect(namesOf(notAvailable['TaskId'])).toEqual(['INCIDENT_CREATED_OPEN']);
      expect(namesOf(notAsked['TaskId'])).toEqual(['INCIDENT_CREATED_OPEN']);
    });

    it('on endBreak of a planned break (the incident waited while the only seat was on it)', async () => {
      const seatId = await newSeat();
      const planned = {
        ID: '0001',
        Type: 'lunch',
        Notes: '',
        IsPlannedBreak: true,
        Scheduled: true,
        DurationInSeconds: 1800,
        Start: now() + 600,
        End: now() + 2400,
        AStart: 0,
        AEnd: 0,
      };
      const shiftId = await publishedShift(seatId, { b1: 'Zone b1' }, { breaks: [planned] });
      await startShift(seatId, shiftId);
      // An unplanned break keeps nothing away: an incident created during it is assigned at once.
      dataOf(await call('scteams.startBreak', shiftBody(seatId, shiftId, { Breaks: [{ Type: 'call' }] })));
      const during = await createIncident('b1');
      expect(during).toMatchObject({ Status: 'ASSIGNED', SeatId: seatId, ShiftId: shiftId });
      clock.advance(60);
      dataOf(await call('scteams.endBreak', shiftBody(seatId, shiftId, { Breaks: [{ ID: '0002' }] })));
      clock.advance(60);
      dataOf(await call('scteams.startBreak', shiftBody(seatId, shiftId, { Breaks: [{ ID: '0001' }] })));
      const waiting = await createIncident('b1');
      expect(waiting['AutoAssignment']).toMatchObject({
        Assigned: false,
        Code: 'NO_CANDIDATE',
        Excluded: [{ SeatId: seatId, ShiftId: shiftId, Why: 'ON_PLANNED_BREAK' }],
      });
      clock.advance(60);

      dataOf(await call('scteams.endBreak', shiftBody(seatId, shiftId, { Breaks: [{ ID: '0001' }] })));

      expect(await incident(waiting['TaskId'])).toMatchObject({
        status: 'ASSIGNED',
        seat_id: seatId,
        shift_id: shiftId,
      });
      expect(await decision(waiting['TaskId'])).toMatchObject({ Assigned: true, At: now() });
      await expectEventually(() =>
        expect(namesOf(waiting['TaskId'])).toEqual(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']),
      );
      expect(eventsOf(waiting['TaskId'])[1]).toMatchObject({
        Description: `Incident ${waiting['Name'] as string} in Zone b1 was assigned to ${seatId}.`,
        Meta: { Status: 'ASSIGNED', TaskId: waiting['TaskId'], Zone: 'b1' },
      });
    });

    it('on shiftStartAdmin and on createAdhocShift (a shift created STARTED)', async () => {
      const first = await newSeat();
      const shiftId = await publishedShift(first, { c1: 'Zone c1' });
      const forAdmin = await createIncident('c1');
      dataOf(await call('scteams.shiftStartAdmin', { Shift: { ShiftId: shiftId } }));
      expect(await incident(forAdmin['TaskId'])).toMatchObject({ status: 'ASSIGNED', shift_id: shiftId });

      const second = await newSeat();
      const forAdhoc = await createIncident('d1');
      const adhoc = dataOf(
        await call('scteams.createAdhocShift', { SeatId: second, Zones: { d1: 'Zone d1' } }),
      );
      expect(adhoc).toMatchObject({ Status: 'STARTED', SeatId: second });
      expect(await incident(forAdhoc['TaskId'])).toEqual({
        status: 'ASSIGNED',
        seat_id: second,
        shift_id: adhoc['ShiftId'],
        escalate_kind: 'startTime',
      });
      await expectEventually(() =>
        expect(namesOf(forAdhoc['TaskId'])).toEqual(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']),
      );
    });

    it('picks up nothing while AUTO_ASSIGN_INCIDENTS is off (the incident waits for the next opportunity)', async () => {
      await harness.sql.query(
        `insert into workforce.incident_settings (pid, key, boolean_value, modified_by) values ('b1', 'AUTO_ASSIGN_INCIDENTS', false, 'AK1')`,
      );
      const seatId = await newSeat();
      const shiftId = await publishedShift(seatId, { e1: 'Zone e1' });
      let waiting: Record<string, any>;
      const before = await counter();
      try {
        waiting = await createIncident('e1');
        expect(waiting['AutoAssignment']).toMatchObject({ Code: 'AUTO_ASSIGN_OFF' });
        await startShift(seatId, shiftId);
        expect(await incident(waiting['TaskId'])).toMatchObject({ status: 'NOT_ASSIGNED', seat_id: 'tbp' });
        expect(await counter()).toBe(before);
        expect(await rotationOf(seatId)).toBeUndefined();
      } finally {
        await harness.sql.query(`delete from workforce.incident_settings where pid = 'b1'`);
      }
      // Back on: the next seat coming on shift for the zone takes it.
      const next = await newSeat();
      await startShift(next, await publishedShift(next, { e1: 'Zone e1' }));
      expect(await incident(waiting['TaskId'])).toMatchObject({ status: 'ASSIGNED', seat_id: next });
      await expectEventually(() =>
        expect(namesOf(waiting['TaskId'])).toEqual(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']),
      );
    });

    it('takes at most 50 per transition, the oldest; the rest go at the next opportunity', async () => {
      const created: string[] = [];
      for (let n = 0; n < 52; n += 1) {
        created.push((await createIncident('f1'))['TaskId'] as string);
        clock.advance(1);
      }
      const first = await newSeat();
      await startShift(first, await publishedShift(first, { f1: 'Zone f1' }));
      const statuses = async () =>
        (
          await harness.sql.query<{ task_id: string; seat_id: string }>(
            `select task_id, seat_id from workforce.incidents where task_id = any($1::text[])`,
            [created],
          )
        ).rows.reduce<Record<string, string>>((all, row) => ({ ...all, [row.task_id]: row.seat_id }), {});
      let seatOf = await statuses();
      expect(created.slice(0, 50).map((id) => seatOf[id])).toEqual(Array(50).fill(first));
      expect(created.slice(50).map((id) => seatOf[id])).toEqual(['tbp', 'tbp']);
      expect(await rotationOf(first)).toMatchObject({ assignments: 50, last_task_id: created[49] });

      const second = await newSeat();
      await startShift(second, await publishedShift(second, { f1: 'Zone f1' }));
      seatOf = await statuses();
      expect(created.slice(50).map((id) => seatOf[id])).toEqual([second, second]);
    });

    it('a create and a shift start of its zone that meet on the building row both go through, and the incident ends on the shift once', async () => {
      const seatId = await newSeat();
      const shiftId = await publishedShift(seatId, { g1: 'Zone g1' });
      // Both queue behind a transaction holding the building's auto-assignment row (as a create does).
      await other.query('begin');
      await other.query(`select pid from workforce.auto_assign_buildings where pid = 'b1' for update`);
      const baseline = await waitingOnLocks();
      const creating = createIncident('g1');
      const starting = call('scteams.shiftStart', shiftBody(seatId, shiftId));
      try {
        await expectEventually(async () => expect(await waitingOnLocks()).toBe(baseline + 2));
      } finally {
        await other.query('commit');
      }
      const [created, started] = await Promise.all([creating, starting]);
      expect(refusal(started)).toBe('ok');
      const taskId = created['TaskId'] as string;
      expect(await incident(taskId)).toMatchObject({
        status: 'ASSIGNED',
        seat_id: seatId,
        shift_id: shiftId,
      });
      // Either the create saw the shift started (assigned at create) or the start picked it up: the same two
      // events either way, open then assigned.
      await expectEventually(() =>
        expect(namesOf(taskId)).toEqual(['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED']),
      );

      // And unsynchronised, several at once: no deadlock, each incident assigned once.
      const pairs: [string, string][] = [];
      for (let n = 0; n < 3; n += 1) {
        const seat = await newSeat();
        pairs.push([seat, await publishedShift(seat, { h1: 'Zone h1' })]);
      }
      const rounds = await Promise.all(
        pairs.map(async ([seat, shift]) => {
          const [made, start] = await Promise.all([
            createIncident('h1'),
            call('scteams.shiftStart', shiftBody(seat, shift)),
          ]);
          expect(refusal(start)).toBe('ok');
          return made['TaskId'] as string;
        }),
      );
      for (const id of rounds) {
        expect(await incident(id)).toMatchObject({ status: 'ASSIGNED' });
        await expectEventually(() =>
          expect(namesOf(id).filter((e) => e === 'INCIDENT_CREATED')).toHaveLength(1),
        );
      }
    });
  });

  describe('a shift that completes leaves its unresolved incidents INCOMPLETE', () => {
    /** A started shift of a new seat in zone i1, and incidents of i1 given to it as named. */
    async function shiftWithIncidents() {
      const seatId = await newSeat(undefined, false);
      const shiftId = await publishedShift(seatId, { i1: 'Zone i1' }, { hours: 1 });
      await startShift(seatId, shiftId);
      const assign = async (shift: string) => {
        const made = await createIncident('i1', false);
        dataOf(
          await call('scteams.assignIncident', {
            IncidentID: made['TaskId'],
            SeatId: seatId,
            ShiftID: shift,
            zoneId: 'i1',
          }),
        );
        return made;
      };
      const task = (made: Record<string, any>) => ({
        Taskgroup: { SeatId: seatId, ShiftId: shiftId, TaskId: made['TaskId'] },
      });
      const assigned = await assign(shiftId);
      const started = await assign(shiftId);
      dataOf(await call('scteams.taskStart', task(started)));
      const completed = await assign(shiftId);
      dataOf(await call('scteams.taskStart', task(completed)));
      dataOf(await call('scteams.taskEnd', task(completed)));
      const seatDirect = await assign(seatId);
      return { seatId, shiftId, assigned, started, completed, seatDirect };
    }

    it('on shiftEnd: ASSIGNED and STARTED ones with INCIDENT_INCOMPLETE after SHIFT_COMPLETED; completed and seat-direct ones untouched', async () => {
      const { seatId, shiftId, assigned, started, completed, seatDirect } = await shiftWithIncidents();
      const seatDirectBefore = await incident(seatDirect['TaskId']);
      clock.advance(120);
      const at = now();

      expect(dataOf(await call('scteams.shiftEnd', shiftBody(seatId, shiftId)))).toMatchObject({
        Status: 'COMPLETED',
      });

      for (const [made, from] of [
        [assigned, 'ASSIGNED'],
        [started, 'STARTED'],
      ] as const) {
        expect(await incident(made['TaskId'])).toEqual({
          status: 'INCOMPLETE',
          seat_id: seatId,
          shift_id: shiftId,
          escalate_kind: null,
        });
        expect((await timeline(made['TaskId'])).at(-1)).toEqual({
          transition: 'incomplete',
          from_status: from,
          to_status: 'INCOMPLETE',
          seat_id: seatId,
          by_key: 'shift-end',
          at,
        });
      }
      expect(await incident(completed['TaskId'])).toMatchObject({ status: 'COMPLETED' });
      expect(await incident(seatDirect['TaskId'])).toEqual(seatDirectBefore);
      expect(
        await outboxOrder([shiftId, assigned['TaskId'], started['TaskId'], completed['TaskId']]).then((all) =>
          all.filter((e) => e.startsWith('SHIFT_COMPLETED') || e.startsWith('INCIDENT_INCOMPLETE')),
        ),
      ).toEqual([
        `SHIFT_COMPLETED:${shiftId}`,
        ...[assigned['TaskId'], started['TaskId']].sort().map((id) => `INCIDENT_INCOMPLETE:${id}`),
      ]);
      await expectEventually(() =>
        expect(namesOf(started['TaskId'])).toEqual([
          'INCIDENT_CREATED_OPEN',
          'INCIDENT_CREATED',
          'INCIDENT_STARTED',
          'INCIDENT_INCOMPLETE',
        ]),
      );
      const closed = eventsOf(started['TaskId'])[3]!;
      expect(closed).toEqual(
        incidentEvent(
          'INCIDENT_INCOMPLETE',
          `Incident ${started['Name'] as string} in Zone i1 was not resolved.`,
          {
            AEnd: 0,
            AStart: at - 120,
            By: 'KG',
            End: started['End'],
            EscalationLevel: 'L0',
            Name: started['Name'],
            Priority: 'H',
            SourceDeviceIdentifier: [],
            Start: started['Start'],
            Status: 'INCOMPLETE',
            TaskId: started['TaskId'],
            Type: 'INCIDENT',
            Zone: 'i1',
            ZoneName: 'Zone i1',
          },
          closed,
        ),
      );
      expect(Number(closed.UnixTime)).toBe(at);
      await expectEventually(() => expect(namesOf(completed['TaskId'])).toHaveLength(4));
      expect(namesOf(completed['TaskId'])).not.toContain('INCIDENT_INCOMPLETE');
      expect(namesOf(seatDirect['TaskId'])).not.toContain('INCIDENT_INCOMPLETE');
    });

    it('on shiftEndAdmin, waiting for an incident row held by another transaction, and closing one given to the shift while it waited for the shift row', async () => {
      const { seatId, shiftId, assigned } = await shiftWithIncidents();
      const late = await createIncident('i1', false);
      // Another transaction holds the ASSIGNED incident (as an incident transition does) …
      await other.query('begin');
      await other.query('select 1 from workforce.incidents where task_id = $1 for update', [
        assigned['TaskId'],
      ]);
      const baseline = await waitingOnLocks();
      const ending = call('scteams.shiftEndAdmin', { Shift: { ShiftId: shiftId } });
      try {
        await expectEventually(async () => expect(await waitingOnLocks()).toBe(baseline + 1));
        // … and, holding the shift `for share` as an assignment does, gives it another incident.
        await other.query('select 1 from workforce.shifts where shift_id = $1 for share', [shiftId]);
        await other.query(
          `update workforce.incidents set status = 'ASSIGNED', seat_id = $2, shift_id = $3 where task_id = $1`,
          [late['TaskId'], seatId, shiftId],
        );
      } finally {
        await other.query('commit');
      }
      expect(dataOf(await ending)).toMatchObject({ Status: 'COMPLETED' });
      expect(await incident(assigned['TaskId'])).toMatchObject({ status: 'INCOMPLETE' });
      expect(await incident(late['TaskId'])).toMatchObject({ status: 'INCOMPLETE' });
      await expectEventually(() => expect(namesOf(late['TaskId']).at(-1)).toBe('INCIDENT_INCOMPLETE'));
    });

    it("on the timer's auto clock-out (End + END_SHIFT_OVERSHOOT), left for the next sweep while an incident is held", async () => {
      const { shiftId, assigned, started } = await shiftWithIncidents();
      const sweeper = harness.app.get(ShiftSweeper);
      const [{ end }] = (
        await harness.sql.query('select end_at::int as "end" from workforce.shifts where shift_id = $1', [
          shiftId,
        ])
      ).rows;
      clock.advance(end + 4200 - now());
      await other.query('begin');
      await other.query('select 1 from workforce.incidents where task_id = $1 for update', [
        started['TaskId'],
      ]);
      try {
        expect(await sweeper.sweepOnce()).toBe(0);
        expect(await incident(assigned['TaskId'])).toMatchObject({ status: 'ASSIGNED' });
      } finally {
        await other.query('commit');
      }
      expect(await sweeper.sweepOnce()).toBe(1);
      const [shift] = (
        await harness.sql.query('select status, a_end::int from workforce.shifts where shift_id = $1', [
          shiftId,
        ])
      ).rows;
      expect(shift).toEqual({ status: 'COMPLETED', a_end: end });
      for (const made of [assigned, started]) {
        expect(await incident(made['TaskId'])).toMatchObject({ status: 'INCOMPLETE', escalate_kind: null });
        expect((await timeline(made['TaskId'])).at(-1)).toMatchObject({
          transition: 'incomplete',
          by_key: 'shift-end',
          at: now(),
        });
        await expectEventually(() => expect(namesOf(made['TaskId']).at(-1)).toBe('INCIDENT_INCOMPLETE'));
      }
    });
  });
});
