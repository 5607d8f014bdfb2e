import { at, WorkforceRest } from './workforce-rest';

/*
 * REST v1 `/v1/buildings/{pid}/shifts/{shiftId}/task-groups…` and the zone reads `…/zones/{zoneId}/last-clean`
 * and `…/on-shift`: the gateway on a real PostgreSQL and NATS, forwarding the documented task and
 * assignment ops to the real incident-service.
 */

const w = new WorkforceRest('task-groups-rest');

/** A shift of the seat on now's wall clock (planned from a minute ahead), published and started. */
let live: { shiftId: string };

beforeAll(async () => {
  await w.start();
  const body = {
    daysOfWeek: [0, 1, 2, 3, 4, 5, 6],
    timeSlots: [{ startTime: '00:00', endTime: '24:00' }],
  };
  const availability = await w.gw.rest(
    w.writer,
    'POST',
    `/v1/properties/${w.admin.propid}/seats/${w.seat}/availability`,
    body,
  );
  expect(availability.status).toBe(201);
  const now = Math.floor(Date.now() / 1000);
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
  const created = await w.gw.rest(w.writer, 'POST', `/v1/buildings/${w.pid}/shifts`, {
    seatId: w.seat,
    start: iso(now + 60),
    end: iso(now + 8 * 3600),
    zoneIds: [w.lobby],
    breaks: [{ durationSeconds: 900, planned: true, type: 'COFFEE' }],
    publish: true,
  });
  expect(created.status).toBe(201);
  live = created.body.items[0];
  const started = await w.gw.rest(
    w.writer,
    'POST',
    `/v1/buildings/${w.pid}/shifts/${live.shiftId}/transitions`,
    {
      action: 'start',
    },
  );
  expect(started.body.status).toBe('STARTED');
}, 60_000);
afterAll(() => w.stop());

const groups = (shiftId: string, suffix = '') =>
  `/v1/buildings/${w.pid}/shifts/${shiftId}/task-groups${suffix}`;
const zone = (zoneId: string, suffix: string) => `/v1/buildings/${w.pid}/zones/${zoneId}/${suffix}`;
const written = () => w.rows('task_groups', 'outbox');

