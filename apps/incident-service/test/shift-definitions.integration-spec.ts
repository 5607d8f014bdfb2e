import type { ActionCommandV1 } from '@matrix/contracts';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';

/*
 * The property shift-definition ops (the Matrix documentation, §4.4 "Shift", Appendix A) on a real NATS
 * and PostgreSQL, with the documented request bodies verbatim. The harness's building b1 is of property p1.
 */

const DOCUMENTED = {
  create: {
    PropertyShiftSetting: {
      ShiftSettings: [{ End: 61200, Start: 28800, Name: 'Morning Shift', ColorCode: 'somecode' }],
      DaysOfWeek: [1, 2, 3, 4],
    },
  },
  update: {
    PropertyShiftSetting: {
      ShiftSettings: [
        {
          End: 61200,
          Start: 68800,
          Name: 'evening Shift',
          ColorCode: '#ffffff',
          ExpectedPresentByTeam: { 'b633094b-8516-4283-b849-ccb9776ada88': 5 },
        },
        { End: 28800, Start: 0, Name: 'Night Shift', ExpectedPresent: 10, ColorCode: '#ffffff' },
      ],
      DayOfWeek: 1,
    },
  },
  delete: { DaysOfWeek: [1, 2, 3, 4] },
};

const MORNING = { Name: 'Morning Shift', Start: 28800, End: 61200, NextDay: false, ColorCode: 'somecode' };
const WRITER: Partial<ActionCommandV1> = {
  caller: { accessKey: 'AK2', org: 'ACME', property: 'p1', role: 'write' },
};

