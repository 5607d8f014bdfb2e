import { SEAT_COMMANDS, type ActionBuildingV1, type ActionCommandV1 } from '@matrix/contracts';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The shift lists and metrics (and the seat delete that live shifts refuse) on a real NATS and
 * PostgreSQL, with the documented request bodies of the Matrix documentation (Appendix A, copied as they
 * are), as the gateway forwards them. The clock is a test clock the spec sets; the shift timer (its own
 * spec) is kept out of the way by clearing the shifts' deadlines after each step, so what the metrics
 * count is exactly what the ops did.
 */

const PROP = '3b749a681d14446292b6c79b48403bbd';
const seat = (n: string) => `${PROP}_${n}`;
const building = (propId: string, pid: string, org = 'ACME'): ActionBuildingV1 => ({
  pid,
  org,
  propId,
  name: pid,
  timeZone: 'Asia/Singapore',
});
/** Buildings of the documented property: b1, the documented `ID` "SONY", one for metrics, two for paging. */
const B1 = building(PROP, 'b1');
const SONY_BUILDING = building(PROP, 'SONY');
const METRICS = building(PROP, 'bm');
const PAGED = building(PROP, 'bp');
const LARGE = building(PROP, 'bq');
/** The building of the documented seat SONY_001 (property SONY), and another tenant's. */
const SONY = building('SONY', 'sony1');
const OTHER_TENANT = building('otherprop', 'b2', 'OTHER');
const SEATS = [
  ...['002', '003', '011', '021', '022', '023', '024', '025', '026', '030', '031', '040', '041'].map(seat),
  'SONY_001',
  'SONY_002',
  'otherprop_001',
];

type Shift = { ShiftId: string; Start: number; End: number; SeatId: string; Status: string; ID: string };

