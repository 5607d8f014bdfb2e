import {
  actionCommandV1,
  ATTENDANCE_ACTIONS_SUBJECT,
  type ActionBuildingV1,
  type ActionCommandV1,
} from '@matrix/contracts';
import { CommandFailedError } from '@matrix/messaging';
import { expectEventually } from '@matrix/testing';
import { localTimeOf as localTimeIn } from '../src/shifts/shift-times';
import { TestClock } from './test-clock';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';

/*
 * The attendance module (`scattendance.*`, the Matrix documentation §4.7) on a real NATS and PostgreSQL,
 * as the gateway forwards it (`attendance.action.call.v1`), with the documented bodies: an integration's
 * clock events start and end the seat's shift through the shift ops, with their SHIFT_* events.
 */

const PROP = 'p1';
const B1: ActionBuildingV1 = { pid: 'b1', org: 'ACME', propId: PROP, name: 'HQ', timeZone: 'Asia/Singapore' };
const SEAT = `${PROP}_001`;
const OTHER_SEAT = `${PROP}_002`;
const INTEGRATION = 'kiosk-entrance';
const localTime = (t: number) => localTimeIn(t, 'Asia/Singapore');

describe('incident-service: the attendance ops', () => {
  const clock = new TestClock();
  const harness = new WorkforceHarness('attendance', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  const now = () => Math.floor(clock.now().getTime() / 1000);
  let slot = 0;

  beforeAll(async () => {
    await harness.start();
    for (const seat of [SEAT, OTHER_SEAT]) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', $2, 'kg', 'HOUSEKEEPING')`,
        [seat, PROP],
      );
    }
    await harness.sql.query(
      `insert into workforce.attendance_integrations
         (integration_id, org_id, prop_id, default_pid, description, user_map, created_on, updated_on)
       values ($1, 'ACME', $2, 'b1', 'Face recognition at the entrance', $3, to_timestamp(1631151741), to_timestamp(1631151741)),
              ('kiosk-other', 'OTHER', 'p9', 'b9', '', '{}', now(), now())`,
      [INTEGRATION, PROP, JSON.stringify({ 'emp-1': SEAT, 'emp-2': OTHER_SEAT, 'emp-gone': `${PROP}_099` })],
    );
  }, 60_000);
  afterAll(() => harness.stop());

  /** The command the gateway forwards: with the building for a pid, else the property (`pid=scnoop`). */
  const call = async (
    op: string,
    args: Record<string, unknown>,
    extra: Partial<ActionCommandV1> = {},
  ): Promise<Answer> => {
    const command: ActionCommandV1 = {
      module: 'attendance',
      op: `scattendance.${op}`,
      org: 'ACME',
      pid: 'scnoop',
      propid: PROP,
      args,
      caller: { accessKey: 'AK1', org: 'ACME', property: PROP, role: 'write' },
      property: { org: 'ACME', propId: PROP },
      ...extra,
    };
    try {
      return {
        ok: true,
        reply: await harness.commands.request(actionCommandV1(ATTENDANCE_ACTIONS_SUBJECT, 5_000), command),
      };
    } catch (error) {
      if (error instanceof CommandFailedError) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  };
  const envelope = (answer: Answer) => {
    if (!answer.ok) throw new Error(`${answer.code}: ${answer.message}`);
    return answer.reply.envelope as Record<string, any>;
  };
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  const stored = async (shiftId: string) =>
    (
      await harness.sql.query(
        `select status, a_start::int, a_end::int from workforce.shifts where shift_id = $1`,
        [shiftId],
      )
    ).rows[0];
  const eventsOf = (shiftId: string, eventId: string) =>
    harness.events.filter((e) => e.event.Event === eventId && e.event.Meta['ShiftId'] === shiftId);

  /** A PUBLISHED 3-hour shift of `seat` in b1, in a fresh slot after now. */
  const plan = async (seat = SEAT, publish = true) => {
    slot += 1;
    const start = now() + slot * 7 * 3600;
    const shifts = dataOf(
      await harness.call(
        workforceCommand(
          'scteams.createShift',
          {
            SeatId: seat,
            Schedule: [{ shift: { Start: start, End: start + 3 * 3600 } }],
            Publish: publish,
          },
          {},
          { propid: PROP, building: B1 },
        ),
      ),
    ) as unknown as { ShiftId: string; Start: number; End: number }[];
    return shifts[0]!;
  };

  it('reads the integration in the documented shape', async () => {
    const answer = await call(
      'readIntegration',
      { IntegrationId: INTEGRATION },
      {
        caller: { accessKey: 'AK2', org: 'ACME', property: PROP, role: 'read' },
      },
    );
    expect(envelope(answer)).toEqual({
      Org: 'ACME',
      IntegrationId: INTEGRATION,
      DefaultPID: 'b1',
      ID: PROP,
      UserMap: { 'emp-1': SEAT, 'emp-2': OTHER_SEAT, 'emp-gone': `${PROP}_099` },
      Description: 'Face recognition at the entrance',
      Updated: 1631151741,
      Created: 1631151741,
    });
  });

  it('answers NOT_FOUND for an integration of another tenant or property, and refuses a bad body', async () => {
    expect(
      [
        await call('readIntegration', { IntegrationId: 'kiosk-other' }),
        await call('readIntegration', { IntegrationId: 'nope' }),
        await call(
          'readIntegration',
          { IntegrationId: INTEGRATION },
          { propid: 'p2', property: { org: 'ACME', propId: 'p2' } },
        ),
        await call('readIntegration', {}),
        await call('notAnOperation', {}),
      ].map(refusal),
    ).toEqual([
      'NOT_FOUND attendance integration kiosk-other not found',
      'NOT_FOUND attendance integration nope not found',
      `NOT_FOUND attendance integration ${INTEGRATION} not found`,
      'MISSING_PARAMETERS IntegrationId: is required',
      'UNKNOWN_OPERATION scattendance.notAnOperation is not an operation of module attendance; see GET /prod/v2/operations',
    ]);
  });

  it('starts and ends the seat’s shift on CLOCK_IN and CLOCK_OUT, with SHIFT_STARTED and SHIFT_COMPLETED, each once for a repeated event', async () => {
    const shift = await plan();
    clock.set(shift.Start - 300);
    const clockIn = { IntegrationId: INTEGRATION, Event: 'CLOCK_IN', Time: shift.Start - 120, ID: 'emp-1' };
    const first = envelope(await call('attendanceEvent', clockIn));
    expect(first).toEqual({
      input: clockIn,
      output: {
        ID: SEAT,
        Event: 'CLOCK_IN',
        Time: shift.Start - 120,
        IntegrationId: INTEGRATION,
        PropId: PROP,
        Org: 'ACME',
        PID: 'b1',
        SourceSeatId: 'emp-1',
        MatrixSeatId: SEAT,
        ShiftId: shift.ShiftId,
      },
      status: 'OK',
    });
    expect(await stored(shift.ShiftId)).toEqual({ status: 'STARTED', a_start: shift.Start - 120, a_end: 0 });
    // Sent again (the kiosk did not see the answer): the same answer, nothing changed or published again.
    expect(envelope(await call('attendanceEvent', clockIn))).toEqual(first);
    // A second CLOCK_IN at another time is the lifecycle's refusal.
    expect(refusal(await call('attendanceEvent', { ...clockIn, Time: shift.Start }))).toBe(
      `INVALID_TRANSITION shift ${shift.ShiftId} of seat ${SEAT}: a shift is started only once`,
    );

    clock.set(shift.End + 60);
    // Without Time: now.
    const clockOut = { IntegrationId: INTEGRATION, Event: 'CLOCK_OUT', ID: 'emp-1' };
    const out = envelope(await call('attendanceEvent', clockOut));
    expect(out.output).toMatchObject({ Event: 'CLOCK_OUT', Time: shift.End + 60, ShiftId: shift.ShiftId });
    expect(await stored(shift.ShiftId)).toEqual({
      status: 'COMPLETED',
      a_start: shift.Start - 120,
      a_end: shift.End + 60,
    });
    expect(envelope(await call('attendanceEvent', { ...clockOut, Time: shift.End + 60 })).output).toEqual(
      out.output,
    );

    // The shift's timesheet is the clocked times, as for the shift ops.
    const sheets = dataOf(
      await harness.call(
        workforceCommand(
          'scteams.listTimesheets',
          { StartTime: shift.Start, EndTime: shift.End },
          {},
          { propid: PROP, building: B1 },
        ),
      ),
    ) as unknown as Record<string, unknown>[];
    expect(sheets.find((t) => t['ShiftId'] === shift.ShiftId)).toMatchObject({
      SeatId: SEAT,
      Status: 'PENDING',
      ShiftStatus: 'COMPLETED',
      AStart: shift.Start - 120,
      AEnd: shift.End + 60,
    });

    await expectEventually(() => {
      expect(eventsOf(shift.ShiftId, 'SHIFT_STARTED')).toHaveLength(1);
      expect(eventsOf(shift.ShiftId, 'SHIFT_COMPLETED')).toHaveLength(1);
    });
    const [started] = eventsOf(shift.ShiftId, 'SHIFT_STARTED');
    expect(started!.subject).toBe('matrix.b1.scworkforcemanagement.SHIFT_STARTED.NORMAL');
    expect(started!.event.Meta).toMatchObject({ SeatId: SEAT, AStart: shift.Start - 120, By: 'AK1' });
  });

  it('applies an event in the building pid names, as the gateway resolved it', async () => {
    const shift = await plan(OTHER_SEAT);
    clock.set(shift.Start + 30);
    const answer = await call(
      'attendanceEvent',
      { IntegrationId: INTEGRATION, Event: 'CLOCK_IN', ID: 'emp-2' },
      { pid: 'b1', building: B1, property: undefined },
    );
    expect(envelope(answer).output).toMatchObject({
      PID: 'b1',
      MatrixSeatId: OTHER_SEAT,
      Time: shift.Start + 30,
    });
    expect(await stored(shift.ShiftId)).toMatchObject({ status: 'STARTED', a_start: shift.Start + 30 });
    // A CLOCK_OUT dated before that clock-in (a terminal's clock off) is refused, naming both times.
    expect(
      refusal(
        await call('attendanceEvent', {
          IntegrationId: INTEGRATION,
          Event: 'CLOCK_OUT',
          Time: shift.Start,
          ID: 'emp-2',
        }),
      ),
    ).toBe(
      `INVALID_TRANSITION CLOCK_OUT of seat ${OTHER_SEAT} at ${new Date(shift.Start * 1000).toISOString()} (${shift.Start}): ` +
        `before shift ${shift.ShiftId}'s clock-in at ${localTime(shift.Start + 30)} (Asia/Singapore)`,
    );
    expect(await stored(shift.ShiftId)).toMatchObject({ status: 'STARTED', a_end: 0 });
  });

  it('answers the same event sent twice at once as one event: both OK, one SHIFT_STARTED', async () => {
    const shift = await plan();
    clock.set(shift.Start);
    const body = { IntegrationId: INTEGRATION, Event: 'CLOCK_IN', Time: shift.Start, ID: 'emp-1' };
    const answers = await Promise.all([call('attendanceEvent', body), call('attendanceEvent', body)]);
    expect(answers.map(refusal)).toEqual(['ok', 'ok']);
    expect(envelope(answers[0]!)).toEqual(envelope(answers[1]!));
    await expectEventually(() => expect(eventsOf(shift.ShiftId, 'SHIFT_STARTED')).toHaveLength(1));
    clock.set(shift.End);
    expect(refusal(await call('attendanceEvent', { ...body, Event: 'CLOCK_OUT', Time: shift.End }))).toBe(
      'ok',
    );
  });

  it('refuses an unknown person or seat, no shift to clock into, a clock-out without clock-in, and a read credential, changing nothing', async () => {
    const unpublished = await plan(SEAT, false);
    const later = await plan(SEAT);
    clock.set(unpublished.Start);
    const event = (extra: Record<string, unknown>) => ({
      IntegrationId: INTEGRATION,
      Event: 'CLOCK_IN',
      ID: 'emp-1',
      ...extra,
    });
    const at = (t: number) => `${new Date(t * 1000).toISOString()} (${t})`;
    const outbox = await harness.count('outbox');
    expect(
      [
        await call('attendanceEvent', event({ ID: 'stranger' })),
        await call('attendanceEvent', event({ ID: 'emp-gone' })),
        await call('attendanceEvent', event({ Time: unpublished.Start - 4 * 3600 })),
        await call('attendanceEvent', event({})),
        await call('attendanceEvent', event({ Event: 'CLOCK_OUT' })),
        await call('attendanceEvent', event({ Event: 'LUNCH' })),
        await call('attendanceEvent', event({ Time: now() + 3600 })),
        await call('attendanceEvent', event({ IntegrationId: 'kiosk-other' })),
        await call('attendanceEvent', event({}), {
          caller: { accessKey: 'AK2', org: 'ACME', property: PROP, role: 'read' },
        }),
      ].map(refusal),
    ).toEqual([
      `NOT_FOUND ID stranger in the UserMap of attendance integration ${INTEGRATION} not found`,
      `NOT_FOUND seat ${PROP}_099 (UserMap of attendance integration ${INTEGRATION}) not found`,
      `NOT_FOUND a shift of seat ${SEAT} in building b1 to clock into at ${at(unpublished.Start - 4 * 3600)} not found`,
      `INVALID_TRANSITION shift ${unpublished.ShiftId} of seat ${SEAT}: an UNPUBLISHED shift must be published before it is started`,
      `INVALID_TRANSITION CLOCK_OUT of seat ${SEAT} at ${at(now())}: the seat has no STARTED shift in building b1 (clock in first)`,
      'WRONG_PARAMETERS Event: must be one of CLOCK_IN, CLOCK_OUT',
      `WRONG_PARAMETERS Time: must not be more than 300 s ahead of now (${now()})`,
      'NOT_FOUND attendance integration kiosk-other not found',
      'IMPLICIT_DENY scattendance.attendanceEvent needs a credential with write access',
    ]);
    expect(await harness.count('outbox')).toBe(outbox);
    expect(await stored(later.ShiftId)).toMatchObject({ status: 'PUBLISHED' });
  });
});
