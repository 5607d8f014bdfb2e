import type { INestApplication } from '@nestjs/common';
import { expectEventually } from '@matrix/testing';
import { ShiftSweeper } from '../src/shift-timer/shift-sweeper';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The durable shift timer on a real NATS and PostgreSQL, with a test clock the spec moves: the documented
 * schedule-setting defaults (DELAYED_SHIFT_THRESHOLD 1800 s, ABSENT_SHIFT_THRESHOLD 3600 s,
 * END_SHIFT_OVERSHOOT 4200 s with AUTO_CLOCKOUT on), deadlines fired by the sweepers of two instances of
 * the service on one database, once each, and by a new instance after a restart.
 */

const SEATS = ['p1_001', 'p1_002', 'p1_003', 'p1_004', 'p1_005', 'p1_006', 'p1_007', 'p1_008'];
const ZONES = { zone99: { name: 'Washroom 99', categoryId: null } };

describe('incident-service: the shift timer', () => {
  const clock = new TestClock();
  // The sweepers' own loop is slow here: the spec sweeps itself (`sweepOnce`), on both instances.
  const harness = new WorkforceHarness('shift-timer', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  let second: INestApplication;
  let seat = 0;

  beforeAll(async () => {
    await harness.start();
    second = await harness.createApp();
    for (const id of SEATS) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', 'kg', 'HK')`,
        [id],
      );
    }
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await harness.stop();
  });

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const call = (op: string, args: Record<string, unknown>): Promise<Answer> =>
    harness.call(workforceCommand(op, args, ZONES));
  const sweepers = () => [harness.app.get(ShiftSweeper), second.get(ShiftSweeper)];
  /** Both instances sweep at once; answers how many deadlines fired in all. */
  const sweepBoth = async () =>
    (await Promise.all(sweepers().map((s) => s.sweepOnce()))).reduce((a, b) => a + b);
  const sweepAll = async () => {
    while ((await sweepBoth()) > 0);
  };
  /** A PUBLISHED shift of a seat of its own, starting `startIn` seconds from now, 2 hours long. */
  const publishedShift = async (startIn: number, publish = true) => {
    const start = now() + startIn;
    const [shift] = dataOf(
      await call('scteams.createShift', {
        SeatId: SEATS[seat++],
        Schedule: [{ shift: { Start: start, End: start + 7200, Zones: { zone99: 'Washroom 99' } } }],
        Publish: publish,
      }),
    ) as { ShiftId: string; SeatId: string; Start: number; End: number }[];
    return shift!;
  };
  const address = (shift: { ShiftId: string; SeatId: string }) => ({
    Shift: { SeatId: shift.SeatId, ShiftId: shift.ShiftId },
  });
  const stored = async (shiftId: string) =>
    (
      await harness.sql.query(
        `select status, delayed, a_end::int, timer_kind, extract(epoch from timer_at)::bigint::int as timer_at
         from workforce.shifts where shift_id = $1`,
        [shiftId],
      )
    ).rows[0];
  const outboxed = async (shiftId: string, eventId: string) =>
    Number(
      (
        await harness.sql.query(
          `select count(*)::int as n from workforce.outbox where payload->'Meta'->>'ShiftId' = $1 and payload->>'Event' = $2`,
          [shiftId, eventId],
        )
      ).rows[0].n,
    );
  const eventsOf = (shiftId: string, eventId: string) =>
    harness.events.filter((e) => e.event.Meta['ShiftId'] === shiftId && e.event.Event === eventId);

  it('marks a published shift not started Delayed at Start + 1800 s and ABSENT at Start + 3600 s, once each across two sweepers', async () => {
    const shift = await publishedShift(600);
    expect(await stored(shift.ShiftId)).toEqual({
      status: 'PUBLISHED',
      delayed: false,
      a_end: 0,
      timer_kind: 'delayed',
      timer_at: shift.Start + 1800,
    });
    clock.advance(600 + 1799);
    expect(await sweepBoth()).toBe(0);
    clock.advance(1);
    await Promise.all([sweepBoth(), sweepBoth()]);
    await sweepAll();
    expect(await stored(shift.ShiftId)).toEqual({
      status: 'PUBLISHED',
      delayed: true,
      a_end: 0,
      timer_kind: 'absent',
      timer_at: shift.Start + 3600,
    });
    expect(await outboxed(shift.ShiftId, 'SHIFT_DELAYED')).toBe(1);
    const [delayed] = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId, 'SHIFT_DELAYED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(delayed!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_DELAYED.MEDIUM');
    expect(delayed!.event.UnixTimeInt).toBe(shift.Start + 1800);
    expect(delayed!.event.Meta).toMatchObject({
      ShiftId: shift.ShiftId,
      SeatId: shift.SeatId,
      Status: 'PUBLISHED',
      Delayed: true,
      AStart: 0,
      Zones: { zone99: 'Washroom 99' },
      By: 'shift-timer',
    });

    clock.advance(1799);
    await sweepAll();
    expect((await stored(shift.ShiftId)).status).toBe('PUBLISHED');
    clock.advance(1);
    await Promise.all([sweepBoth(), sweepBoth()]);
    await sweepAll();
    expect(await stored(shift.ShiftId)).toEqual({
      status: 'ABSENT',
      delayed: true,
      a_end: 0,
      timer_kind: null,
      timer_at: null,
    });
    expect(await outboxed(shift.ShiftId, 'SHIFT_ABSENT')).toBe(1);
    const [absent] = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId, 'SHIFT_ABSENT');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(absent!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_ABSENT.HIGH');
    expect(absent!.event).toMatchObject({
      UnixTimeInt: shift.Start + 3600,
      Meta: { Status: 'ABSENT', By: 'shift-timer' },
    });
    clock.advance(100_000);
    await sweepAll();
    expect(await outboxed(shift.ShiftId, 'SHIFT_ABSENT')).toBe(1);
    expect(await outboxed(shift.ShiftId, 'SHIFT_DELAYED')).toBe(1);
  });

  it('completes a started shift still open at End + 4200 s at End (its open break too), with SHIFT_COMPLETED once', async () => {
    const shift = await publishedShift(0);
    dataOf(await call('scteams.shiftStart', address(shift)));
    clock.advance(600);
    dataOf(
      await call('scteams.startBreak', {
        Shift: { ...address(shift).Shift, Breaks: [{ Type: 'Coffee break' }] },
      }),
    );
    expect(await stored(shift.ShiftId)).toMatchObject({
      status: 'STARTED',
      timer_kind: 'auto-clockout',
      timer_at: shift.End + 4200,
    });
    clock.advance(shift.End + 4199 - now());
    await sweepAll();
    expect((await stored(shift.ShiftId)).status).toBe('STARTED');
    clock.advance(1);
    await Promise.all([sweepBoth(), sweepBoth()]);
    await sweepAll();
    expect(await stored(shift.ShiftId)).toEqual({
      status: 'COMPLETED',
      delayed: false,
      a_end: shift.End,
      timer_kind: null,
      timer_at: null,
    });
    expect(await outboxed(shift.ShiftId, 'SHIFT_COMPLETED')).toBe(1);
    const details = dataOf(await call('scteams.getShiftDetailsByID', address(shift)));
    expect(details).toMatchObject({
      Status: 'COMPLETED',
      AStart: shift.Start,
      AEnd: shift.End,
      ActualDurationInSeconds: 600,
    });
    expect(details['Breaks']).toEqual([
      expect.objectContaining({
        ID: '0001',
        AStart: shift.Start + 600,
        AEnd: shift.End,
        DurationInSeconds: 6600,
      }),
    ]);
    const [completed] = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId, 'SHIFT_COMPLETED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(completed!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_COMPLETED.NORMAL');
    expect(completed!.event).toMatchObject({
      UnixTimeInt: shift.End + 4200,
      Meta: { Status: 'COMPLETED', AEnd: shift.End, By: 'shift-timer' },
    });
  });

  it('fires nothing for a shift started in time, one not published, or one on leave', async () => {
    const inTime = await publishedShift(0);
    const unpublished = await publishedShift(0, false);
    const onLeave = await publishedShift(0);
    clock.advance(1799);
    dataOf(await call('scteams.shiftStart', address(inTime)));
    dataOf(await call('scteams.markOnLeave', address(onLeave)));
    expect(await stored(onLeave.ShiftId)).toMatchObject({ status: 'ON_LEAVE', timer_kind: null });
    expect(await stored(unpublished.ShiftId)).toMatchObject({ status: 'UNPUBLISHED', timer_kind: null });
    clock.advance(3600);
    await sweepAll();
    expect(await stored(inTime.ShiftId)).toMatchObject({ status: 'STARTED', delayed: false });
    expect(await stored(onLeave.ShiftId)).toMatchObject({ status: 'ON_LEAVE', delayed: false });
    expect(await stored(unpublished.ShiftId)).toMatchObject({ status: 'UNPUBLISHED', delayed: false });
    for (const shift of [inTime, unpublished, onLeave]) {
      expect(await outboxed(shift.ShiftId, 'SHIFT_DELAYED')).toBe(0);
      expect(await outboxed(shift.ShiftId, 'SHIFT_ABSENT')).toBe(0);
    }
  });

  it('never both starts and marks absent a shift whose start races the absence deadline', async () => {
    const shifts = [await publishedShift(0), await publishedShift(0), await publishedShift(0)];
    clock.advance(1800);
    await sweepAll(); // all Delayed
    clock.advance(1800); // the absence is due
    const answers = await Promise.all([
      ...shifts.map((shift) => call('scteams.shiftStart', address(shift))),
      sweepBoth(),
      sweepBoth(),
    ]);
    await sweepAll();
    shifts.forEach((shift, i) => {
      const answer = answers[i] as Answer;
      if (!answer.ok) {
        expect(answer).toMatchObject({
          code: 'INVALID_TRANSITION',
          message: expect.stringContaining('ABSENT'),
        });
      }
    });
    for (const shift of shifts) {
      const row = await stored(shift.ShiftId);
      expect(['STARTED', 'ABSENT']).toContain(row.status);
      const started = await outboxed(shift.ShiftId, 'SHIFT_STARTED');
      const absent = await outboxed(shift.ShiftId, 'SHIFT_ABSENT');
      expect(started + absent).toBe(1);
      expect(row.status === 'STARTED' ? started : absent).toBe(1);
    }
  });

  it('keeps its deadlines over a restart: a new instance (the only one left) fires them by itself, once', async () => {
    seat = 0; // the seats' earlier shifts lie in the past
    const shift = await publishedShift(100_000);
    await second.close();
    await harness.app.close();
    clock.advance(100_000 + 1800);
    // A fast loop this time: the new instance leads and sweeps without being asked.
    harness.app = await harness.createApp({ ESCALATION_SWEEP_MS: '50' });
    second = await harness.createApp();
    await expectEventually(async () => expect(await stored(shift.ShiftId)).toMatchObject({ delayed: true }));
    expect(await outboxed(shift.ShiftId, 'SHIFT_DELAYED')).toBe(1);
    const [delayed] = await expectEventually(() => {
      const found = eventsOf(shift.ShiftId, 'SHIFT_DELAYED');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(delayed!.event.UnixTimeInt).toBe(shift.Start + 1800);
    expect(await stored(shift.ShiftId)).toMatchObject({ status: 'PUBLISHED', timer_kind: 'absent' });
  });
});
