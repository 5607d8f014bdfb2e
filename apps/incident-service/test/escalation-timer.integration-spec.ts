import type { INestApplication } from '@nestjs/common';
import { expectEventually } from '@matrix/testing';
import { EscalationSweeper } from '../src/escalation-timer/escalation-sweeper';
import { dataOf, WorkforceHarness, workforceCommand } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The durable escalation timer on a real NATS and PostgreSQL, with a test clock the spec moves: the
 * documented default policy (H: StartThreshold 300 s, DueTime 900 s), deadlines fired by the sweeper of
 * two instances of the service on one database, once each.
 */

const ZONES = { zone99: { name: 'Washroom 99', categoryId: null } };
const SEAT = 'p1_001';

describe('incident-service: the escalation timer', () => {
  const clock = new TestClock();
  // The sweepers' own loop is slow here: the spec sweeps itself (`sweepOnce`), on both instances.
  const harness = new WorkforceHarness('esc-timer', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  let second: INestApplication;
  let seq = 0;

  beforeAll(async () => {
    await harness.start();
    second = await harness.createApp();
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', 'kg', 'HK')`,
      [SEAT],
    );
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await harness.stop();
  });

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const call = async (op: string, args: Record<string, unknown>) =>
    dataOf(await harness.call(workforceCommand(op, args, ZONES)));
  const sweepers = () => [harness.app.get(EscalationSweeper), second.get(EscalationSweeper)];
  /** Both instances sweep at once; answers how many deadlines fired in all. */
  const sweepBoth = async () =>
    (await Promise.all(sweepers().map((s) => s.sweepOnce()))).reduce((a, b) => a + b);
  /** Sweeps until nothing more is due. */
  const sweepAll = async () => {
    while ((await sweepBoth()) > 0);
  };
  const createOpen = async (priority = 'H') =>
    (await call('scteams.createIncidentWithoutAssignee', {
      Incident: { Name: `Spill ${++seq}`, Priority: priority, Zone: 'zone99', Tasks: [{ Name: 'Mop' }] },
    })) as { TaskId: string };
  const createAssigned = async (start: number, end: number) =>
    (await call('scteams.createIncident', {
      Taskgroup: {
        Name: `Leak ${++seq}`,
        Priority: 'H',
        Start: start,
        End: end,
        Zone: 'zone99',
        SeatId: SEAT,
        ShiftId: SEAT,
        Tasks: [{ Name: 'Fix' }],
      },
    })) as { TaskId: string };
  const escalationsOf = async (taskId: string, where: Record<string, string> = { Zone: 'zone99' }) =>
    (
      (await call('scteams.getIncidentEscalations', { TaskGroups: [{ TaskId: taskId, ...where }] })) as any[]
    )[0];
  const stored = async (taskId: string) =>
    (
      await harness.sql.query(
        `select status, escalation_level, escalation_type, escalate_kind, extract(epoch from escalate_at)::bigint::int as at
         from workforce.incidents where task_id = $1`,
        [taskId],
      )
    ).rows[0];
  const outboxed = async (taskId: string, eventId: string) =>
    Number(
      (
        await harness.sql.query(
          `select count(*)::int as n from workforce.outbox where payload->'Meta'->>'TaskId' = $1 and payload->>'Event' = $2`,
          [taskId, eventId],
        )
      ).rows[0].n,
    );
  const eventsOf = (taskId: string, eventId: string) =>
    harness.events.filter((e) => e.event.Meta['TaskId'] === taskId && e.event.Event === eventId);

  it('escalates an open H incident to L1 at reporting time + 300 s, once across two sweepers, and no further', async () => {
    const reported = now();
    const { TaskId } = await createOpen();
    expect(await stored(TaskId)).toEqual({
      status: 'NOT_ASSIGNED',
      escalation_level: 0,
      escalation_type: null,
      escalate_kind: 'unassigned',
      at: reported + 300,
    });
    clock.advance(299);
    expect(await sweepBoth()).toBe(0);
    expect((await stored(TaskId)).escalation_level).toBe(0);

    clock.advance(1);
    await Promise.all([sweepBoth(), sweepBoth()]);
    await sweepAll();
    expect(await stored(TaskId)).toEqual({
      status: 'NOT_ASSIGNED',
      escalation_level: 1,
      escalation_type: 'unassigned',
      escalate_kind: null,
      at: null,
    });
    expect(await outboxed(TaskId, 'INCIDENT_ESCALATED')).toBe(1);
    const [escalated] = await expectEventually(() => {
      const found = eventsOf(TaskId, 'INCIDENT_ESCALATED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(escalated!.subject).toBe('matrix.b1.scworkforcemanagement.INCIDENT_ESCALATED.HIGH');
    expect(escalated!.event.Meta).toMatchObject({ TaskId, EscalationLevel: 'L1', Status: 'NOT_ASSIGNED' });
    expect(escalated!.event.UnixTimeInt).toBe(reported + 300);
    expect(await escalationsOf(TaskId)).toEqual({
      TaskId,
      Zone: 'zone99',
      ShiftId: 'tbp',
      SeatId: 'tbp',
      Status: 'NOT_ASSIGNED',
      EscalationLevel: 'L1',
      EscalationType: 'unassigned',
      EscalationPolicy: 'default',
      NextEscalationAt: null,
      Escalations: [
        {
          Action: 'escalate',
          From: 'NOT_ASSIGNED',
          Status: 'NOT_ASSIGNED',
          EscalationLevel: 'L1',
          SeatId: 'tbp',
          By: 'escalation-timer',
          Time: reported + 300,
        },
      ],
    });
    clock.advance(100_000);
    await sweepAll();
    expect(await outboxed(TaskId, 'INCIDENT_ESCALATED')).toBe(1);
  });

  it('escalates an assigned, not started incident by startTime at Start + 300 s', async () => {
    const t = now();
    const { TaskId } = await createAssigned(t + 600, t + 1500);
    expect(await stored(TaskId)).toMatchObject({ escalate_kind: 'startTime', at: t + 900 });
    expect(await escalationsOf(TaskId, { ShiftId: SEAT })).toMatchObject({
      Status: 'ASSIGNED',
      EscalationLevel: 'L0',
      EscalationType: null,
      NextEscalationAt: t + 900,
      Escalations: [],
    });
    clock.advance(899);
    await sweepAll();
    expect((await stored(TaskId)).escalation_level).toBe(0);
    clock.advance(1);
    await sweepAll();
    // Next: the work window closes at End + END_SHIFT_OVERSHOOT (4200 s).
    expect(await stored(TaskId)).toEqual({
      status: 'ASSIGNED',
      escalation_level: 1,
      escalation_type: 'startTime',
      escalate_kind: 'incomplete',
      at: t + 1500 + 4200,
    });
    expect(await outboxed(TaskId, 'INCIDENT_ESCALATED')).toBe(1);
    // An unknown id, or one at another zone, is left out.
    expect(
      await call('scteams.getIncidentEscalations', {
        TaskGroups: [
          { TaskId: '1658990379566880217', Zone: 'zone99' },
          { TaskId, Zone: 'zone98' },
          { TaskId, ShiftId: SEAT },
        ],
      }),
    ).toEqual([expect.objectContaining({ TaskId, EscalationType: 'startTime', NextEscalationAt: null })]);
  });

  it('escalates a started incident by dueTime at End + 900 s; a resolved incident never escalates', async () => {
    const t = now();
    const started = await createAssigned(t, t + 900);
    await call('scteams.startUnassignedIncident', {
      IncidentId: started.TaskId,
      zoneId: 'zone99',
      SeatId: SEAT,
    });
    expect(await stored(started.TaskId)).toMatchObject({
      status: 'STARTED',
      escalate_kind: 'dueTime',
      at: t + 1800,
    });

    const done = await createAssigned(t, t + 900);
    await call('scteams.startUnassignedIncident', {
      IncidentId: done.TaskId,
      zoneId: 'zone99',
      SeatId: SEAT,
    });
    await call('scteams.endUnassignedIncident', { IncidentId: done.TaskId, zoneId: 'zone99' });
    expect(await stored(done.TaskId)).toMatchObject({ status: 'COMPLETED', escalate_kind: null, at: null });

    clock.advance(1799);
    await sweepAll();
    expect((await stored(started.TaskId)).escalation_level).toBe(0);
    clock.advance(1);
    await sweepAll();
    expect(await stored(started.TaskId)).toMatchObject({ escalation_level: 1, escalation_type: 'dueTime' });

    clock.advance(50_000);
    await sweepAll();
    expect(await stored(done.TaskId)).toEqual({
      status: 'COMPLETED',
      escalation_level: 0,
      escalation_type: null,
      escalate_kind: null,
      at: null,
    });
    expect(await outboxed(done.TaskId, 'INCIDENT_ESCALATED')).toBe(0);
    expect(await outboxed(done.TaskId, 'INCIDENT_INCOMPLETE')).toBe(0);
  });

  it('marks an assigned incident not completed by End + 4200 s INCOMPLETE, with one INCIDENT_INCOMPLETE (HIGH)', async () => {
    const t = now();
    const { TaskId } = await createAssigned(t + 3000, t + 3000);
    // Its startTime escalation (Start + 300 s) fires first; then the only deadline left is the window's.
    clock.advance(7199);
    await sweepAll();
    expect(await stored(TaskId)).toEqual({
      status: 'ASSIGNED',
      escalation_level: 1,
      escalation_type: 'startTime',
      escalate_kind: 'incomplete',
      at: t + 7200,
    });
    clock.advance(1);
    await Promise.all([sweepBoth(), sweepBoth()]);
    await sweepAll();
    expect(await stored(TaskId)).toEqual({
      status: 'INCOMPLETE',
      escalation_level: 1,
      escalation_type: 'startTime',
      escalate_kind: null,
      at: null,
    });
    expect(await outboxed(TaskId, 'INCIDENT_INCOMPLETE')).toBe(1);
    expect(await outboxed(TaskId, 'INCIDENT_ESCALATED')).toBe(1);
    const [event] = await expectEventually(() => {
      const found = eventsOf(TaskId, 'INCIDENT_INCOMPLETE');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event!.subject).toBe('matrix.b1.scworkforcemanagement.INCIDENT_INCOMPLETE.HIGH');
    expect(event!.event.UnixTimeInt).toBe(t + 7200);
    expect(event!.event).toMatchObject({
      Event: 'INCIDENT_INCOMPLETE',
      Status: 'HIGH',
      Description: `Incident Leak ${seq} in Washroom 99 was not resolved.`,
      Meta: { TaskId, Status: 'INCOMPLETE', EscalationLevel: 'L1', End: t + 3000, Type: 'INCIDENT' },
    });
  });

  it('never applies both a completion and the work window closing that race each other', async () => {
    const t = now();
    const incidents = [];
    for (let i = 0; i < 5; i += 1) {
      const { TaskId } = await createAssigned(t, t);
      await call('scteams.startUnassignedIncident', { IncidentId: TaskId, zoneId: 'zone99', SeatId: SEAT });
      incidents.push(TaskId);
    }
    // Past the dueTime escalation (End + 900) and the work window (End + 4200): both are due.
    clock.advance(4200);
    await Promise.all([
      ...incidents.map((TaskId) =>
        harness.call(
          workforceCommand('scteams.endUnassignedIncident', { IncidentId: TaskId, zoneId: 'zone99' }, ZONES),
        ),
      ),
      sweepBoth(),
      sweepBoth(),
    ]);
    await sweepAll();
    for (const TaskId of incidents) {
      const row = await stored(TaskId);
      expect(['COMPLETED', 'INCOMPLETE']).toContain(row.status);
      const completed = await outboxed(TaskId, 'INCIDENT_COMPLETED');
      const incomplete = await outboxed(TaskId, 'INCIDENT_INCOMPLETE');
      expect(completed + incomplete).toBe(1);
      expect(row.status === 'COMPLETED' ? completed : incomplete).toBe(1);
      expect(row.escalate_kind).toBeNull();
    }
  });

  it("follows the building's policy that lists the incident's name, and recomputes on a priority change and a manual escalation", async () => {
    const policy = await call('scteams.createEscalationPolicy', {
      EscalationPolicy: {
        Name: 'Gas',
        IncidentTypes: ['Gas leak'],
        UnassignedSettings: [
          { Level: 'L1', Recipients: [], TimeAfter: 60, Action: 'NOTIFY' },
          { Level: 'L2', Recipients: [], TimeAfter: 120, Action: 'NOTIFY' },
        ],
      },
    });
    const t = now();
    const gas = (await call('scteams.createIncidentWithoutAssignee', {
      Incident: { Name: 'Gas leak', Priority: 'H', Zone: 'zone99', Tasks: [{ Name: 'Evacuate' }] },
    })) as { TaskId: string };
    const other = await createOpen();
    expect(await stored(gas.TaskId)).toMatchObject({ escalate_kind: 'unassigned', at: t + 300 + 60 });
    expect((await escalationsOf(gas.TaskId)).EscalationPolicy).toBe(policy['PolicyId']);
    expect((await escalationsOf(other.TaskId)).EscalationPolicy).toBe('default');
    // Priority H → L: the target duration is L's (1800 s), in the transaction of the update.
    await call('scteams.adminUpdateIncidentBulk', {
      IncidentId: gas.TaskId,
      zoneId: 'zone99',
      UpdateIncident: { Details: { Priority: 'L' } },
    });
    expect(await stored(gas.TaskId)).toMatchObject({ at: t + 1800 + 60 });
    // A manual escalation: L1 now, L2 by the ladder (L1 + 60 + 120 s).
    await call('scteams.escalateUnassignedIncident', { IncidentId: gas.TaskId, zoneId: 'zone99' });
    expect(await stored(gas.TaskId)).toEqual({
      status: 'NOT_ASSIGNED',
      escalation_level: 1,
      escalation_type: 'unassigned',
      escalate_kind: 'unassigned',
      at: t + 1800 + 60 + 120,
    });
    clock.advance(1800 + 180);
    await sweepAll();
    expect(await stored(gas.TaskId)).toMatchObject({ escalation_level: 2, escalate_kind: null, at: null });
    expect(await outboxed(gas.TaskId, 'INCIDENT_ESCALATED')).toBe(2);
  });

  it('keeps its deadlines over a restart: a new instance (the only one left) fires them by itself', async () => {
    const reported = now();
    const { TaskId } = await createOpen('M'); // L1 at reporting time + 600 s
    await second.close();
    await harness.app.close();
    clock.advance(600);
    // A fast loop this time: the new instance leads and sweeps without being asked.
    harness.app = await harness.createApp({ ESCALATION_SWEEP_MS: '50' });
    second = await harness.createApp();
    await expectEventually(async () => expect(await stored(TaskId)).toMatchObject({ escalation_level: 1 }));
    expect(await outboxed(TaskId, 'INCIDENT_ESCALATED')).toBe(1);
    const [escalated] = await expectEventually(() => {
      const found = eventsOf(TaskId, 'INCIDENT_ESCALATED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(escalated!.event.UnixTimeInt).toBe(reported + 600);
  });
});
