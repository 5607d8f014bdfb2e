import type { ActionBuildingV1, ActionCommandV1 } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The shift ops on a real NATS and PostgreSQL, with the documented request bodies of the Matrix
 * documentation (Appendix A, copied as they are; only the ShiftIds and TaskIds the service generated are
 * put in place of the documented ones), as the gateway forwards them: building and zones resolved.
 * A test clock (standing still unless moved) and a slow timer loop: the shift timer has its own spec.
 */

/** The property of most documented examples, and its seats. */
const PROP = '3b749a681d14446292b6c79b48403bbd';
const building = (propId: string, timeZone = 'Asia/Singapore', pid = 'b1'): ActionBuildingV1 => ({
  pid,
  org: 'ACME',
  propId,
  name: 'HQ',
  timeZone,
});
const DOC = building(PROP);
const TEST_PROP = building('testpropertyid');
const SONY = building('SONY');
const OTHER_TENANT = { ...building(PROP, 'Asia/Singapore', 'b2'), org: 'OTHER' };
const ZONE = '71d899661d5645acb0b8f8030e26fc35';
const ZONES = {
  [ZONE]: { name: 'M Room 2', categoryId: 'MEETING_ROOMS' },
  zoneid1: { name: 'Lobby', categoryId: null },
  zoneid2: { name: 'Pantry', categoryId: 'PANTRY' },
};
const SEATS = [`${PROP}_002`, `${PROP}_003`, `${PROP}_007`, `${PROP}_008`, 'testpropertyid_001', 'SONY_001'];

/** The documented body of `scteams.createShift`. */
const CREATE_BODY = {
  SeatId: 'testpropertyid_001',
  Repeat: { RepeatDates: ['20220909'] },
  Schedule: [
    {
      shift: {
        Cost: { U: 'SGD', V: 225 },
        Breaks: [{ DurationInSeconds: 120, IsPlannedBreak: false, Type: 'meal_break' }],
        End: 1662033600,
        Start: 1662022800,
        TimeZone: 'Asia/Singapore',
        Zones: { '71d899661d5645acb0b8f8030e26fc35': 'M Room 2' },
        Description: '',
      },
      taskGroup: [
        {
          End: 1662023800,
          Name: 'TG3- Clean Meeting Room',
          Priority: 'L',
          Start: 1662022800,
          Tasks: [{ Name: 'Task 1- Clean floor' }, { Name: 'Task 6- Clean doors' }],
          TimeZone: 'Asia/Singapore',
          Type: 'TASK',
          Zone: '71d899661d5645acb0b8f8030e26fc35',
          ZoneCatId: 'MEETING_ROOMS',
          ZoneName: 'zone-name1',
        },
        {
          End: 1662024800,
          Name: 'TG3- Clean Meeting Room',
          Priority: 'L',
          Start: 1662023800,
          Tasks: [{ Name: 'Task 1- Clean floor' }, { Name: 'Task 6- Clean doors' }],
          TimeZone: 'Asia/Singapore',
          Type: 'TASK',
          Zone: '71d899661d5645acb0b8f8030e26fc35',
          ZoneCatId: 'MEETING_ROOMS',
          ZoneName: 'zone-name1',
        },
      ],
    },
  ],
  Publish: false,
};

