import { randomUUID } from 'node:crypto';
import type { ActionCommandV1 } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The task-group ops on a real NATS and PostgreSQL with the documented request bodies of the Matrix
 * documentation (Appendix A), as the gateway forwards them. Shifts and their task groups are inserted
 * with SQL (the shift ops are another folder's); the documented ids (seats, shifts, tasks) are used as
 * they are, in a building of the documented property.
 */

const PROP = '3b749a681d14446292b6c79b48403bbd';
const building = (pid: string, propId = PROP) => ({
  pid,
  org: 'ACME',
  propId,
  name: pid,
  timeZone: 'Asia/Singapore',
});
const B1 = building('b1');
const ZONES = {
  zone: { name: 'Zone one', categoryId: 'cat-1' },
  zoneid2: { name: 'Lobby', categoryId: null },
  '71d899661d5645acb0b8f8030e26fc35': { name: 'Washroom 35', categoryId: 'wash' },
  '71d899661d5645acb0b8f8030e26fc36': { name: 'Washroom 36', categoryId: 'wash' },
};
const seat = (n: string) => `${PROP}_${n}`;
const TASK = { Name: 'Mop', Done: false, T: -1, Comments: '', Attachments: [] };

describe('incident-service: task groups and tasks', () => {
  const clock = new TestClock(1_634_825_000);
  const harness = new WorkforceHarness('tasks', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  let n = 0;

  beforeAll(async () => {
    await harness.start();
    for (const s of ['000', '002', '003', '007', '008']) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', $2, 'kg', 'HK')`,
        [seat(s), PROP],
      );
    }
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ('SONY_002', 'ACME', 'SONY', 'sam', 'HK')`,
    );
  }, 60_000);
  afterAll(() => harness.stop());

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const command = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    workforceCommand(op, args, ZONES, { propid: PROP, building: B1, ...extra });
  const call = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    harness.call(command(op, args, extra));
  const data = dataOf;

  /** A shift row (what the shift ops write), in its own window unless given. */
  async function addShift(o: {
    id?: string;
    seat: string;
    status: string;
    pid?: string;
    propId?: string;
    start?: number;
  }) {
    const shiftId = o.id ?? randomUUID();
    const start = o.start ?? 1_900_000_000 + ++n * 100_000;
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, status, created_by, modified_by)
       values ($1, 'ACME', $2, $3, $4, 'Asia/Singapore', $5, $6, $7, 'test', 'test')
       on conflict (shift_id) do nothing`,
      [shiftId, o.propId ?? PROP, o.pid ?? 'b1', o.seat, start, start + 28_800, o.status],
    );
    return { shiftId, start };
  }

  /** A task-group row of a shift. */
  async function addTask(o: {
    taskId?: string;
    shiftId: string;
    seat: string;
    status?: string;
    type?: string;
    start?: number;
    end?: number;
    zone?: string;
    pid?: string;
    propId?: string;
    aStart?: number;
    aEnd?: number;
    name?: string;
  }): Promise<string> {
    const taskId = o.taskId ?? `${1_700_000_000_000 + ++n}000000`;
    const start = o.start ?? 1_900_000_000;
    await harness.sql.query(
      `insert into workforce.task_groups
         (task_id, shift_id, seat_id, org_id, prop_id, pid, zone_id, zone_name, zone_category_id, name, priority, time_zone,
          start_at, end_at, a_start, a_end, status, tasks, type, created_by)
       values ($1, $2, $3, 'ACME', $4, $5, $6, $7, 'cat-1', $8, 'N', 'Asia/Singapore', $9, $10, $11, $12, $13, $14, $15, 'test')`,
      [
        taskId,
        o.shiftId,
        o.seat,
        o.propId ?? PROP,
        o.pid ?? 'b1',
        o.zone ?? 'zone',
        ZONES[(o.zone ?? 'zone') as keyof typeof ZONES]?.name ?? 'Zone',
        o.name ?? `Clean ${n}`,
        start,
        o.end ?? start + 1800,
        o.aStart ?? 0,
        o.aEnd ?? 0,
        o.status ?? 'PUBLISHED',
        JSON.stringify([TASK]),
        o.type ?? 'TASK',
      ],
    );
    return taskId;
  }

  /** An incident assigned to a seat (and shift), as the incident ops write it. */
  async function addIncident(o: {
    taskId?: string;
    seat: string;
    shiftId: string;
    status: string;
    start?: number;
    pid?: string;
  }) {
    const taskId = o.taskId ?? `${1_710_000_000_000 + ++n}000000`;
    await harness.sql.query(
      `insert into workforce.incidents (task_id, org_id, prop_id, pid, zone_id, zone_name, name, priority, start_by, due,
         status, seat_id, shift_id, created_by, status_since, escalation_policy, tasks)
       values ($1, 'ACME', $2, $3, 'zone', 'Zone one', 'Leak', 'H', $4, $5, $6, $7, $8, 'test', now(), 'default', '[{"Name":"Fix"}]')`,
      [
        taskId,
        PROP,
        o.pid ?? 'b1',
        o.start ?? 1_900_000_000,
        (o.start ?? 1_900_000_000) + 900,
        o.status,
        o.seat,
        o.shiftId,
      ],
    );
    return taskId;
  }

  /** Everything a refused op must leave as it was. */
  const state = async () =>
    (
      await harness.sql.query(
        `select (select md5(coalesce(string_agg(t::text, ',' order by task_id), '')) from workforce.task_groups t) as tasks,
                (select md5(coalesce(string_agg(i::text, ',' order by task_id), '')) from workforce.incidents i) as incidents,
                (select count(*)::int from workforce.outbox) as outbox`,
      )
    ).rows[0];
  /** Asserts the op is refused with `code` (and a message matching `message`) and writes nothing. */
  async function refused(answer: Promise<Answer>, code: string, message?: string | RegExp) {
    const before = await state();
    const result = await answer;
    expect(result).toMatchObject({ ok: false, code });
    if (message !== undefined && !result.ok) expect(result.message).toMatch(message);
    expect(await state()).toEqual(before);
  }
  const outboxed = async (taskId: string, eventId: string) =>
    (
      await harness.sql.query(
        `select count(*)::int as n from workforce.outbox where payload->'Meta'->>'TaskId' = $1 and payload->>'Event' = $2`,
        [taskId, eventId],
      )
    ).rows[0].n as number;
  const eventsOf = (taskId: string, eventId: string) =>
    harness.events.filter((e) => e.event.Meta['TaskId'] === taskId && e.event.Event === eventId);
  const row = async (taskId: string) =>
    (await harness.sql.query('select * from workforce.task_groups where task_id = $1', [taskId])).rows[0];

  it('adds a task group to a shift from the documented body, PUBLISHED with a published shift', async () => {
    const { shiftId } = await addShift({
      id: '4eaa69d7-f85a-406b-afd7-7114dde11b1f',
      seat: seat('007'),
      status: 'PUBLISHED',
      start: 1_634_300_000,
    });
    const body = {
      SeatId: '3b749a681d14446292b6c79b48403bbd_007',
      ShiftID: '4eaa69d7-f85a-406b-afd7-7114dde11b1f',
      Taskgroup: {
        Start: 1634311700,
        End: 1634312500,
        Name: 'New Task group',
        Zone: 'zone',
        ZoneName: 'Zone name',
        ZoneCatId: 'Zone-category',
        Priority: 'L',
        Tasks: [{ Name: 'abc' }],
      },
    };
    const answer = await call('scteams.addTaskgroupToShift', body);
    const group = data(answer);
    expect(answer.ok && answer.reply.message).toBe('Task group added to the shift');
    expect(group['TaskId']).toMatch(/^[0-9]{19}$/);
    expect(group).toEqual({
      ID: 'b1',
      ATTR: `attr#b1#${seat('007')}#${shiftId}#${group['TaskId']}`,
      TaskId: group['TaskId'],
      Type: 'TASK',
      Name: 'New Task group',
      Priority: 'L',
      Start: 1634311700,
      End: 1634312500,
      AStart: 0,
      AEnd: 0,
      LocalTime: '20211015232820',
      TimeZone: 'Asia/Singapore',
      Status: 'PUBLISHED',
      Delayed: true,
      PausedInSeconds: 0,
      SeatId: seat('007'),
      ShiftId: shiftId,
      Org: 'ACME',
      PropID: PROP,
      Zone: 'zone',
      ZoneName: 'Zone one',
      ZoneCatId: 'cat-1',
      taskCount: 1,
      Tasks: [{ Name: 'abc', Done: false, T: -1, Comments: '', Attachments: [] }],
      Attachments: [],
      By: '',
      CreatedOn: now(),
      ModifiedOn: now(),
    });
    // Its TASK_INCOMPLETE deadline: End + END_SHIFT_OVERSHOOT (4200 s).
    const stored = await harness.sql.query(
      'select extract(epoch from incomplete_at)::int as at from workforce.task_groups where task_id = $1',
      [group['TaskId']],
    );
    expect(stored.rows[0].at).toBe(1634312500 + 4200);
    expect(await outboxed(group['TaskId'], 'TASK_STARTED')).toBe(0);

    // Key casing of the other ops (ShiftId, seatid), and an unpublished shift: the task group is UNPUBLISHED.
    const draft = await addShift({ seat: seat('007'), status: 'UNPUBLISHED' });
    expect(
      data(
        await call('scteams.addTaskgroupToShift', {
          seatid: seat('007'),
          ShiftId: draft.shiftId,
          taskgroup: {
            name: 'Later',
            zone: 'zone',
            tasks: [{ name: 'abc' }],
            start: draft.start,
            end: draft.start + 600,
          },
        }),
      ),
    ).toMatchObject({ Status: 'UNPUBLISHED', ShiftId: draft.shiftId, Start: draft.start });
  });

  it('refuses to add a task group to an ended, unknown, other seat’s or other building’s shift, or from a malformed body, writing nothing', async () => {
    const ended = await addShift({ seat: seat('007'), status: 'COMPLETED' });
    const open = await addShift({ seat: seat('007'), status: 'PUBLISHED' });
    const group = {
      Start: open.start,
      End: open.start + 600,
      Name: 'Windows',
      Zone: 'zone',
      Tasks: [{ Name: 'Wipe' }],
    };
    const add = (args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
      call(
        'scteams.addTaskgroupToShift',
        { SeatId: seat('007'), ShiftID: open.shiftId, Taskgroup: group, ...args },
        extra,
      );
    await refused(
      add({ ShiftID: ended.shiftId }),
      'INVALID_TRANSITION',
      `shift ${ended.shiftId}: a task group is added only to a shift not ended (the shift is COMPLETED)`,
    );
    await refused(add({ ShiftID: randomUUID() }), 'NOT_FOUND', /^shift .* of seat .* not found$/);
    await refused(
      add({ SeatId: seat('008') }),
      'NOT_FOUND',
      `shift ${open.shiftId} of seat ${seat('008')} not found`,
    );
    await refused(add({ SeatId: `${PROP}_099` }), 'NOT_FOUND', `seat ${PROP}_099 not found`);
    await refused(add({}, { building: building('b2', 'p2'), pid: 'b2' }), 'NOT_FOUND');
    await refused(
      add({ Taskgroup: { ...group, Zone: 'zone-elsewhere' } }),
      'NOT_FOUND',
      'zone zone-elsewhere not found',
    );
    await refused(
      add({ Taskgroup: { ...group, Name: undefined } }),
      'MISSING_PARAMETERS',
      'Taskgroup.Name: is required',
    );
    await refused(
      add({ Taskgroup: { ...group, End: group.Start } }),
      'WRONG_PARAMETERS',
      'Taskgroup.End: must be after Taskgroup.Start',
    );
    await refused(
      add({ Taskgroup: { ...group, Priority: 'X' } }),
      'WRONG_PARAMETERS',
      /^Taskgroup.Priority: must be one of/,
    );
    await refused(
      add({ Taskgroup: { ...group, Tasks: [] } }),
      'WRONG_PARAMETERS',
      'Taskgroup.Tasks: must list at least one work item',
    );
    await refused(
      add({ Taskgroup: { ...group, TimeZone: 'Mars/Base' } }),
      'WRONG_PARAMETERS',
      'Taskgroup.TimeZone: must be an IANA time zone',
    );
    // The SDKs' null body (forwarded as no arguments).
    await refused(call('scteams.addTaskgroupToShift', {}), 'MISSING_PARAMETERS', 'ShiftID: is required');
    await refused(
      call(
        'scteams.addTaskgroupToShift',
        { SeatId: seat('007'), ShiftID: open.shiftId, Taskgroup: group },
        {
          caller: { accessKey: 'RO', org: 'ACME', property: PROP, role: 'read' },
        },
      ),
      'IMPLICIT_DENY',
    );
  });

  it('removes a task group not started from its shift (documented body); a started one, an incident or an unknown one is refused', async () => {
    const { shiftId } = await addShift({
      id: '4eaa69d7-f85a-406b-afd7-7114dde11b1f',
      seat: seat('007'),
      status: 'PUBLISHED',
    });
    const taskId = await addTask({ taskId: '1634311700000', shiftId, seat: seat('007') });
    const body = {
      Taskgroup: {
        SeatId: '3b749a681d14446292b6c79b48403bbd_007',
        ShiftId: '4eaa69d7-f85a-406b-afd7-7114dde11b1f',
        TaskId: '1634311700000',
      },
    };
    const answer = await call('scteams.removeTaskgroupFromShift', body);
    expect(data(answer)).toMatchObject({ TaskId: taskId, ShiftId: shiftId, Status: 'PUBLISHED' });
    expect(await row(taskId)).toBeUndefined();
    await refused(
      call('scteams.removeTaskgroupFromShift', body),
      'NOT_FOUND',
      `task ${taskId} of shift ${shiftId} not found`,
    );

    const started = await addTask({ shiftId, seat: seat('007'), status: 'STARTED', aStart: now() });
    await refused(
      call('scteams.removeTaskgroupFromShift', { Taskgroup: { ...body.Taskgroup, TaskId: started } }),
      'INVALID_TRANSITION',
      `task ${started} of shift ${shiftId}: a task group that is STARTED is a record of the day and cannot be removed from its shift`,
    );
    await refused(
      call('scteams.removeTaskgroupFromShift', {
        Taskgroup: { ...body.Taskgroup, TaskId: started, SeatId: seat('008') },
      }),
      'NOT_FOUND',
    );
    const incident = await addIncident({ seat: seat('007'), shiftId, status: 'ASSIGNED' });
    await refused(
      call('scteams.removeTaskgroupFromShift', { Taskgroup: { ...body.Taskgroup, TaskId: incident } }),
      'INVALID_TRANSITION',
      /an assigned incident is not removed from its shift/,
    );
    await refused(
      call('scteams.removeTaskgroupFromShift', { Taskgroup: { ...body.Taskgroup, TaskId: 'x1' } }),
      'WRONG_PARAMETERS',
      'Taskgroup.TaskId: must be a task id (13 to 19 digits)',
    );
  });

  it('starts a task group of the running shift by its seat (documented body) with one TASK_STARTED in the documented envelope', async () => {
    const { shiftId } = await addShift({
      id: '20391490-1ffd-4ef7-a283-7dec06784b8f',
      seat: seat('007'),
      status: 'STARTED',
      start: 1_634_800_000,
    });
    const taskId = await addTask({
      taskId: '1659591261049880217',
      shiftId,
      seat: seat('007'),
      start: 1_634_824_000,
      end: 1_634_826_000,
      name: 'Lobby round',
    });
    const body = {
      Taskgroup: {
        SeatId: '3b749a681d14446292b6c79b48403bbd_007',
        ShiftId: '20391490-1ffd-4ef7-a283-7dec06784b8f',
        TaskId: '1659591261049880217',
      },
    };
    const answer = await call('scteams.taskStart', body);
    expect(answer.ok && answer.reply.message).toBe('Task started');
    expect(data(answer)).toMatchObject({
      TaskId: taskId,
      Status: 'STARTED',
      AStart: now(),
      AEnd: 0,
      Delayed: true,
    });
    expect(await outboxed(taskId, 'TASK_STARTED')).toBe(1);
    const [published] = await expectEventually(() => {
      const found = eventsOf(taskId, 'TASK_STARTED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(published!.subject).toBe('matrix.b1.scworkforcemanagement.TASK_STARTED.NORMAL');
    expect(published!.event).toEqual({
      ID: 'b1',
      ATTR: `TASK_STARTED#${PROP}#b1#${taskId}`,
      Description: `${seat('007')} has started Lobby round in Zone one.`,
      Event: 'TASK_STARTED',
      Principal: 'b1',
      PType: 'building',
      Entity: PROP,
      EType: 'property',
      RoutingKey: 'matrix.b1.scworkforcemanagement.TASK_STARTED.NORMAL',
      RoutingKeyS: ['matrix', 'b1', 'scworkforcemanagement', 'TASK_STARTED', 'NORMAL'],
      Status: 'NORMAL',
      Time: `scworkforcemanagement#${now()}`,
      UnixTime: String(now()),
      UnixTimeInt: now(),
      Module: 'scworkforcemanagement',
      Meta: {
        Type: 'TASK',
        TaskId: taskId,
        ShiftId: shiftId,
        SeatId: seat('007'),
        ID: 'b1',
        PropID: PROP,
        Zone: 'zone',
        ZoneName: 'Zone one',
        ZoneCatId: 'cat-1',
        Name: 'Lobby round',
        Priority: 'N',
        Start: 1_634_824_000,
        End: 1_634_826_000,
        AStart: now(),
        AEnd: 0,
        Status: 'STARTED',
        TasksDone: 0,
        taskCount: 1,
        By: 'AK1',
      },
    });
    await refused(
      call('scteams.taskStart', body),
      'INVALID_TRANSITION',
      `task ${taskId} of shift ${shiftId}: a task group is started only once (it is STARTED; pause it first to resume later)`,
    );
  });

  it('refuses to start a task group of another seat’s shift, of a shift not started, an UNPUBLISHED one, or an unknown one, naming the rule', async () => {
    const running = await addShift({ seat: seat('007'), status: 'STARTED' });
    const waiting = await addShift({ seat: seat('007'), status: 'PUBLISHED' });
    const draft = await addShift({ seat: seat('007'), status: 'UNPUBLISHED' });
    const mine = await addTask({ shiftId: running.shiftId, seat: seat('007') });
    const notYet = await addTask({ shiftId: waiting.shiftId, seat: seat('007') });
    const unpublished = await addTask({ shiftId: draft.shiftId, seat: seat('007'), status: 'UNPUBLISHED' });
    const start = (seatId: string, shiftId: string, taskId: string, extra: Partial<ActionCommandV1> = {}) =>
      call('scteams.taskStart', { Taskgroup: { SeatId: seatId, ShiftId: shiftId, TaskId: taskId } }, extra);
    await refused(
      start(seat('008'), running.shiftId, mine),
      'INVALID_TRANSITION',
      `task ${mine} of shift ${running.shiftId}: a seat works only the task groups of its own shift (this task group's shift is seat ${seat('007')}'s)`,
    );
    await refused(
      start(seat('007'), waiting.shiftId, notYet),
      'INVALID_TRANSITION',
      /a task group is started only while its shift is STARTED \(the shift is PUBLISHED\)$/,
    );
    await refused(
      start(seat('007'), draft.shiftId, unpublished),
      'INVALID_TRANSITION',
      /an UNPUBLISHED task group \(its shift is not published\) cannot be started$/,
    );
    await refused(
      start(seat('007'), running.shiftId, '1659591261049880999'),
      'NOT_FOUND',
      `task 1659591261049880999 of shift ${running.shiftId} not found`,
    );
    await refused(start(seat('007'), waiting.shiftId, mine), 'NOT_FOUND');
    await refused(start(`${PROP}_099`, running.shiftId, mine), 'NOT_FOUND', `seat ${PROP}_099 not found`);
    await refused(
      start(seat('007'), running.shiftId, mine, { building: building('b2', PROP), pid: 'b2' }),
      'NOT_FOUND',
    );
    await refused(call('scteams.taskStart', {}), 'MISSING_PARAMETERS', 'Taskgroup: is required');
    await refused(
      call('scteams.taskStart', { Taskgroup: { SeatId: seat('007'), TaskId: mine } }),
      'MISSING_PARAMETERS',
      'Taskgroup.ShiftId: is required',
    );
    await refused(
      call('scteams.taskStart', { Taskgroup: 'x' }),
      'WRONG_PARAMETERS',
      'Taskgroup: must be an object',
    );
  });

  it('of two concurrent starts of one task group one succeeds and the other is refused; one TASK_STARTED', async () => {
    const running = await addShift({ seat: seat('007'), status: 'STARTED' });
    for (let i = 0; i < 5; i += 1) {
      const taskId = await addTask({ shiftId: running.shiftId, seat: seat('007') });
      const body = { Taskgroup: { SeatId: seat('007'), ShiftId: running.shiftId, TaskId: taskId } };
      const answers = await Promise.all([
        call('scteams.taskStart', body),
        call('scteams.taskStart', body),
        call('scteams.taskEnd', body),
      ]);
      expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(1);
      expect(answers.filter((a) => !a.ok).every((a) => !a.ok && a.code === 'INVALID_TRANSITION')).toBe(true);
      expect(answers.slice(0, 2).filter((a) => a.ok)).toHaveLength(1);
      expect(await outboxed(taskId, 'TASK_STARTED')).toBe(1);
      expect(await outboxed(taskId, 'TASK_COMPLETED')).toBe(answers[2]!.ok ? 1 : 0);
    }
  });

  it('pauses and resumes a started task group (documented body), no event for either, then completes it with TASK_COMPLETED', async () => {
    const { shiftId } = await addShift({
      id: '48d1833b-44ad-4307-b2bb-2e32a8ae20b0',
      seat: seat('002'),
      status: 'STARTED',
    });
    const taskId = await addTask({
      taskId: '1634825100000',
      shiftId,
      seat: seat('002'),
      status: 'STARTED',
      aStart: now(),
      start: 1_634_825_100,
      end: 1_634_826_900,
    });
    const body = {
      Taskgroup: {
        SeatId: '3b749a681d14446292b6c79b48403bbd_002',
        ShiftId: '48d1833b-44ad-4307-b2bb-2e32a8ae20b0',
        TaskId: '1634825100000',
      },
    };
    const aStart = now();
    const paused = await call('scteams.pauseTaskGroup', body);
    expect(paused.ok && paused.reply.message).toBe('Task paused');
    expect(data(paused)).toMatchObject({ Status: 'PAUSED', PausedInSeconds: 0 });
    await refused(
      call('scteams.pauseTaskGroup', body),
      'INVALID_TRANSITION',
      /a task group is paused only once \(it is PAUSED\)$/,
    );
    clock.advance(120);
    expect(data(await call('scteams.getTaskDetailsById', body))).toMatchObject({
      Status: 'PAUSED',
      PausedInSeconds: 120,
    });
    expect(data(await call('scteams.taskStart', body))).toMatchObject({
      Status: 'STARTED',
      AStart: aStart,
      PausedInSeconds: 120,
    });
    clock.advance(60);
    const ended = await call('scteams.taskEnd', body);
    expect(ended.ok && ended.reply.message).toBe('Task completed');
    expect(data(ended)).toMatchObject({
      Status: 'COMPLETED',
      AStart: aStart,
      AEnd: aStart + 180,
      PausedInSeconds: 120,
    });
    expect(await outboxed(taskId, 'TASK_STARTED')).toBe(0);
    expect(await outboxed(taskId, 'TASK_COMPLETED')).toBe(1);
    const [completed] = await expectEventually(() => {
      const found = eventsOf(taskId, 'TASK_COMPLETED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(completed!.subject).toBe('matrix.b1.scworkforcemanagement.TASK_COMPLETED.NORMAL');
    expect(completed!.event.Meta).toMatchObject({
      TaskId: taskId,
      Status: 'COMPLETED',
      AEnd: aStart + 180,
      SeatId: seat('002'),
    });
    expect(completed!.event.Description).toBe(
      `${seat('002')} has completed ${(await row(taskId)).name} in Zone one.`,
    );
    await refused(
      call('scteams.taskEnd', body),
      'INVALID_TRANSITION',
      /a task group is completed only once$/,
    );
    await refused(
      call('scteams.pauseTaskGroup', body),
      'INVALID_TRANSITION',
      /only a STARTED task group can be paused \(it is COMPLETED\)$/,
    );
    const waiting = await addTask({ shiftId, seat: seat('002') });
    await refused(
      call('scteams.taskEnd', { Taskgroup: { ...body.Taskgroup, TaskId: waiting } }),
      'INVALID_TRANSITION',
      /a task group must be started before it is completed \(it is PUBLISHED\)$/,
    );
  });

  it('starts and ends an incident assigned to the seat through the incident lifecycle (documented taskEnd body): INCIDENT_STARTED/COMPLETED, no TASK_*', async () => {
    const taskId = await addIncident({
      taskId: '1660643173874880217',
      seat: seat('007'),
      shiftId: seat('007'),
      status: 'ASSIGNED',
    });
    const body = {
      Taskgroup: {
        SeatId: '3b749a681d14446292b6c79b48403bbd_007',
        ShiftId: '3b749a681d14446292b6c79b48403bbd_007',
        TaskId: '1660643173874880217',
      },
    };
    await refused(
      call('scteams.pauseTaskGroup', body),
      'INVALID_TRANSITION',
      /an incident is not paused \(only task groups pause\)$/,
    );
    expect(data(await call('scteams.taskStart', body))).toMatchObject({
      TaskId: taskId,
      Type: 'INCIDENT',
      Status: 'STARTED',
      AStart: now(),
    });
    clock.advance(30);
    expect(data(await call('scteams.taskEnd', body))).toMatchObject({
      TaskId: taskId,
      Type: 'INCIDENT',
      Status: 'COMPLETED',
      AEnd: now(),
    });
    expect(await outboxed(taskId, 'INCIDENT_STARTED')).toBe(1);
    expect(await outboxed(taskId, 'INCIDENT_COMPLETED')).toBe(1);
    expect(await outboxed(taskId, 'TASK_STARTED')).toBe(0);
    expect(await outboxed(taskId, 'TASK_COMPLETED')).toBe(0);
    await refused(
      call('scteams.taskEnd', body),
      'INVALID_TRANSITION',
      `incident ${taskId}: a resolved incident cannot be completed again`,
    );
    await refused(
      call('scteams.taskEnd', {
        Taskgroup: { ...body.Taskgroup, SeatId: seat('008'), ShiftId: seat('008') },
      }),
      'NOT_FOUND',
      `task ${taskId} of shift ${seat('008')} not found`,
    );

    // An incident of a shift is started only while the shift is STARTED.
    const waiting = await addShift({ seat: seat('007'), status: 'PUBLISHED' });
    const ofShift = await addIncident({ seat: seat('007'), shiftId: waiting.shiftId, status: 'ASSIGNED' });
    await refused(
      call('scteams.taskStart', {
        Taskgroup: { SeatId: seat('007'), ShiftId: waiting.shiftId, TaskId: ofShift },
      }),
      'INVALID_TRANSITION',
      `incident ${ofShift}: an incident of a shift is started only while the shift is STARTED (the shift is PUBLISHED)`,
    );
  });

  it('replaces the attachments of an assigned incident (documented body) or of a task group', async () => {
    const incident = await addIncident({ seat: seat('007'), shiftId: seat('007'), status: 'STARTED' });
    const body = {
      ShiftID: '3b749a681d14446292b6c79b48403bbd_007',
      SeatId: '3b749a681d14446292b6c79b48403bbd_007',
      IncidentId: incident,
      Attachments: ['abc', 'def', 'ghi'],
    };
    const answer = await call('scteams.updateAttachments', body);
    expect(answer.ok && answer.reply.message).toBe('Attachments updated');
    expect(data(answer)).toMatchObject({
      TaskId: incident,
      Type: 'INCIDENT',
      Attachments: ['abc', 'def', 'ghi'],
    });

    const { shiftId } = await addShift({ seat: seat('007'), status: 'STARTED' });
    const taskId = await addTask({ shiftId, seat: seat('007'), status: 'COMPLETED' });
    expect(
      data(
        await call('scteams.updateAttachments', {
          ShiftId: shiftId,
          seatid: seat('007'),
          incidentID: taskId,
          Attachments: ['https://x/1.jpg'],
        }),
      ),
    ).toMatchObject({ TaskId: taskId, Type: 'TASK', Attachments: ['https://x/1.jpg'] });
    expect((await row(taskId)).attachments).toEqual(['https://x/1.jpg']);
    await refused(
      call('scteams.updateAttachments', { ...body, SeatId: seat('008') }),
      'NOT_FOUND',
      `task ${incident} of shift ${body.ShiftID} not found`,
    );
    await refused(
      call('scteams.updateAttachments', { ...body, Attachments: 'abc' }),
      'WRONG_PARAMETERS',
      'Attachments: must be a list of at most 20 URLs',
    );
    await refused(
      call('scteams.updateAttachments', { ...body, Attachments: [''] }),
      'WRONG_PARAMETERS',
      'Attachments[0]: must be a URL of at most 2048 characters',
    );
    await refused(
      call('scteams.updateAttachments', { ...body, Attachments: undefined }),
      'MISSING_PARAMETERS',
      'Attachments: is required',
    );
  });

  it('starts an ad hoc task on the running shift (documented body, its ShiftID made a real one) with TASK_STARTED, and ends it with its work items', async () => {
    const documented = {
      EndTime: 1635724918,
      ZoneName: 'Adhoc Task Zone',
      By: 'Sam',
      ShiftID: '47f46a96-8e93-48c0-87b3-beba3c66875g',
      zoneId: 'zoneid2',
      ZoneCategoryId: 'someid',
    };
    // The documented ShiftID is no UUID: no shift has it.
    await refused(
      call('scteams.startAdhocTask', documented),
      'NOT_FOUND',
      'shift 47f46a96-8e93-48c0-87b3-beba3c66875g not found',
    );
    const { shiftId } = await addShift({ seat: seat('003'), status: 'STARTED' });
    const answer = await call('scteams.startAdhocTask', { ...documented, ShiftID: shiftId });
    expect(answer.ok && answer.reply.message).toBe('Ad hoc task started');
    const adhoc = data(answer);
    expect(adhoc).toMatchObject({
      Type: 'ADHOC',
      Name: 'Ad hoc task',
      Priority: 'N',
      Status: 'STARTED',
      Start: now(),
      End: 1635724918,
      AStart: now(),
      SeatId: seat('003'),
      ShiftId: shiftId,
      Zone: 'zoneid2',
      ZoneName: 'Lobby',
      ZoneCatId: 'someid',
      By: 'Sam',
      taskCount: 0,
      Tasks: [],
    });
    expect(await outboxed(adhoc['TaskId'], 'TASK_STARTED')).toBe(1);
    const ended = await call('scteams.endAdhocTask', {
      ShiftID: shiftId,
      SeatId: seat('003'),
      TaskId: adhoc['TaskId'],
      Tasks: [{ Comments: 'Some Comment', Name: 'Task Name', Done: true, T: -1 }],
    });
    expect(data(ended)).toMatchObject({
      Status: 'COMPLETED',
      AEnd: now(),
      taskCount: 1,
      Tasks: [{ Name: 'Task Name', Done: true, T: -1, Comments: 'Some Comment', Attachments: [] }],
    });
    expect(await outboxed(adhoc['TaskId'], 'TASK_COMPLETED')).toBe(1);
    const [event] = await expectEventually(() => {
      const found = eventsOf(adhoc['TaskId'], 'TASK_COMPLETED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event!.event.Meta).toMatchObject({
      Type: 'ADHOC',
      TasksDone: 1,
      taskCount: 1,
      Status: 'COMPLETED',
    });

    const waiting = await addShift({ seat: seat('003'), status: 'PUBLISHED' });
    await refused(
      call('scteams.startAdhocTask', { ...documented, ShiftID: waiting.shiftId }),
      'INVALID_TRANSITION',
      `shift ${waiting.shiftId}: an ad hoc task is started only on a STARTED shift (the shift is PUBLISHED)`,
    );
    await refused(
      call('scteams.startAdhocTask', { ...documented, ShiftID: shiftId, EndTime: now() }),
      'WRONG_PARAMETERS',
      'EndTime: must be after the current time',
    );
    await refused(
      call('scteams.startAdhocTask', { ...documented, ShiftID: shiftId, zoneId: 'nowhere' }),
      'NOT_FOUND',
      'zone nowhere not found',
    );
    await refused(
      call('scteams.startAdhocTask', { ...documented, ShiftID: shiftId, SeatId: seat('007') }),
      'NOT_FOUND',
      `shift ${shiftId} of seat ${seat('007')} not found`,
    );
    await refused(call('scteams.startAdhocTask', {}), 'MISSING_PARAMETERS', 'ShiftID: is required');
  });

  it('ends an ad hoc task from the documented body (a numeric TaskId); a planned task group is not ended that way', async () => {
    const sony = { building: building('sony1', 'SONY'), pid: 'sony1', propid: 'SONY' };
    const { shiftId } = await addShift({
      id: '47f46a96-8e93-48c0-87b3-beba3c66875e',
      seat: 'SONY_002',
      status: 'STARTED',
      pid: 'sony1',
      propId: 'SONY',
    });
    await addTask({
      taskId: '1638864287256',
      shiftId,
      seat: 'SONY_002',
      pid: 'sony1',
      propId: 'SONY',
      status: 'STARTED',
      type: 'ADHOC',
      aStart: now(),
    });
    const body = {
      ShiftID: '47f46a96-8e93-48c0-87b3-beba3c66875e',
      SeatId: 'SONY_002',
      TaskId: 1638864287256,
      Tasks: [{ Comments: 'Some Comment', Name: 'Task Name', Done: true, T: -1 }],
    };
    const answer = await call('scteams.endAdhocTask', body, sony);
    expect(answer.ok && answer.reply.message).toBe('Ad hoc task completed');
    expect(data(answer)).toMatchObject({
      TaskId: '1638864287256',
      Type: 'ADHOC',
      Status: 'COMPLETED',
      Tasks: [{ Name: 'Task Name', Done: true }],
    });
    expect(await outboxed('1638864287256', 'TASK_COMPLETED')).toBe(1);
    await refused(call('scteams.endAdhocTask', body), 'NOT_FOUND', 'seat SONY_002 not found');
    const planned = await addTask({
      shiftId,
      seat: 'SONY_002',
      pid: 'sony1',
      propId: 'SONY',
      status: 'STARTED',
      aStart: now(),
    });
    await refused(
      call('scteams.endAdhocTask', { ...body, TaskId: planned }, sony),
      'INVALID_TRANSITION',
      /endAdhocTask ends only an ad hoc task group \(Type ADHOC\)/,
    );
    await refused(
      call('scteams.endAdhocTask', { ...body, TaskId: planned, Tasks: undefined }, sony),
      'MISSING_PARAMETERS',
      'Tasks: is required',
    );
    await refused(
      call('scteams.endAdhocTask', { ...body, TaskId: planned, Tasks: [{ Name: 'x', Done: 'yes' }] }, sony),
      'WRONG_PARAMETERS',
      'Tasks[0].Done: must be true or false',
    );
  });

  it('answers a task group or an assigned incident by its address (getTaskDetailsById); the documented 10-digit TaskId is no task id', async () => {
    const documented = {
      Taskgroup: {
        SeatId: '3b749a681d14446292b6c79b48403bbd_007',
        ShiftId: 'd4ca22ec-900d-4e7a-86ce-96144b7205e5',
        TaskId: '1660432080',
      },
    };
    await refused(
      call('scteams.getTaskDetailsById', documented),
      'WRONG_PARAMETERS',
      'Taskgroup.TaskId: must be a task id (13 to 19 digits)',
    );
    const { shiftId } = await addShift({
      id: 'd4ca22ec-900d-4e7a-86ce-96144b7205e5',
      seat: seat('007'),
      status: 'PUBLISHED',
    });
    const taskId = await addTask({ shiftId, seat: seat('007') });
    const incident = await addIncident({ seat: seat('007'), shiftId, status: 'ASSIGNED' });
    expect(
      data(
        await call('scteams.getTaskDetailsById', { Taskgroup: { ...documented.Taskgroup, TaskId: taskId } }),
      ),
    ).toMatchObject({ TaskId: taskId, Type: 'TASK', ShiftId: shiftId });
    expect(
      data(
        await call('scteams.getTaskDetailsById', {
          taskgroup: { seatid: seat('007'), shiftID: shiftId, taskid: incident },
        }),
      ),
    ).toMatchObject({ TaskId: incident, Type: 'INCIDENT', ShiftId: shiftId });
    await refused(
      call('scteams.getTaskDetailsById', {
        Taskgroup: { ...documented.Taskgroup, TaskId: taskId, SeatId: seat('008') },
      }),
      'NOT_FOUND',
    );
    await refused(
      call(
        'scteams.getTaskDetailsById',
        { Taskgroup: { ...documented.Taskgroup, TaskId: taskId } },
        { building: building('b2', PROP), pid: 'b2' },
      ),
      'NOT_FOUND',
    );
  });

  it('lists a shift’s task groups and assigned incidents in start order (documented getTasksForShiftById body); a seat-direct id lists the seat’s', async () => {
    const { shiftId, start } = await addShift({
      id: '9dec3fd3-51c1-43c4-921b-f549d9c3c185',
      seat: seat('008'),
      status: 'STARTED',
    });
    const late = await addTask({ shiftId, seat: seat('008'), start: start + 600 });
    const early = await addTask({
      shiftId,
      seat: seat('008'),
      start: start + 60,
      type: 'ADHOC',
      status: 'STARTED',
      aStart: start + 60,
    });
    const incident = await addIncident({
      seat: seat('008'),
      shiftId,
      status: 'ASSIGNED',
      start: start + 300,
    });
    const list = data(
      await call('scteams.getTasksForShiftById', { ShiftID: '9dec3fd3-51c1-43c4-921b-f549d9c3c185' }),
    ) as unknown as Record<string, unknown>[];
    expect(list.map((t) => [t['TaskId'], t['Type']])).toEqual([
      [early, 'ADHOC'],
      [incident, 'INCIDENT'],
      [late, 'TASK'],
    ]);
    const direct = await addIncident({ seat: seat('008'), shiftId: seat('008'), status: 'ASSIGNED' });
    expect(
      (data(await call('scteams.getTasksForShiftById', { ShiftId: seat('008') })) as any[]).map(
        (t) => t.TaskId,
      ),
    ).toEqual([direct]);
    await refused(
      call('scteams.getTasksForShiftById', { ShiftID: randomUUID() }),
      'NOT_FOUND',
      /^shift .* not found$/,
    );
    await refused(
      call(
        'scteams.getTasksForShiftById',
        { ShiftID: shiftId },
        { building: building('b2', PROP), pid: 'b2' },
      ),
      'NOT_FOUND',
    );
    await refused(call('scteams.getTasksForShiftById', {}), 'MISSING_PARAMETERS', 'ShiftID: is required');
  });

  it('answers the last N completed task groups newest first (documented getLastNTasks body, |Limit|); TasksFor ZONE with Limit 1 is the zone’s last clean time, one index probe', async () => {
    const b = { building: building('b3'), pid: 'b3' };
    const { shiftId } = await addShift({
      seat: seat('000'),
      status: 'STARTED',
      pid: 'b3',
      start: 1_634_820_000,
    });
    const done: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      done.push(
        await addTask({
          shiftId,
          seat: seat('000'),
          pid: 'b3',
          status: 'COMPLETED',
          start: 1_634_825_100 + i,
          aStart: 1_634_825_100 + i,
          aEnd: 1_634_826_000 + i * 10,
          zone: i % 2 ? '71d899661d5645acb0b8f8030e26fc35' : 'zone',
        }),
      );
    }
    await addTask({ shiftId, seat: seat('000'), pid: 'b3', status: 'STARTED', aStart: 1_634_825_100 });
    const documented = {
      StartTime: 1634825100,
      EndTime: 1654825100,
      Limit: -5,
      TasksFor: 'PROP',
      SeatId: '3b749a681d14446292b6c79b48403bbd_002',
      zoneId: '71d899661d5645acb0b8f8030e26fc35',
    };
    const ids = async (args: Record<string, unknown>) =>
      ((data(await call('scteams.getLastNTasks', args, b)) as any[]) ?? []).map((t) => t.TaskId);
    // PROP: the property's completed ones (b3's here; the other buildings of the property have none in range).
    const prop = data(await call('scteams.getLastNTasks', documented, b)) as any[];
    expect(prop).toHaveLength(5);
    expect(prop.map((t) => t.AEnd)).toEqual([...prop.map((t) => t.AEnd)].sort((x, y) => y - x));
    expect(await ids({ ...documented, TasksFor: 'ID' })).toEqual([...done].reverse().slice(0, 5));
    expect(await ids({ ...documented, TasksFor: 'ZONE', Limit: 1 })).toEqual([done[5]]);
    expect(await ids({ TasksFor: 'ZONE', zoneID: 'zone' })).toEqual([done[6]]);
    expect(await ids({ TasksFor: 'SEAT', SeatId: seat('000'), Limit: '2' })).toEqual([done[6], done[5]]);
    expect(await ids({ TasksFor: 'ID', EndTime: 1_634_826_015 })).toEqual([done[1]]);
    await refused(
      call('scteams.getLastNTasks', { ...documented, Limit: 0 }, b),
      'WRONG_PARAMETERS',
      /^Limit: must be a non-zero integer/,
    );
    await refused(
      call('scteams.getLastNTasks', { ...documented, TasksFor: 'TEAM' }, b),
      'WRONG_PARAMETERS',
      'TasksFor: must be one of ID, PROP, ZONE, SEAT',
    );
    await refused(
      call('scteams.getLastNTasks', { TasksFor: 'ZONE' }, b),
      'MISSING_PARAMETERS',
      'zoneId: is required',
    );
    await refused(call('scteams.getLastNTasks', { TasksFor: 'SEAT', SeatId: `${PROP}_099` }, b), 'NOT_FOUND');
    // The zone's last clean time reads one entry of task_groups_zone_completed (seq scans off: the table is tiny here).
    await harness.sql.query('set enable_seqscan = off');
    const plan = JSON.stringify(
      (
        await harness.sql.query(
          `explain (format json) select * from workforce.task_groups
           where status = 'COMPLETED' and pid = 'b3' and zone_id = 'zone' and a_end <= 1654825100
           order by a_end desc, task_id desc limit 1`,
        )
      ).rows[0]['QUERY PLAN'],
    );
    await harness.sql.query('set enable_seqscan = on');
    expect(plan).toContain('task_groups_zone_completed');
    expect(plan).not.toContain('"Sort"');
  });

  it('answers task groups (and assigned incidents when Type allows) in a time range by zone, building and seat (documented bodies)', async () => {
    const b = { building: building('b4'), pid: 'b4' };
    const { shiftId } = await addShift({
      seat: seat('003'),
      status: 'STARTED',
      pid: 'b4',
      start: 1_634_820_000,
    });
    const other = await addShift({ seat: seat('000'), status: 'PUBLISHED', pid: 'b4', start: 1_634_780_000 });
    const a = await addTask({
      shiftId,
      seat: seat('003'),
      pid: 'b4',
      start: 1_634_825_100,
      zone: '71d899661d5645acb0b8f8030e26fc36',
    });
    const c = await addTask({
      shiftId: other.shiftId,
      seat: seat('000'),
      pid: 'b4',
      start: 1_634_825_500,
      zone: '71d899661d5645acb0b8f8030e26fc36',
    });
    const adhoc = await addTask({
      shiftId,
      seat: seat('003'),
      pid: 'b4',
      start: 1_634_826_000,
      type: 'ADHOC',
      status: 'STARTED',
    });
    const outside = await addTask({ shiftId, seat: seat('003'), pid: 'b4', start: 1_634_830_000 });
    const incident = await addIncident({
      seat: seat('000'),
      shiftId: other.shiftId,
      status: 'ASSIGNED',
      start: 1_634_825_300,
      pid: 'b4',
    });
    const ids = async (op: string, args: Record<string, unknown>) =>
      (data(await call(op, args, b)) as any[]).map((t) => t.TaskId);

    expect(
      await ids('scteams.tasksInTRangeByZoneId', {
        StartTime: 1634825100,
        EndTime: 1634826900,
        SeatId: '3b749a681d14446292b6c79b48403bbd_000',
        zoneId: '71d899661d5645acb0b8f8030e26fc36',
      }),
    ).toEqual([c]);
    expect(
      await ids('scteams.tasksInTRangeByZoneId', {
        StartTime: 1634825100,
        EndTime: 1634826900,
        ZoneID: '71d899661d5645acb0b8f8030e26fc36',
      }),
    ).toEqual([a, c]);
    expect(
      await ids('scteams.getTaskGroupInTRangeForID', { Type: 'TASK', EndTime: 1634826900, StartTime: 0 }),
    ).toEqual([a, c, adhoc]);
    expect(await ids('scteams.getTaskGroupInTRangeForID', { EndTime: 1634826900, StartTime: 0 })).toEqual([
      a,
      incident,
      c,
      adhoc,
    ]);
    expect(
      await ids('scteams.getTaskGroupInTRangeForID', { Type: 'INCIDENT', EndTime: 1634826900, StartTime: 0 }),
    ).toEqual([incident]);
    expect(
      await ids('scteams.getTaskGroupInTRangeForID', { Type: 'ADHOC', EndTime: 1634830000, StartTime: 0 }),
    ).toEqual([adhoc]);
    expect(await ids('scteams.getTaskGroupInTRangeForID', { EndTime: 1634830000, StartTime: 0 })).toContain(
      outside,
    );
    expect(
      await ids('scteams.getTaskGroupInTRangeForSeatID', {
        SeatId: '3b749a681d14446292b6c79b48403bbd_003',
        Type: 'TASK',
        EndTime: 1634826900,
        StartTime: 1634825100,
      }),
    ).toEqual([a, adhoc]);
    expect(
      await ids('scteams.getTaskGroupInTRangeForSeatID', {
        SeatId: seat('000'),
        EndTime: 1634826900,
        StartTime: 1634825100,
      }),
    ).toEqual([incident, c]);
    await refused(
      call('scteams.getTaskGroupInTRangeForID', { Type: 'AUDIT', EndTime: 1, StartTime: 0 }, b),
      'WRONG_PARAMETERS',
      'Type: must be TASK, ADHOC or INCIDENT',
    );
    await refused(
      call('scteams.getTaskGroupInTRangeForID', { EndTime: 1, StartTime: 5 }, b),
      'WRONG_PARAMETERS',
      'EndTime: must not be before StartTime',
    );
    await refused(
      call('scteams.getTaskGroupInTRangeForID', {}, b),
      'MISSING_PARAMETERS',
      'StartTime: is required',
    );
    await refused(
      call('scteams.getTaskGroupInTRangeForSeatID', { SeatId: `${PROP}_099`, EndTime: 1, StartTime: 0 }, b),
      'NOT_FOUND',
      `seat ${PROP}_099 not found`,
    );
    await refused(
      call('scteams.tasksInTRangeByZoneId', { StartTime: 0, EndTime: 1, zoneId: 'nowhere' }, b),
      'NOT_FOUND',
      'zone nowhere not found',
    );
  });

  it('pages a building’s tasks 100 at a time with the documented LastEvaluatedKey form (getTasksForIDPaginated) and a property’s by status (getTasksForPropertyByStatus)', async () => {
    const b = { building: building('b5', 'p5'), pid: 'b5', propid: 'p5' };
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ('p5_001', 'ACME', 'p5', 'kg', 'HK')`,
    );
    const { shiftId } = await addShift({
      seat: 'p5_001',
      status: 'PUBLISHED',
      pid: 'b5',
      propId: 'p5',
      start: 1_634_000_000,
    });
    await harness.sql.query(
      `insert into workforce.task_groups
         (task_id, shift_id, seat_id, org_id, prop_id, pid, zone_id, zone_name, name, priority, time_zone, start_at, end_at, status, tasks, type, created_by)
       select (1634000000000 + i)::text || '000000', $1, 'p5_001', 'ACME', 'p5', 'b5', 'zone', 'Zone one', 'Round ' || i, 'N',
              'Asia/Singapore', 1634000000 + i / 2, 1634000000 + i / 2 + 600, case when i % 3 = 0 then 'COMPLETED' else 'PUBLISHED' end,
              '[]', 'TASK', 'test'
       from generate_series(1, 160) as i`,
      [shiftId],
    );
    const documented = { StartTime: 1616134038, EndTime: 1646719364, Type: 'TASK' };
    const first = await call('scteams.getTasksForIDPaginated', documented, b);
    expect(first.ok && (first.reply.data as unknown[]).length).toBe(100);
    const key = first.ok && (first.reply as any).extra?.LastEvaluatedKey;
    const last = (data(first) as any[])[99];
    expect(JSON.parse(Buffer.from(key, 'base64').toString('utf8'))).toEqual({
      Start: { n: String(last.Start) },
      ID: { s: 'b5' },
      ATTR: { s: `attr#b5#p5_001#${shiftId}#${last.TaskId}` },
    });
    const second = await call('scteams.getTasksForIDPaginated', { ...documented, LastEvaluatedKey: key }, b);
    expect(second.ok && (second.reply.data as unknown[]).length).toBe(60);
    expect(second.ok && (second.reply as any).extra).toBeUndefined();
    const all = [...(data(first) as any[]), ...(data(second) as any[])].map((t) => t.TaskId);
    expect(new Set(all).size).toBe(160);
    expect(all).toEqual([...all].sort((x, y) => Number(BigInt(x) - BigInt(y))));
    await refused(
      call('scteams.getTasksForIDPaginated', { ...documented, LastEvaluatedKey: 'bm9wZQ==' }, b),
      'WRONG_PARAMETERS',
      'LastEvaluatedKey: is not a key this API returned',
    );

    const published = await call(
      'scteams.getTasksForPropertyByStatus',
      { Status: 'PUBLISHED', LastEvaluatedKey: '' },
      b,
    );
    expect(
      published.ok &&
        (published.reply.data as any[]).every((t) => t.Status === 'PUBLISHED' && t.PropID === 'p5'),
    ).toBe(true);
    expect(published.ok && (published.reply.data as unknown[]).length).toBe(100);
    const next = published.ok && (published.reply as any).extra?.LastEvaluatedKey;
    const rest = await call('scteams.getTasksForPropertyByStatus', { LastEvaluatedKey: next }, b);
    expect(rest.ok && (rest.reply.data as any[]).map((t) => t.Status)).toEqual(Array(7).fill('PUBLISHED'));
    expect(rest.ok && (rest.reply as any).extra).toBeUndefined();
    expect(data(await call('scteams.getTasksForPropertyByStatus', { status: 'COMPLETED' }, b))).toHaveLength(
      53,
    );
    await refused(
      call('scteams.getTasksForPropertyByStatus', {}, b),
      'MISSING_PARAMETERS',
      'Status: is required',
    );
    await refused(
      call('scteams.getTasksForPropertyByStatus', { Status: 'DONE' }, b),
      'WRONG_PARAMETERS',
      /^Status: must be one of/,
    );
  });

  it('answers task metrics of a building and of a seat (documented bodies): counts by status and type, on time vs late, average duration', async () => {
    const b = { building: building('b6'), pid: 'b6' };
    clock.advance(3600); // the building's metrics run from StartTime to now
    const { shiftId } = await addShift({
      seat: seat('000'),
      status: 'STARTED',
      pid: 'b6',
      start: 1_634_700_000,
    });
    const other = await addShift({ seat: seat('002'), status: 'STARTED', pid: 'b6', start: 1_634_700_000 });
    await addTask({
      shiftId,
      seat: seat('000'),
      pid: 'b6',
      status: 'COMPLETED',
      start: 1_634_825_200,
      end: 1_634_826_000,
      aStart: 1_634_825_200,
      aEnd: 1_634_825_800,
    });
    await addTask({
      shiftId,
      seat: seat('000'),
      pid: 'b6',
      status: 'COMPLETED',
      start: 1_634_825_300,
      end: 1_634_826_000,
      aStart: 1_634_825_300,
      aEnd: 1_634_826_500,
    });
    await addTask({ shiftId, seat: seat('000'), pid: 'b6', status: 'PUBLISHED', start: 1_634_825_400 });
    await addTask({
      shiftId: other.shiftId,
      seat: seat('002'),
      pid: 'b6',
      status: 'STARTED',
      type: 'ADHOC',
      start: 1_634_825_500,
      aStart: 1_634_825_500,
    });
    const building_ = data(await call('scteams.getTaskGroupMetricsForID', { StartTime: 1634825100 }, b));
    expect(building_).toEqual({
      StartTime: 1634825100,
      EndTime: now(),
      Total: 4,
      ByStatus: { UNPUBLISHED: 0, PUBLISHED: 1, STARTED: 1, PAUSED: 0, COMPLETED: 2, INCOMPLETE: 0 },
      ByType: { TASK: 3, ADHOC: 1 },
      Completed: { Total: 2, OnTime: 1, Late: 1 },
      AverageDurationInSeconds: 900,
    });
    expect(
      data(
        await call(
          'scteams.getTaskGrouptMetricsForSeatID',
          { EndTime: 1634826900, SeatId: '3b749a681d14446292b6c79b48403bbd_000' },
          b,
        ),
      ),
    ).toEqual({
      StartTime: 1634826900 - 86400,
      EndTime: 1634826900,
      SeatId: seat('000'),
      Total: 3,
      ByStatus: { UNPUBLISHED: 0, PUBLISHED: 1, STARTED: 0, PAUSED: 0, COMPLETED: 2, INCOMPLETE: 0 },
      ByType: { TASK: 3, ADHOC: 0 },
      Completed: { Total: 2, OnTime: 1, Late: 1 },
      AverageDurationInSeconds: 900,
    });
    expect(
      data(
        await call('scteams.getTaskGrouptMetricsForSeatID', { EndTime: 1634826900, SeatId: seat('003') }, b),
      ),
    ).toMatchObject({ Total: 0, AverageDurationInSeconds: null });
    await refused(
      call('scteams.getTaskGrouptMetricsForSeatID', { EndTime: 1634826900 }, b),
      'MISSING_PARAMETERS',
      'SeatId: is required',
    );
    await refused(
      call('scteams.getTaskGroupMetricsForID', { StartTime: 'yesterday' }, b),
      'WRONG_PARAMETERS',
      /^StartTime: must be epoch seconds/,
    );
  });
});
