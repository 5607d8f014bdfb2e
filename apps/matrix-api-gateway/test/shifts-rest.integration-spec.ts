import { at, dateOf, WorkforceRest } from './workforce-rest';

/*
 * REST v1 `/v1/buildings/{pid}/shifts`: the gateway on a real PostgreSQL and NATS, forwarding the
 * documented shift ops to the real incident-service.
 */

const w = new WorkforceRest('shifts-rest');

beforeAll(() => w.start(), 60_000);
afterAll(() => w.stop());

const path = (suffix = '') => `/v1/buildings/${w.pid}/shifts${suffix}`;
const written = () => w.rows('shifts', 'outbox');

/** A shift of `seat` on day `day`, 08:00–16:00 UTC; answers the first shift made. */
async function plan(day: number, body: Record<string, unknown> = {}) {
  const created = await w.gw.rest(w.writer, 'POST', path(), {
    seatId: w.seat,
    start: at(day, 8),
    end: at(day, 16),
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body.items[0] as Record<string, any>;
}

const transition = (shiftId: string, body: unknown, keys = w.writer, headers: Record<string, string> = {}) =>
  w.gw.rest(keys, 'POST', path(`/${shiftId}/transitions`), body, headers);

describe('shifts over REST v1', () => {
  it('plans a shift (201) repeated on a date, in the REST shape, retry-safe with Idempotency-Key, the shift the actions API reads', async () => {
    const body = {
      seatId: w.seat,
      start: at(1, 7),
      end: at(1, 15),
      zoneIds: [w.lobby],
      breaks: [{ start: at(1, 11), end: at(1, 11, 30), planned: true, type: 'LUNCH' }],
      cost: { currency: 'EUR', amount: 120 },
      description: 'Morning',
      repeatOn: [dateOf(2)],
    };
    const before = await written();
    const first = await w.gw.rest(w.writer, 'POST', path(), body, { 'idempotency-key': 'plan-1' });
    expect(first.status).toBe(201);
    expect(first.body.items).toHaveLength(2);
    const [shift, repeat] = first.body.items;
    // Every shift answered in full: complete, and shiftIds names them in start order.
    expect(first.body.complete).toBe(true);
    expect(first.body.shiftIds).toEqual(first.body.items.map((s: { shiftId: string }) => s.shiftId));
    expect(shift).toEqual({
      shiftId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      seatId: w.seat,
      pid: w.pid,
      propId: w.admin.propid,
      org: w.admin.org,
      status: 'UNPUBLISHED',
      delayed: false,
      adhoc: false,
      start: body.start.replace('Z', '.000Z'),
      end: body.end.replace('Z', '.000Z'),
      timeZone: 'Europe/Berlin',
      localStart: expect.stringMatching(new RegExp(`^${dateOf(1)}T0[89]:00:00$`)),
      startedAt: null,
      endedAt: null,
      plannedSeconds: 8 * 3600,
      workedSeconds: 0,
      breaks: [
        {
          breakId: '0001',
          type: 'LUNCH',
          notes: null,
          planned: true,
          scheduled: true,
          durationSeconds: 1800,
          start: body.breaks[0]!.start.replace('Z', '.000Z'),
          end: body.breaks[0]!.end.replace('Z', '.000Z'),
          startedAt: null,
          endedAt: null,
        },
      ],
      clockIn: null,
      clockOut: null,
      cost: { currency: 'EUR', amount: 120 },
      zones: [{ zoneId: w.lobby, zoneName: 'Lobby' }],
      description: 'Morning',
      taskGroupIds: [],
      createdBy: w.writer.accessKey,
      createdOn: expect.any(String),
      modifiedBy: w.writer.accessKey,
      modifiedOn: expect.any(String),
    });
    // The repeat keeps the wall-clock plan on the next local date.
    expect(repeat.localStart.slice(0, 10)).toBe(dateOf(2));
    expect(repeat.localStart.slice(10)).toBe(shift.localStart.slice(10));
    expect(repeat.shiftId).not.toBe(shift.shiftId);

    const replay = await w.gw.rest(w.writer, 'POST', path(), body, { 'idempotency-key': 'plan-1' });
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(replay.body).toEqual(first.body);
    expect(await written()).toEqual({ shifts: before.shifts + 2, outbox: before.outbox });

    const viaActions = await w.gw.action(
      w.reader,
      { module: 'scworkforcemanagement', op: 'scteams.getShiftDetailsByID', pid: w.pid },
      { Shift: { SeatId: w.seat, ShiftId: shift.shiftId } },
    );
    expect(viaActions.body.data).toMatchObject({
      ShiftId: shift.shiftId,
      Status: 'UNPUBLISHED',
      Zones: { [w.lobby]: 'Lobby' },
      Cost: { U: 'EUR', V: 120 },
    });
  });

  it('plans and publishes at once: PUBLISHED, with one SHIFTS_PUBLISHED in the outbox', async () => {
    const before = await written();
    const shift = await plan(3, { publish: true, seatId: w.otherSeat });
    expect(shift).toMatchObject({ status: 'PUBLISHED', seatId: w.otherSeat, zones: [] });
    expect(await written()).toEqual({ shifts: before.shifts + 1, outbox: before.outbox + 1 });
  });

  it('refuses bad input (400 naming each field), unknown zones and seats (404), an overlap (409 naming the other shift), and writes nothing', async () => {
    const mine = await plan(4);
    const before = await written();
    const bad = await w.gw.rest(w.writer, 'POST', path(), {
      start: 'tomorrow',
      end: at(4, 8),
      timeZone: 'Mars/Olympus',
      breaks: [{ start: at(4, 9) }],
      cost: { currency: 'EUR' },
      repeatOn: ['2026-02-30'],
      publish: 'yes',
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([
      'colour: is not a known field',
      'seatId: is required',
      'start: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z',
      'timeZone: must be an IANA time zone, e.g. Europe/Berlin',
      'breaks[0]: names both start and end, or neither',
      'cost.amount: is required',
      'repeatOn[0]: must be a date YYYY-MM-DD',
      'publish: must be true or false',
    ]);
    const backwards = await w.gw.rest(w.writer, 'POST', path(), {
      seatId: w.seat,
      start: at(5, 16),
      end: at(5, 8),
    });
    expect([backwards.status, backwards.body.errors]).toEqual([400, ['end: must be after start']]);
    const tooLong = await w.gw.rest(w.writer, 'POST', path(), {
      seatId: w.seat,
      start: at(5, 0),
      end: at(6, 1),
    });
    expect(tooLong.body.errors).toEqual(['end: a shift lasts at most 24 hours']);
    for (const body of [null, [], 'text']) {
      expect((await w.gw.rest(w.writer, 'POST', path(), body === 'text' ? '"text"' : body)).status).toBe(400);
    }
    expect((await w.gw.rest(w.writer, 'POST', path(), null)).body.errors).toEqual([
      'body: must be a JSON object',
      'seatId: is required',
      'start: is required',
      'end: is required',
    ]);
    const nowhere = await w.gw.rest(w.writer, 'POST', path(), {
      seatId: w.seat,
      start: at(5, 8),
      end: at(5, 16),
      zoneIds: ['nowhere'],
    });
    expect([nowhere.status, nowhere.body.detail]).toEqual([404, 'zone nowhere not found']);
    const noSeat = await w.gw.rest(w.writer, 'POST', path(), {
      seatId: `${w.admin.propid}_999`,
      start: at(5, 8),
      end: at(5, 16),
    });
    expect([noSeat.status, noSeat.body.detail]).toEqual([404, `seat ${w.admin.propid}_999 not found`]);
    const overlap = await w.gw.rest(w.writer, 'POST', path(), {
      seatId: w.seat,
      start: at(4, 15),
      end: at(4, 20),
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.type).toBe('https://matrix.dev/problems/invalid-transition');
    expect(overlap.body.detail).toContain(`overlaps shift ${mine.shiftId}`);
    expect(
      (await w.gw.rest(w.reader, 'POST', path(), { seatId: w.seat, start: at(5, 8), end: at(5, 16) })).status,
    ).toBe(403);
    expect(await written()).toEqual(before);
  });

  it('reads one shift; unknown ids and another tenant’s building are 404, no credential 401', async () => {
    const shift = await plan(6);
    const got = await w.gw.rest(w.reader, 'GET', path(`/${shift.shiftId}`));
    expect([got.status, got.body]).toEqual([200, shift]);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-shift']) {
      const missing = await w.gw.rest(w.reader, 'GET', path(`/${id}`));
      expect([missing.status, missing.body.detail]).toEqual([404, `shift ${id} not found`]);
    }
    for (const [method, suffix, body] of [
      ['GET', `/${shift.shiftId}`, undefined],
      ['PATCH', `/${shift.shiftId}`, { description: 'x' }],
      ['DELETE', `/${shift.shiftId}`, undefined],
      ['POST', `/${shift.shiftId}/transitions`, { action: 'publish' }],
      ['POST', '', { seatId: w.seat, start: at(7, 8), end: at(7, 16) }],
    ] as const) {
      const answer = await w.gw.rest(w.stranger, method, path(suffix), body);
      expect([method, suffix, answer.status, answer.body.detail]).toEqual([
        method,
        suffix,
        404,
        `building ${w.pid} not found`,
      ]);
    }
    const anonymous = await fetch(`${w.gw.url}${path(`/${shift.shiftId}`)}`);
    expect(anonymous.status).toBe(401);
  });

  it('changes the plan of a shift not started (PATCH), refuses a started one (409) and bad input (400), writing nothing', async () => {
    const shift = await plan(8, { zoneIds: [w.lobby] });
    const changed = await w.gw.rest(w.writer, 'PATCH', path(`/${shift.shiftId}`), {
      start: at(8, 9),
      end: at(8, 17),
      zoneIds: [w.pantry],
      description: 'Late',
      cost: { currency: 'EUR', amount: 99.5 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      shiftId: shift.shiftId,
      start: at(8, 9).replace('Z', '.000Z'),
      end: at(8, 17).replace('Z', '.000Z'),
      zones: [{ zoneId: w.pantry, zoneName: 'Pantry' }],
      description: 'Late',
      cost: { currency: 'EUR', amount: 99.5 },
    });
    expect((await w.gw.rest(w.reader, 'PATCH', path(`/${shift.shiftId}`), { description: 'x' })).status).toBe(
      403,
    );
    const empty = await w.gw.rest(w.writer, 'PATCH', path(`/${shift.shiftId}`), {});
    expect(empty.body.errors).toEqual([
      'body: must change at least one of start, end, timeZone, zoneIds, cost, description',
    ]);
    const bad = await w.gw.rest(w.writer, 'PATCH', path(`/${shift.shiftId}`), {
      start: at(8, 17),
      end: at(8, 9),
      seatId: w.otherSeat,
    });
    expect(bad.body.errors).toEqual(['seatId: is not a known field', 'end: must be after start']);
    const nowhere = await w.gw.rest(w.writer, 'PATCH', path(`/${shift.shiftId}`), { zoneIds: ['nowhere'] });
    expect(nowhere.status).toBe(404);

    expect((await transition(shift.shiftId, { action: 'publish' })).status).toBe(200);
    expect((await transition(shift.shiftId, { action: 'start' })).body.status).toBe('STARTED');
    const [row] = await w.query('select modified_on from workforce.shifts where shift_id = $1', [
      shift.shiftId,
    ]);
    const started = await w.gw.rest(w.writer, 'PATCH', path(`/${shift.shiftId}`), { description: 'x' });
    expect([started.status, started.body.detail]).toEqual([
      409,
      `shift ${shift.shiftId}: only a shift not started (UNPUBLISHED or PUBLISHED) can be changed`,
    ]);
    const [after] = await w.query('select modified_on from workforce.shifts where shift_id = $1', [
      shift.shiftId,
    ]);
    expect(after).toEqual(row);
  });

  it('removes a shift not started (204), keeps a started one (409 naming the rule)', async () => {
    const shift = await plan(9);
    const kept = await plan(10);
    expect((await transition(kept.shiftId, { action: 'publish' })).status).toBe(200);
    expect((await transition(kept.shiftId, { action: 'start' })).status).toBe(200);
    expect((await w.gw.rest(w.reader, 'DELETE', path(`/${shift.shiftId}`))).status).toBe(403);
    const before = await written();
    const refused = await w.gw.rest(w.writer, 'DELETE', path(`/${kept.shiftId}`));
    expect([refused.status, refused.body.detail]).toEqual([
      409,
      `shift ${kept.shiftId}: a STARTED shift is a record of the day and cannot be deleted`,
    ]);
    expect(await written()).toEqual(before);
    expect((await w.gw.rest(w.writer, 'DELETE', path(`/${shift.shiftId}`))).status).toBe(204);
    expect((await w.gw.rest(w.writer, 'DELETE', path(`/${shift.shiftId}`))).status).toBe(404);
    expect((await w.gw.rest(w.reader, 'GET', path(`/${shift.shiftId}`))).status).toBe(404);
    expect(await written()).toEqual({ shifts: before.shifts - 1, outbox: before.outbox });
  });

  it('moves a shift through its day — publish, start, breaks, end — with its events; 409 names the rule and writes nothing', async () => {
    const shift = await plan(11, { breaks: [{ durationSeconds: 900, planned: true, type: 'COFFEE' }] });
    const id = shift.shiftId as string;
    const before = await written();
    const early = await transition(id, { action: 'start' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      type: 'https://matrix.dev/problems/invalid-transition',
      title: 'Invalid transition',
      detail: `shift ${id} of seat ${w.seat}: an UNPUBLISHED shift must be published before it is started`,
    });
    expect(await written()).toEqual(before);

    const published = await transition(id, { action: 'publish' }, w.writer, {
      'idempotency-key': `pub-${id}`,
    });
    expect([published.status, published.body.status]).toEqual([200, 'PUBLISHED']);
    const replay = await transition(id, { action: 'publish' }, w.writer, { 'idempotency-key': `pub-${id}` });
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body]).toEqual([
      200,
      'true',
      published.body,
    ]);
    // Publishing again is idempotent: the shift as it is, no second SHIFTS_PUBLISHED.
    expect((await transition(id, { action: 'publish' })).body.status).toBe('PUBLISHED');
    expect(await written()).toEqual({ shifts: before.shifts, outbox: before.outbox + 1 });

    const notMine = await transition(id, { action: 'start', seatId: w.otherSeat });
    expect([notMine.status, notMine.body.detail]).toEqual([
      409,
      `shift ${id} of seat ${w.otherSeat}: a seat works only its own shifts (this shift is seat ${w.seat}'s)`,
    ]);
    const started = await transition(id, { action: 'start', location: { latitude: 52.5, longitude: 13.4 } });
    expect(started.body).toMatchObject({
      status: 'STARTED',
      startedAt: expect.any(String),
      clockIn: { latitude: 52.5, longitude: 13.4 },
    });
    const onBreak = await transition(id, { action: 'startBreak', breakId: '0001', notes: 'coffee' });
    expect(onBreak.body.breaks).toEqual([
      expect.objectContaining({
        breakId: '0001',
        type: 'COFFEE',
        notes: 'coffee',
        startedAt: expect.any(String),
        endedAt: null,
      }),
    ]);
    const twice = await transition(id, { action: 'startBreak' });
    expect([twice.status, twice.body.detail]).toEqual([
      409,
      `shift ${id} of seat ${w.seat}: one break at a time: break 0001 is still open`,
    ]);
    const back = await transition(id, { action: 'endBreak' });
    expect(back.body.breaks[0]).toMatchObject({ breakId: '0001', endedAt: expect.any(String) });
    const noBreak = await transition(id, { action: 'endBreak' });
    expect([noBreak.status, noBreak.body.detail]).toEqual([
      409,
      `shift ${id} of seat ${w.seat}: there is no open break to end`,
    ]);
    const ended = await transition(id, { action: 'end', location: { latitude: 52.5, longitude: 13.41 } });
    expect(ended.body).toMatchObject({
      status: 'COMPLETED',
      endedAt: expect.any(String),
      clockOut: { latitude: 52.5, longitude: 13.41 },
    });
    const again = await transition(id, { action: 'end' });
    expect([again.status, again.body.detail]).toEqual([
      409,
      `shift ${id} of seat ${w.seat}: a shift is ended only once`,
    ]);
    const events = await w.query<{ subject: string }>(
      `select subject from workforce.outbox order by id desc limit 3`,
    );
    expect(events.map((e) => e.subject.split('.').slice(-2)[0])).toEqual([
      'SHIFT_COMPLETED',
      'SHIFT_STARTED',
      'SHIFTS_PUBLISHED',
    ]);
  });

  it('marks a shift delayed, absent or on leave and starts an absent one (admin only: 403 for write)', async () => {
    const late = await plan(12, { publish: true });
    const away = await plan(13, { publish: true });
    const leave = await plan(14);
    expect((await transition(late.shiftId, { action: 'markDelayed' })).status).toBe(403);
    expect((await transition(late.shiftId, { action: 'markDelayed' }, w.admin)).body).toMatchObject({
      status: 'PUBLISHED',
      delayed: true,
    });
    const twice = await transition(late.shiftId, { action: 'markDelayed' }, w.admin);
    expect([twice.status, twice.body.detail]).toEqual([
      409,
      `shift ${late.shiftId}: a shift is marked delayed only once`,
    ]);
    expect((await transition(away.shiftId, { action: 'markAbsent' }, w.admin)).body.status).toBe('ABSENT');
    const seatStart = await transition(away.shiftId, { action: 'start' });
    expect(seatStart.body.detail).toBe(
      `shift ${away.shiftId} of seat ${w.seat}: a shift marked ABSENT is started only by an admin (scteams.shiftStartAdmin)`,
    );
    expect((await transition(away.shiftId, { action: 'adminStart' })).status).toBe(403);
    expect((await transition(away.shiftId, { action: 'adminStart' }, w.admin)).body.status).toBe('STARTED');
    expect((await transition(away.shiftId, { action: 'adminEnd' }, w.admin)).body.status).toBe('COMPLETED');
    expect((await transition(leave.shiftId, { action: 'markOnLeave' }, w.admin)).body.status).toBe(
      'ON_LEAVE',
    );
  });

  it('refuses a bad transition body with 400 naming each field', async () => {
    const shift = await plan(15);
    const bad = await transition(shift.shiftId, { action: 'finish', extra: 1 });
    expect(bad.body.errors).toEqual([
      'extra: is not a known field',
      'action: must be one of publish, start, end, adminStart, adminEnd, startBreak, endBreak, markDelayed, markAbsent, markOnLeave',
    ]);
    const misplaced = await transition(shift.shiftId, {
      action: 'start',
      breakId: '0001',
      location: { latitude: 91 },
    });
    expect(misplaced.body.errors).toEqual([
      'breakId: is taken by startBreak, endBreak only',
      'location.latitude: must be a number from -90 to 90',
      'location.longitude: is required',
    ]);
    expect((await transition(shift.shiftId, null)).body.errors).toEqual([
      'body: must be a JSON object',
      'action: is required',
    ]);
  });

  it('lists the building’s shifts overlapping [from, to] by planned start, filtered by seat and status, continued from a cursor', async () => {
    const a = await plan(16);
    const b = await plan(16, { seatId: w.otherSeat, start: at(16, 9), end: at(16, 17), publish: true });
    const c = await plan(17, { publish: true });
    await plan(19);
    const ids = (body: { items: { shiftId: string }[] }) => body.items.map((s) => s.shiftId);
    const range = `from=${encodeURIComponent(at(16, 0))}&to=${encodeURIComponent(at(17, 23))}`;

    const all = await w.gw.rest(w.reader, 'GET', path(`?${range}`));
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([a.shiftId, b.shiftId, c.shiftId]);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items[1]).toEqual(b);
    expect(ids((await w.gw.rest(w.reader, 'GET', path(`?${range}&seatId=${w.seat}`))).body)).toEqual([
      a.shiftId,
      c.shiftId,
    ]);
    expect(ids((await w.gw.rest(w.reader, 'GET', path(`?${range}&status=PUBLISHED`))).body)).toEqual([
      b.shiftId,
      c.shiftId,
    ]);
    expect(
      ids((await w.gw.rest(w.reader, 'GET', path(`?${range}&status=UNPUBLISHED,STARTED`))).body),
    ).toEqual([a.shiftId]);
    expect(
      ids((await w.gw.rest(w.reader, 'GET', path(`?${range}&seatId=${w.seat}&status=PUBLISHED`))).body),
    ).toEqual([c.shiftId]);
    // A cursor is the documented LastEvaluatedKey of the last shift seen: the list goes on after it.
    const cursor = Buffer.from(
      JSON.stringify({
        Start: { n: String(Date.parse(a.start) / 1000) },
        ID: { s: w.pid },
        ATTR: { s: `attr#${w.pid}#${w.seat}#${a.shiftId}` },
      }),
    ).toString('base64');
    expect(
      ids((await w.gw.rest(w.reader, 'GET', path(`?${range}&cursor=${encodeURIComponent(cursor)}`))).body),
    ).toEqual([b.shiftId, c.shiftId]);

    const bad = await w.gw.rest(w.reader, 'GET', path('?status=DONE&seat=x&from=yesterday&cursor=bm9wZQ'));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      'seat: is not a known query parameter (known: from, to, seatId, status, cursor)',
      'from: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z',
      'to: is required',
      'status: must be any of UNPUBLISHED, PUBLISHED, STARTED, COMPLETED, ABSENT, ON_LEAVE (comma-separated or repeated)',
      'cursor: is not a cursor this API returned',
    ]);
    const noSeat = await w.gw.rest(w.reader, 'GET', path(`?${range}&seatId=${w.admin.propid}_999`));
    expect([noSeat.status, noSeat.body.detail]).toEqual([404, `seat ${w.admin.propid}_999 not found`]);
    expect((await w.gw.rest(w.stranger, 'GET', path(`?${range}`))).status).toBe(404);
  });
});
