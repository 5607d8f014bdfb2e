import { WorkforceRest } from './workforce-rest';
import type { Keys } from './gateway-harness';

/*
 * The attendance module (`attendance`, ops `scattendance.*`, reference §4.7) through the gateway, forwarded
 * to the real incident-service, with the documented bodies: an integration's CLOCK_IN / CLOCK_OUT start
 * and end the seat's shift (SHIFT_STARTED / SHIFT_COMPLETED in incident-service's outbox), tenancy and
 * refusals in the actions API's error envelope.
 */

const w = new WorkforceRest('attendance-actions');
const INTEGRATION = 'kiosk-lobby';

/** An attendance op, signed as the Python SDK signs it (module string `attendance`), `pid=scnoop` by default. */
const attendance = (
  keys: Keys,
  op: string,
  body: unknown,
  target: { pid?: string; propid?: string; org?: string } = {},
) =>
  w.gw.action(
    keys,
    {
      module: 'attendance',
      op: `scattendance.${op}`,
      pid: target.pid ?? 'scnoop',
      propid: target.propid ?? w.admin.propid,
      org: target.org ?? w.admin.org,
    },
    body,
  );

const shiftRow = async (shiftId: string) =>
  (
    await w.query<{ status: string; a_start: number; a_end: number }>(
      'select status, a_start::int, a_end::int from workforce.shifts where shift_id = $1',
      [shiftId],
    )
  )[0];
const shiftEvents = async (shiftId: string) =>
  (
    await w.query<{ event: string }>(
      `select payload->>'Event' as event from workforce.outbox
       where kind = 'event' and payload->'Meta'->>'ShiftId' = $1 order by id`,
      [shiftId],
    )
  ).map((r) => r.event);

let shiftId: string;
let shiftStart: number;

beforeAll(async () => {
  await w.start();
  await w.query(
    `insert into workforce.attendance_integrations
       (integration_id, org_id, prop_id, default_pid, description, user_map, created_on, updated_on)
     values ($1, $2, $3, $4, 'Face recognition in the lobby', $5, to_timestamp(1631151741), to_timestamp(1631151741))`,
    [
      INTEGRATION,
      w.admin.org,
      w.admin.propid,
      w.pid,
      JSON.stringify({ 'emp-1': w.seat, 'emp-2': w.otherSeat }),
    ],
  );
  // A published shift starting in half an hour: a CLOCK_IN now (up to an hour early) starts it.
  shiftStart = Math.floor(Date.now() / 1000) + 1800;
  const created = await w.gw.action(
    w.writer,
    { module: 'scworkforcemanagement', op: 'scteams.createShift', pid: w.pid },
    {
      SeatId: w.seat,
      Schedule: [{ shift: { Start: shiftStart, End: shiftStart + 3 * 3600 } }],
      Publish: true,
    },
  );
  expect(created.status).toBe(200);
  shiftId = created.body.data[0].ShiftId;
});
afterAll(() => w.stop());

describe('scattendance.readIntegration', () => {
  it('answers the integration in the documented shape, to a read credential', async () => {
    const answer = await attendance(w.reader, 'readIntegration', { IntegrationId: INTEGRATION });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      Org: w.admin.org,
      IntegrationId: INTEGRATION,
      DefaultPID: w.pid,
      ID: w.admin.propid,
      UserMap: { 'emp-1': w.seat, 'emp-2': w.otherSeat },
      Description: 'Face recognition in the lobby',
      Updated: 1631151741,
      Created: 1631151741,
    });
  });

  it('answers 404 to another tenant and for an unknown integration, 400 for a missing IntegrationId', async () => {
    const stranger = await attendance(
      w.stranger,
      'readIntegration',
      { IntegrationId: INTEGRATION },
      { org: w.stranger.org, propid: w.stranger.propid },
    );
    expect(stranger).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `attendance integration ${INTEGRATION} not found` },
    });
    const theirPid = await attendance(
      w.stranger,
      'readIntegration',
      { IntegrationId: INTEGRATION },
      {
        org: w.stranger.org,
        propid: w.stranger.propid,
        pid: w.pid,
      },
    );
    expect(theirPid).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await attendance(w.admin, 'readIntegration', { IntegrationId: 'nope' })).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: 'attendance integration nope not found' },
    });
    expect(await attendance(w.admin, 'readIntegration', {})).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'IntegrationId: is required' },
    });
  });
});

