import type { ActionCommandV1 } from '@matrix/contracts';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';

/*
 * The building's incident settings as the admin ops consult them (reassignment and deletion), and
 * `scteams.getUnassignedIncidentByZoneId`, on a real NATS and PostgreSQL. Every test works in a building
 * of its own, so the settings one changes are not another's.
 */

const ZONES = { z1: { name: 'Lobby', categoryId: null }, z2: { name: 'Pantry', categoryId: null } };
const SEAT = 'p1_001';
const OTHER_SEAT = 'p1_002';
/** Start-by times two days ahead: no escalation or work-window deadline passes while the tests run. */
const T = Math.floor(Date.now() / 1000) + 172_800;

describe('incident-service: incident settings in force, and a zone’s open incidents', () => {
  const harness = new WorkforceHarness('incident-settings');
  let buildings = 0;
  let starts = 0;

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

  /** A fresh building of property p1, and calls in it. */
  function building() {
    const pid = `bs${++buildings}`;
    const extra: Partial<ActionCommandV1> = {
      pid,
      building: { pid, org: 'ACME', propId: 'p1', name: pid, timeZone: 'UTC' },
    };
    const call = (op: string, args: Record<string, unknown>, more: Partial<ActionCommandV1> = {}) =>
      harness.call(workforceCommand(op, args, ZONES, { ...extra, ...more }));
    const set = async (settings: Record<string, number | boolean>) =>
      dataOf(
        await call('scteams.updateIncidentsSettings', {
          IncidentSettings: {
            IncidentSettings: Object.fromEntries(
              Object.entries(settings).map(([key, value]) => [
                key,
                typeof value === 'boolean' ? { BooleanValue: value } : { LongValue: value },
              ]),
            ),
          },
        }),
      );
    const createOpen = async (zone = 'z1', start = T + ++starts) =>
      dataOf(
        await call('scteams.createIncidentWithoutAssignee', {
          Incident: { Name: 'Spill', Priority: 'H', Zone: zone, Start: start, End: start + 900 },
        }),
      )['TaskId'] as string;
    const createAssigned = async () => {
      const taskId = await createOpen();
      dataOf(
        await call('scteams.assignIncident', {
          SeatId: SEAT,
          ShiftID: SEAT,
          zoneId: 'z1',
          IncidentId: taskId,
        }),
      );
      return taskId;
    };
    const reassign = (taskId: string, from: string, to?: string) =>
      call('scteams.adminReassignIncident', {
        IncidentID: taskId,
        StartTime: T + 100_000,
        EndTime: T + 100_900,
        SeatId: from,
        ShiftID: from,
        ...(to ? { NewSeatId: to, NewShiftId: to } : {}),
      });
    return { pid, call, set, createOpen, createAssigned, reassign };
  }

  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  const row = async (taskId: string) =>
    (
      await harness.sql.query<{ status: string; seat_id: string; steps: number }>(
        `select status, seat_id, (select count(*)::int from workforce.incident_timeline t where t.task_id = i.task_id) as steps
         from workforce.incidents i where task_id = $1`,
        [taskId],
      )
    ).rows[0];
  /** Moves the incident's resolution (`end`/`incomplete` timeline entry) `seconds` into the past. */
  const resolvedAgo = (taskId: string, seconds: number) =>
    harness.sql.query(
      `update workforce.incident_timeline set at = extract(epoch from now())::bigint - $2
       where task_id = $1 and transition in ('end', 'incomplete')`,
      [taskId, seconds],
    );

  it('refuses every reassignment and reopening while ALLOW_INCIDENT_REASSIGNMENT is off, changing nothing', async () => {
    const b = building();
    const taskId = await b.createAssigned();
    await b.set({ ALLOW_INCIDENT_REASSIGNMENT: false });
    const before = await row(taskId);
    const rule = `INVALID_TRANSITION incident ${taskId}: reassignment is off (incident setting ALLOW_INCIDENT_REASSIGNMENT)`;
    expect(refusal(await b.reassign(taskId, SEAT, OTHER_SEAT))).toBe(rule);
    expect(refusal(await b.reassign(taskId, SEAT))).toBe(rule);
    expect(await row(taskId)).toEqual(before);
    await b.set({ ALLOW_INCIDENT_REASSIGNMENT: true });
    expect(dataOf(await b.reassign(taskId, SEAT, OTHER_SEAT))).toMatchObject({ SeatId: OTHER_SEAT });
  });

  it('counts reassignments and reopenings against MAX_INCIDENT_REASSIGN_COUNT', async () => {
    const b = building();
    const taskId = await b.createAssigned();
    await b.set({ MAX_INCIDENT_REASSIGN_COUNT: 2 });
    expect(dataOf(await b.reassign(taskId, SEAT, OTHER_SEAT))).toMatchObject({ Status: 'ASSIGNED' });
    expect(dataOf(await b.reassign(taskId, OTHER_SEAT))).toMatchObject({ Status: 'NOT_ASSIGNED' });
    dataOf(
      await b.call('scteams.assignIncident', {
        SeatId: SEAT,
        ShiftID: SEAT,
        zoneId: 'z1',
        IncidentId: taskId,
      }),
    );
    const before = await row(taskId);
    expect(refusal(await b.reassign(taskId, SEAT, OTHER_SEAT))).toBe(
      `INVALID_TRANSITION incident ${taskId}: an incident is reassigned at most 2 times (incident setting MAX_INCIDENT_REASSIGN_COUNT)`,
    );
    expect(await row(taskId)).toEqual(before);
    await b.set({ MAX_INCIDENT_REASSIGN_COUNT: 3 });
    expect(dataOf(await b.reassign(taskId, SEAT, OTHER_SEAT))).toMatchObject({ SeatId: OTHER_SEAT });
  });

  it('reassigns a completed incident only with ALLOW_REASSIGNMENT_RESOLVED, within REASSIGNMENT_RESOLVED_MAX of its completion', async () => {
    const b = building();
    const taskId = await b.createAssigned();
    dataOf(
      await b.call('scteams.startUnassignedIncident', { SeatId: SEAT, IncidentId: taskId, zoneId: 'z1' }),
    );
    dataOf(await b.call('scteams.endUnassignedIncident', { IncidentId: taskId, zoneId: 'z1' }));
    expect(refusal(await b.reassign(taskId, SEAT, OTHER_SEAT))).toBe(
      `INVALID_TRANSITION incident ${taskId}: a completed incident is not reassigned (incident setting ALLOW_REASSIGNMENT_RESOLVED is 0)`,
    );
    await b.set({ ALLOW_REASSIGNMENT_RESOLVED: true, REASSIGNMENT_RESOLVED_MAX: 600 });
    await resolvedAgo(taskId, 3600);
    const before = await row(taskId);
    expect(refusal(await b.reassign(taskId, SEAT, OTHER_SEAT))).toBe(
      `INVALID_TRANSITION incident ${taskId}: a completed incident is reassigned at most 600 seconds after completion (incident setting REASSIGNMENT_RESOLVED_MAX)`,
    );
    expect(await row(taskId)).toEqual(before);
    await b.set({ REASSIGNMENT_RESOLVED_MAX: 7200 });
    expect(dataOf(await b.reassign(taskId, SEAT, OTHER_SEAT))).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: OTHER_SEAT,
      AStart: 0,
      AEnd: 0,
    });
  });

  it('reassigns an incomplete incident only with ALLOW_REASSIGNMENT_UNRESOLVED, within REASSIGNMENT_UNRESOLVED_MAX', async () => {
    const b = building();
    const taskId = await b.createAssigned();
    // No op marks an incident incomplete yet (the escalation timer will): the state is written as it would.
    await harness.sql.query(`update workforce.incidents set status = 'INCOMPLETE' where task_id = $1`, [
      taskId,
    ]);
    await harness.sql.query(
      `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
       values ($1, 'incomplete', 'ASSIGNED', 'INCOMPLETE', 0, $2, 'test', extract(epoch from now())::bigint - 3600)`,
      [taskId, SEAT],
    );
    await b.set({ ALLOW_REASSIGNMENT_UNRESOLVED: false });
    expect(refusal(await b.reassign(taskId, SEAT))).toBe(
      `INVALID_TRANSITION incident ${taskId}: an incomplete incident is not reassigned (incident setting ALLOW_REASSIGNMENT_UNRESOLVED is 0)`,
    );
    await b.set({ ALLOW_REASSIGNMENT_UNRESOLVED: true, REASSIGNMENT_UNRESOLVED_MAX: 60 });
    expect(refusal(await b.reassign(taskId, SEAT))).toBe(
      `INVALID_TRANSITION incident ${taskId}: an incomplete incident is reassigned at most 60 seconds after it was marked incomplete (incident setting REASSIGNMENT_UNRESOLVED_MAX)`,
    );
    expect((await row(taskId))?.status).toBe('INCOMPLETE');
    await b.set({ REASSIGNMENT_UNRESOLVED_MAX: 259200 });
    expect(dataOf(await b.reassign(taskId, SEAT))).toMatchObject({ Status: 'NOT_ASSIGNED', SeatId: 'tbp' });
  });

  it('deletes open and assigned incidents as ALLOW_DELETION_OPEN_INCIDENTS and ALLOW_DELETION_PUBLISHED_INCIDENTS allow', async () => {
    const b = building();
    const open = await b.createOpen();
    const assigned = await b.createAssigned();
    await b.set({ ALLOW_DELETION_PUBLISHED_INCIDENTS: false });
    expect(refusal(await b.call('scteams.adminDeleteIncident', { IncidentID: assigned }))).toBe(
      `INVALID_TRANSITION incident ${assigned}: deletion is off (incident setting ALLOW_DELETION_PUBLISHED_INCIDENTS)`,
    );
    expect(await row(assigned)).toMatchObject({ status: 'ASSIGNED' });
    await b.set({ ALLOW_DELETION_OPEN_INCIDENTS: false, ALLOW_DELETION_PUBLISHED_INCIDENTS: true });
    expect(refusal(await b.call('scteams.adminDeleteIncident', { IncidentID: open }))).toBe(
      `INVALID_TRANSITION incident ${open}: deletion is off (incident setting ALLOW_DELETION_OPEN_INCIDENTS)`,
    );
    expect(await row(open)).toMatchObject({ status: 'NOT_ASSIGNED' });
    expect(dataOf(await b.call('scteams.adminDeleteIncident', { IncidentID: assigned }))).toEqual({
      IncidentId: assigned,
    });
    expect(await row(assigned)).toBeUndefined();
  });

  it('answers a zone’s open incidents newest first with scteams.getUnassignedIncidentByZoneId, in a range when given', async () => {
    const b = building();
    const older = await b.createOpen('z1', T + 100);
    const newer = await b.createOpen('z1', T + 300);
    await b.createOpen('z2', T + 200);
    const assigned = await b.createAssigned();
    const ids = (answer: Answer) => (dataOf(answer) as unknown as { TaskId: string }[]).map((i) => i.TaskId);
    expect(ids(await b.call('scteams.getUnassignedIncidentByZoneId', { zoneId: 'z1' }))).toEqual([
      newer,
      older,
    ]);
    expect(ids(await b.call('scteams.getUnassignedIncidentByZoneId', { ZoneID: 'z1' }))).not.toContain(
      assigned,
    );
    expect(
      ids(
        await b.call('scteams.getUnassignedIncidentByZoneId', {
          zoneid: 'z1',
          StartTime: T,
          EndTime: T + 200,
        }),
      ),
    ).toEqual([older]);
    expect(
      ids(await b.call('scteams.getUnassignedIncidentByZoneId', { zoneId: 'z1', starttime: T + 200 })),
    ).toEqual([newer]);
    const refusals = await Promise.all([
      b.call('scteams.getUnassignedIncidentByZoneId', {}),
      b.call('scteams.getUnassignedIncidentByZoneId', { zoneId: 'z1', StartTime: 5, EndTime: 4 }),
      b.call('scteams.getUnassignedIncidentByZoneId', { zoneId: 'z1', EndTime: 'soon' }),
      b.call('scteams.getUnassignedIncidentByZoneId', { zoneId: 'nowhere' }),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'MISSING_PARAMETERS zoneId: is required',
      'WRONG_PARAMETERS EndTime: must not be before StartTime',
      'WRONG_PARAMETERS EndTime: must be epoch seconds (a non-negative integer)',
      'NOT_FOUND zone nowhere not found',
    ]);
  });
});