describe('incident-service: the shift ops', () => {
  const clock = new TestClock();
  const harness = new WorkforceHarness('shifts', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  /** A fresh hour for each test's shifts, so no two tests' shifts overlap. */
  let slot = 0;

  beforeAll(async () => {
    await harness.start();
    for (const seat of SEATS) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', $2, 'kg', 'HOUSEKEEPING')`,
        [seat, seat.slice(0, seat.lastIndexOf('_'))],
      );
    }
  }, 60_000);
  afterAll(() => harness.stop());

  const call = (
    op: string,
    args: Record<string, unknown>,
    b: ActionBuildingV1 = DOC,
    extra: Partial<ActionCommandV1> = {},
  ): Promise<Answer> =>
    harness.call(workforceCommand(op, args, ZONES, { pid: b.pid, propid: b.propId, building: b, ...extra }));
  const data = dataOf;
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  const now = () => Math.floor(clock.now().getTime() / 1000);
  const asRead = { caller: { accessKey: 'AK2', org: 'ACME', property: null, role: 'read' as const } };
  const asWrite = { caller: { accessKey: 'AK3', org: 'ACME', property: null, role: 'write' as const } };
  const counts = async () => ({
    shifts: await harness.count('shifts'),
    taskGroups: await harness.count('task_groups'),
    outbox: await harness.count('outbox'),
  });
  const stored = async (shiftId: string) =>
    (
      await harness.sql.query(
        `select status, delayed, a_start::int, a_end::int, timer_kind, extract(epoch from timer_at)::bigint::int as timer_at
         from workforce.shifts where shift_id = $1`,
        [shiftId],
      )
    ).rows[0];
  const eventsOf = (shiftId: string, eventId?: string) =>
    harness.events.filter(
      (e) =>
        (eventId === undefined || e.event.Event === eventId) &&
        (e.event.Meta['ShiftId'] === shiftId ||
          ((e.event.Meta['Shifts'] as { ShiftId: string }[] | undefined) ?? []).some(
            (s) => s.ShiftId === shiftId,
          )),
    );

  /** A shift of `seat` planned an hour from a fresh slot, created PUBLISHED (or not). */
  const plan = async (
    seat = `${PROP}_007`,
    options: { publish?: boolean; startIn?: number; b?: ActionBuildingV1 } = {},
  ) => {
    slot += 1;
    const start = now() + (options.startIn ?? 3600) + slot * 7 * 3600;
    const shifts = data(
      await call(
        'scteams.createShift',
        {
          SeatId: seat,
          Schedule: [{ shift: { Start: start, End: start + 3 * 3600, Zones: { zoneid1: 'Lobby' } } }],
          Publish: options.publish ?? true,
        },
        options.b ?? DOC,
      ),
    ) as { ShiftId: string; Start: number; End: number }[];
    return shifts[0]!;
  };

  it('answers an op it does not serve exactly as the gateway answers an unknown op', async () => {
    expect(refusal(await call('scteams.notAnOperation', { StartTime: 1, EndTime: 2 }))).toBe(
      'UNKNOWN_OPERATION scteams.notAnOperation is not an operation of module scworkforcemanagement; see GET /prod/v2/operations',
    );
  });

  it('creates the shift of the documented body and its repeat on 20220909, with task groups, unpublished and without events', async () => {
    const before = await counts();
    const answer = await call('scteams.createShift', CREATE_BODY, TEST_PROP);
    expect(answer.ok && answer.reply.message).toBe('2 shift(s) created');
    const [first, repeat] = data(answer) as Record<string, any>[];
    expect(first!['ShiftId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).toEqual({
      ID: 'b1',
      ATTR: `attr#b1#testpropertyid_001#${first!['ShiftId']}`,
      ShiftId: first!['ShiftId'],
      SeatId: 'testpropertyid_001',
      Org: 'ACME',
      PropID: 'testpropertyid',
      Start: 1662022800,
      End: 1662033600,
      AStart: 0,
      AEnd: 0,
      ActualDurationInSeconds: 0,
      ShiftDurationInSeconds: 10800,
      Duration: 'PT3H',
      LocalTime: '20220901170000',
      TimeZone: 'Asia/Singapore',
      Status: 'UNPUBLISHED',
      Delayed: false,
      Adhoc: false,
      Breaks: [
        {
          ID: '0001',
          Type: 'meal_break',
          Notes: '',
          IsPlannedBreak: false,
          Scheduled: true,
          DurationInSeconds: 120,
          Start: 0,
          End: 0,
          AStart: 0,
          AEnd: 0,
        },
      ],
      Coordinates: { ClockIn: { Latitude: -1, Longitude: -1 }, ClockOut: { Latitude: -1, Longitude: -1 } },
      Cost: { U: 'SGD', V: 225 },
      TaskGroups: [expect.stringMatching(/^[0-9]{19}$/), expect.stringMatching(/^[0-9]{19}$/)],
      TaskGroupsCount: 2,
      Zones: { [ZONE]: 'M Room 2' },
      Description: '',
      CreatedBy: 'AK1',
      CreatedOn: now(),
      ModifiedBy: 'AK1',
      ModifiedOn: now(),
    });
    // The repeat: the same wall clock (17:00–20:00 Singapore) on 2022-09-09, its task groups moved with it.
    expect(repeat).toMatchObject({
      Start: 1662022800 + 8 * 86400,
      End: 1662033600 + 8 * 86400,
      LocalTime: '20220909170000',
      Status: 'UNPUBLISHED',
      TaskGroupsCount: 2,
    });
    const { rows: groups } = await harness.sql.query(
      `select shift_id::text, status, name, priority, zone_id, zone_name, zone_category_id, start_at::int, end_at::int, tasks, type
       from workforce.task_groups where shift_id = any($1::uuid[]) order by start_at, task_id`,
      [[first!['ShiftId'], repeat!['ShiftId']]],
    );
    expect(groups).toHaveLength(4);
    expect(groups[0]).toEqual({
      shift_id: first!['ShiftId'],
      status: 'UNPUBLISHED',
      name: 'TG3- Clean Meeting Room',
      priority: 'L',
      zone_id: ZONE,
      zone_name: 'M Room 2',
      zone_category_id: 'MEETING_ROOMS',
      start_at: 1662022800,
      end_at: 1662023800,
      tasks: [
        { Name: 'Task 1- Clean floor', Done: false, T: -1, Comments: '', Attachments: [] },
        { Name: 'Task 6- Clean doors', Done: false, T: -1, Comments: '', Attachments: [] },
      ],
      type: 'TASK',
    });
    expect(groups[2]).toMatchObject({ shift_id: repeat!['ShiftId'], start_at: 1662022800 + 8 * 86400 });
    expect(await counts()).toEqual({
      shifts: before.shifts + 2,
      taskGroups: before.taskGroups + 4,
      outbox: before.outbox,
    });

    // The same body again overlaps both: refused naming the shift, nothing written.
    expect(refusal(await call('scteams.createShift', CREATE_BODY, TEST_PROP))).toBe(
      `INVALID_TRANSITION seat testpropertyid_001 cannot have two shifts at once: 20220901170000–20220901200000 (Asia/Singapore) overlaps shift ${first!['ShiftId']} (20220901170000–20220901200000, UNPUBLISHED)`,
    );
    expect(await counts()).toEqual({
      shifts: before.shifts + 2,
      taskGroups: before.taskGroups + 4,
      outbox: before.outbox,
    });
  });

  it('repeats a published shift across a DST change at the same wall clock (case-tolerant keys), with one SHIFTS_PUBLISHED listing them', async () => {
    const berlin = building(PROP, 'Europe/Berlin');
    // 2024-03-29 08:00–16:00 CET; clocks go forward on 2024-03-31.
    const answer = await call(
      'scteams.createShift',
      {
        seatId: `${PROP}_008`,
        repeat: { repeatDates: ['20240401', '20240329', '20240331'] },
        schedule: [{ Shift: { start: 1711695600, end: 1711724400 } }],
        publish: true,
      },
      berlin,
    );
    const shifts = data(answer) as Record<string, any>[];
    expect(
      shifts.map((s) => [
        s['LocalTime'],
        s['Start'],
        s['ShiftDurationInSeconds'],
        s['TimeZone'],
        s['Status'],
      ]),
    ).toEqual([
      ['20240329080000', 1711695600, 28800, 'Europe/Berlin', 'PUBLISHED'],
      ['20240401080000', 1711951200, 28800, 'Europe/Berlin', 'PUBLISHED'],
      ['20240331080000', 1711864800, 28800, 'Europe/Berlin', 'PUBLISHED'],
    ]);
    const ids = shifts.map((s) => s['ShiftId'] as string);
    const [published] = await expectEventually(() => {
      const found = eventsOf(ids[0]!, 'SHIFTS_PUBLISHED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(published!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFTS_PUBLISHED.MEDIUM');
    expect(published!.event).toMatchObject({
      ID: 'b1',
      Event: 'SHIFTS_PUBLISHED',
      Principal: 'b1',
      PType: 'building',
      Entity: PROP,
      EType: 'property',
      Status: 'MEDIUM',
      Module: 'scworkforcemanagement',
      UnixTimeInt: now(),
      Description: '3 shift(s) were published.',
    });
    expect(published!.event.Meta).toEqual({
      Type: 'SHIFTS',
      ID: 'b1',
      PropID: PROP,
      Count: 3,
      By: 'AK1',
      Shifts: [
        // In start order (the RepeatDates were given out of order; the answer keeps the given order).
        expect.objectContaining({ ShiftId: ids[0], LocalTime: '20240329080000' }),
        expect.objectContaining({ ShiftId: ids[2], LocalTime: '20240331080000' }),
        expect.objectContaining({ ShiftId: ids[1], LocalTime: '20240401080000' }),
      ],
    });
    expect((published!.event.Meta['Shifts'] as unknown[])[0]).toEqual({
      Type: 'SHIFT',
      ShiftId: ids[0],
      SeatId: `${PROP}_008`,
      ID: 'b1',
      PropID: PROP,
      Status: 'PUBLISHED',
      Delayed: false,
      Start: 1711695600,
      End: 1711724400,
      AStart: 0,
      AEnd: 0,
      TimeZone: 'Europe/Berlin',
      LocalTime: '20240329080000',
      Zones: {},
      Adhoc: false,
      TaskGroups: [],
    });
  });

  it('refuses malformed create bodies naming the field, unknown seats and zones with 404, a read-only caller with 403, and writes nothing', async () => {
    const before = await counts();
    const shift = CREATE_BODY.Schedule[0]!.shift;
    const withShift = (changes: Record<string, unknown>) => ({
      ...CREATE_BODY,
      Schedule: [{ shift: { ...shift, ...changes } }],
    });
    const answers = await Promise.all([
      call('scteams.createShift', {}, TEST_PROP),
      call('scteams.createShift', { SeatId: 'testpropertyid_001' }, TEST_PROP),
      call('scteams.createShift', { ...CREATE_BODY, Schedule: [] }, TEST_PROP),
      call('scteams.createShift', withShift({ End: 1662022000 }), TEST_PROP),
      call('scteams.createShift', withShift({ TimeZone: 'Mars/Olympus' }), TEST_PROP),
      call('scteams.createShift', withShift({ End: 1662022800 + 90_000 }), TEST_PROP),
      call('scteams.createShift', { ...CREATE_BODY, Repeat: { RepeatDates: ['20220230'] } }, TEST_PROP),
      call('scteams.createShift', withShift({ Zones: { nozone: 'x' } }), TEST_PROP),
      call('scteams.createShift', withShift({ Cost: { U: 'SGD', V: -1 } }), TEST_PROP),
      call(
        'scteams.createShift',
        {
          ...CREATE_BODY,
          Schedule: [{ shift, taskGroup: [{ ...CREATE_BODY.Schedule[0]!.taskGroup[0], Tasks: [] }] }],
        },
        TEST_PROP,
      ),
      call('scteams.createShift', { ...CREATE_BODY, SeatId: 'testpropertyid_009' }, TEST_PROP),
      call('scteams.createShift', CREATE_BODY, DOC),
      call('scteams.createShift', CREATE_BODY, TEST_PROP, asRead),
    ]);
    expect(answers.map(refusal)).toEqual([
      'MISSING_PARAMETERS SeatId: is required',
      'MISSING_PARAMETERS Schedule: is required',
      'WRONG_PARAMETERS Schedule: must list at least one shift',
      'WRONG_PARAMETERS Schedule[0].shift.End: must be after Schedule[0].shift.Start',
      'WRONG_PARAMETERS Schedule[0].shift.TimeZone: must be an IANA time zone (e.g. Asia/Singapore)',
      'WRONG_PARAMETERS Schedule[0].shift.End: a shift lasts at most 24 hours',
      'WRONG_PARAMETERS Repeat.RepeatDates[0]: must be a date YYYYMMDD',
      'NOT_FOUND zone nozone not found',
      'WRONG_PARAMETERS Schedule[0].shift.Cost.V: must be a non-negative number',
      'WRONG_PARAMETERS Schedule[0].taskGroup[0].Tasks: must list at least one work item',
      'NOT_FOUND seat testpropertyid_009 not found',
      'NOT_FOUND seat testpropertyid_001 not found',
      'IMPLICIT_DENY scteams.createShift needs a credential with write access',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('lets one of concurrent overlapping creates for a seat win; the others are refused naming its shift', async () => {
    // 300 days ahead: clear of the payload-size tests' schedule (from midnight 400 days ahead, same seats),
    // which a start 400 days ahead at this time of day would overlap when the suite runs around midnight in Singapore.
    const start = now() + 300 * 86400;
    const body = (offset: number) => ({
      SeatId: `${PROP}_002`,
      Schedule: [{ shift: { Start: start + offset, End: start + offset + 3600 } }],
    });
    const answers = await Promise.all(
      [0, 600, 1200, 1800, 2400].map((o) => call('scteams.createShift', body(o))),
    );
    const won = answers.filter((a) => a.ok);
    expect(won).toHaveLength(1);
    const winner = (data(won[0]!) as { ShiftId: string }[])[0]!.ShiftId;
    for (const lost of answers.filter((a) => !a.ok)) {
      expect(lost).toMatchObject({
        ok: false,
        code: 'INVALID_TRANSITION',
        message: expect.stringContaining(`overlaps shift ${winner}`),
      });
    }
    const { rows } = await harness.sql.query(
      `select count(*)::int as n from workforce.shifts where seat_id = $1 and start_at between $2 and $3`,
      [`${PROP}_002`, start, start + 2400],
    );
    expect(rows[0].n).toBe(1);
  });

  it('creates the ad hoc shift of the documented body: started now for 28,800 s, with SHIFT_STARTED', async () => {
    const before = await counts();
    expect(refusal(await call('scteams.createAdhocShift', {}))).toBe(
      'MISSING_PARAMETERS SeatId: is required',
    );
    expect(
      refusal(
        await call('scteams.createAdhocShift', {
          SeatId: `${PROP}_003`,
          TimeZone: 'Asia/Singapore',
          DaysOfWeek: [9],
          Zones: { zoneid1: 'zone1' },
        }),
      ),
    ).toBe('WRONG_PARAMETERS DaysOfWeek[0]: must be a day of week, 0 (Sunday) to 6');
    expect(await counts()).toEqual(before);
    const shift = data(
      await call('scteams.createAdhocShift', {
        SeatId: '3b749a681d14446292b6c79b48403bbd_003',
        TimeZone: 'Asia/Singapore',
        DaysOfWeek: [2],
        Zones: { zoneid1: 'zone1', zoneid2: 'zone2' },
      }),
    );
    expect(shift).toMatchObject({
      SeatId: `${PROP}_003`,
      Status: 'STARTED',
      Adhoc: true,
      Start: now(),
      End: now() + 28800,
      AStart: now(),
      Duration: 'PT8H',
      Zones: { zoneid1: 'Lobby', zoneid2: 'Pantry' },
    });
    const [started] = await expectEventually(() => {
      const found = eventsOf(shift['ShiftId'], 'SHIFT_STARTED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(started!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_STARTED.NORMAL');
    expect(started!.event.Meta).toMatchObject({ Adhoc: true, Status: 'STARTED', AStart: now(), By: 'AK1' });
    expect(await stored(shift['ShiftId'])).toMatchObject({
      timer_kind: 'auto-clockout',
      timer_at: now() + 28800 + 4200,
    });
  });

  it('copies a shift with the documented body: the documented target seat (another property) is 404; copies on the repeat date with zones, breaks and task groups', async () => {
    const [source] = data(
      await call('scteams.createShift', {
        ...CREATE_BODY,
        SeatId: `${PROP}_007`,
        Repeat: undefined,
        Schedule: [
          {
            ...CREATE_BODY.Schedule[0],
            shift: { ...CREATE_BODY.Schedule[0]!.shift, Start: 1668571200 - 86400, End: 1668582000 - 86400 },
          },
        ],
      }),
    ) as Record<string, any>[];
    const documented = {
      SeatId: '3b749a81d14446292b6c79b48403bbd_007',
      Shift: { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: source!['ShiftId'] },
      Repeat: { RepeatDates: ['20221116'] },
      IncludeZones: true,
      IncludeBreaks: true,
      IncludeTaskGroups: true,
    };
    const before = await counts();
    expect(refusal(await call('scteams.copyShift', documented))).toBe(
      'NOT_FOUND seat 3b749a81d14446292b6c79b48403bbd_007 not found',
    );
    expect(
      refusal(
        await call('scteams.copyShift', {
          ...documented,
          Shift: { ...documented.Shift, SeatId: `${PROP}_003` },
        }),
      ),
    ).toBe(`NOT_FOUND shift ${source!['ShiftId']} of seat ${PROP}_003 not found`);
    expect(await counts()).toEqual(before);
    const [copy] = data(await call('scteams.copyShift', { ...documented, SeatId: `${PROP}_008` })) as Record<
      string,
      any
    >[];
    expect(copy).toMatchObject({
      SeatId: `${PROP}_008`,
      Status: 'UNPUBLISHED',
      LocalTime: '20221116120000',
      Start: 1668571200,
      End: 1668582000,
      Zones: { [ZONE]: 'M Room 2' },
      Breaks: [expect.objectContaining({ ID: '0001', Type: 'meal_break', DurationInSeconds: 120 })],
      TaskGroupsCount: 2,
      Cost: { U: 'SGD', V: 225 },
    });
    expect(copy!['TaskGroups']).not.toEqual(source!['TaskGroups']);
    const [bare] = data(
      await call('scteams.copyShift', {
        shift: { shiftID: source!['ShiftId'] },
        seatid: `${PROP}_008`,
        repeat: { repeatDates: ['20221117'] },
        includeZones: false,
        includeBreaks: 'false',
        includeTaskGroups: false,
      }),
    ) as Record<string, any>[];
    expect(bare).toMatchObject({ LocalTime: '20221117120000', Zones: {}, Breaks: [], TaskGroupsCount: 0 });
  });

  it('updates a shift and its task groups with the documented body, in one transaction', async () => {
    const [shift] = data(
      await call('scteams.createShift', { ...CREATE_BODY, SeatId: `${PROP}_007`, Repeat: undefined }),
    ) as Record<string, any>[];
    const [kept, dropped] = shift!['TaskGroups'] as string[];
    const documented = {
      Shift: {
        SeatId: '3b749a681d14446292b6c79b48403bbd_007',
        ShiftId: shift!['ShiftId'],
        TimeZone: 'Asia/Singapore',
        Start: 1662282000,
        End: 1662292800,
      },
      TaskGroups: [
        {
          Tasks: [
            { Name: 'Task 1- Clean floor', Done: false, T: -1 },
            { Name: 'Task 6- Clean doors', Done: false, T: -1 },
          ],
          ZoneName: 'Zone name',
          ZoneCatId: 'MEETING_ROOMS',
          TaskId: kept,
          Zone: '71d899661d5645acb0b8f8030e26fc35',
        },
      ],
      DeleteTaskGroupIds: [dropped],
      AddTaskGroups: [
        {
          End: 1662023800,
          Name: 'TG3- Clean Meeting Room',
          Priority: 'L',
          Start: 1662022800,
          Tasks: [{ Name: 'Task 1- Clean floor' }, { Name: 'Task 6- Clean doors' }],
          TimeZone: 'Asia/Singapore',
          Type: 'TASK',
          Zone: '71d899661d5645acb0b8f8030e26fc35',
          ZoneCatId: 'MEETING_ROOMS',
          ZoneName: 'zone-name1',
        },
      ],
    };
    const before = await counts();
    const refusals = await Promise.all([
      call('scteams.updateShift', { ...documented, DeleteTaskGroupIds: ['1662022100000'] }),
      call('scteams.updateShift', { ...documented, Shift: { ...documented.Shift, End: 1662282000 } }),
      call('scteams.updateShift', {
        ...documented,
        TaskGroups: [{ ...documented.TaskGroups[0], Zone: 'nozone' }],
      }),
      call('scteams.updateShift', { ...documented, DeleteTaskGroupIds: [kept] }),
      call('scteams.updateShift', { ...documented, Shift: { ...documented.Shift, ShiftId: 'not-a-uuid' } }),
      call('scteams.updateShift', documented, OTHER_TENANT),
    ]);
    expect(refusals.map(refusal)).toEqual([
      `NOT_FOUND task group 1662022100000 of shift ${shift!['ShiftId']} of seat ${PROP}_007 not found`,
      'WRONG_PARAMETERS Shift.End: must be after Shift.Start (the shift would run 1662282000–1662282000)',
      'NOT_FOUND zone nozone not found',
      'WRONG_PARAMETERS TaskGroups: names a task group twice (in TaskGroups or DeleteTaskGroupIds)',
      'WRONG_PARAMETERS Shift.ShiftId: must be a shift id (a UUID)',
      `NOT_FOUND shift ${shift!['ShiftId']} of seat ${PROP}_007 not found`,
    ]);
    expect(await counts()).toEqual(before);

    const updated = data(await call('scteams.updateShift', documented));
    expect(updated).toMatchObject({
      Start: 1662282000,
      End: 1662292800,
      Duration: 'PT3H',
      TaskGroupsCount: 2,
    });
    expect(updated['TaskGroups']).toContain(kept);
    expect(updated['TaskGroups']).not.toContain(dropped);
    const { rows } = await harness.sql.query(
      `select task_id, zone_name, tasks from workforce.task_groups where shift_id = $1 order by start_at, task_id`,
      [shift!['ShiftId']],
    );
    expect(rows.map((r) => r.task_id).sort()).toEqual([...(updated['TaskGroups'] as string[])].sort());
    expect(rows.find((r) => r.task_id === kept)).toMatchObject({ zone_name: 'M Room 2' });
    expect(await counts()).toMatchObject({ shifts: before.shifts, taskGroups: before.taskGroups });
  });

  it('deletes a shift (documented body) and bulk-deletes shifts all or none (documented body, empty SeatId)', async () => {
    const a = await plan(`${PROP}_007`, { publish: false });
    const deleted = await call('scteams.deleteShift', {
      Shift: { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: a.ShiftId },
    });
    expect(data(deleted)).toEqual({ ShiftId: a.ShiftId, SeatId: `${PROP}_007` });
    expect(await stored(a.ShiftId)).toBeUndefined();
    expect(
      refusal(await call('scteams.deleteShift', { Shift: { SeatId: `${PROP}_007`, ShiftId: a.ShiftId } })),
    ).toBe(`NOT_FOUND shift ${a.ShiftId} of seat ${PROP}_007 not found`);

    const [x, y, z] = [await plan(`${PROP}_007`), await plan(`${PROP}_007`), await plan(`${PROP}_008`)];
    const pairs = [
      { SeatId: '', ShiftId: x.ShiftId },
      { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: y.ShiftId },
      { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: 'ee3e20f3-0941-4ade-862d-61f2d6d0e653' },
    ];
    const before = await counts();
    expect(
      refusal(await call('scteams.bulkDeleteShift', { ShiftBulkDelete: { SeatShiftPairs: pairs } })),
    ).toBe(`NOT_FOUND shift ee3e20f3-0941-4ade-862d-61f2d6d0e653 of seat ${PROP}_007 not found`);
    expect(
      refusal(
        await call('scteams.bulkDeleteShift', {
          ShiftBulkDelete: { SeatShiftPairs: [{ SeatId: `${PROP}_007`, ShiftId: z.ShiftId }] },
        }),
      ),
    ).toBe(`NOT_FOUND shift ${z.ShiftId} of seat ${PROP}_007 not found`);
    expect(refusal(await call('scteams.bulkDeleteShift', { ShiftBulkDelete: {} }))).toBe(
      'MISSING_PARAMETERS ShiftBulkDelete.SeatShiftPairs: is required',
    );
    expect(await counts()).toEqual(before);
    expect(
      data(await call('scteams.bulkDeleteShift', { shiftBulkDelete: { seatShiftPairs: pairs.slice(0, 2) } })),
    ).toEqual({ ShiftIds: [x.ShiftId, y.ShiftId], Count: 2 });
    expect(await stored(x.ShiftId)).toBeUndefined();
    expect(await stored(y.ShiftId)).toBeUndefined();
  });

  it('publishes the shifts the documented body names once, with one SHIFTS_PUBLISHED; a second publish changes nothing', async () => {
    const a = await plan(`${PROP}_007`, { publish: false });
    const b = await plan(`${PROP}_007`, { publish: false });
    const body = {
      Schedule: [
        { shift: { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: a.ShiftId } },
        { shift: { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: b.ShiftId } },
      ],
    };
    expect(
      refusal(
        await call('scteams.publishShifts', {
          Schedule: [{ shift: { SeatId: `${PROP}_008`, ShiftId: a.ShiftId } }],
        }),
      ),
    ).toBe(`NOT_FOUND shift ${a.ShiftId} of seat ${PROP}_008 not found`);
    expect((await stored(a.ShiftId)).status).toBe('UNPUBLISHED');
    const first = data(await call('scteams.publishShifts', body));
    expect(first).toMatchObject({ Count: 2, More: false });
    expect(first['Shifts'].map((s: any) => [s.ShiftId, s.Status])).toEqual([
      [a.ShiftId, 'PUBLISHED'],
      [b.ShiftId, 'PUBLISHED'],
    ]);
    expect(await stored(a.ShiftId)).toMatchObject({
      status: 'PUBLISHED',
      timer_kind: 'delayed',
      timer_at: a.Start + 1800,
    });
    const outbox = await harness.count('outbox');
    expect(data(await call('scteams.publishShifts', body))).toEqual({ Count: 0, More: false, Shifts: [] });
    expect(await harness.count('outbox')).toBe(outbox);
    await expectEventually(() => expect(eventsOf(a.ShiftId, 'SHIFTS_PUBLISHED')).toHaveLength(1));
    expect(eventsOf(a.ShiftId, 'SHIFTS_PUBLISHED')[0]!.event.Meta['Count']).toBe(2);
  });

  it("publishes a building's unpublished shifts in a time range (documented body), not another building's", async () => {
    const inRange = data(
      await call('scteams.createShift', {
        SeatId: `${PROP}_003`,
        Schedule: [
          { shift: { Start: 1640000000, End: 1640003600 } },
          { shift: { Start: 1640010000, End: 1640013600 } },
        ],
      }),
    ) as { ShiftId: string }[];
    const outside = (
      data(
        await call('scteams.createShift', {
          SeatId: `${PROP}_003`,
          Schedule: [{ shift: { Start: 1650000000, End: 1650003600 } }],
        }),
      ) as {
        ShiftId: string;
      }[]
    )[0]!;
    expect(
      refusal(
        await call('scteams.publishShiftsForProjectInTRange', { EndTime: 1633130000, StartTime: 1648230000 }),
      ),
    ).toBe('WRONG_PARAMETERS EndTime: must be after StartTime');
    expect(
      data(
        await call(
          'scteams.publishShiftsForProjectInTRange',
          { EndTime: 1648230000, StartTime: 1633130000 },
          building(PROP, 'Asia/Singapore', 'b9'),
        ),
      ),
    ).toEqual({
      Count: 0,
      More: false,
      Shifts: [],
    });
    const published = data(
      await call('scteams.publishShiftsForProjectInTRange', { EndTime: 1648230000, StartTime: 1633130000 }),
    );
    expect(published['Shifts'].map((s: any) => s.ShiftId)).toEqual(inRange.map((s) => s.ShiftId));
    expect((await stored(outside.ShiftId)).status).toBe('UNPUBLISHED');
  });

  it('answers a shift by id and its status (documented bodies, ShiftID/ShiftId), 404 for another seat, building or tenant', async () => {
    const shift = await plan(`${PROP}_007`);
    const details = data(
      await call('scteams.getShiftDetailsByID', {
        Shift: { SeatId: '3b749a681d14446292b6c79b48403bbd_007', ShiftId: shift.ShiftId },
      }),
    );
    expect(details).toMatchObject({
      ShiftId: shift.ShiftId,
      Status: 'PUBLISHED',
      Zones: { zoneid1: 'Lobby' },
    });
    expect(
      data(
        await call(
          'scteams.shiftStatus',
          { shift: { seatID: `${PROP}_007`, ShiftID: shift.ShiftId.toUpperCase() } },
          DOC,
          asRead,
        ),
      ),
    ).toEqual({
      ShiftId: shift.ShiftId,
      SeatId: `${PROP}_007`,
      Status: 'PUBLISHED',
      Delayed: false,
      AStart: 0,
      AEnd: 0,
      OnBreak: false,
      Break: null,
    });
    const refusals = await Promise.all([
      call('scteams.getShiftDetailsByID', { Shift: { SeatId: `${PROP}_008`, ShiftId: shift.ShiftId } }),
      call(
        'scteams.getShiftDetailsByID',
        { Shift: { SeatId: `${PROP}_007`, ShiftId: shift.ShiftId } },
        OTHER_TENANT,
      ),
      call(
        'scteams.getShiftDetailsByID',
        { Shift: { SeatId: `${PROP}_007`, ShiftId: shift.ShiftId } },
        building(PROP, 'Asia/Singapore', 'b3'),
      ),
      call('scteams.shiftStatus', {}),
      call('scteams.shiftStatus', { Shift: { SeatId: `${PROP}_007` } }),
    ]);
    expect(refusals.map(refusal)).toEqual([
      `NOT_FOUND shift ${shift.ShiftId} of seat ${PROP}_008 not found`,
      `NOT_FOUND shift ${shift.ShiftId} of seat ${PROP}_007 not found`,
      `NOT_FOUND shift ${shift.ShiftId} of seat ${PROP}_007 not found`,
      'MISSING_PARAMETERS Shift: is required',
      'MISSING_PARAMETERS Shift.ShiftId: is required',
    ]);
  });

  it('starts, breaks and ends a shift with the documented bodies, refusing invalid transitions by rule, with SHIFT_STARTED and SHIFT_COMPLETED in the documented envelope', async () => {
    const seat = `${PROP}_002`;
    const shift = await plan(seat, { startIn: 600 });
    const unpublished = await plan(seat, { publish: false });
    const body = (shiftId: string, extra: Record<string, unknown> = {}) => ({
      Shift: { SeatId: seat, ShiftId: shiftId, ...extra },
    });
    const breakBody = (id: string) =>
      body(shift.ShiftId, { Breaks: [{ ID: id, Notes: 'Some notes about break', Type: 'Coffee break' }] });
    const before = await counts();
    const refusals = [
      await call('scteams.shiftEnd', body(shift.ShiftId)),
      await call('scteams.shiftStart', body(unpublished.ShiftId)),
      await call('scteams.shiftStart', { Shift: { SeatId: `${PROP}_003`, ShiftId: shift.ShiftId } }),
      await call('scteams.startBreak', breakBody('0005')),
      await call('scteams.shiftStart', { Shift: { ShiftId: shift.ShiftId } }),
      await call(
        'scteams.shiftStart',
        body(shift.ShiftId, { Coordinates: { ClockIn: { Latitude: 91, Longitude: 0 } } }),
      ),
      await call('scteams.shiftStart', body(shift.ShiftId), DOC, asRead),
      await call('scteams.shiftStartAdmin', body(shift.ShiftId), DOC, asWrite),
    ];
    expect(refusals.map(refusal)).toEqual([
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: a shift must be started before it is ended`,
      `INVALID_TRANSITION shift ${unpublished.ShiftId} of seat ${seat}: an UNPUBLISHED shift must be published before it is started`,
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${PROP}_003: a seat works only its own shifts (this shift is seat ${seat}'s)`,
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: a break is taken only during a STARTED shift`,
      'MISSING_PARAMETERS Shift.SeatId: is required',
      'WRONG_PARAMETERS Shift.Coordinates.ClockIn.Latitude: must be a number from -90 to 90',
      'IMPLICIT_DENY scteams.shiftStart needs a credential with write access',
      'IMPLICIT_DENY scteams.shiftStartAdmin needs a credential with admin access',
    ]);
    expect(await counts()).toEqual(before);

    clock.advance(600);
    const started = data(
      await call('scteams.shiftStart', {
        Shift: {
          SeatId: '3b749a681d14446292b6c79b48403bbd_002',
          ShiftId: shift.ShiftId,
          Coordinates: { ClockIn: { Latitude: 3.165725, Longitude: 101.646267 } },
        },
      }),
    );
    expect(started).toMatchObject({
      Status: 'STARTED',
      Delayed: false,
      AStart: now(),
      Coordinates: {
        ClockIn: { Latitude: 3.165725, Longitude: 101.646267 },
        ClockOut: { Latitude: -1, Longitude: -1 },
      },
    });
    expect(await stored(shift.ShiftId)).toMatchObject({
      timer_kind: 'auto-clockout',
      timer_at: shift.End + 4200,
    });
    expect(refusal(await call('scteams.shiftStart', body(shift.ShiftId)))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: a shift is started only once`,
    );
    const [startedEvent] = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId, 'SHIFT_STARTED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(startedEvent!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_STARTED.NORMAL');
    expect(startedEvent!.event).toEqual({
      ID: 'b1',
      ATTR: `SHIFT_STARTED#${PROP}#b1#${seat}#${shift.ShiftId}`,
      Description: `Shift ${shift.ShiftId} of seat ${seat} was started.`,
      Event: 'SHIFT_STARTED',
      Principal: 'b1',
      PType: 'building',
      Entity: PROP,
      EType: 'property',
      RoutingKey: 'matrix.b1.scworkforcemanagement.SHIFT_STARTED.NORMAL',
      RoutingKeyS: ['matrix', 'b1', 'scworkforcemanagement', 'SHIFT_STARTED', 'NORMAL'],
      Status: 'NORMAL',
      Time: `scworkforcemanagement#${now()}`,
      UnixTime: String(now()),
      UnixTimeInt: now(),
      Module: 'scworkforcemanagement',
      Meta: {
        Type: 'SHIFT',
        ShiftId: shift.ShiftId,
        SeatId: seat,
        ID: 'b1',
        PropID: PROP,
        Status: 'STARTED',
        Delayed: false,
        Start: shift.Start,
        End: shift.End,
        AStart: now(),
        AEnd: 0,
        TimeZone: 'Asia/Singapore',
        LocalTime: expect.stringMatching(/^[0-9]{14}$/),
        Zones: { zoneid1: 'Lobby' },
        Adhoc: false,
        TaskGroups: [],
        By: 'AK1',
      },
    });

    // Breaks: the documented bodies; one at a time; only the open one ends.
    clock.advance(200);
    const onBreak = data(
      await call('scteams.startBreak', {
        Shift: {
          SeatId: '3b749a681d14446292b6c79b48403bbd_002',
          ShiftId: shift.ShiftId,
          Breaks: [{ ID: '0005', Notes: 'Some notes about break', Type: 'Coffee break' }],
        },
      }),
    );
    expect(onBreak['Breaks']).toEqual([
      {
        ID: '0005',
        Type: 'Coffee break',
        Notes: 'Some notes about break',
        IsPlannedBreak: false,
        Scheduled: false,
        DurationInSeconds: 0,
        Start: 0,
        End: 0,
        AStart: now(),
        AEnd: 0,
      },
    ]);
    expect(refusal(await call('scteams.startBreak', breakBody('0006')))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: one break at a time: break 0005 is still open`,
    );
    expect(refusal(await call('scteams.endBreak', breakBody('0006')))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: only the open break 0005 can be ended`,
    );
    expect(refusal(await call('scteams.endBreak', body(shift.ShiftId)))).toBe(
      'WRONG_PARAMETERS Shift.Breaks: must name the break (one, with its ID)',
    );
    expect(data(await call('scteams.shiftStatus', body(shift.ShiftId)))).toMatchObject({
      OnBreak: true,
      Break: expect.objectContaining({ ID: '0005' }),
    });
    clock.advance(300);
    const afterBreak = data(
      await call('scteams.endBreak', {
        Shift: {
          SeatId: '3b749a681d14446292b6c79b48403bbd_002',
          ShiftId: shift.ShiftId,
          Breaks: [{ ID: '0005', Notes: 'Some notes about break', Type: 'Coffee break' }],
        },
      }),
    );
    expect(afterBreak['Breaks'][0]).toMatchObject({ ID: '0005', AEnd: now(), DurationInSeconds: 300 });
    expect(refusal(await call('scteams.startBreak', breakBody('0005')))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: break 0005 was already taken`,
    );
    clock.advance(400);
    const second = data(await call('scteams.startBreak', body(shift.ShiftId)));
    expect(second['Breaks'].map((b: any) => b.ID)).toEqual(['0005', '0001']);
    clock.advance(100);

    const ended = data(
      await call('scteams.shiftEnd', {
        Shift: {
          SeatId: '3b749a681d14446292b6c79b48403bbd_002',
          ShiftId: shift.ShiftId,
          Coordinates: { ClockOut: { Latitude: 3.165725, Longitude: 101.646267 } },
        },
      }),
    );
    expect(ended).toMatchObject({
      Status: 'COMPLETED',
      AEnd: now(),
      ActualDurationInSeconds: 1000 - 300 - 100,
      Coordinates: { ClockOut: { Latitude: 3.165725, Longitude: 101.646267 } },
    });
    expect(ended['Breaks'][1]).toMatchObject({ ID: '0001', AEnd: now(), DurationInSeconds: 100 });
    expect(await stored(shift.ShiftId)).toMatchObject({ timer_kind: null, timer_at: null });
    expect(refusal(await call('scteams.shiftEnd', body(shift.ShiftId)))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: a shift is ended only once`,
    );
    expect(refusal(await call('scteams.shiftStart', body(shift.ShiftId)))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: a COMPLETED shift cannot be started again`,
    );
    expect(refusal(await call('scteams.deleteShift', body(shift.ShiftId)))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${seat}: a COMPLETED shift is a record of the day and cannot be deleted`,
    );
    const [completed] = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId, 'SHIFT_COMPLETED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(completed!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_COMPLETED.NORMAL');
    expect(completed!.event.Meta).toMatchObject({ Status: 'COMPLETED', AEnd: now(), AStart: now() - 1000 });
    expect(eventsOf(shift.ShiftId, 'SHIFT_STARTED')).toHaveLength(1);
  });

  it('starts and ends a shift as an admin (documented bodies); a late start is Delayed with SHIFT_DELAYED before SHIFT_STARTED', async () => {
    const seat = `${PROP}_008`;
    const shift = await plan(seat, { startIn: 0 });
    clock.advance(shift.Start - now() + 1800);
    const started = data(
      await call('scteams.shiftStartAdmin', {
        Shift: {
          SeatId: '3b749a681d14446292b6c79b48403bbd_008',
          ShiftId: shift.ShiftId,
          Coordinates: { ClockIn: { Latitude: 3.165725, Longitude: 101.646267 } },
        },
      }),
    );
    expect(started).toMatchObject({ Status: 'STARTED', Delayed: true, AStart: shift.Start + 1800 });
    const events = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId).filter((e) => e.event.Event !== 'SHIFTS_PUBLISHED');
      expect(found).toHaveLength(2);
      return found;
    });
    expect(events.map((e) => [e.event.Event, e.event.Meta['Status'], e.event.Meta['Delayed']])).toEqual([
      ['SHIFT_DELAYED', 'STARTED', true],
      ['SHIFT_STARTED', 'STARTED', true],
    ]);
    expect(events[0]!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_DELAYED.MEDIUM');
    clock.advance(60);
    const ended = data(
      await call('scteams.shiftEndAdmin', {
        Shift: {
          SeatId: '3b749a681d14446292b6c79b48403bbd_008',
          ShiftId: shift.ShiftId,
          Coordinates: { ClockOut: { Latitude: 3.165725, Longitude: 101.646267 } },
        },
      }),
    );
    expect(ended).toMatchObject({ Status: 'COMPLETED', AEnd: now(), ActualDurationInSeconds: 60 });
  });

  it('marks shifts delayed, absent and on leave with the documented bodies (admin), with SHIFT_DELAYED and SHIFT_ABSENT once', async () => {
    const seat = 'SONY_001';
    const delayed = await plan(seat, { b: SONY });
    const absent = await plan(seat, { b: SONY });
    const leave = await plan(seat, { b: SONY, publish: false });
    const mark = (op: string, shiftId: string, extra: Partial<ActionCommandV1> = {}) =>
      call(op, { Shift: { ShiftId: shiftId, SeatId: 'SONY_001' } }, SONY, extra);

    expect(refusal(await mark('scteams.markShiftAbsent', absent.ShiftId, asWrite))).toBe(
      'IMPLICIT_DENY scteams.markShiftAbsent needs a credential with admin access',
    );
    expect(refusal(await mark('scteams.markShiftDelayed', leave.ShiftId))).toBe(
      `INVALID_TRANSITION shift ${leave.ShiftId} of seat SONY_001: only a PUBLISHED or STARTED shift is marked delayed`,
    );
    expect(data(await mark('scteams.markShiftDelayed', delayed.ShiftId))).toMatchObject({
      Status: 'PUBLISHED',
      Delayed: true,
    });
    expect(await stored(delayed.ShiftId)).toMatchObject({
      delayed: true,
      timer_kind: 'absent',
      timer_at: delayed.Start + 3600,
    });
    expect(refusal(await mark('scteams.markShiftDelayed', delayed.ShiftId))).toBe(
      `INVALID_TRANSITION shift ${delayed.ShiftId} of seat SONY_001: a shift is marked delayed only once`,
    );
    expect(data(await mark('scteams.markShiftAbsent', absent.ShiftId))).toMatchObject({ Status: 'ABSENT' });
    expect(await stored(absent.ShiftId)).toMatchObject({ timer_kind: null });
    expect(refusal(await mark('scteams.markShiftAbsent', absent.ShiftId))).toBe(
      `INVALID_TRANSITION shift ${absent.ShiftId} of seat SONY_001: a shift is marked absent only once`,
    );
    expect(refusal(await mark('scteams.shiftStart', absent.ShiftId))).toBe(
      `INVALID_TRANSITION shift ${absent.ShiftId} of seat SONY_001: a shift marked ABSENT is started only by an admin (scteams.shiftStartAdmin)`,
    );
    expect(data(await mark('scteams.markOnLeave', leave.ShiftId))).toMatchObject({ Status: 'ON_LEAVE' });
    expect(refusal(await mark('scteams.markOnLeave', absent.ShiftId))).toBe(
      `INVALID_TRANSITION shift ${absent.ShiftId} of seat SONY_001: only a shift not started (UNPUBLISHED or PUBLISHED) is marked on leave`,
    );
    expect(
      refusal(await mark('scteams.markShiftAbsent', delayed.ShiftId, { building: OTHER_TENANT, pid: 'b2' })),
    ).toBe(`NOT_FOUND shift ${delayed.ShiftId} of seat SONY_001 not found`);
    // An ABSENT or ON_LEAVE shift no longer holds its window: the seat may be planned there again.
    expect(
      (
        await call(
          'scteams.createShift',
          { SeatId: seat, Schedule: [{ shift: { Start: absent.Start, End: absent.End } }] },
          SONY,
        )
      ).ok,
    ).toBe(true);

    await expectEventually(() => {
      expect(eventsOf(delayed.ShiftId, 'SHIFT_DELAYED')).toHaveLength(1);
      expect(eventsOf(absent.ShiftId, 'SHIFT_ABSENT')).toHaveLength(1);
    });
    const [absentEvent] = eventsOf(absent.ShiftId, 'SHIFT_ABSENT');
    expect(absentEvent!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_ABSENT.HIGH');
    expect(absentEvent!.event.Meta).toMatchObject({ Status: 'ABSENT', SeatId: 'SONY_001', PropID: 'SONY' });
    expect(eventsOf(leave.ShiftId).filter((e) => e.event.Event !== 'SHIFTS_PUBLISHED')).toEqual([]);
  });

  it('maps a shiftStartAdmin of an ABSENT shift whose window a replacement took to 409 naming the replacement, writing nothing', async () => {
    const seat = `${PROP}_003`;
    const absent = await plan(seat);
    expect(
      data(await call('scteams.markShiftAbsent', { Shift: { ShiftId: absent.ShiftId, SeatId: seat } })),
    ).toMatchObject({ Status: 'ABSENT' });
    const [replacement] = data(
      await call('scteams.createShift', {
        SeatId: seat,
        Schedule: [{ shift: { Start: absent.Start + 3600, End: absent.End + 3600 } }],
        Publish: true,
      }),
    ) as { ShiftId: string }[];
    const before = await counts();
    const answer = await call('scteams.shiftStartAdmin', {
      Shift: { SeatId: seat, ShiftId: absent.ShiftId },
    });
    expect(refusal(answer)).toMatch(
      new RegExp(
        `^INVALID_TRANSITION seat ${seat} cannot have two shifts at once: .* overlaps shift ${replacement!.ShiftId} \\(.*, PUBLISHED\\)$`,
      ),
    );
    expect(await stored(absent.ShiftId)).toMatchObject({ status: 'ABSENT', a_start: 0 });
    expect(await counts()).toEqual(before);
  });

  it('refuses the second of two concurrent updates that together would make a shift longer than 24 hours', async () => {
    const seat = `${PROP}_003`;
    const shift = await plan(seat, { publish: false, startIn: 200 * 86_400 });
    // 3 h, far from the seat's other shifts; one update moves Start 20 h earlier (23 h), the other End 20 h later (23 h): both, 43 h.
    const moveStart = call('scteams.updateShift', {
      Shift: { SeatId: seat, ShiftId: shift.ShiftId, Start: shift.Start - 20 * 3600 },
    });
    const moveEnd = call('scteams.updateShift', {
      Shift: { SeatId: seat, ShiftId: shift.ShiftId, End: shift.End + 20 * 3600 },
    });
    const answers = await Promise.all([moveStart, moveEnd]);
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).map(refusal)).toEqual([
      expect.stringMatching(/^WRONG_PARAMETERS Shift\.End: a shift lasts at most 24 hours/),
    ]);
    const [row] = (
      await harness.sql.query(
        `select start_at::bigint::int as s, end_at::bigint::int as e from workforce.shifts where shift_id = $1`,
        [shift.ShiftId],
      )
    ).rows as { s: number; e: number }[];
    expect(row!.e - row!.s).toBe(23 * 3600);
  });

  describe('payload sizes (NATS max_payload 1 MB)', () => {
    const BUDGET = 900 * 1024;
    const BIG: ActionBuildingV1 = { ...building(PROP), pid: 'bigb' };
    /** 80 zones with 100-character names: about 11 KB of JSON per shift. */
    const BIG_ZONES = Object.fromEntries(
      Array.from({ length: 80 }, (_, i) => [
        `zone${String(i).padStart(28, '0')}`,
        { name: `${i}`.padEnd(100, 'n'), categoryId: null },
      ]),
    );
    const zoneBody = Object.fromEntries(Object.entries(BIG_ZONES).map(([id, z]) => [id, z.name]));
    const bigCall = (op: string, args: Record<string, unknown>) =>
      harness.call(workforceCommand(op, args, BIG_ZONES, { pid: BIG.pid, propid: PROP, building: BIG }));
    const ymd = (epoch: number) =>
      new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10).replace(/-/g, '');
    /** 4 shifts a day on 51 days (the day and 50 RepeatDates): 204 shifts, about 2.3 MB of answer. */
    const schedule = (day: number, publish: boolean) => ({
      SeatId: `${PROP}_002`,
      Repeat: { RepeatDates: Array.from({ length: 50 }, (_, i) => ymd(day + (i + 1) * 86_400)) },
      Schedule: [0, 4, 8, 12].map((h) => ({
        shift: { Start: day + h * 3600, End: day + (h + 3) * 3600, Zones: zoneBody, Description: 'big' },
      })),
      Publish: publish,
    });
    const eventsOfBuilding = () =>
      harness.events.filter((e) => e.event.Event === 'SHIFTS_PUBLISHED' && e.event.Meta['ID'] === BIG.pid);
    const unpublishedRows = async () =>
      Number(
        (await harness.sql.query(`select count(*) from workforce.outbox where published_on is null`)).rows[0]
          .count,
      );
    /** Midnight in Singapore 400 days ahead: no other test's shifts. */
    const day0 = Math.floor((now() + 400 * 86_400) / 86_400) * 86_400 - 8 * 3600;

    it('createShift with Publish of 204 large shifts: events split by bytes in start order, each relayed and under 900 KB; the answer shortened with every ShiftId', async () => {
      const answer = await bigCall('scteams.createShift', schedule(day0, true));
      expect(refusal(answer)).toBe('ok');
      if (!answer.ok) return;
      expect(Buffer.byteLength(JSON.stringify(answer.reply))).toBeLessThanOrEqual(BUDGET);
      const full = answer.reply.data as { ShiftId: string; Zones: object }[];
      const extra = answer.reply.extra as { Shortened: boolean; ShiftIds: string[] };
      expect(extra.Shortened).toBe(true);
      expect(extra.ShiftIds).toHaveLength(204);
      expect(full.length).toBeGreaterThan(0);
      expect(full.length).toBeLessThan(204);
      expect(full.map((s) => s.ShiftId)).toEqual(extra.ShiftIds.slice(0, full.length));
      expect(Object.keys(full[0]!.Zones)).toHaveLength(80);
      expect(answer.reply.message).toBe(
        `204 shift(s) created; ${full.length} answered in full, every id in ShiftIds (the answer's size limit)`,
      );
      const events = await expectEventually(() => {
        const found = eventsOfBuilding();
        expect(found.reduce((n, e) => n + (e.event.Meta['Count'] as number), 0)).toBe(204);
        return found;
      });
      expect(events.length).toBeGreaterThanOrEqual(3); // > 2 MB: the bytes split it, not only the 200 cap
      const listed = events.flatMap((e) => e.event.Meta['Shifts'] as { ShiftId: string; Start: number }[]);
      for (const e of events) expect(Buffer.byteLength(JSON.stringify(e.event))).toBeLessThanOrEqual(BUDGET);
      expect(new Set(listed.map((s) => s.ShiftId))).toEqual(new Set(extra.ShiftIds));
      const starts = listed.map((s) => s.Start);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(new Set(events.map((e) => e.event.ATTR)).size).toBe(events.length);
      await expectEventually(async () => expect(await unpublishedRows()).toBe(0));
    });

    it('publishShiftsForProjectInTRange of 200 large shifts: the answer shortened under 900 KB, the events split', async () => {
      const day = day0 + 60 * 86_400;
      const created = await bigCall('scteams.createShift', schedule(day, false));
      expect(created.ok && (created.reply.extra as { ShiftIds: string[] }).ShiftIds).toHaveLength(204);
      const eventsBefore = eventsOfBuilding().length;
      const answer = await bigCall('scteams.publishShiftsForProjectInTRange', {
        StartTime: day,
        EndTime: day + 60 * 86_400,
      });
      expect(refusal(answer)).toBe('ok');
      if (!answer.ok) return;
      expect(Buffer.byteLength(JSON.stringify(answer.reply))).toBeLessThanOrEqual(BUDGET);
      const published = answer.reply.data as {
        Count: number;
        More: boolean;
        Shortened: boolean;
        ShiftIds: string[];
        Shifts: { ShiftId: string }[];
      };
      expect(published).toMatchObject({ Count: 200, More: true, Shortened: true });
      expect(published.ShiftIds).toHaveLength(200);
      expect(published.Shifts.map((s) => s.ShiftId)).toEqual(
        published.ShiftIds.slice(0, published.Shifts.length),
      );
      const events = await expectEventually(() => {
        const found = eventsOfBuilding().slice(eventsBefore);
        expect(found.reduce((n, e) => n + (e.event.Meta['Count'] as number), 0)).toBe(200);
        return found;
      });
      expect(events.length).toBeGreaterThanOrEqual(2);
      for (const e of events) expect(Buffer.byteLength(JSON.stringify(e.event))).toBeLessThanOrEqual(BUDGET);
      expect(
        events.flatMap((e) => (e.event.Meta['Shifts'] as { ShiftId: string }[]).map((s) => s.ShiftId)),
      ).toEqual(published.ShiftIds);
      await expectEventually(async () => expect(await unpublishedRows()).toBe(0));
    });
  });
});