describe('scattendance.attendanceEvent', () => {
  it('clocks the seat in and out of its shift with the documented bodies, answering a repeated event the same', async () => {
    const clockIn = { IntegrationId: INTEGRATION, Event: 'CLOCK_IN', ID: 'emp-1' };
    const answer = await attendance(w.writer, 'attendanceEvent', clockIn);
    expect(answer.status).toBe(200);
    const time = answer.body.output.Time as number;
    expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(60);
    expect(answer.body).toEqual({
      input: clockIn,
      output: {
        ID: w.seat,
        Event: 'CLOCK_IN',
        Time: time,
        IntegrationId: INTEGRATION,
        PropId: w.admin.propid,
        Org: w.admin.org,
        PID: w.pid,
        SourceSeatId: 'emp-1',
        MatrixSeatId: w.seat,
        ShiftId: shiftId,
      },
      status: 'OK',
    });
    expect(await shiftRow(shiftId)).toEqual({ status: 'STARTED', a_start: time, a_end: 0 });

    // The kiosk sends it again with its time: the same answer, nothing changed.
    const again = await attendance(w.writer, 'attendanceEvent', { ...clockIn, Time: time });
    expect(again).toMatchObject({ status: 200, body: { output: answer.body.output, status: 'OK' } });

    // CLOCK_OUT with pid naming the building (the documented body, Time given).
    const clockOut = { IntegrationId: INTEGRATION, Event: 'CLOCK_OUT', Time: time + 60, ID: 'emp-1' };
    const out = await attendance(w.writer, 'attendanceEvent', clockOut, { pid: w.pid });
    expect(out).toMatchObject({
      status: 200,
      body: {
        input: clockOut,
        output: { Event: 'CLOCK_OUT', Time: time + 60, PID: w.pid, ShiftId: shiftId },
      },
    });
    expect(await shiftRow(shiftId)).toEqual({ status: 'COMPLETED', a_start: time, a_end: time + 60 });
    // Once each: the repeated CLOCK_IN published nothing.
    expect(await shiftEvents(shiftId)).toEqual(['SHIFT_STARTED', 'SHIFT_COMPLETED']);
  });

  it('refuses a clock-out without clock-in (409), an unknown person (404), a bad Event (400) and a read credential (403)', async () => {
    const event = (extra: Record<string, unknown>) => ({
      IntegrationId: INTEGRATION,
      Event: 'CLOCK_OUT',
      ID: 'emp-2',
      ...extra,
    });
    const before = await w.rows('outbox');
    expect(await attendance(w.writer, 'attendanceEvent', event({}))).toMatchObject({
      status: 409,
      body: {
        code: 'INVALID_TRANSITION',
        message: expect.stringMatching(
          new RegExp(
            `^CLOCK_OUT of seat ${w.otherSeat} at .*: the seat has no STARTED shift in building ${w.pid} \\(clock in first\\)$`,
          ),
        ),
      },
    });
    expect(await attendance(w.writer, 'attendanceEvent', event({ Event: 'CLOCK_IN' }))).toMatchObject({
      status: 404,
      body: {
        code: 'NOT_FOUND',
        message: expect.stringMatching(
          new RegExp(`^a shift of seat ${w.otherSeat} in building ${w.pid} to clock into at `),
        ),
      },
    });
    expect(await attendance(w.writer, 'attendanceEvent', event({ ID: 'emp-9' }))).toMatchObject({
      status: 404,
      body: {
        code: 'NOT_FOUND',
        message: `ID emp-9 in the UserMap of attendance integration ${INTEGRATION} not found`,
      },
    });
    expect(await attendance(w.writer, 'attendanceEvent', event({ Event: 'BREAK' }))).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: 'Event: must be one of CLOCK_IN, CLOCK_OUT' },
    });
    expect(await attendance(w.reader, 'attendanceEvent', event({}))).toMatchObject({
      status: 403,
      body: {
        code: 'IMPLICIT_DENY',
        message: 'scattendance.attendanceEvent needs a credential with write access',
      },
    });
    expect(await w.rows('outbox')).toEqual(before);
  });
});