describe('incident-service: the shift lists and metrics', () => {
  const clock = new TestClock(1_600_000_000);
  const harness = new WorkforceHarness('shift-queries', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });

  beforeAll(async () => {
    await harness.start();
    for (const id of SEATS) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, $2, $3, 'kg', 'HOUSEKEEPING')`,
        [id, id.startsWith('otherprop') ? 'OTHER' : 'ACME', id.slice(0, id.lastIndexOf('_'))],
      );
    }
  }, 60_000);
  afterAll(() => harness.stop());

  const call = (
    op: string,
    args: Record<string, unknown>,
    b: ActionBuildingV1 = B1,
    extra: Partial<ActionCommandV1> = {},
  ): Promise<Answer> =>
    harness.call(
      workforceCommand(op, args, {}, { pid: b.pid, propid: b.propId, org: b.org, building: b, ...extra }),
    );
  const data = dataOf;
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  const ids = (answer: Answer) => (data(answer) as unknown as Shift[]).map((s) => s.ShiftId);
  const asRead = { caller: { accessKey: 'AK2', org: 'ACME', property: null, role: 'read' as const } };
  /** Keeps the shift timer out of the metrics: no shift has a deadline left. */
  const noTimers = () => harness.sql.query('update workforce.shifts set timer_at = null, timer_kind = null');
  const written = async () => ({
    shifts: await harness.count('shifts'),
    outbox: await harness.count('outbox'),
    seats: await harness.count('seats'),
  });

  /** A shift of `seatId` in building `b` for `[start, end)`, created PUBLISHED unless told otherwise. */
  const plan = async (seatId: string, start: number, end: number, b = B1, publish = true): Promise<Shift> => {
    const answer = await call(
      'scteams.createShift',
      { SeatId: seatId, Schedule: [{ shift: { Start: start, End: end } }], Publish: publish },
      b,
    );
    await noTimers();
    return (data(answer) as unknown as Shift[])[0]!;
  };
  const act = async (op: string, s: Shift, b = B1, extra: Record<string, unknown> = {}) => {
    const answer = await call(op, { Shift: { SeatId: s.SeatId, ShiftId: s.ShiftId, ...extra } }, b);
    await noTimers();
    return data(answer);
  };

  it('no longer answers the shift lists as unknown ops', async () => {
    for (const op of [
      'scteams.getCurrentShiftForSeat',
      'scteams.getNextShifts',
      'scteams.getShiftsForSeatInTRange',
      'scteams.getShiftsForProjectInTRange',
      'scteams.getShiftForPropertyInTRange',
      'scteams.getShiftsInTRangeForIDonStatus',
      'scteams.getShiftMetricsForID',
      'scteams.getShiftMetricsForSeatID',
      'scteams.getShiftLatenessMetricsForBuilding',
    ]) {
      expect(refusal(await call(op, {}))).toMatch(/^MISSING_PARAMETERS /);
    }
  });

  it('answers the shift of the seat covering StartTime (documented body), the started one first, null when none covers it', async () => {
    clock.set(1639000000);
    const covering = await plan(seat('002'), 1639224000, 1639224000 + 8 * 3600);
    const later = await plan(seat('002'), 1639224000 + 8 * 3600, 1639224000 + 10 * 3600, SONY_BUILDING);
    const draft = await plan(seat('002'), 1639300000, 1639303600, B1, false);

    const documented = { StartTime: 1639225000, SeatId: '3b749a681d14446292b6c79b48403bbd_002' };
    const answer = await call('scteams.getCurrentShiftForSeat', documented, B1, asRead);
    expect(data(answer)).toMatchObject({
      ShiftId: covering.ShiftId,
      SeatId: seat('002'),
      ID: 'b1',
      Status: 'PUBLISHED',
      Start: 1639224000,
      ATTR: `attr#b1#${seat('002')}#${covering.ShiftId}`,
    });
    // Window edges: Start is covered, End is not (the next shift, in another building of the property, is).
    const at = async (t: number, b = B1) =>
      (
        data(
          await call('scteams.getCurrentShiftForSeat', { starttime: t, SEATID: seat('002') }, b),
        ) as Shift | null
      )?.ShiftId ?? null;
    expect(await at(1639224000)).toBe(covering.ShiftId);
    expect(await at(covering.End - 1)).toBe(covering.ShiftId);
    expect(await at(covering.End, SONY_BUILDING)).toBe(later.ShiftId);
    // An unpublished draft covers nothing; no shift: data null, said in the message.
    expect(await at(1639300000)).toBeNull();
    const none = await call('scteams.getCurrentShiftForSeat', { StartTime: 1639223999, SeatId: seat('002') });
    expect(none).toEqual({
      ok: true,
      reply: { message: `No shift of seat ${seat('002')} covers 1639223999`, data: null },
    });
    // Clocked in early and still working: the started shift covers every moment since its clock-in.
    clock.set(covering.Start - 600);
    await act('scteams.shiftStart', covering);
    clock.set(covering.Start - 100);
    expect(await at(covering.Start - 300)).toBe(covering.ShiftId);
    // After now, only the plan answers (a running shift is not assumed to run on).
    expect(await at(covering.Start - 50)).toBeNull();
    expect(await at(covering.Start - 601)).toBeNull();
    expect(draft.Status).toBe('UNPUBLISHED');

    const before = await written();
    const refusals = await Promise.all([
      call('scteams.getCurrentShiftForSeat', { SeatId: seat('002') }),
      call('scteams.getCurrentShiftForSeat', { StartTime: 'soon', SeatId: seat('002') }),
      call('scteams.getCurrentShiftForSeat', { StartTime: 1639225000 }),
      call('scteams.getCurrentShiftForSeat', { StartTime: 1639225000, SeatId: seat('099') }),
      call('scteams.getCurrentShiftForSeat', { StartTime: 1639225000, SeatId: 'otherprop_001' }),
      call('scteams.getCurrentShiftForSeat', { StartTime: 1639225000, SeatId: seat('002') }, OTHER_TENANT),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'MISSING_PARAMETERS StartTime: is required',
      'WRONG_PARAMETERS StartTime: must be epoch seconds (a non-negative integer)',
      'MISSING_PARAMETERS SeatId: is required',
      `NOT_FOUND seat ${seat('099')} not found`,
      'NOT_FOUND seat otherprop_001 not found',
      `NOT_FOUND seat ${seat('002')} not found`,
    ]);
    expect(await written()).toEqual(before);
  });

  it("answers the seat's next shifts after StartTime (documented body): published or started, 10 unless Limit says", async () => {
    clock.set(1690000000);
    const base = 1690021321;
    const atStart = await plan(seat('011'), base, base + 3600);
    const next: Shift[] = [];
    for (let i = 1; i <= 11; i += 1) {
      const b = i % 2 === 0 ? SONY_BUILDING : B1;
      next.push(await plan(seat('011'), base + i * 7200, base + i * 7200 + 3600, b, i !== 3));
    }
    await act('scteams.markOnLeave', next[4]!);

    const documented = { SeatId: '3b749a681d14446292b6c79b48403bbd_011', StartTime: 1690021321 };
    const answer = await call('scteams.getNextShifts', documented);
    // Not the one starting at StartTime (current, not next), not the draft (3rd) or the one on leave (5th).
    const expected = next.filter((_, i) => i !== 2 && i !== 4).map((s) => s.ShiftId);
    expect(ids(answer)).toEqual(expected.slice(0, 9));
    expect(ids(answer)).not.toContain(atStart.ShiftId);
    expect(new Set((data(answer) as unknown as Shift[]).map((s) => s.ID))).toEqual(new Set(['b1', 'SONY']));
    expect(
      ids(await call('scteams.getNextShifts', { seatid: seat('011'), starttime: base, limit: 2 })),
    ).toEqual(expected.slice(0, 2));
    expect(
      ids(await call('scteams.getNextShifts', { SeatId: seat('011'), StartTime: next[10]!.Start })),
    ).toEqual([]);
    const refusals = await Promise.all([
      call('scteams.getNextShifts', { SeatId: seat('011'), StartTime: base, Limit: 0 }),
      call('scteams.getNextShifts', { SeatId: seat('011'), StartTime: base, Limit: 101 }),
      call('scteams.getNextShifts', { SeatId: 'SONY_001', StartTime: base }),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'WRONG_PARAMETERS Limit: must be an integer from 1 to 100',
      'WRONG_PARAMETERS Limit: must be an integer from 1 to 100',
      'NOT_FOUND seat SONY_001 not found',
    ]);
  });

  it("answers a seat's shifts in a range (documented body, ID narrows to one building of the property)", async () => {
    clock.set(1635000000);
    const s = seat('003');
    const before = await plan(s, 1635095200 - 14400, 1635095200 - 3600);
    const overlapsStart = await plan(s, 1635095200 - 3600, 1635095200 + 3600, SONY_BUILDING);
    const inB1 = await plan(s, 1640000000, 1640003600, B1, false);
    const inSony = await plan(s, 1650000000, 1650003600, SONY_BUILDING);
    const atEnd = await plan(s, 1665181600, 1665185200, SONY_BUILDING);
    const after = await plan(s, 1665185200, 1665188800, SONY_BUILDING);
    await plan(seat('031'), 1650000000, 1650003600, SONY_BUILDING);

    const documented = {
      SeatId: '3b749a681d14446292b6c79b48403bbd_003',
      StartTime: 1635095200,
      EndTime: 1665181600,
      ID: 'SONY',
    };
    expect(ids(await call('scteams.getShiftsForSeatInTRange', documented))).toEqual([
      overlapsStart.ShiftId,
      inSony.ShiftId,
      atEnd.ShiftId,
    ]);
    const { ID: _id, ...everywhere } = documented;
    const all = await call('scteams.getShiftsForSeatInTRange', everywhere, B1, asRead);
    expect(ids(all)).toEqual([overlapsStart.ShiftId, inB1.ShiftId, inSony.ShiftId, atEnd.ShiftId]);
    expect(ids(all)).not.toContain(before.ShiftId);
    expect(ids(all)).not.toContain(after.ShiftId);
    expect(all.ok && all.reply.extra).toBeUndefined();
    expect(ids(await call('scteams.getShiftsForSeatInTRange', { ...documented, ID: 'b9' }))).toEqual([]);
    expect(
      ids(
        await call('scteams.getShiftsForSeatInTRange', {
          seatId: s,
          startTime: 1640000000,
          endTime: 1640000000,
        }),
      ),
    ).toEqual([inB1.ShiftId]);
    expect(
      refusal(await call('scteams.getShiftsForSeatInTRange', { ...documented, EndTime: 1635095199 })),
    ).toBe('WRONG_PARAMETERS EndTime: must not be before StartTime');
    expect(refusal(await call('scteams.getShiftsForSeatInTRange', documented, OTHER_TENANT))).toBe(
      `NOT_FOUND seat ${s} not found`,
    );
  });

  it("answers a building's shifts in a range (the documented body's reversed range refused), not another building's or tenant's", async () => {
    clock.set(1660000000);
    const from = 1660002400;
    const to = 1660582400;
    const endsAtStart = await plan(seat('002'), from - 7200, from);
    const overlapsStart = await plan(seat('031'), from - 3600, from + 3600);
    const startsAtEnd = await plan(seat('002'), to, to + 3600, B1, false);
    const otherBuilding = await plan(seat('031'), from + 7200, from + 10800, SONY_BUILDING);
    const otherTenant = await plan('otherprop_001', from + 7200, from + 10800, OTHER_TENANT);

    // The documented example names EndTime before StartTime: refused like every reversed range.
    const documented = { EndTime: 1660002400, StartTime: 1660582400 };
    expect(refusal(await call('scteams.getShiftsForProjectInTRange', documented))).toBe(
      'WRONG_PARAMETERS EndTime: must not be before StartTime',
    );
    const answer = await call(
      'scteams.getShiftsForProjectInTRange',
      { EndTime: to, StartTime: from },
      B1,
      asRead,
    );
    expect(ids(answer)).toEqual([overlapsStart.ShiftId, startsAtEnd.ShiftId]);
    expect(answer.ok && answer.reply.message).toBe('2 shift(s)');
    expect(ids(answer)).not.toContain(endsAtStart.ShiftId);
    expect(
      ids(await call('scteams.getShiftsForProjectInTRange', { endtime: to, STARTTIME: from }, OTHER_TENANT)),
    ).toEqual([otherTenant.ShiftId]);
    expect(
      ids(await call('scteams.getShiftsForProjectInTRange', { EndTime: to, StartTime: from }, SONY_BUILDING)),
    ).toEqual([otherBuilding.ShiftId]);
  });

  it("answers every building's shifts of the property in a range (documented body), also with pid=scnoop", async () => {
    const documented = { EndTime: 1733335200, StartTime: 1549095200 };
    const answer = await call('scteams.getShiftForPropertyInTRange', documented);
    const shifts = data(answer) as unknown as Shift[];
    expect(shifts.length).toBeGreaterThan(20);
    expect(new Set(shifts.map((s) => s.ID))).toEqual(new Set(['b1', 'SONY']));
    expect(shifts.every((s) => (s as unknown as { PropID: string }).PropID === PROP)).toBe(true);
    const starts = shifts.map((s) => s.Start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const { rows } = await harness.sql.query(
      `select shift_id::text from workforce.shifts where prop_id = $1 order by start_at, shift_id`,
      [PROP],
    );
    expect(ids(answer)).toEqual(rows.map((r) => r.shift_id));
    const scnoop = await call('scteams.getShiftForPropertyInTRange', documented, B1, {
      pid: 'scnoop',
      building: undefined,
      property: { org: 'ACME', propId: PROP },
    });
    expect(ids(scnoop)).toEqual(ids(answer));
    expect(
      refusal(await call('scteams.getShiftForPropertyInTRange', documented, B1, { building: undefined })),
    ).toBe('MISSING_PARAMETERS scteams.getShiftForPropertyInTRange needs propid');
    expect(ids(await call('scteams.getShiftForPropertyInTRange', documented, OTHER_TENANT))).toHaveLength(1);
  });

  it("answers a building's shifts of one status in a range (documented body, any letter case), refusing an unknown status", async () => {
    clock.set(1630000000);
    const done = await plan(seat('021'), 1630364400 - 600, 1630364400 + 3000);
    const published = await plan(seat('022'), 1631000000, 1631003600);
    const doneElsewhere = await plan(seat('023'), 1631000000, 1631003600, SONY_BUILDING);
    clock.set(done.Start);
    await act('scteams.shiftStart', done);
    clock.set(done.End);
    await act('scteams.shiftEnd', done);
    clock.set(doneElsewhere.Start);
    await act('scteams.shiftStart', doneElsewhere, SONY_BUILDING);
    await act('scteams.shiftEnd', doneElsewhere, SONY_BUILDING);

    const documented = { Shift: { Start: 1630364400, End: 1634139500, Status: 'COMPLETED' } };
    expect(ids(await call('scteams.getShiftsInTRangeForIDonStatus', documented))).toEqual([done.ShiftId]);
    expect(
      ids(
        await call('scteams.getShiftsInTRangeForIDonStatus', {
          shift: { start: 1630364400, end: 1634139500, status: 'published' },
        }),
      ),
    ).toEqual([published.ShiftId]);
    const refusals = await Promise.all([
      call('scteams.getShiftsInTRangeForIDonStatus', { Shift: { ...documented.Shift, Status: 'DONE' } }),
      call('scteams.getShiftsInTRangeForIDonStatus', {
        Shift: { Start: 1634139500, End: 1630364400, Status: 'COMPLETED' },
      }),
      call('scteams.getShiftsInTRangeForIDonStatus', { Shift: { Start: 1630364400, End: 1634139500 } }),
      call('scteams.getShiftsInTRangeForIDonStatus', { StartTime: 1630364400, EndTime: 1634139500 }),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'WRONG_PARAMETERS Shift.Status: must be one of UNPUBLISHED, PUBLISHED, STARTED, COMPLETED, ABSENT, ON_LEAVE',
      'WRONG_PARAMETERS Shift.End: must not be before Shift.Start',
      'MISSING_PARAMETERS Shift.Status: is required',
      'MISSING_PARAMETERS Shift: is required',
    ]);
  });

  it('pages long lists with LastEvaluatedKey in the documented key form: 500 shifts a page, fewer when a page passes 512 KB', async () => {
    const base = 1700000000;
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, status,
                                     created_by, modified_by, description)
       select gen_random_uuid(), 'ACME', $1, $2, $3, 'Asia/Singapore', $4::bigint + i * 3600, $4::bigint + i * 3600 + 3600,
              'PUBLISHED', 'AK1', 'AK1', repeat('x', $5::int)
       from generate_series(0, $6::int - 1) as i`,
      [PROP, 'bp', seat('040'), base, 0, 520],
    );
    const range = { StartTime: base, EndTime: base + 600 * 3600 };
    const first = await call('scteams.getShiftsForProjectInTRange', range, PAGED);
    expect(ids(first)).toHaveLength(500);
    const key = first.ok ? (first.reply.extra?.['LastEvaluatedKey'] as string) : '';
    const last = (data(first) as unknown as Shift[])[499]!;
    expect(JSON.parse(Buffer.from(key, 'base64').toString('utf8'))).toEqual({
      Start: { n: String(last.Start) },
      ID: { s: 'bp' },
      ATTR: { s: `attr#bp#${seat('040')}#${last.ShiftId}` },
    });
    expect(first.ok && first.reply.message).toBe(
      '500 shift(s); more remain: call again with LastEvaluatedKey',
    );
    const second = await call(
      'scteams.getShiftsForProjectInTRange',
      { ...range, lastEvaluatedKey: key },
      PAGED,
    );
    expect(ids(second)).toHaveLength(20);
    expect(second.ok && second.reply.extra).toBeUndefined();
    const { rows } = await harness.sql.query(
      `select shift_id::text from workforce.shifts where pid = 'bp' order by start_at, shift_id`,
    );
    expect([...ids(first), ...ids(second)]).toEqual(rows.map((r) => r.shift_id));

    // Shifts of about 4 KB each: a page stops before 512 KB.
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, status,
                                     created_by, modified_by, description)
       select gen_random_uuid(), 'ACME', $1, $2, $3, 'Asia/Singapore', $4::bigint + i * 3600, $4::bigint + i * 3600 + 3600,
              'PUBLISHED', 'AK1', 'AK1', repeat('x', $5::int)
       from generate_series(0, $6::int - 1) as i`,
      [PROP, 'bq', seat('041'), base, 4000, 200],
    );
    const large = await call('scteams.getShiftsForProjectInTRange', range, LARGE);
    const size = Buffer.byteLength(JSON.stringify(data(large)));
    expect(size).toBeLessThanOrEqual(512 * 1024);
    expect(ids(large).length).toBeGreaterThan(50);
    expect(ids(large).length).toBeLessThan(200);
    const rest = await call(
      'scteams.getShiftsForProjectInTRange',
      { ...range, LastEvaluatedKey: large.ok ? large.reply.extra?.['LastEvaluatedKey'] : '' },
      LARGE,
    );
    expect(ids(large).length + ids(rest).length).toBe(200);

    expect(
      refusal(
        await call('scteams.getShiftsForProjectInTRange', { ...range, LastEvaluatedKey: 'bm90IGEga2V5' }),
      ),
    ).toBe('WRONG_PARAMETERS LastEvaluatedKey: is not a key this API returned');

    // The bound every range query relies on: no shift's window is over 48 hours (the table refuses it).
    await expect(
      harness.sql.query(
        `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, status,
                                       created_by, modified_by)
         values (gen_random_uuid(), 'ACME', $1, 'bp', $2, 'UTC', 1, 1 + 172801, 'PUBLISHED', 'AK1', 'AK1')`,
        [PROP, seat('040')],
      ),
    ).rejects.toMatchObject({ constraint: 'shifts_span_bounded' });
  });

  it('answers the shift metrics of a building and of a seat (documented bodies, reversed ranges refused) with the hand-computed numbers', async () => {
    clock.set(1639000000);
    const s0 = await plan(seat('022'), 1639080000, 1639095200, METRICS); // ends at the range start: out
    const s1 = await plan(seat('021'), 1639091600, 1639098800, METRICS); // overlaps the range start: in
    const s2 = await plan(seat('022'), 1639200000, 1639228800, METRICS);
    const s3 = await plan(seat('023'), 1639300000, 1639314400, METRICS);
    const s4 = await plan(seat('024'), 1639400000, 1639428800, METRICS);
    const s5 = await plan(seat('025'), 1639500000, 1639528800, METRICS);
    await plan(seat('026'), 1648095200, 1648102400, METRICS, false); // starts at the range end: in
    await plan(seat('024'), 1648095201, 1648102400, METRICS, false); // after the range: out
    await plan(seat('022'), 1640000000, 1640028800, B1); // another building: out
    await plan(seat('025'), 1647000000, 1647007200, METRICS);

    clock.set(s1.Start + 600); // 600 s late
    await act('scteams.shiftStart', s1, METRICS);
    clock.set(s1.Start + 1800);
    await act('scteams.startBreak', s1, METRICS, { Breaks: [{ ID: 'C1', Type: 'Coffee break' }] });
    clock.set(s1.Start + 2100); // a 300 s break
    await act('scteams.endBreak', s1, METRICS, { Breaks: [{ ID: 'C1' }] });
    clock.set(s1.End);
    await act('scteams.shiftEnd', s1, METRICS); // worked 7200 − 600 − 300 = 6300
    clock.set(s2.Start);
    await act('scteams.shiftStart', s2, METRICS); // on time
    clock.set(s2.End - 1800);
    await act('scteams.shiftEnd', s2, METRICS); // worked 27000
    clock.set(s3.Start + 2400); // 2400 s late: Delayed
    await act('scteams.shiftStart', s3, METRICS);
    await act('scteams.markShiftAbsent', s4, METRICS);
    await act('scteams.markOnLeave', s5, METRICS);
    clock.set(s3.Start + 2400 + 3600); // s3 has worked 3600 so far
    expect(s0.Status).toBe('PUBLISHED');

    expect(
      refusal(
        await call('scteams.getShiftMetricsForID', { EndTime: 1639095200, StartTime: 1648095200 }, METRICS),
      ),
    ).toBe('WRONG_PARAMETERS EndTime: must not be before StartTime');
    const metrics = await call(
      'scteams.getShiftMetricsForID',
      { StartTime: 1639095200, EndTime: 1648095200 },
      METRICS,
      asRead,
    );
    expect(data(metrics)).toEqual({
      StartTime: 1639095200,
      EndTime: 1648095200,
      ID: 'bm',
      Total: 7,
      ByStatus: { UNPUBLISHED: 1, PUBLISHED: 1, STARTED: 1, COMPLETED: 2, ABSENT: 1, ON_LEAVE: 1 },
      Scheduled: 5,
      PlannedSeconds: 7200 + 28800 + 14400 + 28800 + 7200,
      WorkedSeconds: 6300 + 27000 + 3600,
      Delayed: 1,
      ClockedIn: 3,
      Late: 2,
      AverageLatenessSeconds: 1500,
      MaxLatenessSeconds: 2400,
      Absent: 1,
      OnLeave: 1,
      CompletionRate: 0.4,
      AttendanceRate: 0.75,
    });
    expect(
      data(
        await call('scteams.getShiftMetricsForID', { starttime: 1639095200, ENDTIME: 1639095200 }, METRICS),
      ),
    ).toMatchObject({ Total: 1, ByStatus: { COMPLETED: 1 }, WorkedSeconds: 6300 });
    expect(
      data(await call('scteams.getShiftMetricsForID', { StartTime: 1, EndTime: 2 }, METRICS)),
    ).toMatchObject({
      Total: 0,
      Scheduled: 0,
      WorkedSeconds: 0,
      AverageLatenessSeconds: null,
      MaxLatenessSeconds: null,
      CompletionRate: null,
      AttendanceRate: null,
    });

    const lateness = await call(
      'scteams.getShiftLatenessMetricsForBuilding',
      { StartTime: 1639095200, EndTime: 1648095200 },
      METRICS,
    );
    const line = (id: string, n: Partial<Record<string, number | null>>) => ({
      SeatId: seat(id),
      Scheduled: 1,
      ClockedIn: 0,
      OnTime: 0,
      Late: 0,
      Delayed: 0,
      Absent: 0,
      TotalLatenessSeconds: 0,
      AverageLatenessSeconds: null,
      MaxLatenessSeconds: null,
      ...n,
    });
    expect(data(lateness)).toEqual({
      StartTime: 1639095200,
      EndTime: 1648095200,
      ID: 'bm',
      Scheduled: 5,
      ClockedIn: 3,
      OnTime: 1,
      Late: 2,
      Delayed: 1,
      Absent: 1,
      TotalLatenessSeconds: 3000,
      AverageLatenessSeconds: 1500,
      MaxLatenessSeconds: 2400,
      BySeat: [
        line('023', {
          ClockedIn: 1,
          Late: 1,
          Delayed: 1,
          TotalLatenessSeconds: 2400,
          AverageLatenessSeconds: 2400,
          MaxLatenessSeconds: 2400,
        }),
        line('021', {
          ClockedIn: 1,
          Late: 1,
          TotalLatenessSeconds: 600,
          AverageLatenessSeconds: 600,
          MaxLatenessSeconds: 600,
        }),
        line('022', { ClockedIn: 1, OnTime: 1 }),
        line('024', { Absent: 1 }),
        line('025', {}),
      ],
    });

    // A seat's metrics (documented body, reversed, then in order): its shifts in the building only.
    clock.set(1637000000);
    const mine = await plan('SONY_001', 1637100000, 1637107200, SONY);
    await plan('SONY_002', 1637100000, 1637107200, SONY);
    clock.set(mine.Start + 60);
    await act('scteams.shiftStart', mine, SONY);
    clock.set(mine.End);
    await act('scteams.shiftEnd', mine, SONY);
    const documented = { SeatId: 'SONY_001', EndTime: 1637095200, StartTime: 1638095200 };
    expect(refusal(await call('scteams.getShiftMetricsForSeatID', documented, SONY))).toBe(
      'WRONG_PARAMETERS EndTime: must not be before StartTime',
    );
    expect(
      data(
        await call(
          'scteams.getShiftMetricsForSeatID',
          { SeatId: 'SONY_001', EndTime: 1638095200, StartTime: 1637095200 },
          SONY,
        ),
      ),
    ).toEqual({
      StartTime: 1637095200,
      EndTime: 1638095200,
      ID: 'sony1',
      SeatId: 'SONY_001',
      Total: 1,
      ByStatus: { UNPUBLISHED: 0, PUBLISHED: 0, STARTED: 0, COMPLETED: 1, ABSENT: 0, ON_LEAVE: 0 },
      Scheduled: 1,
      PlannedSeconds: 7200,
      WorkedSeconds: 7140,
      Delayed: 0,
      ClockedIn: 1,
      Late: 1,
      AverageLatenessSeconds: 60,
      MaxLatenessSeconds: 60,
      Absent: 0,
      OnLeave: 0,
      CompletionRate: 1,
      AttendanceRate: 1,
    });
    const refusals = await Promise.all([
      call(
        'scteams.getShiftMetricsForSeatID',
        { SeatId: 'SONY_001', StartTime: 0, EndTime: 366 * 86400 + 1 },
        SONY,
      ),
      call('scteams.getShiftMetricsForSeatID', { SeatId: 'SONY_001', StartTime: 0, EndTime: 1 }, METRICS),
      call('scteams.getShiftMetricsForSeatID', { StartTime: 0, EndTime: 1 }, SONY),
      call('scteams.getShiftMetricsForID', { StartTime: 0 }, SONY),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'WRONG_PARAMETERS EndTime: the range spans at most 366 days',
      'NOT_FOUND seat SONY_001 not found',
      'MISSING_PARAMETERS SeatId: is required',
      'MISSING_PARAMETERS EndTime: is required',
    ]);
  });

  it('refuses to delete a seat with live shifts (published, started, unpublished and not over), naming them; deletes it once they are not', async () => {
    clock.set(1700000000);
    const now = 1700000000;
    const s = seat('030');
    const pastDraft = await plan(s, now - 36000, now - 28800, B1, false);
    const started = data(await call('scteams.createAdhocShift', { SeatId: s })) as unknown as Shift;
    await noTimers();
    const published = await plan(s, now + 30000, now + 33600);
    const draft = await plan(s, now + 40000, now + 43600, B1, false);
    const remove = () =>
      harness.commands
        .request(SEAT_COMMANDS.delete, { org: 'ACME', propId: PROP, seatId: s, by: 'admin' })
        .then(
          (reply) => ({ ok: true as const, reply }),
          (error: { code: string; message: string }) => ({
            ok: false as const,
            code: error.code,
            message: error.message,
          }),
        );

    const before = { ...(await written()), deleted: await harness.count('deleted_seats') };
    expect(await remove()).toEqual({
      ok: false,
      code: 'CONFLICT',
      message:
        `seat ${s} has 3 live shift(s) (published, started, or unpublished and not over): ` +
        `${started.ShiftId}, ${published.ShiftId}, ${draft.ShiftId}; delete them or mark them on leave first`,
    });
    expect({ ...(await written()), deleted: await harness.count('deleted_seats') }).toEqual(before);

    await act('scteams.shiftEnd', started);
    await act('scteams.markOnLeave', published);
    expect(await remove()).toMatchObject({
      ok: false,
      message: `seat ${s} has 1 live shift(s) (published, started, or unpublished and not over): ${draft.ShiftId}; delete them or mark them on leave first`,
    });
    await act('scteams.deleteShift', draft);
    expect(await remove()).toEqual({ ok: true, reply: { seatId: s } });
    const { rows } = await harness.sql.query(
      `select (select count(*)::int from workforce.seats where seat_id = $1) as seats,
              (select count(*)::int from workforce.deleted_seats where seat_id = $1) as deleted,
              (select count(*)::int from workforce.shifts where seat_id = $1) as shifts`,
      [s],
    );
    // The past (a draft already over, the completed and the on-leave shifts) stays with the seat's id.
    expect(rows[0]).toEqual({ seats: 0, deleted: 1, shifts: 3 });
    expect(pastDraft.Status).toBe('UNPUBLISHED');
  });
});