/** A shift of `seat` on day `day` (08:00–16:00 UTC). */
async function plan(day: number, body: Record<string, unknown> = {}) {
  const created = await w.gw.rest(w.writer, 'POST', `/v1/buildings/${w.pid}/shifts`, {
    seatId: w.seat,
    start: at(day, 8),
    end: at(day, 16),
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body.items[0] as { shiftId: string; seatId: string };
}

const group = (day: number, body: Record<string, unknown> = {}) => ({
  name: 'Lobby round',
  start: at(day, 9),
  end: at(day, 10),
  zoneId: w.lobby,
  tasks: [{ name: 'Mop the floor' }, { name: 'Empty bins', value: 3, comments: 'both' }],
  ...body,
});

async function add(shiftId: string, body: Record<string, unknown>) {
  const added = await w.gw.rest(w.writer, 'POST', groups(shiftId), body);
  expect(added.status).toBe(201);
  return added.body as Record<string, any>;
}

const transition = (shiftId: string, taskId: string, body: unknown, headers: Record<string, string> = {}) =>
  w.gw.rest(w.writer, 'POST', groups(shiftId, `/${taskId}/transitions`), body, headers);

describe('task groups over REST v1', () => {
  it('adds a task group (201) in the REST shape, retry-safe with Idempotency-Key, the one the actions API and the list read', async () => {
    const shift = await plan(1);
    const body = group(1, { priority: 'high', timeZone: 'Asia/Singapore' });
    const before = await written();
    const first = await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), body, {
      'idempotency-key': 'tg-1',
    });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      taskId: expect.stringMatching(/^[0-9]{19}$/),
      type: 'TASK',
      name: 'Lobby round',
      priority: 'high',
      shiftId: shift.shiftId,
      seatId: w.seat,
      pid: w.pid,
      propId: w.admin.propid,
      org: w.admin.org,
      zoneId: w.lobby,
      zoneName: 'Lobby',
      zoneCategoryId: 'LOBBY',
      status: 'UNPUBLISHED',
      delayed: false,
      start: body.start.replace('Z', '.000Z'),
      end: body.end.replace('Z', '.000Z'),
      timeZone: 'Asia/Singapore',
      localStart: expect.stringMatching(/T17:00:00$/),
      startedAt: null,
      completedAt: null,
      pausedSeconds: 0,
      tasks: [
        { name: 'Mop the floor', done: false, value: null, comments: null, attachments: [] },
        { name: 'Empty bins', done: false, value: 3, comments: 'both', attachments: [] },
      ],
      attachments: [],
      raisedBy: null,
      createdOn: expect.any(String),
      modifiedOn: expect.any(String),
    });
    const replay = await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), body, {
      'idempotency-key': 'tg-1',
    });
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body]).toEqual([
      201,
      'true',
      first.body,
    ]);
    // No event is documented for adding a task group.
    expect(await written()).toEqual({ task_groups: before.task_groups + 1, outbox: before.outbox });

    const viaActions = await w.gw.action(
      w.reader,
      { module: 'scworkforcemanagement', op: 'scteams.getTaskDetailsById', pid: w.pid },
      { Taskgroup: { SeatId: w.seat, ShiftId: shift.shiftId, TaskId: first.body.taskId } },
    );
    expect(viaActions.body.data).toMatchObject({
      TaskId: first.body.taskId,
      Priority: 'H',
      Zone: w.lobby,
      Status: 'UNPUBLISHED',
      Tasks: [
        { Name: 'Mop the floor', T: -1 },
        { Name: 'Empty bins', T: 3, Comments: 'both' },
      ],
    });
    const second = await add(shift.shiftId, group(1, { start: at(1, 8), end: at(1, 9), zoneId: w.pantry }));
    const list = await w.gw.rest(w.reader, 'GET', groups(shift.shiftId));
    expect(list.status).toBe(200);
    expect(list.body.items.map((g: { taskId: string }) => g.taskId)).toEqual([
      second.taskId,
      first.body.taskId,
    ]);
    expect(list.body.items[1]).toEqual(first.body);
    const one = await w.gw.rest(w.reader, 'GET', groups(shift.shiftId, `/${second.taskId}`));
    expect([one.status, one.body]).toEqual([200, second]);
    expect(second).toMatchObject({ priority: 'normal', zoneName: 'Pantry', zoneCategoryId: null });
  });

  it('refuses bad input (400 naming each field), unknown zones (404), a shift on leave (409 naming the rule), a reader (403), and writes nothing', async () => {
    const shift = await plan(2);
    const away = await plan(3);
    expect(
      (
        await w.gw.rest(w.admin, 'POST', `/v1/buildings/${w.pid}/shifts/${away.shiftId}/transitions`, {
          action: 'markOnLeave',
        })
      ).body.status,
    ).toBe('ON_LEAVE');
    const before = await written();
    const bad = await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), {
      start: 'soon',
      end: at(2, 9),
      zoneId: w.lobby,
      priority: 'H',
      timeZone: 'Mars/Olympus',
      tasks: [{ name: '' }, { name: 'x', value: -1, done: 'yes', colour: 1 }],
      seatId: w.otherSeat,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([
      'seatId: is not a known field',
      'name: is required',
      'start: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z',
      'priority: must be one of high, medium, normal, low',
      'timeZone: must be an IANA time zone, e.g. Europe/Berlin',
      'tasks[0].name: must be a non-empty string of at most 200 characters',
      'tasks[1].colour: is not a known field',
      'tasks[1].done: must be true or false',
      'tasks[1].value: must be a non-negative whole number (null for none)',
    ]);
    const backwards = await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), group(2, { end: at(2, 8) }));
    expect([backwards.status, backwards.body.errors]).toEqual([400, ['end: must be after start']]);
    const empty = await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), group(2, { tasks: [] }));
    expect(empty.body.errors).toEqual(['tasks: must be a list of 1 to 20 work items']);
    expect((await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), null)).body.errors).toEqual([
      'body: must be a JSON object',
      'name: is required',
      'start: is required',
      'end: is required',
      'zoneId: is required',
      'tasks: is required',
    ]);
    const nowhere = await w.gw.rest(w.writer, 'POST', groups(shift.shiftId), group(2, { zoneId: 'nowhere' }));
    expect([nowhere.status, nowhere.body.detail]).toEqual([404, 'zone nowhere not found']);
    const noShift = await w.gw.rest(
      w.writer,
      'POST',
      groups('00000000-0000-4000-8000-000000000000'),
      group(2),
    );
    expect([noShift.status, noShift.body.detail]).toEqual([
      404,
      'shift 00000000-0000-4000-8000-000000000000 not found',
    ]);
    const onLeave = await w.gw.rest(w.writer, 'POST', groups(away.shiftId), group(3));
    expect(onLeave.status).toBe(409);
    expect(onLeave.body).toMatchObject({
      type: 'https://matrix.dev/problems/invalid-transition',
      detail: `shift ${away.shiftId}: a task group is added only to a shift not ended (the shift is ON_LEAVE)`,
    });
    expect((await w.gw.rest(w.reader, 'POST', groups(shift.shiftId), group(2))).status).toBe(403);
    expect(await written()).toEqual(before);
  });

  it('reads: unknown task groups and shifts are 404, another tenant’s building 404, no credential 401', async () => {
    const shift = await plan(4);
    const other = await plan(5);
    const mine = await add(shift.shiftId, group(4));
    const theirs = await add(other.shiftId, group(5));
    for (const id of ['1000000000000000000', 'not-a-task', theirs.taskId]) {
      const missing = await w.gw.rest(w.reader, 'GET', groups(shift.shiftId, `/${id}`));
      expect([missing.status, missing.body.detail]).toEqual([404, `task group ${id} not found`]);
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', w.seat]) {
      const missing = await w.gw.rest(w.reader, 'GET', groups(id));
      expect([missing.status, missing.body.detail]).toEqual([404, `shift ${id} not found`]);
    }
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['POST', '', group(4)],
      ['GET', `/${mine.taskId}`, undefined],
      ['DELETE', `/${mine.taskId}`, undefined],
      ['POST', `/${mine.taskId}/transitions`, { action: 'start' }],
    ] as const) {
      const answer = await w.gw.rest(w.stranger, method, groups(shift.shiftId, suffix), body);
      expect([method, suffix, answer.status, answer.body.detail]).toEqual([
        method,
        suffix,
        404,
        `building ${w.pid} not found`,
      ]);
    }
    for (const suffix of ['last-clean', 'on-shift']) {
      expect((await w.gw.rest(w.stranger, 'GET', zone(w.lobby, suffix))).status).toBe(404);
      expect((await fetch(`${w.gw.url}${zone(w.lobby, suffix)}`)).status).toBe(401);
    }
    expect((await fetch(`${w.gw.url}${groups(shift.shiftId, `/${mine.taskId}`)}`)).status).toBe(401);
    expect((await w.gw.rest(w.reader, 'GET', groups(shift.shiftId, `/${mine.taskId}`))).body).toEqual(mine);
  });

  it('removes a task group not started (204), keeps a started one (409 naming the rule), 403 for a reader', async () => {
    const shift = await plan(6);
    const removed = await add(shift.shiftId, group(6));
    const kept = await add(live.shiftId, group(0, { start: at(-19, 0), end: at(-19, 1) }));
    expect((await transition(live.shiftId, kept.taskId, { action: 'start' })).body.status).toBe('STARTED');
    expect((await w.gw.rest(w.reader, 'DELETE', groups(shift.shiftId, `/${removed.taskId}`))).status).toBe(
      403,
    );
    const before = await written();
    const refused = await w.gw.rest(w.writer, 'DELETE', groups(live.shiftId, `/${kept.taskId}`));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(new RegExp(`^task ${kept.taskId} of shift ${live.shiftId}: `));
    expect(await written()).toEqual(before);
    expect((await w.gw.rest(w.writer, 'DELETE', groups(shift.shiftId, `/${removed.taskId}`))).status).toBe(
      204,
    );
    expect((await w.gw.rest(w.writer, 'DELETE', groups(shift.shiftId, `/${removed.taskId}`))).status).toBe(
      404,
    );
    expect((await w.gw.rest(w.reader, 'GET', groups(shift.shiftId))).body.items).toEqual([]);
    expect(await written()).toEqual({ task_groups: before.task_groups - 1, outbox: before.outbox });
  });

  it('starts, pauses, resumes and completes a task group with its events; 409 names the rule and writes nothing; 400 names the field', async () => {
    const unpublished = await plan(7);
    const waiting = await add(unpublished.shiftId, group(7));
    const before = await written();
    const early = await transition(unpublished.shiftId, waiting.taskId, { action: 'start' });
    expect([early.status, early.body.detail]).toEqual([
      409,
      `task ${waiting.taskId} of shift ${unpublished.shiftId}: an UNPUBLISHED task group (its shift is not published) cannot be started`,
    ]);
    expect(await written()).toEqual(before);

    const now = Date.now();
    const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const work = await add(
      live.shiftId,
      group(0, { start: iso(now + 3_600_000), end: iso(now + 7_200_000) }),
    );
    expect(work.status).toBe('PUBLISHED');
    const id = work.taskId as string;
    const unchanged = await written();
    const bad = await transition(live.shiftId, id, { action: 'finish', by: 'me' });
    expect([bad.status, bad.body.errors]).toEqual([
      400,
      ['by: is not a known field', 'action: must be one of start, pause, complete'],
    ]);
    expect((await transition(live.shiftId, id, null)).body.errors).toEqual([
      'body: must be a JSON object',
      'action: is required',
    ]);
    const notMine = await transition(live.shiftId, id, { action: 'start', seatId: w.otherSeat });
    expect(notMine.status).toBe(409);
    expect(notMine.body.detail).toContain('a seat works only the task groups of its own shift');
    const paused = await transition(live.shiftId, id, { action: 'pause' });
    expect([paused.status, paused.body.detail]).toEqual([
      409,
      `task ${id} of shift ${live.shiftId}: only a STARTED task group can be paused (it is PUBLISHED)`,
    ]);
    expect(
      (await w.gw.rest(w.reader, 'POST', groups(live.shiftId, `/${id}/transitions`), { action: 'start' }))
        .status,
    ).toBe(403);
    expect(await written()).toEqual(unchanged);

    const started = await transition(
      live.shiftId,
      id,
      { action: 'start' },
      { 'idempotency-key': `start-${id}` },
    );
    expect([started.status, started.body.status, started.body.startedAt]).toEqual([
      200,
      'STARTED',
      expect.any(String),
    ]);
    const replay = await transition(
      live.shiftId,
      id,
      { action: 'start' },
      { 'idempotency-key': `start-${id}` },
    );
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body]).toEqual([
      200,
      'true',
      started.body,
    ]);
    expect((await transition(live.shiftId, id, { action: 'pause' })).body.status).toBe('PAUSED');
    expect((await transition(live.shiftId, id, { action: 'start' })).body.status).toBe('STARTED');
    const done = await transition(live.shiftId, id, { action: 'complete' });
    expect(done.body).toMatchObject({ status: 'COMPLETED', completedAt: expect.any(String) });
    const again = await transition(live.shiftId, id, { action: 'complete' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(new RegExp(`^task ${id} of shift ${live.shiftId}: `));
    const events = await w.query<{ subject: string }>(
      `select subject from workforce.outbox order by id desc limit 2`,
    );
    expect(events.map((e) => e.subject.split('.').slice(-2)[0])).toEqual(['TASK_COMPLETED', 'TASK_STARTED']);
    expect(await written()).toEqual({ task_groups: unchanged.task_groups, outbox: unchanged.outbox + 2 });
    const viaActions = await w.gw.action(
      w.reader,
      { module: 'scworkforcemanagement', op: 'scteams.getTaskDetailsById', pid: w.pid },
      { Taskgroup: { SeatId: w.seat, ShiftId: live.shiftId, TaskId: id } },
    );
    expect(viaActions.body.data).toMatchObject({
      Status: 'COMPLETED',
      AEnd: Date.parse(done.body.completedAt) / 1000,
    });
  });
});

