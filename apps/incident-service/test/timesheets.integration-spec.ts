import { Client } from 'pg';
import type { ActionBuildingV1, ActionCommandV1 } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The timesheet ops on a real NATS and PostgreSQL, with the documented request bodies of the Matrix
 * documentation (Appendix A; only the ShiftIds the service generated, the seats and — where the documented
 * ones lie decades before the shift — the times are put in place of the documented ones), as the gateway
 * forwards them. Shifts are worked through the shift ops on a test clock (standing still unless moved).
 */

const PROP = '3b749a681d14446292b6c79b48403bbd';
const building = (pid: string, propId = PROP, org = 'ACME'): ActionBuildingV1 => ({
  pid,
  org,
  propId,
  name: pid,
  timeZone: 'Asia/Singapore',
});
const B1 = building('b1');
const SONY = building('SONY');
const OTHER_TENANT = building('b9', 'otherprop', 'OTHER');
const ZONES = {
  zoneid1: { name: 'Lobby', categoryId: null },
  zoneID1: { name: 'Registry name 1', categoryId: null },
  zoneID2: { name: 'Registry name 2', categoryId: 'PANTRY' },
};
const SEAT = `${PROP}_007`;
const OTHER_SEAT = `${PROP}_008`;
const PAGED_SEAT = `${PROP}_009`;

type Timesheet = Record<string, any>;

