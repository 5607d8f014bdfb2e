import type { ActionBuildingV1, ActionCommandV1 } from '@matrix/contracts';
import { ShiftSweeper } from '../src/shift-timer/shift-sweeper';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';
import { TestClock } from './test-clock';

/*
 * The workforce settings ops (the Matrix documentation, §4.4 "Settings and shift hours", §7.4 "Settings" and
 * "Shift hours", Appendix A) on a real NATS and PostgreSQL, with the documented request bodies verbatim and a
 * test clock the spec moves for the shift timer. Every test works in buildings of its own.
 */

const DOCUMENTED = {
  addNewSystemSettings: {
    ScheduleSettings: { ScheduleSettings: { END_SHIFT_OVERSHOOT: {} } },
    IncidentSettings: { IncidentSettings: { '': {} } },
  },
  getSystemScheduleSettings: { ScheduleSettings: { ScheduleSettings: { END_SHIFT_OVERSHOOT: {} } } },
  updateSettings: {
    ScheduleSettings: {
      ScheduleSettings: {
        DEFAULT_SHIFT_DURATION: {
          Description: 'The default time to use for clocking out unscheduled shifts.',
          LongValue: 28800,
          Type: 'Long',
        },
      },
    },
  },
  updateShiftHoursForProperty: {
    ShiftHours: [
      { ShiftName: 'Morning Shift', ColorCode: '#fff123', Start: 123456, End: 234567 },
      { ShiftName: 'evening Shift', ColorCode: '#fff123', Start: 234567, End: 334567 },
    ],
  },
};

/** The documented schedule defaults (§7.4 "Settings"; DEFAULT_SHIFT_DURATION from Appendix A). */
const SCHEDULE_DEFAULTS = {
  ABSENT_SHIFT_THRESHOLD: 3600,
  ALLOW_EARLY_CHECKOUT: true,
  AUTO_CLOCKOUT: true,
  BUILDING_AVAILBILITY: 0,
  DEFAULT_SHIFT_DURATION: 28800,
  DELAYED_SHIFT_THRESHOLD: 1800,
  DISTANCE_THRESHOLD_CHECKIN: 1000,
  END_SHIFT_OVERSHOOT: 4200,
  TIME_FOR_UNSCHEDULED_SHIFT: 28800,
};

const ZONES = { zone99: { name: 'Washroom 99', categoryId: null } };
const SEATS = ['p1_001', 'p1_002', 'p1_003', 'p1_004', 'p1_005', 'p1_006'];
/** A seat of the other tenant's property. */
const OTHER_SEAT = 'p9_001';
const WRITER: Partial<ActionCommandV1> = {
  caller: { accessKey: 'AK2', org: 'ACME', property: 'p1', role: 'write' },
};

type Settings = Record<string, { Type: string; LongValue?: number; BooleanValue?: boolean }>;

/** `{KEY: value}` of settings in the documented shape. */
const valuesOf = (settings: Settings) =>
  Object.fromEntries(
    Object.entries(settings).map(([key, s]) => [key, s.Type === 'Long' ? s.LongValue : s.BooleanValue]),
  );