describe('zone reads over REST v1', () => {
  it('answers the zone’s last clean time: the last completed task group in the window, null when none', async () => {
    const last = await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'last-clean'));
    expect(last.status).toBe(200);
    expect(last.body).toEqual({
      zoneId: w.lobby,
      lastCleanedAt: expect.any(String),
      taskGroup: expect.objectContaining({ zoneId: w.lobby, status: 'COMPLETED', shiftId: live.shiftId }),
    });
    expect(last.body.lastCleanedAt).toBe(last.body.taskGroup.completedAt);
    const viaActions = await w.gw.action(
      w.reader,
      { module: 'scworkforcemanagement', op: 'scteams.getLastNTasks', pid: w.pid },
      { TasksFor: 'ZONE', zoneId: w.lobby, Limit: 1 },
    );
    expect(viaActions.body.data[0].TaskId).toBe(last.body.taskGroup.taskId);
    expect((await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'last-clean?days=366'))).body).toEqual(last.body);
    expect((await w.gw.rest(w.reader, 'GET', zone(w.pantry, 'last-clean?days=1'))).body).toEqual({
      zoneId: w.pantry,
      lastCleanedAt: null,
      taskGroup: null,
    });
    const bad = await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'last-clean?days=0&limit=1'));
    expect([bad.status, bad.body.errors]).toEqual([
      400,
      ['limit: is not a known query parameter (known: days)', 'days: must be a whole number from 1 to 366'],
    ]);
    expect((await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'last-clean?days=367'))).body.errors).toEqual([
      'days: must be a whole number from 1 to 366',
    ]);
    const nowhere = await w.gw.rest(w.reader, 'GET', zone('nowhere', 'last-clean'));
    expect([nowhere.status, nowhere.body.detail]).toEqual([404, 'zone nowhere not found']);
  });

  it('answers who is on shift for the zone now: the seat auto-assignment would pick, not while on its planned break', async () => {
    const onShift = await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'on-shift'));
    expect(onShift.status).toBe(200);
    expect(onShift.body).toEqual({
      zoneId: w.lobby,
      zoneName: 'Lobby',
      zoneCategoryId: 'LOBBY',
      pid: w.pid,
      at: expect.any(String),
      timeZone: 'Europe/Berlin',
      autoAssignNext: w.seat,
      candidates: [
        {
          seatId: w.seat,
          shiftId: live.shiftId,
          shiftStatus: 'STARTED',
          shiftStart: expect.any(String),
          shiftEnd: expect.any(String),
          shiftStartedAt: expect.any(String),
          zones: [{ zoneId: w.lobby, zoneName: 'Lobby' }],
          onPlannedBreak: false,
          plannedBreak: null,
          availableNow: true,
          autoAssignable: true,
          lastAutoAssignedAt: null,
          lastAutoAssignedIncidentId: null,
          availabilities: [
            expect.objectContaining({
              startTime: '00:00:00',
              endTime: '24:00:00',
              nextDay: false,
              date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
            }),
          ],
        },
      ],
    });
    expect((await w.gw.rest(w.reader, 'GET', zone(w.pantry, 'on-shift'))).body).toMatchObject({
      zoneId: w.pantry,
      autoAssignNext: null,
      candidates: [],
    });
    const coffee = await w.gw.rest(
      w.writer,
      'POST',
      `/v1/buildings/${w.pid}/shifts/${live.shiftId}/transitions`,
      {
        action: 'startBreak',
        breakId: '0001',
      },
    );
    expect(coffee.status).toBe(200);
    const onBreak = await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'on-shift'));
    expect(onBreak.body.autoAssignNext).toBeNull();
    expect(onBreak.body.candidates[0]).toMatchObject({
      onPlannedBreak: true,
      plannedBreak: { breakId: '0001', startedAt: expect.any(String) },
      autoAssignable: false,
    });
    const bad = await w.gw.rest(w.reader, 'GET', zone(w.lobby, 'on-shift?at=now'));
    expect([bad.status, bad.body.errors]).toEqual([
      400,
      ['at: is not a known query parameter (none is taken)'],
    ]);
    expect((await w.gw.rest(w.reader, 'GET', zone('nowhere', 'on-shift'))).status).toBe(404);
  });
});
