import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { expectEventually } from '@matrix/testing';
import { TaskIncompleteSweeper } from '../src/task-timer/task-incomplete-sweeper';
import { dataOf, WorkforceHarness, workforceCommand } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The durable TASK_INCOMPLETE timer on a real NATS and PostgreSQL, with a test clock the spec moves: a
 * task group still open at End + END_SHIFT_OVERSHOOT (4200 s, the documented default) becomes INCOMPLETE
 * with one TASK_INCOMPLETE, fired by the sweepers of two instances of the service on one database, once,
 * and by a restarted instance for what came due while none ran. Shifts and task groups are inserted with
 * SQL (the shift ops are another folder's).
 */

const SEAT = 'p1_001';
const ZONES = { zone: { name: 'Lobby', categoryId: null } };

describe('incident-service: the task timer', () => {
  const clock = new TestClock();
  const harness = new WorkforceHarness('task-timer', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  let second: INestApplication;
  let shiftId: string;
  let n = 0;

  beforeAll(async () => {
    await harness.start();
    second = await harness.createApp();
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', 'kg', 'HK')`,
      [SEAT],
    );
    shiftId = randomUUID();
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, status, created_by, modified_by)
       values ($1, 'ACME', 'p1', 'b1', $2, 'Asia/Singapore', $3, $4, 'STARTED', 'test', 'test')`,
      [shiftId, SEAT, now() - 3600, now() + 86_400],
    );
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await harness.stop();
  });

  function now() {
    return Math.floor(clock.now().getTime() / 1000);
  }
  const call = async (op: string, args: Record<string, unknown>) =>
    dataOf(await harness.call(workforceCommand(op, args, ZONES)));
  const sweepers = () => [harness.app.get(TaskIncompleteSweeper), second.get(TaskIncompleteSweeper)];
  /** Both instances sweep at once (their own loops may sweep too: outcomes are asserted, not counts). */
  const sweepBoth = () => Promise.all(sweepers().map((s) => s.sweepOnce()));

  async function addTask(status: string, end: number, aStart = 0): Promise<string> {
    const taskId = `${1_700_000_000_000 + ++n}000000`;
    await harness.sql.query(
      `insert into workforce.task_groups
         (task_id, shift_id, seat_id, org_id, prop_id, pid, zone_id, zone_name, name, priority, time_zone,
          start_at, end_at, a_start, status, tasks, type, created_by)
       values ($1, $2, $3, 'ACME', 'p1', 'b1', 'zone', 'Lobby', $4, 'M', 'Asia/Singapore', $5, $6, $7, $8,
               '[{"Name":"Mop","Done":true},{"Name":"Wipe"}]', 'TASK', 'test')`,
      [taskId, shiftId, SEAT, `Round ${n}`, end - 1800, end, aStart, status],
    );
    return taskId;
  }
  const stored = async (taskId: string) =>
    (
      await harness.sql.query(
        `select status, extract(epoch from incomplete_at)::bigint::int as at from workforce.task_groups where task_id = $1`,
        [taskId],
      )
    ).rows[0] as { status: string; at: number | null };
  const outboxed = async (taskId: string, eventId: string) =>
    (
      await harness.sql.query(
        `select count(*)::int as n from workforce.outbox where payload->'Meta'->>'TaskId' = $1 and payload->>'Event' = $2`,
        [taskId, eventId],
      )
    ).rows[0].n as number;
  const eventsOf = (taskId: string, eventId: string) =>
    harness.events.filter((e) => e.event.Meta['TaskId'] === taskId && e.event.Event === eventId);

  it('marks a PUBLISHED task group not started by End + 4200 s INCOMPLETE, once across two sweepers, with TASK_INCOMPLETE (HIGH)', async () => {
    const end = now() + 600;
    const taskId = await addTask('PUBLISHED', end);
    expect(await stored(taskId)).toEqual({ status: 'PUBLISHED', at: end + 4200 });
    clock.advance(600 + 4199);
    await sweepBoth();
    expect((await stored(taskId)).status).toBe('PUBLISHED');

    clock.advance(1);
    await Promise.all([sweepBoth(), sweepBoth()]);
    expect(await stored(taskId)).toEqual({ status: 'INCOMPLETE', at: null });
    expect(await outboxed(taskId, 'TASK_INCOMPLETE')).toBe(1);
    const [event] = await expectEventually(() => {
      const found = eventsOf(taskId, 'TASK_INCOMPLETE');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event!.subject).toBe('matrix.b1.scworkforcemanagement.TASK_INCOMPLETE.HIGH');
    expect(event!.event).toMatchObject({
      Event: 'TASK_INCOMPLETE',
      Status: 'HIGH',
      ATTR: `TASK_INCOMPLETE#p1#b1#${taskId}`,
      Description: `Round ${n} in Lobby was not completed by ${SEAT}.`,
      UnixTimeInt: end + 4200,
      Meta: {
        TaskId: taskId,
        ShiftId: shiftId,
        Status: 'INCOMPLETE',
        End: end,
        TasksDone: 1,
        taskCount: 2,
        By: 'task-timer',
      },
    });
    clock.advance(100_000);
    await sweepBoth();
    expect(await outboxed(taskId, 'TASK_INCOMPLETE')).toBe(1);
    // An INCOMPLETE task group is not started or completed any more.
    const answer = await harness.call(
      workforceCommand(
        'scteams.taskEnd',
        { Taskgroup: { SeatId: SEAT, ShiftId: shiftId, TaskId: taskId } },
        ZONES,
      ),
    );
    expect(answer).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
  });

  it('marks STARTED and PAUSED ones too; never a COMPLETED or UNPUBLISHED one, nor one completed in time', async () => {
    const end = now() + 60;
    const started = await addTask('STARTED', end, now());
    const paused = await addTask('STARTED', end, now());
    await call('scteams.pauseTaskGroup', { Taskgroup: { SeatId: SEAT, ShiftId: shiftId, TaskId: paused } });
    const completed = await addTask('STARTED', end, now());
    await call('scteams.taskEnd', { Taskgroup: { SeatId: SEAT, ShiftId: shiftId, TaskId: completed } });
    const unpublished = await addTask('UNPUBLISHED', end);
    expect(await stored(completed)).toEqual({ status: 'COMPLETED', at: null });
    expect(await stored(unpublished)).toEqual({ status: 'UNPUBLISHED', at: null });
    expect(await stored(paused)).toEqual({ status: 'PAUSED', at: end + 4200 });
    clock.advance(60 + 4200);
    await sweepBoth();
    expect((await stored(started)).status).toBe('INCOMPLETE');
    expect((await stored(paused)).status).toBe('INCOMPLETE');
    expect((await stored(completed)).status).toBe('COMPLETED');
    expect((await stored(unpublished)).status).toBe('UNPUBLISHED');
    for (const taskId of [started, paused]) expect(await outboxed(taskId, 'TASK_INCOMPLETE')).toBe(1);
    for (const taskId of [completed, unpublished]) expect(await outboxed(taskId, 'TASK_INCOMPLETE')).toBe(0);
  });

  it('follows a changed End (the shift ops update it): the deadline moves with it', async () => {
    const end = now() + 60;
    const taskId = await addTask('PUBLISHED', end);
    await harness.sql.query('update workforce.task_groups set end_at = $2 where task_id = $1', [
      taskId,
      end + 7200,
    ]);
    expect(await stored(taskId)).toEqual({ status: 'PUBLISHED', at: end + 7200 + 4200 });
    clock.advance(60 + 4200);
    await sweepBoth();
    expect((await stored(taskId)).status).toBe('PUBLISHED');
    clock.advance(7200);
    await sweepBoth();
    expect((await stored(taskId)).status).toBe('INCOMPLETE');
  });

  it('never applies both a completion and the window closing that race each other', async () => {
    const end = now();
    const tasks: string[] = [];
    for (let i = 0; i < 5; i += 1) tasks.push(await addTask('STARTED', end, now()));
    clock.advance(4200);
    await Promise.all([
      ...tasks.map((TaskId) =>
        harness.call(
          workforceCommand(
            'scteams.taskEnd',
            { Taskgroup: { SeatId: SEAT, ShiftId: shiftId, TaskId } },
            ZONES,
          ),
        ),
      ),
      sweepBoth(),
      sweepBoth(),
    ]);
    await sweepBoth();
    for (const taskId of tasks) {
      const { status, at } = await stored(taskId);
      expect(['COMPLETED', 'INCOMPLETE']).toContain(status);
      expect(at).toBeNull();
      const done = await outboxed(taskId, 'TASK_COMPLETED');
      const incomplete = await outboxed(taskId, 'TASK_INCOMPLETE');
      expect(done + incomplete).toBe(1);
      expect(status === 'COMPLETED' ? done : incomplete).toBe(1);
    }
  });

  it('keeps its deadlines over a restart: a new instance (the only one left) fires them by itself, once', async () => {
    const end = now() + 60;
    const taskId = await addTask('PUBLISHED', end);
    await second.close();
    await harness.app.close();
    clock.advance(60 + 4200);
    // Nobody sweeps here: the new instances' own loops (on the leader) do, every 50 ms.
    harness.app = await harness.createApp({ ESCALATION_SWEEP_MS: '50' });
    second = await harness.createApp({ ESCALATION_SWEEP_MS: '50' });
    await expectEventually(async () => expect((await stored(taskId)).status).toBe('INCOMPLETE'));
    expect(await outboxed(taskId, 'TASK_INCOMPLETE')).toBe(1);
    const [event] = await expectEventually(() => {
      const found = eventsOf(taskId, 'TASK_INCOMPLETE');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(event!.event.UnixTimeInt).toBe(end + 4200);
  });
});
