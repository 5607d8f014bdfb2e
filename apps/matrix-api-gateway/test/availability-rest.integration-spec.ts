import { WorkforceRest } from './workforce-rest';

/*
 * REST v1 `/v1/properties/{propId}/seats/{seatId}/availability` and `…/availability-zones`: the gateway on
 * a real PostgreSQL and NATS, forwarding the documented availability ops to the real incident-service.
 */

const w = new WorkforceRest('availability-rest');

beforeAll(() => w.start(), 60_000);
afterAll(() => w.stop());

const seatPath = (seatId: string, suffix: string) =>
  `/v1/properties/${w.admin.propid}/seats/${seatId}/${suffix}`;
const written = () => w.rows('seat_availability', 'seat_availability_zones', 'outbox');

describe('seat availability over REST v1', () => {
  it('sets, reads, replaces and removes a seat’s week plan, retry-safe, the plan the actions API reads', async () => {
    const path = seatPath(w.seat, 'availability');
    const body = {
      daysOfWeek: [1, 2],
      timeSlots: [
        { startTime: '06:00', endTime: '10:30', name: 'Morning' },
        { startTime: '22:00', endTime: '02:00:30' },
      ],
    };
    const created = await w.gw.rest(w.writer, 'POST', path, body, { 'idempotency-key': 'week-1' });
    expect(created.status).toBe(201);
    const monday = {
      dayOfWeek: 1,
      timeSlots: [
        { startTime: '06:00:00', endTime: '10:30:00', name: 'Morning', nextDay: false },
        { startTime: '22:00:00', endTime: '02:00:30', name: null, nextDay: true },
      ],
      zones: null,
      createdBy: w.writer.accessKey,
      createdOn: expect.any(String),
      modifiedBy: w.writer.accessKey,
      modifiedOn: expect.any(String),
    };
    expect(created.body).toEqual({
      seatId: w.seat,
      propId: w.admin.propid,
      days: [monday, { ...monday, dayOfWeek: 2 }],
    });
    const replay = await w.gw.rest(w.writer, 'POST', path, body, { 'idempotency-key': 'week-1' });
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    // Without a key, the same plan again is a retry too (the op's own rule).
    expect((await w.gw.rest(w.writer, 'POST', path, body)).body).toEqual(created.body);

    const viaActions = await w.gw.action(
      w.reader,
      { module: 'scworkforcemanagement', op: 'scteams.getAvailabilityBySeatId', pid: w.pid },
      { SeatId: w.seat },
    );
    expect(viaActions.body.data.map((d: { DayOfWeek: number }) => d.DayOfWeek)).toEqual([1, 2]);
    expect(viaActions.body.data[0].TimeSlots[1]).toEqual({
      StartTime: 79_200,
      EndTime: 7_230,
      Name: '',
      NextDay: true,
    });

    const got = await w.gw.rest(w.reader, 'GET', path);
    expect([got.status, got.body]).toEqual([200, created.body]);

    const replaced = await w.gw.rest(w.writer, 'PATCH', path, {
      days: [{ dayOfWeek: 2, timeSlots: [{ startTime: '12:00', endTime: '24:00' }] }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.days).toEqual([
      expect.objectContaining({
        dayOfWeek: 2,
        timeSlots: [{ startTime: '12:00:00', endTime: '24:00:00', name: null, nextDay: false }],
      }),
    ]);

    expect((await w.gw.rest(w.writer, 'DELETE', `${path}?daysOfWeek=1`)).status).toBe(204);
    expect(
      (await w.gw.rest(w.reader, 'GET', path)).body.days.map((d: { dayOfWeek: number }) => d.dayOfWeek),
    ).toEqual([2]);
    expect((await w.gw.rest(w.writer, 'DELETE', path)).status).toBe(204);
    expect((await w.gw.rest(w.writer, 'DELETE', path)).status).toBe(204);
    expect((await w.gw.rest(w.reader, 'GET', path)).body.days).toEqual([]);
  });

  it('refuses bad input (400 naming each field), another plan on a day (409), a day without a plan (404), and writes nothing', async () => {
    const path = seatPath(w.otherSeat, 'availability');
    const first = await w.gw.rest(w.writer, 'POST', path, {
      daysOfWeek: [3],
      timeSlots: [{ startTime: '08:00', endTime: '16:00' }],
    });
    expect(first.status).toBe(201);
    const before = await written();

    const bad = await w.gw.rest(w.writer, 'POST', path, {
      daysOfWeek: [7],
      timeSlots: [
        { startTime: '8am', endTime: '08:00' },
        { startTime: '09:00', endTime: '09:00' },
      ],
      zone: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      'zone: is not a known field',
      'daysOfWeek: must be a list of distinct days of the week, 0 (Sunday) to 6',
      'timeSlots[0].startTime: must be a local time HH:MM or HH:MM:SS',
      'timeSlots[1].endTime: must not equal startTime (an end before the start ends the next day)',
    ]);
    expect((await w.gw.rest(w.writer, 'POST', path, null)).body.errors).toEqual([
      'body: must be a JSON object',
      'daysOfWeek: is required',
      'timeSlots: is required',
    ]);
    const overlapping = await w.gw.rest(w.writer, 'POST', path, {
      daysOfWeek: [4],
      timeSlots: [
        { startTime: '08:00', endTime: '12:00' },
        { startTime: '11:00', endTime: '13:00' },
      ],
    });
    expect([overlapping.status, overlapping.body.errors]).toEqual([
      400,
      ['timeSlots[1]: overlaps timeSlots[0]'],
    ]);
    const other = await w.gw.rest(w.writer, 'POST', path, {
      daysOfWeek: [3, 4],
      timeSlots: [{ startTime: '09:00', endTime: '17:00' }],
    });
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain(`seat ${w.otherSeat} already has another availability on day 3`);
    const missing = await w.gw.rest(w.writer, 'PATCH', path, {
      days: [
        { dayOfWeek: 3, timeSlots: [{ startTime: '07:00', endTime: '15:00' }] },
        { dayOfWeek: 5, timeSlots: [{ startTime: '07:00', endTime: '15:00' }] },
      ],
    });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain(`seat ${w.otherSeat} has no availability on day 5`);
    const twice = await w.gw.rest(w.writer, 'PATCH', path, {
      days: [
        { dayOfWeek: 3, timeSlots: [{ startTime: '07:00', endTime: '15:00' }] },
        { dayOfWeek: 3, timeSlots: [] },
      ],
    });
    expect(twice.body.errors).toEqual(['days[1].timeSlots: must be a list of 1 or 2 time slots']);
    expect((await w.gw.rest(w.writer, 'DELETE', `${path}?daysOfWeek=1,9`)).body.errors).toEqual([
      'daysOfWeek: must be days of the week 0 (Sunday) to 6, comma-separated',
    ]);
    expect(await written()).toEqual(before);
    // The plan is as it was.
    expect((await w.gw.rest(w.reader, 'GET', path)).body.days).toEqual(first.body.days);
  });

  it('answers 404 for another property’s or an unknown seat and another tenant’s property, 403 for a read credential', async () => {
    const before = await written();
    const unknown = `${w.admin.propid}_999`;
    for (const suffix of ['availability', 'availability-zones']) {
      const answer = await w.gw.rest(w.reader, 'GET', seatPath(unknown, suffix));
      expect([answer.status, answer.body.detail]).toEqual([404, `seat ${unknown} not found`]);
    }
    const body = { daysOfWeek: [1], timeSlots: [{ startTime: '08:00', endTime: '16:00' }] };
    expect((await w.gw.rest(w.writer, 'POST', seatPath(unknown, 'availability'), body)).status).toBe(404);
    expect((await w.gw.rest(w.reader, 'POST', seatPath(w.seat, 'availability'), body)).status).toBe(403);
    expect((await w.gw.rest(w.reader, 'DELETE', seatPath(w.seat, 'availability-zones'))).status).toBe(403);
    for (const [method, suffix, payload] of [
      ['GET', 'availability', undefined],
      ['POST', 'availability', body],
      ['DELETE', 'availability', undefined],
      ['GET', 'availability-zones', undefined],
    ] as const) {
      const answer = await w.gw.rest(w.stranger, method, seatPath(w.seat, suffix), payload);
      expect([method, suffix, answer.status, answer.body.detail]).toEqual([
        method,
        suffix,
        404,
        `property ${w.admin.propid} not found`,
      ]);
    }
    const zones = await w.gw.rest(w.stranger, 'POST', seatPath(w.seat, 'availability-zones'), {
      pid: w.pid,
      zoneIds: [w.lobby],
    });
    expect([zones.status, zones.body.detail]).toEqual([404, `building ${w.pid} not found`]);
    // The stranger's own property does not hold our seat.
    const theirs = await w.gw.rest(
      w.stranger,
      'GET',
      `/v1/properties/${w.stranger.propid}/seats/${w.seat}/availability`,
    );
    expect([theirs.status, theirs.body.detail]).toEqual([404, `seat ${w.seat} not found`]);
    const anonymous = await fetch(`${w.gw.url}${seatPath(w.seat, 'availability')}`);
    expect(anonymous.status).toBe(401);
    expect(await written()).toEqual(before);
  });

  it('sets the zones a seat is available for per building, replaces and removes them; refuses unknown zones and buildings (404) and other zones (409)', async () => {
    const path = seatPath(w.seat, 'availability-zones');
    const created = await w.gw.rest(
      w.writer,
      'POST',
      path,
      { pid: w.pid, zoneIds: [w.lobby] },
      {
        'idempotency-key': 'zones-1',
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      seatId: w.seat,
      propId: w.admin.propid,
      buildings: [{ pid: w.pid, zones: [{ zoneId: w.lobby, zoneName: 'Lobby' }] }],
    });
    expect((await w.gw.rest(w.writer, 'POST', path, { pid: w.pid, zoneIds: [w.lobby] })).body).toEqual(
      created.body,
    );
    const before = await written();
    const other = await w.gw.rest(w.writer, 'POST', path, { pid: w.pid, zoneIds: [w.pantry] });
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain(
      `seat ${w.seat} already has other availability zones in building ${w.pid}`,
    );
    const nowhere = await w.gw.rest(w.writer, 'PUT', `${path}/${w.pid}`, { zoneIds: ['nowhere'] });
    expect([nowhere.status, nowhere.body.detail]).toEqual([404, 'zone nowhere not found']);
    const elsewhere = await w.gw.rest(w.writer, 'PUT', `${path}/no-such-building`, { zoneIds: [w.lobby] });
    expect([elsewhere.status, elsewhere.body.detail]).toEqual([404, 'building no-such-building not found']);
    const bad = await w.gw.rest(w.writer, 'POST', path, { zoneIds: [], building: 'x' });
    expect(bad.body.errors).toEqual([
      'building: is not a known field',
      'pid: is required',
      'zoneIds: must name at least one zone',
    ]);
    const noneYet = await w.gw.rest(
      w.writer,
      'PUT',
      `${seatPath(w.otherSeat, 'availability-zones')}/${w.pid}`,
      {
        zoneIds: [w.lobby],
      },
    );
    expect(noneYet.status).toBe(404);
    expect(await written()).toEqual(before);

    const replaced = await w.gw.rest(w.writer, 'PUT', `${path}/${w.pid}`, { zoneIds: [w.pantry, w.lobby] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.buildings[0].zones.map((z: { zoneId: string }) => z.zoneId).sort()).toEqual(
      [w.pantry, w.lobby].sort(),
    );
    expect((await w.gw.rest(w.reader, 'GET', path)).body).toEqual(replaced.body);
    expect((await w.gw.rest(w.writer, 'DELETE', path)).status).toBe(204);
    expect((await w.gw.rest(w.reader, 'GET', path)).body.buildings).toEqual([]);
  });
});