describe('incident-service: property shift definitions', () => {
  const harness = new WorkforceHarness('shift-definitions');

  beforeAll(() => harness.start(), 60_000);
  afterAll(() => harness.stop());
  beforeEach(() => harness.sql.query('delete from workforce.property_shift_definitions'));

  const call = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    harness.call(workforceCommand(`scteams.${op}ShiftDefinitionForProperty`, args, {}, extra));
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  const stored = async () =>
    (
      await harness.sql.query(
        'select prop_id, dow, shift_settings, modified_by, modified_on from workforce.property_shift_definitions order by 1, 2',
      )
    ).rows;
  const days = (answer: Answer) =>
    (dataOf(answer) as unknown as Record<string, unknown>[]).map((d) => d['DayOfWeek']);

  it('creates the definitions of the days named from the documented body (seconds of the day), retry-safe', async () => {
    const answer = await call('create', DOCUMENTED.create);
    expect(answer.ok && answer.reply.message).toBe('Shift definitions created');
    expect(days(answer)).toEqual([1, 2, 3, 4]);
    expect((dataOf(answer) as unknown as unknown[])[0]).toMatchObject({
      ID: 'p1',
      ATTR: 'attr#shiftdefinition#p1#1',
      PropID: 'p1',
      DayOfWeek: 1,
      ShiftSettings: [MORNING],
      CreatedBy: 'AK1',
    });
    const rows = await stored();
    expect(rows).toHaveLength(4);
    const again = await call('create', DOCUMENTED.create);
    expect(again.ok && again.reply.message).toBe('Shift definitions already created by an identical request');
    expect(await stored()).toEqual(rows);
    // Other definitions on a day that has some: refused whole (day 5 is not added either).
    expect(
      refusal(
        await call('create', {
          PropertyShiftSetting: {
            ShiftSettings: [{ Name: 'Late', Start: 50000, End: 80000 }],
            DaysOfWeek: [4, 5],
          },
        }),
      ),
    ).toBe(
      'ALREADY_EXISTS property p1 already has other shift definitions on day 4; change them with scteams.updateShiftDefinitionForProperty',
    );
    expect(await stored()).toEqual(rows);
    // The documented create's field list says DayOfWeek: taken too, on a day of its own.
    const single = await call('create', {
      PropertyShiftSetting: {
        ShiftSettings: DOCUMENTED.create.PropertyShiftSetting.ShiftSettings,
        DayOfWeek: 6,
      },
    });
    expect(days(single)).toEqual([6]);
    expect(harness.events).toEqual([]);
  });

  it('reads the property’s definitions with the null body, from any building of it or with pid=scnoop', async () => {
    expect(dataOf(await call('get', {}))).toEqual([]);
    dataOf(await call('create', DOCUMENTED.create));
    const all = await call('get', {});
    expect(days(all)).toEqual([1, 2, 3, 4]);
    const other = await call(
      'get',
      {},
      { pid: 'b2', building: { pid: 'b2', org: 'ACME', propId: 'p1', name: 'Annex', timeZone: 'UTC' } },
    );
    expect(dataOf(other)).toEqual(dataOf(all));
    const { building: _none, ...scnoop } = workforceCommand(
      'scteams.getShiftDefinitionForProperty',
      {},
      {},
      { pid: 'scnoop', property: { org: 'ACME', propId: 'p1' } },
    );
    expect(dataOf(await harness.call(scnoop))).toEqual(dataOf(all));
    // Another property's building sees none of them.
    const p2 = await call(
      'get',
      {},
      { pid: 'b9', building: { pid: 'b9', org: 'ACME', propId: 'p2', name: 'Elsewhere', timeZone: 'UTC' } },
    );
    expect(dataOf(p2)).toEqual([]);
  });

  it('updates the days named from the documented body (DayOfWeek; a shift crossing midnight), only days that have definitions', async () => {
    expect(refusal(await call('update', DOCUMENTED.update))).toBe(
      'NOT_FOUND property p1 has no shift definitions on day 1; create them with scteams.createShiftDefinitionForProperty',
    );
    expect(await stored()).toEqual([]);
    dataOf(await call('create', DOCUMENTED.create));
    const answer = await call('update', DOCUMENTED.update);
    expect(answer.ok && answer.reply.message).toBe('Shift definitions updated');
    expect(dataOf(answer)).toEqual([
      expect.objectContaining({
        DayOfWeek: 1,
        ShiftSettings: [
          {
            Name: 'evening Shift',
            Start: 68800,
            End: 61200,
            NextDay: true,
            ColorCode: '#ffffff',
            ExpectedPresentByTeam: { 'b633094b-8516-4283-b849-ccb9776ada88': 5 },
          },
          {
            Name: 'Night Shift',
            Start: 0,
            End: 28800,
            NextDay: false,
            ColorCode: '#ffffff',
            ExpectedPresent: 10,
          },
        ],
      }),
    ]);
    // DaysOfWeek on update is taken too; the other days keep theirs.
    const both = await call('update', {
      PropertyShiftSetting: {
        ShiftSettings: [{ Name: 'Early', Start: 21600, End: 50400 }],
        DaysOfWeek: [2, 3],
      },
    });
    expect(days(both)).toEqual([2, 3]);
    const all = dataOf(await call('get', {})) as unknown as {
      DayOfWeek: number;
      ShiftSettings: { Name: string }[];
    }[];
    expect(all.map((d) => [d.DayOfWeek, d.ShiftSettings.map((s) => s.Name)])).toEqual([
      [1, ['evening Shift', 'Night Shift']],
      [2, ['Early']],
      [3, ['Early']],
      [4, ['Morning Shift']],
    ]);
  });

  it('deletes the days named from the documented body; a retried delete finds nothing and is no error', async () => {
    dataOf(await call('create', DOCUMENTED.create));
    dataOf(
      await call('create', {
        PropertyShiftSetting: {
          ShiftSettings: DOCUMENTED.create.PropertyShiftSetting.ShiftSettings,
          DaysOfWeek: [0],
        },
      }),
    );
    const answer = await call('delete', DOCUMENTED.delete);
    expect(answer.ok && answer.reply.message).toBe('Shift definitions deleted for days 1, 2, 3, 4');
    expect(dataOf(answer)).toEqual({ PropID: 'p1', DaysOfWeek: [1, 2, 3, 4] });
    expect((await stored()).map((row) => row.dow)).toEqual([0]);
    expect(dataOf(await call('delete', DOCUMENTED.delete))).toEqual({ PropID: 'p1', DaysOfWeek: [] });
  });

  it('needs an admin credential for changes, and refuses malformed bodies naming the field, writing nothing', async () => {
    dataOf(await call('create', DOCUMENTED.create));
    const before = await stored();
    const setting = (over: Record<string, unknown>) => ({
      PropertyShiftSetting: { ShiftSettings: [{ Name: 'X', Start: 0, End: 3600, ...over }], DaysOfWeek: [5] },
    });
    const P = 'PropertyShiftSetting.ShiftSettings';
    const cases: [() => Promise<Answer>, string][] = [
      [
        () => call('create', DOCUMENTED.create, WRITER),
        'IMPLICIT_DENY scteams.createShiftDefinitionForProperty needs a credential with admin access',
      ],
      [
        () => call('update', DOCUMENTED.update, WRITER),
        'IMPLICIT_DENY scteams.updateShiftDefinitionForProperty needs a credential with admin access',
      ],
      [
        () => call('delete', DOCUMENTED.delete, WRITER),
        'IMPLICIT_DENY scteams.deleteShiftDefinitionForProperty needs a credential with admin access',
      ],
      [() => call('create', {}), 'MISSING_PARAMETERS PropertyShiftSetting: is required'],
      [
        () => call('create', { PropertyShiftSetting: { ShiftSettings: [{ Name: 'X', Start: 0, End: 1 }] } }),
        'MISSING_PARAMETERS PropertyShiftSetting.DaysOfWeek: is required',
      ],
      [
        () => call('create', { PropertyShiftSetting: { DaysOfWeek: [5] } }),
        `MISSING_PARAMETERS ${P}: is required`,
      ],
      [
        () => call('create', setting({ Start: '08:00' })),
        `WRONG_PARAMETERS ${P}[0].Start: must be seconds since midnight, 0 to 86399`,
      ],
      [
        () => call('create', setting({ End: 0, Start: 0 })),
        `WRONG_PARAMETERS ${P}[0].End: must differ from Start`,
      ],
      [
        () => call('create', setting({ ExpectedPresentByTeam: [5] })),
        `WRONG_PARAMETERS ${P}[0].ExpectedPresentByTeam: must map team ids to head counts`,
      ],
      [
        () =>
          call('update', {
            PropertyShiftSetting: { ...DOCUMENTED.update.PropertyShiftSetting, DaysOfWeek: [2] },
          }),
        'WRONG_PARAMETERS PropertyShiftSetting.DayOfWeek: names other days than DaysOfWeek',
      ],
      [() => call('delete', {}), 'MISSING_PARAMETERS DaysOfWeek: is required'],
      [
        () => call('delete', { DaysOfWeek: [1, 9] }),
        'WRONG_PARAMETERS DaysOfWeek[1]: must be a day of the week, 0 (Sunday) to 6 (Saturday)',
      ],
    ];
    for (const [answer, expected] of cases) expect(refusal(await answer())).toBe(expected);
    expect(await stored()).toEqual(before);
    // Reading needs any credential.
    expect(
      days(
        await call('get', {}, { caller: { accessKey: 'AK3', org: 'ACME', property: 'p1', role: 'read' } }),
      ),
    ).toEqual([1, 2, 3, 4]);
  });
});