describe('incident-service: the timesheet ops', () => {
  const clock = new TestClock();
  const harness = new WorkforceHarness('timesheets', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });

  beforeAll(async () => {
    await harness.start();
    for (const [seat, prop] of [
      [SEAT, PROP],
      [OTHER_SEAT, PROP],
      [PAGED_SEAT, PROP],
      ['otherprop_001', 'otherprop'],
    ] as const) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, $2, $3, 'kg', 'HOUSEKEEPING')`,
        [seat, prop === PROP ? 'ACME' : 'OTHER', prop],
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
      workforceCommand(op, args, ZONES, { org: b.org, pid: b.pid, propid: b.propId, building: b, ...extra }),
    );
  const data = (answer: Answer) => dataOf(answer) as Timesheet;
  const list = (answer: Answer) => dataOf(answer) as unknown as Timesheet[];
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  const now = () => Math.floor(clock.now().getTime() / 1000);
  const asRead = { caller: { accessKey: 'AK2', org: 'ACME', property: null, role: 'read' as const } };
  const asWrite = { caller: { accessKey: 'AK3', org: 'ACME', property: null, role: 'write' as const } };
  const stored = async () =>
    (
      await harness.sql.query(
        `select shift_id::text, status, a_start::int, a_end::int, breaks, edited, approved_by from workforce.timesheets order by shift_id`,
      )
    ).rows;
  const writes = async () => ({ timesheets: await stored(), outbox: await harness.count('outbox') });

  /** A shift of `seat` planned a day from now for 3 hours, created PUBLISHED (so no two tests' times meet). */
  const plan = async (seat = SEAT, b: ActionBuildingV1 = B1) => {
    const start = now() + 86_400;
    const [shift] = dataOf(
      await call(
        'scteams.createShift',
        {
          SeatId: seat,
          Schedule: [{ shift: { Start: start, End: start + 3 * 3600, Zones: { zoneid1: 'Lobby' } } }],
          Publish: true,
        },
        b,
      ),
    ) as unknown as { ShiftId: string; Start: number; End: number }[];
    return shift!;
  };

  /**
   * A shift worked: clocked in a minute after its Start (with coordinates), a break of 30 minutes an hour
   * later, clocked out a minute after its End. The clock ends there.
   */
  const worked = async (seat = SEAT, b: ActionBuildingV1 = B1) => {
    const shift = await plan(seat, b);
    const body = (extra: Record<string, unknown> = {}) => ({
      Shift: { SeatId: seat, ShiftId: shift.ShiftId, ...extra },
    });
    clock.advance(shift.Start + 60 - now());
    dataOf(
      await call(
        'scteams.shiftStart',
        body({ Coordinates: { ClockIn: { Latitude: 1.3, Longitude: 103.8 } } }),
        b,
      ),
    );
    const aStart = now();
    clock.advance(3600);
    dataOf(await call('scteams.startBreak', body({ Breaks: [{ Type: 'meal', Notes: 'lunch' }] }), b));
    const breakStart = now();
    clock.advance(1800);
    dataOf(await call('scteams.endBreak', body({ Breaks: [{ ID: '0001' }] }), b));
    clock.advance(shift.End + 60 - now());
    dataOf(await call('scteams.shiftEnd', body(), b));
    return { ...shift, AStart: aStart, AEnd: now(), Break: { Start: breakStart, End: breakStart + 1800 } };
  };

  const sheet = (shift: { ShiftId: string }, extra: Record<string, unknown> = {}, seat = SEAT) => ({
    TimeSheet: { SeatId: seat, ShiftId: shift.ShiftId, ...extra },
  });

  it('shows a completed shift as a PENDING timesheet of its clocked times, in the documented shape', async () => {
    const shift = await worked();
    const [timesheet] = list(
      await call('scteams.listTimesheets', { StartTime: shift.Start, EndTime: shift.End }),
    ).filter((t) => t['ShiftId'] === shift.ShiftId);
    expect(timesheet).toEqual({
      ID: 'b1',
      ATTR: `attr#b1#${SEAT}#${shift.ShiftId}#TIMESHEET`,
      RequestType: 'TIMESHEET',
      ShiftId: shift.ShiftId,
      SeatId: SEAT,
      Org: 'ACME',
      PropID: PROP,
      Status: 'PENDING',
      ShiftStatus: 'COMPLETED',
      Start: shift.Start,
      End: shift.End,
      TimeZone: 'Asia/Singapore',
      LocalTime: expect.stringMatching(/^[0-9]{14}$/),
      AStart: shift.AStart,
      AEnd: shift.AEnd,
      Breaks: [{ ID: '0001', Start: shift.Break.Start, End: shift.Break.End, Notes: 'lunch', Type: 'meal' }],
      ActualDurationInSeconds: shift.AEnd - shift.AStart - 1800,
      Clocked: {
        AStart: shift.AStart,
        AEnd: shift.AEnd,
        ActualDurationInSeconds: shift.AEnd - shift.AStart - 1800,
      },
      Coordinates: {
        ClockIn: { Latitude: 1.3, Longitude: 103.8 },
        ClockOut: { Latitude: -1, Longitude: -1 },
      },
      Zones: { zoneid1: 'Lobby' },
      ReasonForRegularization: '',
      Reason: '',
      Comments: '',
      Edited: false,
      RequestedBy: null,
      RequestedOn: null,
      ApprovedBy: null,
      ApprovedOn: null,
      RejectedBy: null,
      RejectedOn: null,
      EditedBy: null,
      EditedOn: null,
      ModifiedBy: null,
      ModifiedOn: null,
    });
    // Nothing is stored for it until someone changes it.
    expect((await stored()).some((r) => r.shift_id === shift.ShiftId)).toBe(false);
  });

  it('takes a request with the documented body (times in place of the example ones), REQUESTED, the shift kept as clocked', async () => {
    const shift = await worked();
    const before = await writes();
    // The documented body as it is (AStart = AEnd = 12345678): refused naming the field, nothing written.
    const documented = {
      TimeSheet: { SeatId: '', ShiftId: shift.ShiftId, AEnd: 12345678, AStart: 12345678 },
    };
    expect(refusal(await call('scteams.requestTimeSheet', documented, B1, asWrite))).toBe(
      'WRONG_PARAMETERS TimeSheet.AEnd: must be after TimeSheet.AStart (12345678)',
    );
    // Times decades before the shift: they must overlap its plan.
    expect(
      refusal(
        await call(
          'scteams.requestTimeSheet',
          { TimeSheet: { ...documented.TimeSheet, AEnd: 12349999 } },
          B1,
          asWrite,
        ),
      ),
    ).toBe(
      `WRONG_PARAMETERS TimeSheet.AStart: TimeSheet.AStart–TimeSheet.AEnd (12345678–12349999) must overlap the shift's planned window ${shift.Start}–${shift.End}`,
    );
    expect(await writes()).toEqual(before);

    const answer = await call(
      'scteams.requestTimeSheet',
      { TimeSheet: { SeatId: '', ShiftId: shift.ShiftId, AEnd: shift.End, AStart: shift.Start } },
      B1,
      asWrite,
    );
    expect(answer.ok && answer.reply.message).toBe(`Timesheet of shift ${shift.ShiftId} requested`);
    expect(data(answer)).toMatchObject({
      Status: 'REQUESTED',
      AStart: shift.Start,
      AEnd: shift.End,
      // The breaks taken are kept.
      Breaks: [{ ID: '0001', Start: shift.Break.Start, End: shift.Break.End }],
      ActualDurationInSeconds: 3 * 3600 - 1800,
      Clocked: { AStart: shift.AStart, AEnd: shift.AEnd },
      RequestedBy: SEAT,
      RequestedOn: now(),
      ModifiedBy: 'AK3',
      Edited: false,
    });
    const { rows } = await harness.sql.query(
      `select a_start::int, a_end::int, status from workforce.shifts where shift_id = $1`,
      [shift.ShiftId],
    );
    expect(rows[0]).toEqual({ a_start: shift.AStart, a_end: shift.AEnd, status: 'COMPLETED' });
    // No event: none is documented for timesheets.
    expect(await harness.count('outbox')).toBe(before.outbox);
  });

  it('takes a regularization with the documented body: reason, breaks, zones from the registry', async () => {
    const shift = await worked();
    clock.advance(3600);
    const documented = {
      TimeSheet: {
        SeatId: 'ORG1_SEAT_0002',
        ShiftId: shift.ShiftId,
        ReasonForRegularization: 'Forgot to punch out',
        Breaks: [
          { End: 1605149600, Notes: 'Afternoon lunch break.', Start: 1605149200, Type: 'meal', ID: '0001' },
        ],
      },
      Zones: { zoneID1: 'ZoneName1', zoneID2: 'ZoneName2' },
    };
    // The documented seat is not this shift's.
    expect(refusal(await call('scteams.requestRegularization', documented))).toBe(
      `NOT_FOUND timesheet of shift ${shift.ShiftId} of seat ORG1_SEAT_0002 not found`,
    );
    const own = { ...documented, TimeSheet: { ...documented.TimeSheet, SeatId: SEAT } };
    // Its break (2020) lies outside the timesheet.
    expect(refusal(await call('scteams.requestRegularization', own))).toBe(
      `WRONG_PARAMETERS TimeSheet.Breaks[0]: must lie within TimeSheet.AStart–TimeSheet.AEnd (${shift.AStart}–${shift.AEnd})`,
    );
    const breakStart = shift.Start + 7200;
    const answer = await call('scteams.requestRegularization', {
      ...own,
      TimeSheet: {
        ...own.TimeSheet,
        AStart: shift.Start,
        AEnd: shift.End + 1800,
        Breaks: [{ ...own.TimeSheet.Breaks[0], Start: breakStart, End: breakStart + 400 }],
      },
    });
    expect(data(answer)).toMatchObject({
      Status: 'REGULARIZATION_REQUESTED',
      ReasonForRegularization: 'Forgot to punch out',
      AStart: shift.Start,
      AEnd: shift.End + 1800,
      Breaks: [
        {
          ID: '0001',
          Start: breakStart,
          End: breakStart + 400,
          Notes: 'Afternoon lunch break.',
          Type: 'meal',
        },
      ],
      ActualDurationInSeconds: 3 * 3600 + 1800 - 400,
      Zones: { zoneID1: 'Registry name 1', zoneID2: 'Registry name 2' },
      RequestedBy: SEAT,
    });
    // A zone the gateway did not resolve (not of the building) is 404.
    expect(
      refusal(
        await call('scteams.requestRegularization', {
          ...own,
          TimeSheet: { ...own.TimeSheet, Breaks: [] },
          Zones: { elsewhere: 'x' },
        }),
      ),
    ).toBe('NOT_FOUND zone elsewhere not found');
    // Without a reason a regularization is refused.
    expect(
      refusal(
        await call('scteams.requestRegularization', {
          TimeSheet: { SeatId: SEAT, ShiftId: shift.ShiftId, Breaks: [] },
        }),
      ),
    ).toBe('MISSING_PARAMETERS TimeSheet.ReasonForRegularization: is required');
  });

  it('edits with the documented body (admin): Edited, status kept, breaks checked', async () => {
    const shift = await worked();
    dataOf(
      await call('scteams.requestTimeSheet', sheet(shift, { AStart: shift.AStart, AEnd: shift.AEnd - 60 })),
    );
    const before = await writes();
    const documented = (b: { Start: number; End: number }[]) => ({
      TimeSheet: {
        SeatId: SEAT,
        ShiftId: shift.ShiftId,
        AStart: shift.Start,
        AEnd: shift.End,
        Breaks: b.map((x) => ({ End: x.End, Notes: 'Afternoon lunch break.', Start: x.Start, Type: 'meal' })),
      },
    });
    for (const [breaks, expected] of [
      [
        [{ Start: shift.Start + 600, End: shift.Start + 600 }],
        'WRONG_PARAMETERS TimeSheet.Breaks[0].End: must be after its Start',
      ],
      [
        [
          { Start: shift.Start + 600, End: shift.Start + 1200 },
          { Start: shift.Start + 900, End: shift.Start + 1500 },
        ],
        'WRONG_PARAMETERS TimeSheet.Breaks[1]: overlaps TimeSheet.Breaks[0]: breaks do not overlap',
      ],
      [
        [{ Start: shift.Start - 60, End: shift.Start + 600 }],
        `WRONG_PARAMETERS TimeSheet.Breaks[0]: must lie within TimeSheet.AStart–TimeSheet.AEnd (${shift.Start}–${shift.End})`,
      ],
    ] as const) {
      expect(refusal(await call('scteams.editTimeSheet', documented([...breaks])))).toBe(expected);
    }
    expect(
      refusal(await call('scteams.editTimeSheet', { TimeSheet: { SeatId: SEAT, ShiftId: shift.ShiftId } })),
    ).toBe('WRONG_PARAMETERS TimeSheet: names nothing to change (AStart and AEnd, Breaks, Zones)');
    expect(
      refusal(
        await call('scteams.editTimeSheet', {
          TimeSheet: { SeatId: SEAT, ShiftId: shift.ShiftId, AStart: shift.Start },
        }),
      ),
    ).toBe('MISSING_PARAMETERS TimeSheet.AEnd: is required');
    expect(refusal(await call('scteams.editTimeSheet', documented([]), B1, asWrite))).toBe(
      'IMPLICIT_DENY scteams.editTimeSheet needs a credential with admin access',
    );
    expect(await writes()).toEqual(before);

    const answer = await call(
      'scteams.editTimeSheet',
      documented([{ Start: shift.Start + 3600, End: shift.Start + 5400 }]),
    );
    expect(data(answer)).toMatchObject({
      Status: 'REQUESTED',
      Edited: true,
      EditedBy: 'AK1',
      EditedOn: now(),
      AStart: shift.Start,
      AEnd: shift.End,
      Breaks: [{ ID: '0001', Start: shift.Start + 3600, End: shift.Start + 5400, Type: 'meal' }],
      ActualDurationInSeconds: 3 * 3600 - 1800,
      RequestedBy: SEAT,
    });
  });

  it('approves with the documented body, once: the approved times are the timesheet, the shift keeps its clocked ones', async () => {
    const shift = await worked();
    dataOf(await call('scteams.requestTimeSheet', sheet(shift, { AStart: shift.Start, AEnd: shift.End })));
    const documented = { TimeSheet: { SeatId: 'ORG1_SEAT_0001', ShiftId: shift.ShiftId } };
    expect(refusal(await call('scteams.approveRequest', documented))).toBe(
      `NOT_FOUND timesheet of shift ${shift.ShiftId} of seat ORG1_SEAT_0001 not found`,
    );
    expect(refusal(await call('scteams.approveRequest', sheet(shift), B1, asWrite))).toBe(
      'IMPLICIT_DENY scteams.approveRequest needs a credential with admin access',
    );
    const answer = await call('scteams.approveRequest', sheet(shift));
    expect(answer.ok && answer.reply.message).toBe(`Timesheet of shift ${shift.ShiftId} approved`);
    expect(data(answer)).toMatchObject({
      Status: 'APPROVED',
      ApprovedBy: 'AK1',
      ApprovedOn: now(),
      AStart: shift.Start,
      AEnd: shift.End,
      Clocked: { AStart: shift.AStart, AEnd: shift.AEnd },
    });
    const before = await writes();
    const label = `INVALID_TRANSITION timesheet of shift ${shift.ShiftId} of seat ${SEAT}`;
    expect(refusal(await call('scteams.approveRequest', sheet(shift)))).toBe(
      `${label}: a timesheet is approved only once`,
    );
    expect(refusal(await call('scteams.rejectTimesheet', sheet(shift, { Reason: 'late' })))).toBe(
      `${label}: an APPROVED timesheet is final: it cannot be rejected`,
    );
    expect(
      refusal(
        await call('scteams.editTimeSheet', sheet(shift, { AStart: shift.Start, AEnd: shift.End - 1 })),
      ),
    ).toBe(`${label}: an APPROVED timesheet is final: it is not edited`);
    expect(
      refusal(
        await call('scteams.requestTimeSheet', sheet(shift, { AStart: shift.Start, AEnd: shift.End - 1 })),
      ),
    ).toBe(`${label}: an APPROVED timesheet is final: it is not requested again`);
    expect(await writes()).toEqual(before);
    const { rows } = await harness.sql.query(
      `select a_start::int, a_end::int from workforce.shifts where shift_id = $1`,
      [shift.ShiftId],
    );
    expect(rows[0]).toEqual({ a_start: shift.AStart, a_end: shift.AEnd });
  });

  it('waits for a concurrent change of the same timesheet and decides on its outcome', async () => {
    const shift = await worked();
    // Another writer approves it in a transaction still open, holding the timesheet's lock (the per-shift
    // advisory lock every timesheet write takes first).
    const other = new Client({ connectionString: harness.db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`select pg_advisory_xact_lock(hashtextextended('workforce.timesheet:' || $1, 0))`, [
        shift.ShiftId,
      ]);
      await other.query(
        `insert into workforce.timesheets (shift_id, status, a_start, a_end, approved_by, approved_on, modified_by, modified_on)
         values ($1, 'APPROVED', $2, $3, 'other', $4, 'other', $4)`,
        [shift.ShiftId, shift.AStart, shift.AEnd, now()],
      );
      const pending = call('scteams.approveRequest', sheet(shift));
      await expectEventually(async () => {
        const { rows } = await harness.sql.query(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`,
        );
        expect(rows[0].n).toBe(1);
      });
      await other.query('commit');
      expect(refusal(await pending)).toBe(
        `INVALID_TRANSITION timesheet of shift ${shift.ShiftId} of seat ${SEAT}: a timesheet is approved only once`,
      );
    } finally {
      await other.end();
    }
    expect((await stored()).find((r) => r.shift_id === shift.ShiftId)).toMatchObject({
      approved_by: 'other',
    });
  });

  it('rejects with the documented body and a reason; a rejected timesheet is approved only after a new request', async () => {
    const shift = await worked();
    const documented = { TimeSheet: { SeatId: '', ShiftId: shift.ShiftId, Reason: 'Check the time' } };
    expect(refusal(await call('scteams.rejectTimesheet', { TimeSheet: { ShiftId: shift.ShiftId } }))).toBe(
      'MISSING_PARAMETERS TimeSheet.Reason: is required',
    );
    const rejected = data(await call('scteams.rejectTimesheet', documented));
    expect(rejected).toMatchObject({
      Status: 'REJECTED',
      Reason: 'Check the time',
      RejectedBy: 'AK1',
      RejectedOn: now(),
    });
    const label = `INVALID_TRANSITION timesheet of shift ${shift.ShiftId} of seat ${SEAT}`;
    expect(refusal(await call('scteams.approveRequest', sheet(shift)))).toBe(
      `${label}: a REJECTED timesheet is approved only after it is requested again or edited`,
    );
    expect(refusal(await call('scteams.rejectTimesheet', documented))).toBe(
      `${label}: a timesheet is rejected only once`,
    );
    expect(
      data(
        await call(
          'scteams.requestTimeSheet',
          sheet(shift, { AStart: shift.AStart, AEnd: shift.AEnd - 600 }),
        ),
      )['Status'],
    ).toBe('REQUESTED');
    expect(data(await call('scteams.approveRequest', sheet(shift)))).toMatchObject({
      Status: 'APPROVED',
      // The last rejection stays on record.
      Reason: 'Check the time',
      AEnd: shift.AEnd - 600,
    });
    // An admin's edit of a rejected timesheet makes it PENDING again.
    const other = await worked();
    dataOf(await call('scteams.rejectTimesheet', sheet(other, { Reason: 'no' })));
    expect(
      data(
        await call('scteams.editTimeSheet', sheet(other, { AStart: other.AStart, AEnd: other.AEnd - 60 })),
      ),
    ).toMatchObject({ Status: 'PENDING', Edited: true });
  });

  it('refuses a timesheet of a shift not completed, of another tenant, and any change from a read credential', async () => {
    const planned = await plan();
    const before = await stored();
    const label = `INVALID_TRANSITION timesheet of shift ${planned.ShiftId} of seat ${SEAT}`;
    const times = { AStart: planned.Start, AEnd: planned.Start + 60 };
    expect(refusal(await call('scteams.requestTimeSheet', sheet(planned, times)))).toBe(
      `${label}: a timesheet is for a COMPLETED shift: this shift is PUBLISHED`,
    );
    clock.advance(planned.Start - now());
    dataOf(await call('scteams.shiftStart', { Shift: { SeatId: SEAT, ShiftId: planned.ShiftId } }));
    clock.advance(120);
    expect(refusal(await call('scteams.approveRequest', sheet(planned)))).toBe(
      `${label}: a timesheet is for a COMPLETED shift: this shift is STARTED and not ended yet`,
    );
    expect(refusal(await call('scteams.requestTimeSheet', sheet(planned, times)))).toBe(
      `${label}: a timesheet is for a COMPLETED shift: this shift is STARTED and not ended yet`,
    );
    clock.advance(planned.End - now());
    dataOf(await call('scteams.shiftEnd', { Shift: { SeatId: SEAT, ShiftId: planned.ShiftId } }));
    expect(
      refusal(
        await call('scteams.requestTimeSheet', sheet(planned, { AStart: planned.Start, AEnd: now() + 60 })),
      ),
    ).toBe(
      `WRONG_PARAMETERS TimeSheet.AEnd: must not be in the future (now ${now()}): a timesheet records work done`,
    );
    // Another tenant's building does not have it; another building of the property neither.
    expect(refusal(await call('scteams.approveRequest', sheet(planned), OTHER_TENANT))).toBe(
      `NOT_FOUND timesheet of shift ${planned.ShiftId} of seat ${SEAT} not found`,
    );
    expect(refusal(await call('scteams.approveRequest', sheet(planned), SONY))).toBe(
      `NOT_FOUND timesheet of shift ${planned.ShiftId} of seat ${SEAT} not found`,
    );
    expect(
      list(
        await call(
          'scteams.listTimesheets',
          { StartTime: planned.Start, EndTime: planned.End },
          OTHER_TENANT,
        ),
      ),
    ).toEqual([]);
    expect(
      list(
        await call(
          'scteams.getTimeSheetForSeatIdInTRange',
          { SeatId: SEAT, StartTime: planned.Start, EndTime: planned.End },
          OTHER_TENANT,
        ),
      ),
    ).toEqual([]);
    expect(refusal(await call('scteams.requestTimeSheet', sheet(planned, times), B1, asRead))).toBe(
      'IMPLICIT_DENY scteams.requestTimeSheet needs a credential with write access',
    );
    expect(refusal(await call('scteams.approveRequest', { TimeSheet: { ShiftId: 'not-a-uuid' } }))).toBe(
      'WRONG_PARAMETERS TimeSheet.ShiftId: must be a shift id (a UUID)',
    );
    expect(refusal(await call('scteams.approveRequest', {}))).toBe(
      'MISSING_PARAMETERS TimeSheet: is required',
    );
    expect(await stored()).toEqual(before);
  });

  it('regularizes an ABSENT shift only with its times (the seat forgot to clock in), then approves it; the shift stays ABSENT', async () => {
    const shift = await plan();
    dataOf(await call('scteams.markShiftAbsent', { Shift: { SeatId: SEAT, ShiftId: shift.ShiftId } }));
    clock.advance(shift.End + 60 - now());
    const label = `INVALID_TRANSITION timesheet of shift ${shift.ShiftId} of seat ${SEAT}`;
    const reason = { ReasonForRegularization: 'Forgot to punch in' };
    expect(refusal(await call('scteams.requestRegularization', sheet(shift, reason)))).toBe(
      `${label}: an ABSENT shift was not clocked: its timesheet needs TimeSheet.AStart and TimeSheet.AEnd`,
    );
    expect(refusal(await call('scteams.approveRequest', sheet(shift)))).toBe(
      `${label}: an ABSENT shift was not clocked: it has a timesheet to approve or reject only once the seat requests one with its times`,
    );
    expect(
      list(
        await call('scteams.getTimeSheetInTRangeByStartDate', {
          StartTime: shift.Start,
          EndTime: shift.Start,
        }),
      ),
    ).toEqual([]);
    expect(
      data(
        await call(
          'scteams.requestRegularization',
          sheet(shift, { ...reason, AStart: shift.Start, AEnd: shift.End }),
        ),
      ),
    ).toMatchObject({
      Status: 'REGULARIZATION_REQUESTED',
      ShiftStatus: 'ABSENT',
      Clocked: { AStart: 0, AEnd: 0, ActualDurationInSeconds: 0 },
      ActualDurationInSeconds: 3 * 3600,
    });
    expect(
      list(
        await call('scteams.getTimeSheetInTRangeByStartDate', {
          StartTime: shift.Start,
          EndTime: shift.Start,
        }),
      ).map((t) => t['ShiftId']),
    ).toEqual([shift.ShiftId]);
    expect(data(await call('scteams.approveRequest', sheet(shift)))['Status']).toBe('APPROVED');
    const { rows } = await harness.sql.query(`select status from workforce.shifts where shift_id = $1`, [
      shift.ShiftId,
    ]);
    expect(rows[0]).toEqual({ status: 'ABSENT' });
  });

  it('approves many of a seat in the building per item (documented body): refused items are listed and keep their state', async () => {
    const first = await worked();
    const second = await worked();
    const approved = await worked();
    const others = await worked(OTHER_SEAT);
    dataOf(await call('scteams.approveRequest', sheet(approved)));
    const documented = {
      ApprovedBy: 'SC_MANGER_TEST',
      ShiftIds: ['shift2222222', 'shift234rfdsdefdesdf'],
      SeatId: SEAT,
    };
    expect(refusal(await call('scteams.approveMultipleTimesheetRequests', documented))).toBe(
      'WRONG_PARAMETERS ShiftIds[0]: must be a shift id (a UUID)',
    );
    expect(
      refusal(
        await call('scteams.approveMultipleTimesheetRequests', {
          ...documented,
          ShiftIds: [first.ShiftId, first.ShiftId],
        }),
      ),
    ).toBe(`WRONG_PARAMETERS ShiftIds[1]: ${first.ShiftId} is named twice`);
    expect(
      refusal(await call('scteams.approveMultipleTimesheetRequests', { ApprovedBy: 'x', SeatId: SEAT })),
    ).toBe('MISSING_PARAMETERS ShiftIds: is required');
    const before = await stored();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const answer = await call('scteams.approveMultipleTimesheetRequests', {
      ...documented,
      ShiftIds: [first.ShiftId, approved.ShiftId, others.ShiftId, unknown, second.ShiftId],
    });
    expect(answer.ok && answer.reply.message).toBe('2 timesheet(s) approved, 3 refused');
    const result = data(answer);
    expect(result['ApprovedCount']).toBe(2);
    expect(result['Approved']).toEqual(
      [first, second].map((s) => ({
        ID: 'b1',
        SeatId: SEAT,
        ShiftId: s.ShiftId,
        RequestType: 'TIMESHEET',
        Status: 'APPROVED',
        AStart: s.AStart,
        AEnd: s.AEnd,
        Comments: '',
        ApprovedBy: 'SC_MANGER_TEST',
        ApprovedOn: now(),
      })),
    );
    expect(result['Refused']).toEqual([
      {
        ID: 'b1',
        SeatId: SEAT,
        ShiftId: approved.ShiftId,
        Code: 'INVALID_TRANSITION',
        Reason: `timesheet of shift ${approved.ShiftId} of seat ${SEAT}: a timesheet is approved only once`,
      },
      {
        ID: 'b1',
        SeatId: SEAT,
        ShiftId: others.ShiftId,
        Code: 'NOT_FOUND',
        Reason: `timesheet of shift ${others.ShiftId} of seat ${SEAT} not found`,
      },
      {
        ID: 'b1',
        SeatId: SEAT,
        ShiftId: unknown,
        Code: 'NOT_FOUND',
        Reason: `timesheet of shift ${unknown} of seat ${SEAT} not found`,
      },
    ]);
    const after = await stored();
    // The refused ones are as they were (the approved one unchanged, the other seat's still not stored).
    expect(after.filter((r) => r.shift_id !== first.ShiftId && r.shift_id !== second.ShiftId)).toEqual(
      before,
    );
    expect(after.filter((r) => r.shift_id === first.ShiftId || r.shift_id === second.ShiftId)).toHaveLength(
      2,
    );
  });

  it('approves many across the property (documented body; ID the building), also with pid=scnoop', async () => {
    const inSony = await worked(SEAT, SONY);
    const inB1 = await worked(SEAT, B1);
    const documented = {
      ApprovedBy: 'KG12',
      TimeSheets: [
        { ID: 'SONY', SeatId: SEAT, ShiftId: inSony.ShiftId, Comments: 'approving with comments new new' },
        // Named with the wrong building: refused alone.
        { ID: 'SONY', SeatId: SEAT, ShiftId: inB1.ShiftId },
      ],
    };
    const answer = data(
      await call('scteams.approveMultipleTimeSheetsForProperty', documented, B1, {
        pid: 'scnoop',
        building: undefined,
        property: { org: 'ACME', propId: PROP },
      }),
    );
    expect(answer['Approved']).toEqual([
      expect.objectContaining({
        ID: 'SONY',
        ShiftId: inSony.ShiftId,
        Comments: 'approving with comments new new',
        ApprovedBy: 'KG12',
      }),
    ]);
    expect(answer['Refused']).toEqual([
      expect.objectContaining({ ID: 'SONY', ShiftId: inB1.ShiftId, Code: 'NOT_FOUND' }),
    ]);
    // Without ID any building of the property; another tenant's property has none of them.
    const without = { TimeSheets: [{ SeatId: SEAT, ShiftId: inB1.ShiftId }] };
    expect(
      data(await call('scteams.approveMultipleTimeSheetsForProperty', without, OTHER_TENANT))['Refused'],
    ).toEqual([expect.objectContaining({ Code: 'NOT_FOUND' })]);
    expect(data(await call('scteams.approveMultipleTimeSheetsForProperty', without))['Approved']).toEqual([
      expect.objectContaining({ ID: 'b1', ShiftId: inB1.ShiftId, ApprovedBy: 'AK1' }),
    ]);
  });

  it('lists by actual window and by planned start (documented bodies, the reversed ranges refused), of a seat in every building', async () => {
    const shift = await worked();
    const inSony = await worked(SEAT, SONY);
    // Moved an hour earlier than planned by an edit: the actual window now starts before the plan.
    dataOf(
      await call(
        'scteams.editTimeSheet',
        sheet(shift, { AStart: shift.Start - 3600, AEnd: shift.Start + 600, Breaks: [] }),
      ),
    );
    const ids = (answer: Answer) => list(answer).map((t) => t['ShiftId']);
    // The documented bodies all have EndTime before StartTime.
    const reversed = 'WRONG_PARAMETERS EndTime: must not be before StartTime';
    for (const [op, body, expected] of [
      ['scteams.listTimesheets', { StartTime: 666666666, EndTime: 0 }, reversed],
      ['scteams.getTimeSheetInTRangeByStartDate', { StartTime: 1234566600, EndTime: 1225148200 }, reversed],
      [
        'scteams.getTimeSheetForSeatIdInTRange',
        { SeatId: '', EndTime: 1610678921, StartTime: 1641821321 },
        'WRONG_PARAMETERS SeatId: must not be empty',
      ],
      [
        'scteams.getTimeSheetForSeatIdInTRangeByStartDate',
        { SeatId: 'SONY_001', StartTime: 1665148200, EndTime: 1645148200 },
        reversed,
      ],
    ] as const) {
      expect(refusal(await call(op, body))).toBe(expected);
    }
    // The same bodies the right way round are served.
    expect(refusal(await call('scteams.listTimesheets', { StartTime: 0, EndTime: 666666666 }))).toBe('ok');
    expect(
      list(
        await call('scteams.getTimeSheetForSeatIdInTRangeByStartDate', {
          SeatId: 'SONY_001',
          StartTime: 1645148200,
          EndTime: 1665148200,
        }),
      ),
    ).toEqual([]);
    const before = { StartTime: shift.Start - 3000, EndTime: shift.Start - 1 };
    expect(ids(await call('scteams.listTimesheets', before))).toEqual([shift.ShiftId]);
    expect(ids(await call('scteams.getTimeSheetInTRangeByStartDate', before))).toEqual([]);
    const atStart = { StartTime: shift.Start, EndTime: shift.Start };
    expect(ids(await call('scteams.getTimeSheetInTRangeByStartDate', atStart))).toEqual([shift.ShiftId]);
    // After its edited end: not in the window lists any more, although its plan and clocked times are.
    const later = { StartTime: shift.Start + 3600, EndTime: shift.End };
    expect(ids(await call('scteams.listTimesheets', later))).toEqual([]);
    // A seat's: every building of the property, case-tolerant keys.
    const span = { seatid: SEAT, starttime: shift.Start - 3600, endtime: inSony.End };
    expect(ids(await call('scteams.getTimeSheetForSeatIdInTRange', span))).toEqual([
      shift.ShiftId,
      inSony.ShiftId,
    ]);
    expect(
      ids(
        await call('scteams.getTimeSheetForSeatIdInTRangeByStartDate', {
          ...span,
          StartTime: shift.Start + 1,
        }),
      ),
    ).toEqual([inSony.ShiftId]);
    expect(ids(await call('scteams.getTimeSheetForSeatIdInTRange', { ...span, SeatId: OTHER_SEAT }))).toEqual(
      [],
    );
    // Status (an extension) narrows, any letter case.
    const wide = { StartTime: shift.Start - 3600, EndTime: inSony.End };
    expect(ids(await call('scteams.listTimesheets', { ...wide, Status: 'pending' }))).toEqual([
      shift.ShiftId,
    ]);
    expect(refusal(await call('scteams.listTimesheets', { ...wide, Status: 'DONE' }))).toBe(
      'WRONG_PARAMETERS Status: must be one of PENDING, REQUESTED, REGULARIZATION_REQUESTED, APPROVED, REJECTED',
    );
    expect(
      refusal(await call('scteams.getTimeSheetForSeatIdInTRange', { ...wide, SeatId: SEAT }, B1, asRead)),
    ).toBe('ok');
  });

  it("pages a list of 501 timesheets with LastEvaluatedKey in the shift lists' form", async () => {
    const from = now() - 1000 * 86400;
    await harness.sql.query(
      `insert into workforce.shifts (shift_id, org_id, prop_id, pid, seat_id, time_zone, start_at, end_at, a_start, a_end,
                                     status, created_by, modified_by)
       select gen_random_uuid(), 'ACME', $1, 'b3', $2, 'Asia/Singapore', $3::bigint + i * 7200, $3::bigint + i * 7200 + 3600,
              $3::bigint + i * 7200, $3::bigint + i * 7200 + 3600, 'COMPLETED', 'test', 'test'
       from generate_series(0, 500) as i`,
      [PROP, PAGED_SEAT, from],
    );
    const body = { StartTime: from, EndTime: from + 501 * 7200 };
    const b3 = building('b3');
    const first = await call('scteams.listTimesheets', body, b3);
    expect(list(first)).toHaveLength(500);
    const key = first.ok ? (first.reply.extra?.['LastEvaluatedKey'] as string) : undefined;
    expect(JSON.parse(Buffer.from(key!, 'base64').toString('utf8'))).toEqual({
      Start: { n: String(from + 499 * 7200) },
      ID: { s: 'b3' },
      ATTR: { s: `attr#b3#${PAGED_SEAT}#${list(first)[499]!['ShiftId']}` },
    });
    const second = await call('scteams.listTimesheets', { ...body, LastEvaluatedKey: key }, b3);
    expect(list(second).map((t) => t['Start'])).toEqual([from + 500 * 7200]);
    expect(second.ok && second.reply.extra).toBeUndefined();
    expect(refusal(await call('scteams.listTimesheets', { ...body, LastEvaluatedKey: 'nope' }, b3))).toBe(
      'WRONG_PARAMETERS LastEvaluatedKey: is not a key this API returned',
    );
  });
});
