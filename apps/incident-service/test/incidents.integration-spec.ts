import { SEAT_COMMANDS, type ActionCommandV1 } from '@matrix/contracts';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { expectEventually } from '@matrix/testing';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';

/*
 * The workforce actions command on a real NATS and PostgreSQL, with the documented request bodies of the
 * Matrix documentation (Appendix A), as the gateway forwards them: building and zones resolved.
 */

const B2 = { pid: 'b2', org: 'OTHER', propId: 'p2', name: 'Elsewhere', timeZone: 'Asia/Singapore' };
const ZONES = {
  zoneid99: { name: 'Washroom 99', categoryId: 'cat-wash' },
  zone7: { name: 'Pantry', categoryId: null },
};
const SEAT = 'p1_007';
const OTHER_SEAT = 'p1_008';

/** The documented body of `scteams.createIncidentWithoutAssignee`. */
const CREATE_BODY = {
  Incident: {
    Start: 1656588219,
    End: 1656589219,
    Name: 'Washroom essentials.',
    Priority: 'L',
    Tasks: [{ Name: 'Wipe mirror.' }],
    ZoneCatId: 'someid',
    Zone: 'zoneid99',
    ZoneName: 'zonename',
    By: 'KG',
    EventSource: 'HK',
  },
};

describe('incident-service: the workforce actions command', () => {
  const harness = new WorkforceHarness('incidents');
  let seq = 0;

  beforeAll(async () => {
    await harness.start();
    for (const seat of [SEAT, OTHER_SEAT]) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', 'kg', 'HOUSEKEEPING')`,
        [seat],
      );
    }
  }, 60_000);
  afterAll(() => harness.stop());

  const command = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    workforceCommand(op, args, ZONES, extra);
  const call = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    harness.call(command(op, args, extra));
  const data = dataOf;
  /** A new open incident from the documented body, with a distinct start time (no two alike). */
  const createOpen = async (incident: Record<string, unknown> = {}) =>
    data(
      await call('scteams.createIncidentWithoutAssignee', {
        Incident: { ...CREATE_BODY.Incident, Start: 1656588219 + ++seq, ...incident },
      }),
    );
  const eventsOf = (taskId: string) => harness.events.filter((e) => e.event.Meta['TaskId'] === taskId);

  it('answers an op it does not serve exactly as the gateway answers an unknown op', async () => {
    expect(await call('scteams.listTeams', {}, { pid: 'scnoop', building: undefined })).toEqual({
      ok: false,
      code: 'UNKNOWN_OPERATION',
      message:
        'scteams.listTeams is not an operation of module scworkforcemanagement; see GET /prod/v2/operations',
    });
  });

  it('creates an open incident from the documented body and publishes INCIDENT_CREATED_OPEN once, in the documented envelope', async () => {
    const answer = await call('scteams.createIncidentWithoutAssignee', CREATE_BODY);
    const incident = data(answer);
    expect(answer.ok && answer.reply.message).toBe('Incident created');
    expect(incident['TaskId']).toMatch(/^[0-9]{19}$/);
    expect(Math.abs(Number(incident['TaskId'].slice(0, 13)) - Date.now())).toBeLessThan(60_000);
    expect(incident).toMatchObject({
      ID: 'b1',
      ATTR: `attr#b1#zoneid99#${incident['TaskId']}`,
      Type: 'INCIDENT',
      Name: 'Washroom essentials.',
      Priority: 'L',
      Start: 1656588219,
      End: 1656589219,
      AStart: 0,
      AEnd: 0,
      Status: 'NOT_ASSIGNED',
      SeatId: 'tbp',
      ShiftId: 'tbp',
      Zone: 'zoneid99',
      ZoneName: 'Washroom 99',
      ZoneCatId: 'cat-wash',
      By: 'KG',
      EventSource: 'HK',
      AutoAssigned: false,
      EscalationLevel: 'L0',
      Org: 'ACME',
      PropID: 'p1',
      Tasks: [{ Name: 'Wipe mirror.', Done: false }],
      taskCount: 1,
    });
    const taskId = incident['TaskId'] as string;
    await expectEventually(() => expect(eventsOf(taskId)).toHaveLength(1));
    const { subject, event } = eventsOf(taskId)[0]!;
    expect(subject).toBe('matrix.b1.scworkforcemanagement.INCIDENT_CREATED_OPEN.HIGH');
    expect(event).toEqual({
      ID: 'b1',
      ATTR: `INCIDENT_CREATED_OPEN#p1#b1#${taskId}#L0`,
      Description: 'Open incident Washroom essentials. was created in Washroom 99.',
      Event: 'INCIDENT_CREATED_OPEN',
      Principal: 'b1',
      PType: 'building',
      Entity: 'p1',
      EType: 'property',
      RoutingKey: 'matrix.b1.scworkforcemanagement.INCIDENT_CREATED_OPEN.HIGH',
      RoutingKeyS: ['matrix', 'b1', 'scworkforcemanagement', 'INCIDENT_CREATED_OPEN', 'HIGH'],
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
        Status: 'NOT_ASSIGNED',
        TaskId: taskId,
        Type: 'INCIDENT',
        Zone: 'zoneid99',
        ZoneName: 'Washroom 99',
      },
    });
    expect(Math.abs(event.UnixTimeInt - Date.now() / 1000)).toBeLessThan(60);

    // The same request retried: the same incident, no second row, no second event.
    const retried = await call('scteams.createIncidentWithoutAssignee', CREATE_BODY);
    expect(data(retried)['TaskId']).toBe(taskId);
    expect(retried.ok && retried.reply.message).toBe('Incident already created by an identical request');
    const { rows } = await harness.sql.query(
      `select count(*)::int as n from workforce.incidents where name = $1 and start_by = 1656588219`,
      ['Washroom essentials.'],
    );
    expect(rows[0].n).toBe(1);
    // A later event proves the relay has moved past the retry: still one for this incident.
    const later = await createOpen();
    await expectEventually(() => expect(eventsOf(later['TaskId'])).toHaveLength(1));
    expect(eventsOf(taskId)).toHaveLength(1);
  });

  it('creates concurrent identical requests once', async () => {
    const body = { Incident: { ...CREATE_BODY.Incident, Start: 1700000000, End: 1700000900 } };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call('scteams.createIncidentWithoutAssignee', body)),
    );
    const ids = new Set(answers.map((a) => data(a)['TaskId']));
    expect(ids.size).toBe(1);
    const { rows } = await harness.sql.query(
      'select count(*)::int as n from workforce.incidents where start_by = 1700000000',
    );
    expect(rows[0].n).toBe(1);
  });

  it('takes AutoAssigned as the documented string or a boolean, and defaults End by priority', async () => {
    const a = await createOpen({ AutoAssigned: 'true', End: undefined, Priority: 'H' });
    expect(a).toMatchObject({ AutoAssigned: true, End: a['Start'] + 900, Status: 'NOT_ASSIGNED' });
    const b = await createOpen({ AutoAssigned: true, Tasks: undefined });
    expect(b).toMatchObject({ AutoAssigned: true, Tasks: [], taskCount: 0 });
  });

  it('refuses malformed bodies naming the field, an unknown zone with 404, a read-only caller with 403, and writes nothing', async () => {
    const before = [
      await harness.count('incidents'),
      await harness.count('outbox'),
      await harness.count('incident_timeline'),
    ];
    const refusals = await Promise.all([
      call('scteams.createIncidentWithoutAssignee', {}),
      call('scteams.createIncidentWithoutAssignee', { Incident: 'x' }),
      call('scteams.createIncidentWithoutAssignee', { Incident: { ...CREATE_BODY.Incident, Priority: 'X' } }),
      call('scteams.createIncidentWithoutAssignee', {
        Incident: { ...CREATE_BODY.Incident, Name: undefined },
      }),
      call('scteams.createIncidentWithoutAssignee', { Incident: { ...CREATE_BODY.Incident, Start: -1 } }),
      call('scteams.createIncidentWithoutAssignee', { Incident: { ...CREATE_BODY.Incident, End: 1 } }),
      call('scteams.createIncidentWithoutAssignee', { Incident: { ...CREATE_BODY.Incident, Tasks: [{}] } }),
      call('scteams.createIncidentWithoutAssignee', {
        Incident: { ...CREATE_BODY.Incident, Zone: 'nozone' },
      }),
      call('scteams.createIncidentWithoutAssignee', CREATE_BODY, {
        caller: { accessKey: 'AK2', org: 'ACME', property: 'p1', role: 'read' },
      }),
      call('scteams.createIncidentWithoutAssignee', CREATE_BODY, { building: undefined, pid: 'scnoop' }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.code} ${r.message}`))).toEqual([
      'MISSING_PARAMETERS Incident: is required',
      'WRONG_PARAMETERS Incident: must be an object',
      'WRONG_PARAMETERS Incident.Priority: must be one of H, M, N, L',
      'MISSING_PARAMETERS Incident.Name: is required',
      'WRONG_PARAMETERS Incident.Start: must be epoch seconds (a non-negative integer)',
      'WRONG_PARAMETERS Incident.End: must not be before Incident.Start',
      'MISSING_PARAMETERS Incident.Tasks[0].Name: is required',
      'NOT_FOUND zone nozone not found',
      'IMPLICIT_DENY scteams.createIncidentWithoutAssignee needs a credential with write access',
      'MISSING_PARAMETERS scteams.createIncidentWithoutAssignee needs the building id in pid',
    ]);
    expect([
      await harness.count('incidents'),
      await harness.count('outbox'),
      await harness.count('incident_timeline'),
    ]).toEqual(before);
  });

  it('gets an open incident by id from the documented body, and 404s another zone or building', async () => {
    const { TaskId } = await createOpen();
    expect(
      data(await call('scteams.getUnassignedIncidentByID', { Incident: { TaskId, Zone: 'zoneid99' } })),
    ).toMatchObject({
      TaskId,
      Status: 'NOT_ASSIGNED',
    });
    expect(
      data(
        await call('scteams.getUnassignedIncidentByID', { incident: { taskid: TaskId, zone: 'zoneid99' } }),
      )['TaskId'],
    ).toBe(TaskId);
    expect(
      await call('scteams.getUnassignedIncidentByID', { Incident: { TaskId, Zone: 'zone7' } }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
      message: `incident ${TaskId} in zone zone7 not found`,
    });
    expect(
      await call(
        'scteams.getUnassignedIncidentByID',
        { Incident: { TaskId, Zone: 'zoneid99' } },
        { pid: 'b2', building: B2 },
      ),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await call('scteams.getUnassignedIncidentByID', { Incident: { TaskId: 'abc', Zone: 'zoneid99' } }),
    ).toMatchObject({
      ok: false,
      code: 'WRONG_PARAMETERS',
      message: 'Incident.TaskId: must be an incident id (13 to 19 digits)',
    });
  });

  it("lists a building's open incidents in a time range (documented body), not another building's", async () => {
    const inRange = await createOpen({ Start: 1800000000, End: 1800000900 });
    await createOpen({ Start: 1900000000, End: 1900000900 });
    const list = data(
      await call('scteams.getUnAssignedIncidentsInTRangeForGivenID', {
        StartTime: 1799999999,
        EndTime: 1805148100,
      }),
    );
    expect(list.map((i: any) => i.TaskId)).toEqual([inRange['TaskId']]);
    expect(
      data(
        await call(
          'scteams.getUnAssignedIncidentsInTRangeForGivenID',
          { StartTime: 1205148100, EndTime: 1805148100 },
          { pid: 'b2', building: B2 },
        ),
      ),
    ).toEqual([]);
    expect(
      await call('scteams.getUnAssignedIncidentsInTRangeForGivenID', { StartTime: 5, EndTime: 1 }),
    ).toMatchObject({
      ok: false,
      code: 'WRONG_PARAMETERS',
      message: 'EndTime: must not be before StartTime',
    });
    expect(await call('scteams.getUnAssignedIncidentsInTRangeForGivenID', null as never)).toMatchObject({
      ok: false,
    });
  });

  it('assigns, starts, completes and escalates along the lifecycle, refusing invalid transitions by rule, with one event each', async () => {
    const { TaskId } = await createOpen({ Priority: 'H' });
    const assignBody = { SeatId: SEAT, ShiftID: SEAT, zoneId: 'zoneid99', IncidentID: TaskId };
    const refused = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);

    expect(
      refused(await call('scteams.endUnassignedIncident', { IncidentId: TaskId, zoneId: 'zoneid99' })),
    ).toBe(
      `INVALID_TRANSITION incident ${TaskId} in zone zoneid99: an incident must be started before it is completed`,
    );
    expect(
      refused(await call('scteams.assignIncident', { ...assignBody, SeatId: 'p1_999', ShiftID: 'p1_999' })),
    ).toBe('NOT_FOUND seat p1_999 not found');
    expect(
      refused(
        await call('scteams.assignIncident', {
          ...assignBody,
          ShiftID: '20391490-1ffd-4ef7-a283-7dec06784b8f',
        }),
      ),
    ).toBe('NOT_FOUND shift 20391490-1ffd-4ef7-a283-7dec06784b8f not found');
    expect(data(await call('scteams.assignIncident', assignBody))).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: SEAT,
      ShiftId: SEAT,
    });
    expect(refused(await call('scteams.assignIncident', assignBody))).toBe(
      `INVALID_TRANSITION incident ${TaskId} in zone zoneid99: only an open (NOT_ASSIGNED) incident can be assigned`,
    );
    expect(
      data(await call('scteams.escalateUnassignedIncident', { zoneId: 'zoneid99', IncidentId: TaskId })),
    ).toMatchObject({
      EscalationLevel: 'L1',
      Status: 'ASSIGNED',
    });
    const started = data(
      await call('scteams.startUnassignedIncident', { SeatId: SEAT, IncidentId: TaskId, zoneId: 'zoneid99' }),
    );
    expect(started).toMatchObject({ Status: 'STARTED', SeatId: SEAT });
    expect(Math.abs(started['AStart'] - Date.now() / 1000)).toBeLessThan(60);
    const ended = data(
      await call('scteams.endUnassignedIncident', { IncidentId: TaskId, zoneId: 'zoneid99' }),
    );
    expect(ended).toMatchObject({ Status: 'COMPLETED', AStart: started['AStart'] });
    expect(ended['AEnd']).toBeGreaterThanOrEqual(started['AStart']);
    expect(
      refused(await call('scteams.escalateUnassignedIncident', { zoneId: 'zoneid99', IncidentId: TaskId })),
    ).toBe(`INVALID_TRANSITION incident ${TaskId} in zone zoneid99: a resolved incident cannot be escalated`);

    await expectEventually(() => expect(eventsOf(TaskId)).toHaveLength(5));
    expect(
      eventsOf(TaskId).map((e) => [
        e.subject,
        e.event.Meta['Status'],
        e.event.Meta['EscalationLevel'],
        (e.event.Meta['AStart'] as number) > 0,
        (e.event.Meta['AEnd'] as number) > 0,
      ]),
    ).toEqual([
      ['matrix.b1.scworkforcemanagement.INCIDENT_CREATED_OPEN.HIGH', 'NOT_ASSIGNED', 'L0', false, false],
      ['matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH', 'ASSIGNED', 'L0', false, false],
      ['matrix.b1.scworkforcemanagement.INCIDENT_ESCALATED.HIGH', 'ASSIGNED', 'L1', false, false],
      ['matrix.b1.scworkforcemanagement.INCIDENT_STARTED.NORMAL', 'STARTED', 'L1', true, false],
      ['matrix.b1.scworkforcemanagement.INCIDENT_COMPLETED.NORMAL', 'COMPLETED', 'L1', true, true],
    ]);
    for (const { event } of eventsOf(TaskId)) {
      expect(event).toMatchObject({
        Principal: 'b1',
        Entity: 'p1',
        PType: 'building',
        EType: 'property',
        Module: 'scworkforcemanagement',
      });
      expect(event.Meta).toMatchObject({
        TaskId,
        Priority: 'H',
        Zone: 'zoneid99',
        ZoneName: 'Washroom 99',
        Type: 'INCIDENT',
        By: 'KG',
      });
    }
    expect(eventsOf(TaskId)[1]!.event.Description).toBe(
      `Incident Washroom essentials. in Washroom 99 was assigned to ${SEAT}.`,
    );

    const timeline = data(
      await call('scteams.getIncidentTimeline', { zoneId: 'zoneid99', IncidentID: TaskId }),
    );
    expect(timeline.map((s: any) => [s.Action, s.From, s.Status, s.EscalationLevel, s.SeatId, s.By])).toEqual(
      [
        ['create-open', null, 'NOT_ASSIGNED', 'L0', 'tbp', 'AK1'],
        ['assign', 'NOT_ASSIGNED', 'ASSIGNED', 'L0', SEAT, 'AK1'],
        ['escalate', 'ASSIGNED', 'ASSIGNED', 'L1', SEAT, 'AK1'],
        ['start', 'ASSIGNED', 'STARTED', 'L1', SEAT, 'AK1'],
        ['end', 'STARTED', 'COMPLETED', 'L1', SEAT, 'AK1'],
      ],
    );
  });

  it('gives one success and one refusal for two concurrent conflicting transitions', async () => {
    for (let round = 0; round < 5; round++) {
      const { TaskId } = await createOpen();
      const answers = await Promise.all(
        [SEAT, OTHER_SEAT].map((seat) =>
          call('scteams.assignIncident', {
            SeatId: seat,
            ShiftID: seat,
            zoneId: 'zoneid99',
            IncidentId: TaskId,
          }),
        ),
      );
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
      expect(answers.filter((a) => !a.ok)).toEqual([
        {
          ok: false,
          code: 'INVALID_TRANSITION',
          message: `incident ${TaskId} in zone zoneid99: only an open (NOT_ASSIGNED) incident can be assigned`,
        },
      ]);
      const winner = data(answers.find((a) => a.ok)!);
      const { rows } = await harness.sql.query(
        'select seat_id, (select count(*)::int from workforce.incident_timeline t where t.task_id = i.task_id and transition = $2) as assigns from workforce.incidents i where task_id = $1',
        [TaskId, 'assign'],
      );
      expect(rows).toEqual([{ seat_id: winner['SeatId'], assigns: 1 }]);
    }
  });

  it('refuses an assignment to a seat deleted while the assignment waited for it, and assigns nothing', async () => {
    const doomed = 'p1_050';
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', 'kg', 'HOUSEKEEPING')`,
      [doomed],
    );
    const { TaskId } = await createOpen();
    // A seat delete in progress: it holds the seat (as SeatsRepository.delete does) and has counted no incidents yet.
    const deleter = new Client({ connectionString: harness.db.url });
    await deleter.connect();
    try {
      await deleter.query('begin');
      await deleter.query('select * from workforce.seats where seat_id = $1 for update', [doomed]);
      const assigning = call('scteams.assignIncident', {
        SeatId: doomed,
        ShiftID: doomed,
        zoneId: 'zoneid99',
        IncidentId: TaskId,
      });
      // The assignment's transaction waits for the seat.
      await expectEventually(async () => {
        const { rows } = await harness.sql.query(
          `select count(*)::int as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and query like '%for share%'`,
        );
        expect(rows[0].n).toBe(1);
      });
      await deleter.query('delete from workforce.seats where seat_id = $1', [doomed]);
      await deleter.query('commit');
      expect(await assigning).toEqual({ ok: false, code: 'NOT_FOUND', message: `seat ${doomed} not found` });
    } finally {
      await deleter.end();
    }
    const { rows } = await harness.sql.query(
      'select status, seat_id from workforce.incidents where task_id = $1',
      [TaskId],
    );
    expect(rows).toEqual([{ status: 'NOT_ASSIGNED', seat_id: 'tbp' }]);
  });

  describe('scteams.assignIncident to a shift (ShiftID a shift of the seat)', () => {
    /** A shift of `seatId` on day `day` (distinct days: a seat's shifts never overlap), inserted as the shift ops store it. */
    async function shift(seatId: string, status: string, day: number, pid = 'b1'): Promise<string> {
      const shiftId = randomUUID();
      const start = 1_800_000_000 + day * 86_400;
      await harness.sql.query(
        `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, a_start,
           status, breaks, zones, created_by, modified_by)
         values ($1, 'ACME', 'p1', $2, $3, 'Asia/Singapore', $4, $5, $6, $7, '[]', '{}', 'AK1', 'AK1')`,
        [shiftId, pid, seatId, start, start + 8 * 3600, status === 'STARTED' ? start : 0, status],
      );
      return shiftId;
    }
    const refused = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
    const stored = async (taskId: string) =>
      (
        await harness.sql.query(
          `select status, seat_id, shift_id, (select count(*)::int from workforce.incident_timeline t
             where t.task_id = i.task_id) as timeline from workforce.incidents i where task_id = $1`,
          [taskId],
        )
      ).rows[0];

    it('assigns to a PUBLISHED or STARTED shift of the seat (documented body, ShiftID and ShiftId), with INCIDENT_CREATED once', async () => {
      const published = await shift(SEAT, 'PUBLISHED', 0);
      const started = await shift(SEAT, 'STARTED', 1);
      const first = await createOpen();
      const assigned = data(
        await call('scteams.assignIncident', {
          SeatId: SEAT,
          ShiftID: published,
          zoneId: 'zoneid99',
          IncidentID: first['TaskId'],
        }),
      );
      expect(assigned).toMatchObject({ Status: 'ASSIGNED', SeatId: SEAT, ShiftId: published });
      expect(await stored(first['TaskId'])).toEqual({
        status: 'ASSIGNED',
        seat_id: SEAT,
        shift_id: published,
        timeline: 2,
      });
      await expectEventually(() =>
        expect(eventsOf(first['TaskId']).map((e) => e.event.Event)).toEqual([
          'INCIDENT_CREATED_OPEN',
          'INCIDENT_CREATED',
        ]),
      );
      const second = await createOpen();
      expect(
        data(
          await call('scteams.assignIncident', {
            seatId: SEAT,
            ShiftId: started,
            zoneId: 'zoneid99',
            IncidentId: second['TaskId'],
          }),
        ),
      ).toMatchObject({ Status: 'ASSIGNED', SeatId: SEAT, ShiftId: started });
    });

    it("refuses another seat's, another building's or no shift NOT_FOUND, a shift not PUBLISHED or STARTED by rule, and writes nothing", async () => {
      const { TaskId } = await createOpen();
      const body = { SeatId: SEAT, zoneId: 'zoneid99', IncidentID: TaskId };
      const othersShift = await shift(OTHER_SEAT, 'PUBLISHED', 10);
      const elsewhere = await shift(SEAT, 'PUBLISHED', 11, 'b2');
      for (const shiftId of [othersShift, elsewhere, randomUUID(), 'not-a-shift']) {
        expect(refused(await call('scteams.assignIncident', { ...body, ShiftID: shiftId }))).toBe(
          `NOT_FOUND shift ${shiftId} not found`,
        );
      }
      for (const [day, status] of [
        [12, 'COMPLETED'],
        [13, 'ABSENT'],
        [14, 'ON_LEAVE'],
        [15, 'UNPUBLISHED'],
      ] as const) {
        const shiftId = await shift(SEAT, status, day);
        expect(refused(await call('scteams.assignIncident', { ...body, ShiftID: shiftId }))).toBe(
          `INVALID_TRANSITION incident ${TaskId} in zone zoneid99: an incident is assigned only to a PUBLISHED ` +
            `or STARTED shift (shift ${shiftId} is ${status})`,
        );
      }
      expect(await stored(TaskId)).toEqual({
        status: 'NOT_ASSIGNED',
        seat_id: 'tbp',
        shift_id: 'tbp',
        timeline: 1,
      });
      // The seat-direct special case still assigns.
      expect(data(await call('scteams.assignIncident', { ...body, ShiftID: SEAT }))).toMatchObject({
        Status: 'ASSIGNED',
        SeatId: SEAT,
        ShiftId: SEAT,
      });
    });

    it('refuses an assignment to a shift ended while the assignment waited for it, and assigns nothing', async () => {
      const shiftId = await shift(SEAT, 'STARTED', 20);
      const { TaskId } = await createOpen();
      const ender = new Client({ connectionString: harness.db.url });
      await ender.connect();
      try {
        await ender.query('begin');
        await ender.query('select 1 from workforce.shifts where shift_id = $1 for update', [shiftId]);
        const assigning = call('scteams.assignIncident', {
          SeatId: SEAT,
          ShiftID: shiftId,
          zoneId: 'zoneid99',
          IncidentID: TaskId,
        });
        // The assignment's transaction (the incident locked) waits for the shift.
        await expectEventually(async () => {
          const { rows } = await harness.sql.query(
            `select count(*)::int as n from pg_stat_activity
             where datname = current_database() and wait_event_type = 'Lock'
               and query like 'select status from workforce.shifts%for share'`,
          );
          expect(rows[0].n).toBe(1);
        });
        await ender.query(`update workforce.shifts set status = 'COMPLETED' where shift_id = $1`, [shiftId]);
        await ender.query('commit');
        expect(refused(await assigning)).toBe(
          `INVALID_TRANSITION incident ${TaskId} in zone zoneid99: an incident is assigned only to a PUBLISHED ` +
            `or STARTED shift (shift ${shiftId} is COMPLETED)`,
        );
      } finally {
        await ender.end();
      }
      expect(await stored(TaskId)).toEqual({
        status: 'NOT_ASSIGNED',
        seat_id: 'tbp',
        shift_id: 'tbp',
        timeline: 1,
      });
    });

    it('creates an incident assigned to a PUBLISHED shift of the seat (createIncident, ShiftId the shift), refusing others and writing nothing', async () => {
      const published = await shift(SEAT, 'PUBLISHED', 40);
      const body = (shiftId: string, name: string) => ({
        Taskgroup: {
          SeatId: SEAT,
          ShiftId: shiftId,
          EventSource: 'Sensors',
          Start: 1_803_456_000,
          End: 1_803_459_600,
          Tasks: [{ Name: name }],
          Zone: 'zone7',
        },
      });
      const created = data(await call('scteams.createIncident', body(published, 'Onto the shift')));
      expect(created).toMatchObject({
        Status: 'ASSIGNED',
        SeatId: SEAT,
        ShiftId: published,
        Name: 'Onto the shift',
      });
      expect(await stored(created['TaskId'] as string)).toEqual({
        status: 'ASSIGNED',
        seat_id: SEAT,
        shift_id: published,
        timeline: 1,
      });
      await expectEventually(() => {
        const events = eventsOf(created['TaskId'] as string);
        expect(events.map((e) => e.event.Event)).toEqual(['INCIDENT_CREATED']);
        expect(events[0]!.event.Meta).toMatchObject({ Status: 'ASSIGNED', TaskId: created['TaskId'] });
      });

      const before = await harness.sql.query('select count(*)::int as n from workforce.incidents');
      const completed = await shift(SEAT, 'COMPLETED', 41);
      const othersShift = await shift(OTHER_SEAT, 'PUBLISHED', 42);
      const otherBuilding = await shift(SEAT, 'PUBLISHED', 43, 'b9');
      expect(refused(await call('scteams.createIncident', body(completed, 'Completed shift')))).toBe(
        `INVALID_TRANSITION Taskgroup.ShiftId: an incident is assigned only to a PUBLISHED or STARTED shift (shift ${completed} is COMPLETED)`,
      );
      expect(refused(await call('scteams.createIncident', body(othersShift, "Another seat's shift")))).toBe(
        `NOT_FOUND shift ${othersShift} not found`,
      );
      expect(refused(await call('scteams.createIncident', body(otherBuilding, 'Another building')))).toBe(
        `NOT_FOUND shift ${otherBuilding} not found`,
      );
      const after = await harness.sql.query('select count(*)::int as n from workforce.incidents');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });
  });

  it('escalates an open incident to L3 at most', async () => {
    const { TaskId } = await createOpen();
    const levels: string[] = [];
    for (let i = 0; i < 3; i++) {
      levels.push(
        data(await call('scteams.escalateUnassignedIncident', { ZoneID: 'zoneid99', IncidentID: TaskId }))[
          'EscalationLevel'
        ],
      );
    }
    expect(levels).toEqual(['L1', 'L2', 'L3']);
    expect(
      await call('scteams.escalateUnassignedIncident', { zoneId: 'zoneid99', IncidentId: TaskId }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `incident ${TaskId} in zone zoneid99: an incident escalates at most to L3`,
    });
    await expectEventually(() =>
      expect(eventsOf(TaskId).map((e) => e.event.Event)).toEqual([
        'INCIDENT_CREATED_OPEN',
        'INCIDENT_ESCALATED',
        'INCIDENT_ESCALATED',
        'INCIDENT_ESCALATED',
      ]),
    );
    expect(
      await call('scteams.escalateUnassignedIncident', {
        zoneId: 'zoneid99',
        IncidentId: '1658990379566880217',
      }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
      message: 'incident 1658990379566880217 in zone zoneid99 not found',
    });
  });

  it('adds, updates, lists and deletes comments with the documented bodies', async () => {
    const { TaskId } = await createOpen();
    const added = data(
      await call('scteams.updateIncidentComment', {
        IncidentId: TaskId,
        zoneId: 'zoneid99',
        IncidentComment: { Comment: 'this is the first updated comment.', UserName: 'kg' },
      }),
    );
    expect(added).toMatchObject({
      IncidentId: TaskId,
      Comment: 'this is the first updated comment.',
      UserName: 'kg',
    });
    expect(added['CommentId']).toMatch(/^[0-9a-f-]{36}$/);
    const updated = data(
      await call('scteams.updateIncidentComment', {
        IncidentId: TaskId,
        zoneId: 'zoneid99',
        IncidentComment: { CommentId: added['CommentId'], Comment: 'changed', UserName: 'kg' },
      }),
    );
    expect(updated).toMatchObject({ CommentId: added['CommentId'], Comment: 'changed' });
    await call('scteams.updateIncidentComment', {
      IncidentId: TaskId,
      zoneId: 'zoneid99',
      IncidentComment: { Comment: 'second', UserName: 'jo' },
    });
    const listed = data(await call('scteams.listIncidentComments', { IncidentId: TaskId }));
    expect(listed.map((c: any) => c.Comment)).toEqual(['changed', 'second']);

    // Refusals: unknown comment, another building, read-only deletion, an assigned incident's seat that does not match.
    expect(
      await call('scteams.updateIncidentComment', {
        IncidentId: TaskId,
        zoneId: 'zoneid99',
        IncidentComment: { CommentId: 'bc58c5ab-54e0-44e8-aa40-96fdf4420e60', Comment: 'x', UserName: 'kg' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
      message: 'comment bc58c5ab-54e0-44e8-aa40-96fdf4420e60 not found',
    });
    expect(
      await call('scteams.listIncidentComments', { IncidentId: TaskId }, { pid: 'b2', building: B2 }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await call('scteams.updateIncidentComment', {
        IncidentId: TaskId,
        ShiftID: SEAT,
        SeatId: SEAT,
        IncidentComment: { Comment: 'x', UserName: 'kg' },
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const deleteBody = { IncidentId: TaskId, IncidentComment: { CommentId: added['CommentId'] } };
    expect(
      await call('scteams.adminDeleteIncidentComment', deleteBody, {
        caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'write' },
      }),
    ).toMatchObject({ ok: false, code: 'IMPLICIT_DENY' });
    expect(data(await call('scteams.adminDeleteIncidentComment', deleteBody))).toEqual({
      IncidentId: TaskId,
      CommentId: added['CommentId'],
    });
    expect(await call('scteams.adminDeleteIncidentComment', deleteBody)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect(
      data(await call('scteams.listIncidentComments', { IncidentId: TaskId })).map((c: any) => c.Comment),
    ).toEqual(['second']);
  });

  it("pages a building's open incidents with LastEvaluatedKey, and lists one zone's", async () => {
    const created: string[] = [];
    for (let i = 0; i < 205; i++) {
      const zone = i % 50 === 0 ? 'zone7' : 'zoneid99';
      created.push((await createOpen({ Start: 2000000000 + i, End: 2000009999, Zone: zone }))['TaskId']);
    }
    const seen: string[] = [];
    let key: string | undefined;
    const pages: number[] = [];
    do {
      const answer = await call('scteams.getPaginatedListOfUnAssignedIncidents', {
        StartTime: 2000000000,
        EndTime: 2000001000,
        ...(key ? { LastEvaluatedKey: key } : {}),
      });
      if (!answer.ok) throw new Error(answer.message);
      const items = answer.reply.data as { TaskId: string }[];
      pages.push(items.length);
      seen.push(...items.map((i) => i.TaskId));
      key = answer.reply.extra?.['LastEvaluatedKey'] as string | undefined;
    } while (key);
    expect(pages).toEqual([100, 100, 5]);
    expect(seen).toEqual(created);
    expect(
      await call('scteams.getPaginatedListOfUnAssignedIncidents', {
        StartTime: 1616134038,
        EndTime: 1646719364,
        LastEvaluatedKey: 'ewogICJTdGFydCIgOiB7CiAgICAibiIgOiAiMTYyMDQ2ODM4MyIKICB9Cn0',
      }),
    ).toEqual({
      ok: false,
      code: 'WRONG_PARAMETERS',
      message: 'LastEvaluatedKey: is not a key this API returned',
    });
    // Our keys have the documented form; the documented example key is read as a position (after 1620468383).
    const first = await call('scteams.getPaginatedListOfUnAssignedIncidents', {
      StartTime: 2000000000,
      EndTime: 2000001000,
    });
    if (!first.ok) throw new Error(first.message);
    const ours = JSON.parse(
      Buffer.from(first.reply.extra?.['LastEvaluatedKey'] as string, 'base64').toString('utf8'),
    );
    expect(ours).toEqual({
      Start: { n: String(2000000000 + 99) },
      ID: { s: 'b1' },
      ATTR: { s: `attr#b1#zoneid99#${created[99]}` },
    });
    const documented = await call('scteams.getPaginatedListOfUnAssignedIncidents', {
      StartTime: 2000000000,
      EndTime: 2000001000,
      LastEvaluatedKey:
        'ewogICJTdGFydCIgOiB7CiAgICAibiIgOiAiMTYyMDQ2ODM4MyIKICB9LAogICJJRCIgOiB7CiAgICAicyIgOiAiUElEMSIKICB9LAogICJBVFRSIiA6IHsKICAgICJzIiA6ICJhdHRyI1BJRDEjem9uZWlkIzE2MjA0NjgzODMwMDAiCiAgfQp9',
    });
    if (!documented.ok) throw new Error(documented.message);
    expect((documented.reply.data as unknown[]).length).toBe(100);

    const inZone = data(
      await call('scteams.getUnassignedIncidentsForZone', {
        StartTime: 2000000000,
        EndTime: 2000001000,
        zoneId: 'zone7',
      }),
    );
    expect(inZone.map((i: any) => i.TaskId)).toEqual([
      created[0],
      created[50],
      created[100],
      created[150],
      created[200],
    ]);
    expect(
      await call('scteams.getUnassignedIncidentsForZone', {
        StartTime: 0,
        EndTime: 1666588219,
        zoneId: 'nozone',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'zone nozone not found' });
  });

  it('answers the tasks of an incident (documented body)', async () => {
    const { TaskId } = await createOpen({ Tasks: [{ Name: 'Wipe mirror.' }, { Name: 'Refill soap.' }] });
    expect(
      data(await call('scteams.getTasksForUnassignedIncident', { IncidentId: TaskId, zoneId: 'zoneid99' })),
    ).toEqual([
      { Name: 'Wipe mirror.', Done: false },
      { Name: 'Refill soap.', Done: false },
    ]);
    expect(
      await call('scteams.getTasksForUnassignedIncident', {
        IncidentId: '1620209183011',
        zoneId: 'zoneid99',
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('creates an incident assigned to a seat from the documented body (ShiftId == SeatId), with INCIDENT_CREATED, and escalates it', async () => {
    const body = {
      Taskgroup: {
        SeatId: SEAT,
        ShiftId: SEAT,
        EventSource: 'Sensors',
        Start: 1660432080,
        End: 1660430080,
        PropID: 'p1',
        Tasks: [{ Name: 'Clean floor.' }, { Name: 'Mop floor' }],
        ZoneName: 'Zone name',
        ZoneCatId: 'MEETING_ROOMS',
        Zone: 'zone7',
      },
    };
    const created = data(await call('scteams.createIncident', body));
    expect(created).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: SEAT,
      ShiftId: SEAT,
      Name: 'Clean floor.',
      Priority: 'N',
      Start: 1660432080,
      End: 1660430080,
      Zone: 'zone7',
      ZoneName: 'Pantry',
      ZoneCatId: 'MEETING_ROOMS',
      EventSource: 'Sensors',
      taskCount: 2,
    });
    const taskId = created['TaskId'] as string;
    expect(data(await call('scteams.createIncident', body))['TaskId']).toBe(taskId);

    const refusals = await Promise.all([
      call('scteams.createIncident', {
        Taskgroup: { ...body.Taskgroup, ShiftId: 'd4ca22ec-900d-4e7a-86ce-96144b7205e5' },
      }),
      call('scteams.createIncident', { Taskgroup: { ...body.Taskgroup, PropID: 'SONY' } }),
      call('scteams.createIncident', {
        Taskgroup: { ...body.Taskgroup, SeatId: 'p1_999', ShiftId: 'p1_999' },
      }),
      call('scteams.createIncident', { Taskgroup: { ...body.Taskgroup, SeatId: undefined } }),
      call('scteams.escalateIncidentStatusForType', {
        ShiftID: SEAT,
        SeatId: SEAT,
        IncidentId: taskId,
        EscalationType: 'later',
      }),
      call('scteams.escalateIncidentStatusForType', {
        ShiftID: OTHER_SEAT,
        SeatId: OTHER_SEAT,
        IncidentId: taskId,
        EscalationType: 'startTime',
      }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.code} ${r.message}`))).toEqual([
      'NOT_FOUND shift d4ca22ec-900d-4e7a-86ce-96144b7205e5 not found',
      'NOT_FOUND property SONY not found',
      'NOT_FOUND seat p1_999 not found',
      'MISSING_PARAMETERS Taskgroup.SeatId: is required',
      'WRONG_PARAMETERS EscalationType: must be one of unassigned, startTime, dueTime',
      `NOT_FOUND incident ${taskId} not found`,
    ]);

    expect(
      data(
        await call('scteams.escalateIncidentStatusForType', {
          ShiftID: SEAT,
          SeatId: SEAT,
          IncidentId: taskId,
          EscalationType: 'startTime',
        }),
      ),
    ).toMatchObject({ EscalationLevel: 'L1', Status: 'ASSIGNED' });
    await expectEventually(() =>
      expect(eventsOf(taskId).map((e) => e.subject)).toEqual([
        'matrix.b1.scworkforcemanagement.INCIDENT_CREATED.HIGH',
        'matrix.b1.scworkforcemanagement.INCIDENT_ESCALATED.HIGH',
      ]),
    );
    expect(eventsOf(taskId)[0]!.event.Meta).toEqual({
      AEnd: 0,
      AStart: 0,
      By: '',
      End: 1660430080,
      EscalationLevel: 'L0',
      Name: 'Clean floor.',
      Priority: 'N',
      SourceDeviceIdentifier: [],
      Start: 1660432080,
      Status: 'ASSIGNED',
      TaskId: taskId,
      Type: 'INCIDENT',
      Zone: 'zone7',
      ZoneName: 'Pantry',
    });
    const timeline = data(await call('scteams.getIncidentTimeline', { zoneId: 'zone7', IncidentID: taskId }));
    expect(timeline.map((s: any) => [s.Action, s.Status, s.SeatId])).toEqual([
      ['create-assigned', 'ASSIGNED', SEAT],
      ['escalate', 'ASSIGNED', SEAT],
    ]);
  });

  it('numbers new seats after the last of the property, lists and updates them; an inactive seat is not assigned', async () => {
    const created = await harness.commands.request(SEAT_COMMANDS.create, {
      org: 'ACME',
      propId: 'p1',
      input: { userName: 'Jo', userGroup: 'HOUSEKEEPING' },
    });
    expect(created).toMatchObject({
      seatId: 'p1_009',
      org: 'ACME',
      propId: 'p1',
      userName: 'Jo',
      status: 'ACTIVE',
    });
    const other = await harness.commands.request(SEAT_COMMANDS.create, {
      org: 'OTHER',
      propId: 'p2',
      input: { userName: 'Al', userGroup: 'FM', status: 'INACTIVE' },
    });
    expect(other.seatId).toBe('p2_001');
    const { items } = await harness.commands.request(SEAT_COMMANDS.list, { org: 'ACME', propId: 'p1' });
    expect(items.map((seat) => seat.seatId)).toEqual([SEAT, OTHER_SEAT, 'p1_009']);
    expect(
      await harness.commands.request(SEAT_COMMANDS.update, {
        org: 'ACME',
        propId: 'p1',
        seatId: 'p1_009',
        input: { status: 'INACTIVE' },
      }),
    ).toMatchObject({ seatId: 'p1_009', userName: 'Jo', status: 'INACTIVE' });
    await expect(
      harness.commands.request(SEAT_COMMANDS.update, {
        org: 'ACME',
        propId: 'p1',
        seatId: 'p2_001',
        input: {},
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'seat p2_001 not found' });
    const { TaskId } = await createOpen();
    expect(
      await call('scteams.assignIncident', {
        SeatId: 'p1_009',
        ShiftID: 'p1_009',
        zoneId: 'zoneid99',
        IncidentId: TaskId,
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'seat p1_009 not found' });
  });

  it('admin-updates an incident zone and details with the documented bodies, refusing resolved incidents and non-admins', async () => {
    const { TaskId } = await createOpen();
    const moved = data(
      await call('scteams.adminUpdateIncidentZone', {
        Incident: { TaskId, Zone: 'zoneid99' },
        zoneId: 'zone7',
        ZoneName: 'zone name',
        ZoneCategoryId: 'zone category id',
      }),
    );
    expect(moved).toMatchObject({ TaskId, Zone: 'zone7', ZoneName: 'Pantry', ZoneCatId: 'zone category id' });
    const updated = data(
      await call('scteams.adminUpdateIncidentBulk', {
        zoneId: 'zone7',
        IncidentId: TaskId,
        UpdateIncident: {
          Details: { Name: 'Clean mirron', Description: 'clean mirror new', Priority: 'L' },
          Zones: { NewZoneId: '', NewZoneName: 'new zone', NewZoneCatId: 'new zone cat' },
        },
      }),
    );
    expect(updated).toMatchObject({
      Name: 'Clean mirron',
      Description: 'clean mirror new',
      Priority: 'L',
      Zone: 'zone7',
    });
    const rezoned = data(
      await call('scteams.adminUpdateIncidentBulk', {
        zoneId: 'zone7',
        IncidentId: TaskId,
        UpdateIncident: { Zones: { NewZoneId: 'zoneid99' } },
      }),
    );
    expect(rezoned).toMatchObject({
      Name: 'Clean mirron',
      Zone: 'zoneid99',
      ZoneName: 'Washroom 99',
      ZoneCatId: 'cat-wash',
    });
    const before = await harness.count('outbox');
    const refusals = await Promise.all([
      call('scteams.adminUpdateIncidentBulk', {
        zoneId: 'zoneid99',
        IncidentId: TaskId,
        UpdateIncident: { Details: { Priority: 'Z' } },
      }),
      call('scteams.adminUpdateIncidentZone', { Incident: { TaskId, Zone: 'zoneid99' }, zoneId: 'nozone' }),
      call('scteams.adminUpdateIncidentZone', { Incident: { TaskId, Zone: 'zone7' }, zoneId: 'zoneid99' }),
      call(
        'scteams.adminUpdateIncidentBulk',
        { zoneId: 'zoneid99', IncidentId: TaskId, UpdateIncident: { Details: { Name: 'x' } } },
        { caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'write' } },
      ),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.code} ${r.message}`))).toEqual([
      'WRONG_PARAMETERS UpdateIncident.Details.Priority: must be one of H, M, N, L',
      'NOT_FOUND zone nozone not found',
      `NOT_FOUND incident ${TaskId} in zone zone7 not found`,
      'IMPLICIT_DENY scteams.adminUpdateIncidentBulk needs a credential with admin access',
    ]);
    expect(await harness.count('outbox')).toBe(before);

    await call('scteams.startUnassignedIncident', { SeatId: SEAT, IncidentId: TaskId, zoneId: 'zoneid99' });
    await call('scteams.endUnassignedIncident', { IncidentId: TaskId, zoneId: 'zoneid99' });
    expect(
      await call('scteams.adminUpdateIncidentBulk', {
        zoneId: 'zoneid99',
        IncidentId: TaskId,
        UpdateIncident: { Details: { Name: 'late' } },
      }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `incident ${TaskId} in zone zoneid99: a resolved incident cannot be changed`,
    });
  });

  it('admin-deletes an incident with its comments and timeline (documented body)', async () => {
    const { TaskId } = await createOpen();
    await call('scteams.assignIncident', {
      SeatId: SEAT,
      ShiftID: SEAT,
      zoneId: 'zoneid99',
      IncidentId: TaskId,
    });
    await call('scteams.updateIncidentComment', {
      IncidentId: TaskId,
      zoneId: 'zoneid99',
      IncidentComment: { Comment: 'c', UserName: 'kg' },
    });
    expect(
      await call('scteams.adminDeleteIncident', {
        IncidentID: TaskId,
        SeatId: OTHER_SEAT,
        ShiftID: OTHER_SEAT,
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(
      await call(
        'scteams.adminDeleteIncident',
        { IncidentID: TaskId, SeatId: SEAT, ShiftID: SEAT },
        { caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'write' } },
      ),
    ).toMatchObject({ ok: false, code: 'IMPLICIT_DENY' });
    expect(
      data(await call('scteams.adminDeleteIncident', { IncidentID: TaskId, SeatId: SEAT, ShiftID: SEAT })),
    ).toEqual({ IncidentId: TaskId });
    const { rows } = await harness.sql.query(
      `select (select count(*)::int from workforce.incidents where task_id = $1) as i,
              (select count(*)::int from workforce.incident_comments where task_id = $1) as c,
              (select count(*)::int from workforce.incident_timeline where task_id = $1) as t`,
      [TaskId],
    );
    expect(rows[0]).toEqual({ i: 0, c: 0, t: 0 });
    expect(
      await call('scteams.adminDeleteIncident', { IncidentID: TaskId, SeatId: SEAT, ShiftID: SEAT }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('admin-reassigns an assigned incident to another seat or back to open (documented bodies), with events, refusing by rule', async () => {
    const { TaskId } = await createOpen({ Priority: 'M' });
    await call('scteams.assignIncident', {
      SeatId: SEAT,
      ShiftID: SEAT,
      zoneId: 'zoneid99',
      IncidentId: TaskId,
    });
    await call('scteams.escalateUnassignedIncident', { zoneId: 'zoneid99', IncidentId: TaskId });
    const toSeat = {
      IncidentID: TaskId,
      StartTime: 1659745800,
      EndTime: 1659746000,
      ShiftID: SEAT,
      SeatId: SEAT,
      NewSeatId: OTHER_SEAT,
      NewShiftId: OTHER_SEAT,
    };
    const refusals = await Promise.all([
      call('scteams.adminReassignIncident', {
        ...toSeat,
        NewShiftId: '20391490-1ffd-4ef7-a283-7dec06784b8f',
      }),
      call('scteams.adminReassignIncident', { ...toSeat, NewSeatId: 'p1_999', NewShiftId: 'p1_999' }),
      call('scteams.adminReassignIncident', { ...toSeat, SeatId: OTHER_SEAT, ShiftID: OTHER_SEAT }),
      call('scteams.adminReassignIncident', { ...toSeat, EndTime: 1 }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.code} ${r.message}`))).toEqual([
      'NOT_FOUND shift 20391490-1ffd-4ef7-a283-7dec06784b8f not found',
      'NOT_FOUND seat p1_999 not found',
      `NOT_FOUND incident ${TaskId} not found`,
      'WRONG_PARAMETERS EndTime: must not be before StartTime',
    ]);
    expect(data(await call('scteams.adminReassignIncident', toSeat))).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: OTHER_SEAT,
      ShiftId: OTHER_SEAT,
      Start: 1659745800,
      End: 1659746000,
      EscalationLevel: 'L0',
    });
    const toOpen = {
      IncidentID: TaskId,
      StartTime: 1659745800,
      EndTime: 1659746000,
      ShiftID: OTHER_SEAT,
      SeatId: OTHER_SEAT,
    };
    expect(data(await call('scteams.adminReassignIncident', toOpen))).toMatchObject({
      Status: 'NOT_ASSIGNED',
      SeatId: 'tbp',
      ShiftId: 'tbp',
    });
    expect(
      await call('scteams.adminReassignIncident', { ...toOpen, ShiftID: 'tbp', SeatId: 'tbp' }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `incident ${TaskId}: an open incident is assigned, not reassigned`,
    });
    await expectEventually(() =>
      expect(eventsOf(TaskId).map((e) => [e.event.Event, e.event.Meta['Status']])).toEqual([
        ['INCIDENT_CREATED_OPEN', 'NOT_ASSIGNED'],
        ['INCIDENT_CREATED', 'ASSIGNED'],
        ['INCIDENT_ESCALATED', 'ASSIGNED'],
        ['INCIDENT_CREATED', 'ASSIGNED'],
        ['INCIDENT_CREATED_OPEN', 'NOT_ASSIGNED'],
      ]),
    );

    // A completed incident is not reassigned while ALLOW_REASSIGNMENT_RESOLVED is 0 (its documented default).
    await call('scteams.startUnassignedIncident', { SeatId: SEAT, IncidentId: TaskId, zoneId: 'zoneid99' });
    await call('scteams.endUnassignedIncident', { IncidentId: TaskId, zoneId: 'zoneid99' });
    expect(await call('scteams.adminReassignIncident', { ...toSeat })).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `incident ${TaskId}: a completed incident is not reassigned (incident setting ALLOW_REASSIGNMENT_RESOLVED is 0)`,
    });
  });

  it("replaces an open incident's attachments (documented body), naming bad entries", async () => {
    const { TaskId } = await createOpen();
    expect(
      data(
        await call('scteams.updateUnassignedIncidentAttachments', {
          IncidentId: TaskId,
          zoneId: 'zoneid99',
          Attachments: ['ghi', 'jkl'],
        }),
      ),
    ).toMatchObject({ TaskId, Attachments: ['ghi', 'jkl'] });
    expect(
      data(await call('scteams.getUnassignedIncidentByID', { Incident: { TaskId, Zone: 'zoneid99' } }))[
        'Attachments'
      ],
    ).toEqual(['ghi', 'jkl']);
    const refusals = await Promise.all([
      call('scteams.updateUnassignedIncidentAttachments', { IncidentId: TaskId, zoneId: 'zoneid99' }),
      call('scteams.updateUnassignedIncidentAttachments', {
        IncidentId: TaskId,
        zoneId: 'zoneid99',
        Attachments: ['a', 7],
      }),
      call('scteams.updateUnassignedIncidentAttachments', {
        IncidentId: TaskId,
        zoneId: 'zone7',
        Attachments: [],
      }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.code} ${r.message}`))).toEqual([
      'MISSING_PARAMETERS Attachments: is required',
      'WRONG_PARAMETERS Attachments[1]: must be a URL of at most 2048 characters',
      `NOT_FOUND incident ${TaskId} in zone zone7 not found`,
    ]);
    expect(
      data(await call('scteams.getUnassignedIncidentByID', { Incident: { TaskId, Zone: 'zoneid99' } }))[
        'Attachments'
      ],
    ).toEqual(['ghi', 'jkl']);
  });

  it("lists a property's open incidents (documented body), by the building's property or the resolved one", async () => {
    const mine = [
      await createOpen({ Start: 2100000001, End: 2100009999 }),
      await createOpen({ Start: 2100000002, End: 2100009999 }),
    ].map((i) => i['TaskId']);
    await call(
      'scteams.createIncidentWithoutAssignee',
      { Incident: { ...CREATE_BODY.Incident, Start: 2100000003, End: 2100009999 } },
      { pid: 'b2', building: B2, caller: { accessKey: 'AK9', org: 'OTHER', property: 'p2', role: 'admin' } },
    );
    const body = { StartTime: 2100000000, EndTime: 2100001000 };
    const viaProperty = { pid: 'scnoop', building: undefined, property: { org: 'ACME', propId: 'p1' } };
    expect(
      data(await call('scteams.getUnassignedIncidentsForProperty', body, viaProperty)).map(
        (i: any) => i.TaskId,
      ),
    ).toEqual(mine);
    expect(
      data(await call('scteams.getUnassignedIncidentsForProperty', body)).map((i: any) => i.TaskId),
    ).toEqual(mine);
    const paged = await call(
      'scteams.getUnassignedIncidentsForProperty',
      { ...body, GetPaginated: true },
      viaProperty,
    );
    expect(paged.ok && (paged.reply.data as any[]).map((i) => i.TaskId)).toEqual(mine);
    expect(paged.ok && paged.reply.extra).toBeUndefined();
    expect(
      await call('scteams.getUnassignedIncidentsForProperty', body, { pid: 'scnoop', building: undefined }),
    ).toEqual({
      ok: false,
      code: 'MISSING_PARAMETERS',
      message: 'scteams.getUnassignedIncidentsForProperty needs propid',
    });
  });

  // Last: it changes building b1's settings.
  it("serves a building's incident settings over the documented defaults, and uses them", async () => {
    const defaults = data(await call('scteams.getIncidentsSettings', {}))['IncidentSettings'];
    expect(Object.keys(defaults)).toHaveLength(14);
    expect(defaults['INCIDENT_HIGH_TIMEOUT']).toEqual({
      Type: 'Long',
      LongValue: 900,
      Unit: 'seconds',
      Description: 'Due time of H incidents.',
    });
    expect(defaults['ALLOW_REASSIGNMENT_RESOLVED']).toMatchObject({ Type: 'Boolean', BooleanValue: false });

    const documented = {
      IncidentSettings: {
        IncidentSettings: {
          TASK_CLOSURE_PIC_COMPULSORY: {
            BooleanValue: false,
            Description:
              'If this is set to true, users must upload a picture before they can close the task.',
            Type: 'Boolean',
          },
          INCIDENT_LOW_TIMEOUT: { LongValue: 120, Type: 'Long' },
          ALLOW_DELETION_OPEN_INCIDENTS: { BooleanValue: false },
        },
      },
    };
    const updated = data(await call('scteams.updateIncidentsSettings', documented))['IncidentSettings'];
    expect(updated['TASK_CLOSURE_PIC_COMPULSORY']).toMatchObject({ Type: 'Boolean', BooleanValue: false });
    expect(Math.abs(updated['INCIDENT_LOW_TIMEOUT'].LastModifiedOn - Date.now() / 1000)).toBeLessThan(60);
    expect(
      data(await call('scteams.getIncidentsSettings', {}, { pid: 'b2', building: B2 }))['IncidentSettings'][
        'INCIDENT_LOW_TIMEOUT'
      ],
    ).toMatchObject({ LongValue: 3600 });

    const low = await createOpen({ Priority: 'L', End: undefined });
    expect(low['End']).toBe(low['Start'] + 120);
    expect(await call('scteams.adminDeleteIncident', { IncidentID: low['TaskId'] })).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: `incident ${low['TaskId']}: deletion is off (incident setting ALLOW_DELETION_OPEN_INCIDENTS)`,
    });

    const settingsBody = (settings: Record<string, unknown>) => ({
      IncidentSettings: { IncidentSettings: settings },
    });
    const refusals = await Promise.all([
      call('scteams.updateIncidentsSettings', settingsBody({ NO_SUCH_SETTING: { BooleanValue: true } })),
      call('scteams.updateIncidentsSettings', settingsBody({ INCIDENT_LOW_TIMEOUT: { LongValue: -5 } })),
      call(
        'scteams.updateIncidentsSettings',
        settingsBody({ INCIDENT_LOW_TIMEOUT: { LongValue: 5, Type: 'Boolean' } }),
      ),
      call(
        'scteams.updateIncidentsSettings',
        settingsBody({ AUTO_ASSIGN_INCIDENTS: { BooleanValue: 'yes' } }),
      ),
      call('scteams.updateIncidentsSettings', {}),
      call('scteams.updateIncidentsSettings', settingsBody({ INCIDENT_LOW_TIMEOUT: { LongValue: 5 } }), {
        caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'write' },
      }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.code} ${r.message}`))).toEqual([
      'WRONG_PARAMETERS IncidentSettings.IncidentSettings.NO_SUCH_SETTING: is not an incident setting',
      'WRONG_PARAMETERS IncidentSettings.IncidentSettings.INCIDENT_LOW_TIMEOUT.LongValue: must be a non-negative integer',
      'WRONG_PARAMETERS IncidentSettings.IncidentSettings.INCIDENT_LOW_TIMEOUT.Type: must be Long',
      'WRONG_PARAMETERS IncidentSettings.IncidentSettings.AUTO_ASSIGN_INCIDENTS.BooleanValue: must be true or false',
      'MISSING_PARAMETERS IncidentSettings: is required',
      'IMPLICIT_DENY scteams.updateIncidentsSettings needs a credential with admin access',
    ]);
    expect(
      data(await call('scteams.getIncidentsSettings', {}))['IncidentSettings']['INCIDENT_LOW_TIMEOUT'],
    ).toMatchObject({ LongValue: 120 });

    const system = data(
      await call(
        'scteams.getSystemIncidentSettings',
        { IncidentSettings: { IncidentSettings: { ALLOW_DELETION_OPEN_INCIDENTS: {} } } },
        { pid: 'scnoop', building: undefined },
      ),
    );
    expect(system).toEqual({
      IncidentSettings: {
        ALLOW_DELETION_OPEN_INCIDENTS: {
          Type: 'Boolean',
          BooleanValue: true,
          Description: 'Open incidents may be deleted.',
        },
      },
    });
    expect(
      Object.keys(data(await call('scteams.getSystemIncidentSettings', {}))['IncidentSettings']),
    ).toHaveLength(14);
    expect(
      await call('scteams.getSystemIncidentSettings', {
        IncidentSettings: { IncidentSettings: { NOPE: {} } },
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND', message: 'incident setting NOPE not found' });
  });
});