describe('incident-service: workforce settings and shift hours', () => {
  const clock = new TestClock();
  // The sweepers' own loop is slow here: the spec sweeps itself (`sweepOnce`).
  const harness = new WorkforceHarness('settings', { clock, env: { ESCALATION_SWEEP_MS: '60000' } });
  let buildings = 0;
  let seat = 0;

  beforeAll(async () => {
    await harness.start();
    for (const [id, org, prop] of [
      ...SEATS.map((id) => [id, 'ACME', 'p1']),
      [OTHER_SEAT, 'OTHER', 'p9'],
    ] as const) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, $2, $3, 'kg', 'HK')`,
        [id, org, prop],
      );
    }
  }, 60_000);
  afterAll(() => harness.stop());

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);

  /** A fresh building (of property p1 of ACME unless named), and calls in it. */
  function building(org = 'ACME', propId = 'p1') {
    const pid = `bset${++buildings}`;
    const b: ActionBuildingV1 = { pid, org, propId, name: pid, timeZone: 'UTC' };
    const extra: Partial<ActionCommandV1> = { pid, org, propid: propId, building: b };
    const call = (op: string, args: Record<string, unknown>, more: Partial<ActionCommandV1> = {}) =>
      harness.call(workforceCommand(op, args, ZONES, { ...extra, ...more }));
    const schedule = async () =>
      valuesOf(dataOf(await call('scteams.getSettings', {}))['ScheduleSettings'] as Settings);
    /** A PUBLISHED shift of a seat of its own, starting `startIn` seconds from now, 2 hours long. */
    const publishedShift = async (startIn: number, seatId = SEATS[seat++]!) => {
      const start = now() + startIn;
      const [shift] = dataOf(
        await call('scteams.createShift', {
          SeatId: seatId,
          Schedule: [
            {
              shift: { Start: start, End: start + 7200, Zones: { zone99: 'Washroom 99' } },
              taskGroup: [
                {
                  Name: 'Clean',
                  Start: start,
                  End: start + 3600,
                  Zone: 'zone99',
                  Tasks: [{ Name: 'Floor' }],
                },
              ],
            },
          ],
          Publish: true,
        }),
      ) as { ShiftId: string; SeatId: string; Start: number; End: number; TaskGroups: string[] }[];
      return shift!;
    };
    return { pid, call, schedule, publishedShift };
  }

  const rows = async (table: string, pid: string) =>
    (await harness.sql.query(`select * from workforce.${table} where pid = $1 order by key`, [pid])).rows;
  const timer = async (shiftId: string) =>
    (
      await harness.sql.query(
        `select status, delayed, timer_kind, extract(epoch from timer_at)::bigint::int as timer_at
         from workforce.shifts where shift_id = $1`,
        [shiftId],
      )
    ).rows[0];
  const incompleteAt = async (taskId: string) =>
    (
      await harness.sql.query(
        `select extract(epoch from incomplete_at)::bigint::int as at from workforce.task_groups where task_id = $1`,
        [taskId],
      )
    ).rows[0].at;
  const outboxed = async (shiftId: string, eventId: string) =>
    (
      await harness.sql.query(
        `select (payload->>'UnixTimeInt')::int as at from workforce.outbox
         where payload->'Meta'->>'ShiftId' = $1 and payload->>'Event' = $2`,
        [shiftId, eventId],
      )
    ).rows.map((r: { at: number }) => r.at);
  const sweep = async () => {
    let fired = 0;
    for (let n = await harness.app.get(ShiftSweeper).sweepOnce(); n > 0;) {
      fired += n;
      n = await harness.app.get(ShiftSweeper).sweepOnce();
    }
    return fired;
  };

  it('answers the documented schedule defaults, sets a building’s own values from the documented body, and answers the system defaults', async () => {
    const b = building();
    const defaults = dataOf(await b.call('scteams.getSettings', {}))['ScheduleSettings'] as Settings;
    expect(valuesOf(defaults)).toEqual(SCHEDULE_DEFAULTS);
    expect(defaults['DELAYED_SHIFT_THRESHOLD']).toEqual({
      Type: 'Long',
      LongValue: 1800,
      Unit: 'seconds',
      Description: 'A published shift not started this long after its start is marked delayed.',
    });

    const updated = await b.call('scteams.updateSettings', DOCUMENTED.updateSettings);
    expect(updated.ok && updated.reply.message).toBe('Schedule settings updated');
    const duration = dataOf(updated)['ScheduleSettings']['DEFAULT_SHIFT_DURATION'] as Record<string, number>;
    expect(duration).toMatchObject({ Type: 'Long', LongValue: 28800 });
    expect(Math.abs(duration['LastModifiedOn']! - Date.now() / 1000)).toBeLessThan(60);
    expect(dataOf(updated)['RescheduledShifts']).toBe(0);
    // Keys in any letter case; several at once.
    dataOf(
      await b.call('scteams.updateSettings', {
        schedulesettings: {
          SCHEDULESETTINGS: {
            END_SHIFT_OVERSHOOT: { longvalue: 600, type: 'Long' },
            ALLOW_EARLY_CHECKOUT: { BooleanValue: false },
          },
        },
      }),
    );
    expect(await b.schedule()).toEqual({
      ...SCHEDULE_DEFAULTS,
      END_SHIFT_OVERSHOOT: 600,
      ALLOW_EARLY_CHECKOUT: false,
    });
    expect((await rows('schedule_settings', b.pid)).map((r) => [r.key, r.modified_by])).toEqual([
      ['ALLOW_EARLY_CHECKOUT', 'AK1'],
      ['DEFAULT_SHIFT_DURATION', 'AK1'],
      ['END_SHIFT_OVERSHOOT', 'AK1'],
    ]);

    // The system defaults: all with the null body, or those named (the documented body); with pid=scnoop too.
    const { building: _none, ...scnoop } = workforceCommand(
      'scteams.getSystemScheduleSettings',
      DOCUMENTED.getSystemScheduleSettings,
      {},
      { pid: 'scnoop', property: { org: 'ACME', propId: 'p1' } },
    );
    expect(dataOf(await harness.call(scnoop))).toEqual({
      ScheduleSettings: {
        END_SHIFT_OVERSHOOT: {
          Type: 'Long',
          LongValue: 4200,
          Unit: 'seconds',
          Description: 'How long after its planned end a shift may stay open.',
        },
      },
    });
    expect(
      valuesOf(dataOf(await b.call('scteams.getSystemScheduleSettings', {}))['ScheduleSettings'] as Settings),
    ).toEqual(SCHEDULE_DEFAULTS);

    // Another building, of this tenant or another, has its own settings (the defaults).
    expect(await building().schedule()).toEqual(SCHEDULE_DEFAULTS);
    expect(await building('OTHER', 'p9').schedule()).toEqual(SCHEDULE_DEFAULTS);
  });

  it('refuses a malformed schedule-settings change naming the field, writing nothing', async () => {
    const b = building();
    const body = (settings: Record<string, unknown>) => ({
      ScheduleSettings: { ScheduleSettings: settings },
    });
    const refusals = await Promise.all([
      b.call(
        'scteams.updateSettings',
        body({ AUTO_CLOCKOUT: { BooleanValue: false }, NO_SUCH: { LongValue: 1 } }),
      ),
      b.call('scteams.updateSettings', body({ DELAYED_SHIFT_THRESHOLD: { LongValue: -5 } })),
      b.call('scteams.updateSettings', body({ DELAYED_SHIFT_THRESHOLD: { LongValue: 700_000 } })),
      b.call('scteams.updateSettings', body({ TIME_FOR_UNSCHEDULED_SHIFT: { LongValue: 0 } })),
      b.call('scteams.updateSettings', body({ END_SHIFT_OVERSHOOT: { LongValue: 5, Type: 'Boolean' } })),
      b.call('scteams.updateSettings', body({ AUTO_CLOCKOUT: { BooleanValue: 'no' } })),
      b.call('scteams.updateSettings', body({ AUTO_CLOCKOUT: 'off' })),
      b.call('scteams.updateSettings', { ScheduleSettings: { AUTO_CLOCKOUT: { BooleanValue: false } } }),
      b.call('scteams.updateSettings', {}),
      b.call('scteams.updateSettings', DOCUMENTED.updateSettings, WRITER),
      b.call('scteams.getSystemScheduleSettings', body({ NO_SUCH: {} })),
      b.call('scteams.getSettings', {}, { pid: 'scnoop', building: undefined }),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.NO_SUCH: is not a schedule setting',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.DELAYED_SHIFT_THRESHOLD.LongValue: must be a whole number from 0 to 604800',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.DELAYED_SHIFT_THRESHOLD.LongValue: must be a whole number from 0 to 604800',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.TIME_FOR_UNSCHEDULED_SHIFT.LongValue: must be a whole number from 1 to 86400',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.END_SHIFT_OVERSHOOT.Type: must be Long',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.AUTO_CLOCKOUT.BooleanValue: must be true or false',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.AUTO_CLOCKOUT: must be an object',
      'MISSING_PARAMETERS ScheduleSettings.ScheduleSettings: is required',
      'MISSING_PARAMETERS ScheduleSettings: is required',
      'IMPLICIT_DENY scteams.updateSettings needs a credential with admin access',
      'NOT_FOUND schedule setting NO_SUCH not found',
      'MISSING_PARAMETERS scteams.getSettings needs the building id in pid',
    ]);
    expect(await rows('schedule_settings', b.pid)).toEqual([]);
    expect(await b.schedule()).toEqual(SCHEDULE_DEFAULTS);
  });

  it('moves the building’s planned SHIFT_DELAYED and SHIFT_ABSENT with its thresholds, in the change’s transaction, not another building’s', async () => {
    const b = building();
    const other = building('OTHER', 'p9');
    const shift = await b.publishedShift(600);
    const elsewhere = await other.publishedShift(600, OTHER_SEAT);
    expect(await timer(shift.ShiftId)).toEqual({
      status: 'PUBLISHED',
      delayed: false,
      timer_kind: 'delayed',
      timer_at: shift.Start + 1800,
    });

    const changed = dataOf(
      await b.call('scteams.updateSettings', {
        ScheduleSettings: { ScheduleSettings: { DELAYED_SHIFT_THRESHOLD: { LongValue: 600, Type: 'Long' } } },
      }),
    );
    expect(changed['RescheduledShifts']).toBe(1);
    expect(await timer(shift.ShiftId)).toMatchObject({ timer_kind: 'delayed', timer_at: shift.Start + 600 });
    expect(await timer(elsewhere.ShiftId)).toMatchObject({
      timer_kind: 'delayed',
      timer_at: elsewhere.Start + 1800,
    });

    clock.advance(600 + 599);
    expect(await sweep()).toBe(0);
    clock.advance(1);
    await sweep();
    expect(await outboxed(shift.ShiftId, 'SHIFT_DELAYED')).toEqual([shift.Start + 600]);
    expect(await outboxed(elsewhere.ShiftId, 'SHIFT_DELAYED')).toEqual([]);
    expect(await timer(shift.ShiftId)).toEqual({
      status: 'PUBLISHED',
      delayed: true,
      timer_kind: 'absent',
      timer_at: shift.Start + 3600,
    });

    // addNewSystemSettings with a value: the building's own ABSENT_SHIFT_THRESHOLD moves the absence too.
    const added = dataOf(
      await b.call('scteams.addNewSystemSettings', {
        ScheduleSettings: { ScheduleSettings: { ABSENT_SHIFT_THRESHOLD: { LongValue: 1200 } } },
      }),
    );
    expect(added).toMatchObject({
      Added: { ScheduleSettings: ['ABSENT_SHIFT_THRESHOLD'], IncidentSettings: [] },
      RescheduledShifts: 1,
    });
    expect(await timer(shift.ShiftId)).toMatchObject({ timer_kind: 'absent', timer_at: shift.Start + 1200 });
    clock.advance(1200 - 600 - 1);
    expect(await sweep()).toBe(0);
    clock.advance(1);
    await sweep();
    expect(await outboxed(shift.ShiftId, 'SHIFT_ABSENT')).toEqual([shift.Start + 1200]);
    expect(await timer(shift.ShiftId)).toMatchObject({ status: 'ABSENT', timer_kind: null });
    // The other tenant's shift still waits for the defaults.
    expect(await timer(elsewhere.ShiftId)).toMatchObject({
      status: 'PUBLISHED',
      delayed: false,
      timer_at: elsewhere.Start + 1800,
    });
  });

  it('follows the building’s END_SHIFT_OVERSHOOT, AUTO_CLOCKOUT and TIME_FOR_UNSCHEDULED_SHIFT', async () => {
    const b = building();
    const shift = await b.publishedShift(60);
    const [taskId] = shift.TaskGroups;
    expect(await incompleteAt(taskId!)).toBe(shift.Start + 3600 + 4200);
    clock.advance(60);
    dataOf(await b.call('scteams.shiftStart', { Shift: { SeatId: shift.SeatId, ShiftId: shift.ShiftId } }));
    expect(await timer(shift.ShiftId)).toMatchObject({
      timer_kind: 'auto-clockout',
      timer_at: shift.End + 4200,
    });

    const set = (settings: Record<string, unknown>) =>
      b.call('scteams.updateSettings', { ScheduleSettings: { ScheduleSettings: settings } });
    expect(dataOf(await set({ END_SHIFT_OVERSHOOT: { LongValue: 300 } }))['RescheduledShifts']).toBe(1);
    expect(await timer(shift.ShiftId)).toMatchObject({
      timer_kind: 'auto-clockout',
      timer_at: shift.End + 300,
    });
    // The open task group's TASK_INCOMPLETE deadline follows, and so does a task group written later.
    expect(await incompleteAt(taskId!)).toBe(shift.Start + 3600 + 300);
    const later = await b.publishedShift(86_400);
    expect(await incompleteAt(later.TaskGroups[0]!)).toBe(later.Start + 3600 + 300);

    expect(dataOf(await set({ AUTO_CLOCKOUT: { BooleanValue: false } }))['RescheduledShifts']).toBe(1);
    expect(await timer(shift.ShiftId)).toMatchObject({ status: 'STARTED', timer_kind: null, timer_at: null });
    // A change no timer depends on moves none.
    expect(dataOf(await set({ DISTANCE_THRESHOLD_CHECKIN: { LongValue: 50 } }))['RescheduledShifts']).toBe(0);

    dataOf(await set({ TIME_FOR_UNSCHEDULED_SHIFT: { LongValue: 3600 } }));
    const adhoc = dataOf(
      await b.call('scteams.createAdhocShift', {
        SeatId: SEATS[seat++],
        TimeZone: 'UTC',
        DaysOfWeek: [2],
        Zones: { zone99: 'Washroom 99' },
      }),
    );
    expect(adhoc['End'] - adhoc['Start']).toBe(3600);
  });

  it('answers the system settings a building has no value of, and adds them from the documented body', async () => {
    const b = building();
    const fresh = dataOf(await b.call('scteams.getNewSystemSettings', {}));
    expect(Object.keys(fresh['ScheduleSettings']['ScheduleSettings'])).toEqual(
      Object.keys(SCHEDULE_DEFAULTS),
    );
    expect(Object.keys(fresh['IncidentSettings']['IncidentSettings'])).toHaveLength(14);
    expect(fresh['ScheduleSettings']['ScheduleSettings']['END_SHIFT_OVERSHOOT']).toMatchObject({
      Type: 'Long',
      LongValue: 4200,
    });

    dataOf(
      await b.call('scteams.updateIncidentsSettings', {
        IncidentSettings: { IncidentSettings: { INCIDENT_LOW_TIMEOUT: { LongValue: 120 } } },
      }),
    );
    const added = await b.call('scteams.addNewSystemSettings', DOCUMENTED.addNewSystemSettings);
    expect(added.ok && added.reply.message).toBe('Added 1 system setting');
    const data = dataOf(added);
    expect(data['Added']).toEqual({ ScheduleSettings: ['END_SHIFT_OVERSHOOT'], IncidentSettings: [] });
    expect(data['ScheduleSettings']['ScheduleSettings']['END_SHIFT_OVERSHOOT']).toMatchObject({
      LongValue: 4200,
      LastModifiedOn: expect.any(Number),
    });
    expect(data['IncidentSettings']).toEqual({ IncidentSettings: {} });
    expect(data['RescheduledShifts']).toBe(0);

    const after = dataOf(await b.call('scteams.getNewSystemSettings', {}));
    expect(Object.keys(after['ScheduleSettings']['ScheduleSettings'])).not.toContain('END_SHIFT_OVERSHOOT');
    expect(Object.keys(after['ScheduleSettings']['ScheduleSettings'])).toHaveLength(8);
    expect(Object.keys(after['IncidentSettings']['IncidentSettings'])).not.toContain('INCIDENT_LOW_TIMEOUT');
    expect(Object.keys(after['IncidentSettings']['IncidentSettings'])).toHaveLength(13);

    // A key the building has keeps its value; a retried add adds nothing; keys in any letter case.
    const again = await b.call('scteams.addNewSystemSettings', {
      schedulesettings: { ScheduleSettings: { END_SHIFT_OVERSHOOT: { LongValue: 60 } } },
      incidentsettings: {
        incidentsettings: { INCIDENT_LOW_TIMEOUT: {}, AUTO_ASSIGN_INCIDENTS: { BooleanValue: false } },
      },
    });
    expect(again.ok && again.reply.message).toBe('Added 1 system setting');
    expect(dataOf(again)['Added']).toEqual({
      ScheduleSettings: [],
      IncidentSettings: ['AUTO_ASSIGN_INCIDENTS'],
    });
    expect(valuesOf(dataOf(again)['IncidentSettings']['IncidentSettings'])).toEqual({
      AUTO_ASSIGN_INCIDENTS: false,
      INCIDENT_LOW_TIMEOUT: 120,
    });
    expect((await b.schedule())['END_SHIFT_OVERSHOOT']).toBe(4200);
    const retried = await b.call('scteams.addNewSystemSettings', DOCUMENTED.addNewSystemSettings);
    expect(retried.ok && retried.reply.message).toBe('The building already has these settings');
    expect(dataOf(retried)['Added']).toEqual({ ScheduleSettings: [], IncidentSettings: [] });
  });

  it('refuses unknown or malformed system settings to add, naming them, writing nothing', async () => {
    const b = building();
    const refusals = await Promise.all([
      b.call('scteams.addNewSystemSettings', {
        ScheduleSettings: { ScheduleSettings: { END_SHIFT_OVERSHOOT: {}, NO_SUCH: {} } },
        IncidentSettings: { IncidentSettings: { ALLOW_DELETION_OPEN_INCIDENTS: {}, ALSO_NOT: {} } },
      }),
      b.call('scteams.addNewSystemSettings', {
        ScheduleSettings: { ScheduleSettings: { END_SHIFT_OVERSHOOT: {}, ALSO_NOT: {} } },
      }),
      b.call('scteams.addNewSystemSettings', {
        ScheduleSettings: { ScheduleSettings: { END_SHIFT_OVERSHOOT: {} } },
        IncidentSettings: { IncidentSettings: { AUTO_ASSIGN_INCIDENTS: { BooleanValue: 1 } } },
      }),
      b.call('scteams.addNewSystemSettings', {}),
      b.call('scteams.addNewSystemSettings', DOCUMENTED.addNewSystemSettings, WRITER),
      b.call('scteams.getNewSystemSettings', {}, { pid: 'scnoop', building: undefined }),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.NO_SUCH, IncidentSettings.IncidentSettings.ALSO_NOT: are not system settings; nothing was added',
      'WRONG_PARAMETERS ScheduleSettings.ScheduleSettings.ALSO_NOT: is not a system setting; nothing was added',
      'WRONG_PARAMETERS IncidentSettings.IncidentSettings.AUTO_ASSIGN_INCIDENTS.BooleanValue: must be true or false',
      'MISSING_PARAMETERS ScheduleSettings or IncidentSettings: is required',
      'IMPLICIT_DENY scteams.addNewSystemSettings needs a credential with admin access',
      'MISSING_PARAMETERS scteams.getNewSystemSettings needs the building id in pid',
    ]);
    expect(await rows('schedule_settings', b.pid)).toEqual([]);
    expect(await rows('incident_settings', b.pid)).toEqual([]);
  });

  it('creates, replaces, reads and deletes a property’s shift hours from the documented bodies, for every building of it', async () => {
    const b = building('ACME', 'p1');
    const sibling = building('ACME', 'p1');
    const elsewhere = building('OTHER', 'p9');
    const get = async (on = b) => dataOf(await on.call('scteams.getShiftHoursForProperty', {}));
    expect(await get()).toEqual({ ID: 'p1', ATTR: 'attr#shifthours#p1', PropID: 'p1', ShiftHours: [] });

    const created = await b.call(
      'scteams.updateShiftHoursForProperty',
      DOCUMENTED.updateShiftHoursForProperty,
    );
    expect(created.ok && created.reply.message).toBe('Shift hours created');
    expect(dataOf(created)).toMatchObject({
      ID: 'p1',
      ATTR: 'attr#shifthours#p1',
      PropID: 'p1',
      ShiftHours: [
        { ShiftName: 'Morning Shift', Start: 123456, End: 234567, NextDay: false, ColorCode: '#fff123' },
        { ShiftName: 'evening Shift', Start: 234567, End: 334567, NextDay: false, ColorCode: '#fff123' },
      ],
      CreatedBy: 'AK1',
      ModifiedBy: 'AK1',
    });
    expect(await get()).toEqual(dataOf(created));
    expect(await get(sibling)).toEqual(dataOf(created));
    const { building: _none, ...scnoop } = workforceCommand(
      'scteams.getShiftHoursForProperty',
      {},
      {},
      { pid: 'scnoop', property: { org: 'ACME', propId: 'p1' } },
    );
    expect(dataOf(await harness.call(scnoop))).toEqual(dataOf(created));
    expect((await get(elsewhere))['ShiftHours']).toEqual([]);

    // Replaced whole, keys in any letter case.
    const replaced = await sibling.call('scteams.updateShiftHoursForProperty', {
      shifthours: [{ shiftname: 'Night', START: 1_700_000_000, end: 1_700_030_000, nextday: true }],
    });
    expect(replaced.ok && replaced.reply.message).toBe('Shift hours updated');
    expect((await get())['ShiftHours']).toEqual([
      { ShiftName: 'Night', Start: 1_700_000_000, End: 1_700_030_000, NextDay: true },
    ]);

    const deleted = await b.call('scteams.deleteShiftHoursForProperty', {});
    expect(deleted.ok && deleted.reply.message).toBe('Shift hours deleted');
    expect(dataOf(deleted)).toEqual({ PropID: 'p1', Deleted: true });
    expect((await get())['ShiftHours']).toEqual([]);
    const retried = await b.call('scteams.deleteShiftHoursForProperty', {});
    expect(retried.ok && retried.reply.message).toBe('The property has no shift hours');
    expect(dataOf(retried)).toEqual({ PropID: 'p1', Deleted: false });
  });

  it('refuses malformed shift hours naming the field, and changes from a write credential, writing nothing', async () => {
    const b = building('ACME', 'p1');
    dataOf(await b.call('scteams.updateShiftHoursForProperty', DOCUMENTED.updateShiftHoursForProperty));
    const stored = async () =>
      (
        await harness.sql.query(
          `select shift_hours, modified_on from workforce.property_shift_hours where prop_id = 'p1'`,
        )
      ).rows;
    const before = await stored();
    const one = (hour: Record<string, unknown>) =>
      b.call('scteams.updateShiftHoursForProperty', { ShiftHours: [hour] });
    const refusals = await Promise.all([
      b.call('scteams.updateShiftHoursForProperty', {
        ShiftHours: [
          { ShiftName: 'Day', Start: 0, End: 10 },
          { ShiftName: 'DAY', Start: 20, End: 30 },
        ],
      }),
      one({ Start: 0, End: 10 }),
      one({ ShiftName: 'A', Start: '08:00', End: 10 }),
      one({ ShiftName: 'A', Start: 100, End: 100 }),
      one({ ShiftName: 'A', Start: 0, End: 172_801 }),
      one({ ShiftName: 'A', End: 10 }),
      one({ ShiftName: 'A', Start: 0, End: 10, NextDay: 'tomorrow' }),
      one({ ShiftName: 'A', Start: 0, End: 10, ColorCode: 7 }),
      b.call('scteams.updateShiftHoursForProperty', { ShiftHours: [] }),
      b.call('scteams.updateShiftHoursForProperty', { ShiftHours: { ShiftName: 'A' } }),
      b.call('scteams.updateShiftHoursForProperty', {}),
      b.call('scteams.updateShiftHoursForProperty', DOCUMENTED.updateShiftHoursForProperty, WRITER),
      b.call('scteams.deleteShiftHoursForProperty', {}, WRITER),
    ]);
    expect(refusals.map(refusal)).toEqual([
      'WRONG_PARAMETERS ShiftHours[1].ShiftName: names shift DAY twice',
      'MISSING_PARAMETERS ShiftHours[0].ShiftName: is required',
      'WRONG_PARAMETERS ShiftHours[0].Start: must be epoch seconds (a non-negative integer)',
      'WRONG_PARAMETERS ShiftHours[0].End: must be after Start',
      'WRONG_PARAMETERS ShiftHours[0].End: must be at most 172800 seconds after Start',
      'MISSING_PARAMETERS ShiftHours[0].Start: is required',
      'WRONG_PARAMETERS ShiftHours[0].NextDay: must be true or false',
      'WRONG_PARAMETERS ShiftHours[0].ColorCode: must be a string',
      'WRONG_PARAMETERS ShiftHours: must be a list of 1 to 20 shifts',
      'WRONG_PARAMETERS ShiftHours: must be a list of 1 to 20 shifts',
      'MISSING_PARAMETERS ShiftHours: is required',
      'IMPLICIT_DENY scteams.updateShiftHoursForProperty needs a credential with admin access',
      'IMPLICIT_DENY scteams.deleteShiftHoursForProperty needs a credential with admin access',
    ]);
    expect(await stored()).toEqual(before);
    // A read needs no more than a read credential.
    expect(
      dataOf(
        await b.call(
          'scteams.getShiftHoursForProperty',
          {},
          { caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'read' } },
        ),
      )['ShiftHours'],
    ).toHaveLength(2);
  });
});
