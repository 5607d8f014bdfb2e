import type { ActionCommandV1 } from '@matrix/contracts';
import { AvailabilityRepository } from '../src/availability/availability.repository';
import { dataOf, WorkforceHarness, workforceCommand, type Answer } from './workforce-harness';

/*
 * The availability ops (the Matrix documentation, §4.4 "Availability", Appendix A) and
 * `scteams.findAvailabilityForLeave` on a real NATS and PostgreSQL, with the documented request bodies
 * verbatim: the documented seat ids belong to property 3b749a681d14446292b6c79b48403bbd and the documented
 * zone maps to building SONY, so the spec works there.
 */

const PROP = '3b749a681d14446292b6c79b48403bbd';
const SEAT = `${PROP}_003`;
const ZONES_SEAT = `${PROP}_009`;
const SONY = { pid: 'SONY', org: 'ACME', propId: PROP, name: 'Sony', timeZone: 'Europe/Berlin' };
/** The zones of SONY the documented bodies name, as the gateway resolves them (names from the registry). */
const ZONES = {
  zoneid1: { name: 'Lobby', categoryId: null },
  zoneid2: { name: 'Pantry', categoryId: null },
  zoneid: { name: 'Roof', categoryId: null },
};
const SONY_CALL: Partial<ActionCommandV1> = {
  pid: 'SONY',
  propid: PROP,
  building: SONY,
  caller: { accessKey: 'AK1', org: 'ACME', property: PROP, role: 'admin' },
};

const DOCUMENTED = {
  createSeatAvailability: {
    Availability: {
      SeatId: '3b749a681d14446292b6c79b48403bbd_003',
      DaysOfWeek: [4, 5, 6],
      TimeSlots: [
        { StartTime: 16000, EndTime: 26000, Name: '' },
        { StartTime: 44000, EndTime: 33000, Name: 'evening shift' },
      ],
    },
  },
  updateSeatAvailability: {
    SeatId: '3b749a681d14446292b6c79b48403bbd_003',
    Availabilities: [
      {
        DayOfWeek: 0,
        TimeSlots: [
          { StartTime: 16000, EndTime: 26000, Name: 'morning shift' },
          { StartTime: 26000, EndTime: 33000, Name: 'evening shift' },
        ],
        Zones: { zoneid: 'zone-name' },
      },
      {
        DayOfWeek: 1,
        TimeSlots: [
          { StartTime: 16000, EndTime: 26000, Name: 'morning shift' },
          { StartTime: 26000, EndTime: 33000, Name: 'evening shift' },
        ],
      },
    ],
  },
  deleteSeatAvailability: {
    SeatId: '3b749a681d14446292b6c79b48403bbd_003',
    Availability: { DaysOfWeek: [4, 5, 6] },
  },
  getAvailabilityBySeatId: { SeatId: '3b749a681d14446292b6c79b48403bbd_003' },
  getAvailabilityInPropertyForDow: { DayOfWeek: 6 },
  createAvailabilityZones: {
    SeatAvailabilityZones: {
      SeatId: '3b749a681d14446292b6c79b48403bbd_009',
      Zones: { SONY: { zoneid1: 'zone1', zoneid2: 'zone2' } },
    },
  },
  updateAvailabilityZones: {
    SeatAvailabilityZones: {
      SeatId: '3b749a681d14446292b6c79b48403bbd_003',
      Zones: {
        SONY: { zoneid2: 'zone2', zoneid1: 'zone122' },
        'TEST-PID': { zoneid2: 'zone2', zoneid1: 'zone1' },
      },
    },
  },
  deleteAvailabilityZones: { SeatId: '3b749a681d14446292b6c79b48403bbd_003' },
  getAvailabilityZones: { SeatId: '3b749a681d14446292b6c79b48403bbd_003' },
  findAvailabilityForLeave: {
    StartTime: 1610821321,
    EndTime: 1650430261,
    SeatId: '3b749a681d14446292b6c79b48403bbd_003',
  },
};

const DOCUMENTED_SLOTS = [
  { StartTime: 16000, EndTime: 26000, Name: '', NextDay: false },
  { StartTime: 44000, EndTime: 33000, Name: 'evening shift', NextDay: true },
];

describe('incident-service: seat availability and availability zones', () => {
  const harness = new WorkforceHarness('availability');

  beforeAll(async () => {
    await harness.start();
    const seats: [string, string, string][] = [
      [SEAT, PROP, 'ACTIVE'],
      [ZONES_SEAT, PROP, 'ACTIVE'],
      [`${PROP}_010`, PROP, 'INACTIVE'],
      ['p2_001', 'p2', 'ACTIVE'],
    ];
    for (const [seat, prop, status] of seats) {
      await harness.sql.query(
        `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group, status)
         values ($1, 'ACME', $2, 'kg', 'HOUSEKEEPING', $3)`,
        [seat, prop, status],
      );
    }
  }, 60_000);
  afterAll(() => harness.stop());
  beforeEach(async () => {
    await harness.sql.query('delete from workforce.seat_availability');
    await harness.sql.query('delete from workforce.seat_availability_zones');
  });

  const call = (op: string, args: Record<string, unknown>, extra: Partial<ActionCommandV1> = {}) =>
    harness.call(workforceCommand(`scteams.${op}`, args, ZONES, { ...SONY_CALL, ...extra }));
  const refusal = (answer: Answer) => (answer.ok ? 'ok' : `${answer.code} ${answer.message}`);
  /** Every availability row, to show a refusal wrote nothing. */
  const stored = async () =>
    (
      await harness.sql.query(
        `select seat_id, dow, time_slots, zones, modified_on from workforce.seat_availability order by seat_id, dow`,
      )
    ).rows;
  const storedZones = async () =>
    (
      await harness.sql.query(
        `select seat_id, pid, zones, modified_on from workforce.seat_availability_zones order by 1, 2`,
      )
    ).rows;
  const create = (
    seatId = SEAT,
    days = [4, 5, 6],
    TimeSlots: unknown = DOCUMENTED.createSeatAvailability.Availability.TimeSlots,
  ) => call('createSeatAvailability', { Availability: { SeatId: seatId, DaysOfWeek: days, TimeSlots } });

  it('creates a seat’s availability from the documented body (seconds since midnight, the second slot ending the next day), retry-safe', async () => {
    const answer = await call('createSeatAvailability', DOCUMENTED.createSeatAvailability);
    expect(answer.ok && answer.reply.message).toBe('Availability created');
    const days = dataOf(answer) as unknown as Record<string, unknown>[];
    expect(days.map((d) => d['DayOfWeek'])).toEqual([4, 5, 6]);
    expect(days[0]).toMatchObject({
      ID: PROP,
      ATTR: `attr#availability#${SEAT}#4`,
      SeatId: SEAT,
      PropID: PROP,
      DayOfWeek: 4,
      TimeSlots: DOCUMENTED_SLOTS,
      CreatedBy: 'AK1',
    });
    expect(days[0]).not.toHaveProperty('Zones');
    const rows = await stored();
    expect(rows).toHaveLength(3);

    const again = await call('createSeatAvailability', DOCUMENTED.createSeatAvailability);
    expect(again.ok && again.reply.message).toBe('Availability already created by an identical request');
    expect(await stored()).toEqual(rows);

    // Other slots on a day that has availability: refused whole, nothing written (day 3 not added either).
    expect(refusal(await create(SEAT, [3, 4], [{ StartTime: 0, EndTime: 3600 }]))).toBe(
      `ALREADY_EXISTS seat ${SEAT} already has another availability on day 4; change it with scteams.updateSeatAvailability`,
    );
    expect(await stored()).toEqual(rows);
    // No events are documented for availability; none is published.
    expect(harness.events).toEqual([]);
  });

  it('reads a seat’s availability by SeatId (any letter case), a property’s (null body) and one day’s', async () => {
    dataOf(await call('createSeatAvailability', DOCUMENTED.createSeatAvailability));
    dataOf(await create(ZONES_SEAT, [6, 0], [{ StartTime: 79200, EndTime: 21600, Name: 'night' }]));
    // An inactive seat's plan is not the property's: written directly, as if made before it was deactivated.
    await harness.sql.query(
      `insert into workforce.seat_availability (seat_id, prop_id, dow, time_slots, created_by, modified_by)
       values ($1, $2, 6, '[{"StartTime":0,"EndTime":60,"Name":"","NextDay":false}]', 'x', 'x')`,
      [`${PROP}_010`, PROP],
    );

    const bySeat = dataOf(
      await call('getAvailabilityBySeatId', DOCUMENTED.getAvailabilityBySeatId),
    ) as unknown as {
      DayOfWeek: number;
      TimeSlots: unknown;
    }[];
    expect(bySeat.map((d) => d.DayOfWeek)).toEqual([4, 5, 6]);
    expect(bySeat[2]!.TimeSlots).toEqual(DOCUMENTED_SLOTS);
    const lower = dataOf(await call('getAvailabilityBySeatId', { seatID: SEAT })) as unknown as unknown[];
    expect(lower).toEqual(bySeat);

    // The SDKs send JSON null for an op without arguments; the gateway forwards it as no arguments.
    const property = dataOf(await call('getAvailabilityByProperty', {})) as unknown as Record<
      string,
      unknown
    >[];
    expect(property.map((d) => [d['SeatId'], d['DayOfWeek']])).toEqual([
      [SEAT, 4],
      [SEAT, 5],
      [SEAT, 6],
      [ZONES_SEAT, 0],
      [ZONES_SEAT, 6],
    ]);
    // With pid=scnoop the gateway sends the property instead of a building.
    const { building: _none, ...scnoop } = workforceCommand(
      'scteams.getAvailabilityByProperty',
      {},
      {},
      {
        ...SONY_CALL,
        pid: 'scnoop',
        property: { org: 'ACME', propId: PROP },
      },
    );
    expect(dataOf(await harness.call(scnoop))).toEqual(property);

    const saturday = dataOf(
      await call('getAvailabilityInPropertyForDow', DOCUMENTED.getAvailabilityInPropertyForDow),
    ) as unknown as Record<string, unknown>[];
    expect(saturday.map((d) => d['SeatId'])).toEqual([SEAT, ZONES_SEAT]);
    expect(refusal(await call('getAvailabilityInPropertyForDow', { DayOfWeek: 7 }))).toBe(
      'WRONG_PARAMETERS DayOfWeek: must be a day of the week, 0 (Sunday) to 6 (Saturday)',
    );
    expect(refusal(await call('getAvailabilityInPropertyForDow', {}))).toBe(
      'MISSING_PARAMETERS DayOfWeek: is required',
    );
  });

  it('updates the days named from the documented body (day zones from the registry), only days that have availability', async () => {
    const before = await stored();
    expect(refusal(await call('updateSeatAvailability', DOCUMENTED.updateSeatAvailability))).toBe(
      `NOT_FOUND seat ${SEAT} has no availability on days 0, 1; create it with scteams.createSeatAvailability`,
    );
    expect(await stored()).toEqual(before);

    dataOf(await create(SEAT, [0, 1, 2], [{ StartTime: 0, EndTime: 3600 }]));
    const answer = await call('updateSeatAvailability', DOCUMENTED.updateSeatAvailability);
    expect(answer.ok && answer.reply.message).toBe('Availability updated');
    const days = dataOf(answer) as unknown as Record<string, unknown>[];
    expect(days).toHaveLength(2);
    expect(days[0]).toMatchObject({
      DayOfWeek: 0,
      TimeSlots: [
        { StartTime: 16000, EndTime: 26000, Name: 'morning shift', NextDay: false },
        { StartTime: 26000, EndTime: 33000, Name: 'evening shift', NextDay: false },
      ],
      Zones: { SONY: { zoneid: 'Roof' } },
    });
    expect(days[1]).not.toHaveProperty('Zones');
    const day2 = (await stored()).find((row) => row.dow === 2);
    expect(day2.time_slots).toEqual([{ StartTime: 0, EndTime: 3600, Name: '', NextDay: false }]);
  });

  it('deletes the days named from the documented body; a retried delete finds nothing and is no error', async () => {
    dataOf(await call('createSeatAvailability', DOCUMENTED.createSeatAvailability));
    dataOf(await create(SEAT, [1], [{ StartTime: 0, EndTime: 3600 }]));
    const answer = await call('deleteSeatAvailability', DOCUMENTED.deleteSeatAvailability);
    expect(answer.ok && answer.reply.message).toBe('Availability deleted for days 4, 5, 6');
    expect(dataOf(answer)).toEqual({ SeatId: SEAT, DaysOfWeek: [4, 5, 6] });
    expect((await stored()).map((row) => row.dow)).toEqual([1]);
    expect(dataOf(await call('deleteSeatAvailability', DOCUMENTED.deleteSeatAvailability))).toEqual({
      SeatId: SEAT,
      DaysOfWeek: [],
    });
  });

  it('refuses malformed bodies naming the field, unknown seats and read-only credentials, writing nothing', async () => {
    dataOf(await create(SEAT, [2], [{ StartTime: 0, EndTime: 3600 }]));
    const before = await stored();
    const slot = (StartTime: number, EndTime: number) => ({ StartTime, EndTime, Name: '' });
    const cases: [() => Promise<Answer>, string][] = [
      [() => call('createSeatAvailability', {}), 'MISSING_PARAMETERS Availability: is required'],
      [
        () => create(SEAT, [4], [slot(0, 10), slot(20, 30), slot(40, 50)]),
        'WRONG_PARAMETERS Availability.TimeSlots: must be a list of 1 to 2 time slots',
      ],
      [
        () => create(SEAT, [4], [slot(16000, 26000), slot(20000, 33000)]),
        'WRONG_PARAMETERS Availability.TimeSlots[1]: overlaps Availability.TimeSlots[0]',
      ],
      [
        () => create(SEAT, [4], [{ StartTime: '04:00', EndTime: 26000 }]),
        'WRONG_PARAMETERS Availability.TimeSlots[0].StartTime: must be seconds since midnight, 0 to 86399',
      ],
      [
        () => create(SEAT, [7], [slot(0, 10)]),
        'WRONG_PARAMETERS Availability.DaysOfWeek[0]: must be a day of the week, 0 (Sunday) to 6 (Saturday)',
      ],
      [
        () => call('createSeatAvailability', { Availability: { DaysOfWeek: [1], TimeSlots: [slot(0, 10)] } }),
        'MISSING_PARAMETERS Availability.SeatId: is required',
      ],
      [() => create(`${PROP}_404`, [4], [slot(0, 10)]), `NOT_FOUND seat ${PROP}_404 not found`],
      [() => create(`${PROP}_010`, [4], [slot(0, 10)]), `NOT_FOUND seat ${PROP}_010 not found`],
      // Another property's seat looks like a missing one.
      [() => create('p2_001', [4], [slot(0, 10)]), 'NOT_FOUND seat p2_001 not found'],
      [() => call('getAvailabilityBySeatId', { SeatId: 'p2_001' }), 'NOT_FOUND seat p2_001 not found'],
      [
        () =>
          call('updateSeatAvailability', {
            SeatId: SEAT,
            Availabilities: [
              { DayOfWeek: 2, TimeSlots: [slot(0, 10)] },
              { DayOfWeek: 2, TimeSlots: [slot(0, 10)] },
            ],
          }),
        'WRONG_PARAMETERS Availabilities[1].DayOfWeek: names day 2 twice',
      ],
      [
        () =>
          call('updateSeatAvailability', {
            SeatId: SEAT,
            Availabilities: [{ DayOfWeek: 2, TimeSlots: [slot(0, 10)], Zones: { z404: 'x' } }],
          }),
        'NOT_FOUND zone z404 not found',
      ],
      [
        () =>
          call('updateSeatAvailability', {
            SeatId: SEAT,
            Availabilities: [{ DayOfWeek: 2, TimeSlots: [slot(10, 10)] }],
          }),
        'WRONG_PARAMETERS Availabilities[0].TimeSlots[0].EndTime: must differ from StartTime',
      ],
      [
        () => call('deleteSeatAvailability', { SeatId: SEAT }),
        'MISSING_PARAMETERS Availability: is required',
      ],
      [
        () =>
          call('deleteSeatAvailability', DOCUMENTED.deleteSeatAvailability, {
            caller: { accessKey: 'AK2', org: 'ACME', property: PROP, role: 'read' },
          }),
        'IMPLICIT_DENY scteams.deleteSeatAvailability needs a credential with write access',
      ],
    ];
    for (const [answer, expected] of cases) expect(refusal(await answer())).toBe(expected);
    expect(await stored()).toEqual(before);
    expect(
      refusal(
        await call('createSeatAvailability', DOCUMENTED.createSeatAvailability, {
          caller: { accessKey: 'AK2', org: 'ACME', property: PROP, role: 'read' },
        }),
      ),
    ).toBe('IMPLICIT_DENY scteams.createSeatAvailability needs a credential with write access');
  });

  it('creates, reads, updates and deletes a seat’s availability zones with the documented bodies, zones of the call’s building only', async () => {
    const answer = await call('createAvailabilityZones', DOCUMENTED.createAvailabilityZones);
    expect(answer.ok && answer.reply.message).toBe('Availability zones created');
    // The names are the registry's, not the body's.
    expect(dataOf(answer)).toEqual({
      SeatId: ZONES_SEAT,
      PropID: PROP,
      Zones: { SONY: { zoneid1: 'Lobby', zoneid2: 'Pantry' } },
    });
    const again = await call('createAvailabilityZones', DOCUMENTED.createAvailabilityZones);
    expect(again.ok && again.reply.message).toBe(
      'Availability zones already created by an identical request',
    );
    const rows = await storedZones();
    expect(
      refusal(
        await call('createAvailabilityZones', {
          SeatAvailabilityZones: { SeatId: ZONES_SEAT, Zones: { SONY: { zoneid1: 'zone1' } } },
        }),
      ),
    ).toBe(
      `ALREADY_EXISTS seat ${ZONES_SEAT} already has other availability zones in building SONY; change them with scteams.updateAvailabilityZones`,
    );
    expect(await storedZones()).toEqual(rows);

    // The documented update names a second building: zones are checked in the call's building only.
    expect(
      refusal(
        await call('createAvailabilityZones', {
          SeatAvailabilityZones: { SeatId: SEAT, Zones: { SONY: { zoneid2: 'zone2' } } },
        }),
      ),
    ).toBe('ok');
    const before = await storedZones();
    expect(refusal(await call('updateAvailabilityZones', DOCUMENTED.updateAvailabilityZones))).toBe(
      'NOT_FOUND building TEST-PID not found: availability zones are set in a call to their own building (pid)',
    );
    expect(await storedZones()).toEqual(before);
    const updated = await call('updateAvailabilityZones', {
      SeatAvailabilityZones: {
        SeatId: SEAT,
        Zones: { SONY: DOCUMENTED.updateAvailabilityZones.SeatAvailabilityZones.Zones.SONY },
      },
    });
    expect(dataOf(updated)).toEqual({
      SeatId: SEAT,
      PropID: PROP,
      Zones: { SONY: { zoneid1: 'Lobby', zoneid2: 'Pantry' } },
    });

    expect(dataOf(await call('getAvailabilityZones', DOCUMENTED.getAvailabilityZones))).toEqual(
      dataOf(updated),
    );
    expect(dataOf(await call('getAvailabilityZones', { seatid: ZONES_SEAT }))).toMatchObject({
      SeatId: ZONES_SEAT,
    });

    const deleted = await call('deleteAvailabilityZones', DOCUMENTED.deleteAvailabilityZones);
    expect(dataOf(deleted)).toEqual({ SeatId: SEAT, PropID: PROP, DeletedBuildings: ['SONY'] });
    expect(dataOf(await call('getAvailabilityZones', DOCUMENTED.getAvailabilityZones))).toEqual({
      SeatId: SEAT,
      PropID: PROP,
      Zones: {},
    });
    expect(dataOf(await call('deleteAvailabilityZones', DOCUMENTED.deleteAvailabilityZones))).toEqual({
      SeatId: SEAT,
      PropID: PROP,
      DeletedBuildings: [],
    });
    expect((await storedZones()).map((row) => row.seat_id)).toEqual([ZONES_SEAT]);
  });

  it('refuses zone maps with unknown zones or other buildings, updates without zones and unknown seats, writing nothing', async () => {
    const body = (SeatId: string, Zones: unknown) => ({ SeatAvailabilityZones: { SeatId, Zones } });
    const cases: [() => Promise<Answer>, string][] = [
      [
        () => call('createAvailabilityZones', body(SEAT, { SONY: { z404: 'x' } })),
        'NOT_FOUND zone z404 not found',
      ],
      [
        () => call('createAvailabilityZones', body(SEAT, { OTHER: { zoneid1: 'x' } })),
        'NOT_FOUND building OTHER not found: availability zones are set in a call to their own building (pid)',
      ],
      [
        () => call('createAvailabilityZones', body(SEAT, { SONY: {} })),
        'WRONG_PARAMETERS SeatAvailabilityZones.Zones.SONY: must name at least one zone',
      ],
      [
        () => call('createAvailabilityZones', body(SEAT, { SONY: { zoneid1: 5 } })),
        'WRONG_PARAMETERS SeatAvailabilityZones.Zones.SONY.zoneid1: must be the zone name',
      ],
      [
        () => call('createAvailabilityZones', body(SEAT, ['zoneid1'])),
        'WRONG_PARAMETERS SeatAvailabilityZones.Zones: must map the building id to its zones ({<building id>: {<zone id>: <zone name>}})',
      ],
      [
        () => call('createAvailabilityZones', { SeatAvailabilityZones: { SeatId: SEAT } }),
        'MISSING_PARAMETERS SeatAvailabilityZones.Zones: is required',
      ],
      [
        () => call('createAvailabilityZones', body('p2_001', { SONY: { zoneid1: 'x' } })),
        'NOT_FOUND seat p2_001 not found',
      ],
      [
        () => call('updateAvailabilityZones', body(SEAT, { SONY: { zoneid1: 'x' } })),
        `NOT_FOUND seat ${SEAT} has no availability zones in building SONY; create them with scteams.createAvailabilityZones`,
      ],
      [
        () => call('deleteAvailabilityZones', { SeatId: `${PROP}_404` }),
        `NOT_FOUND seat ${PROP}_404 not found`,
      ],
      [
        () =>
          call('createAvailabilityZones', DOCUMENTED.createAvailabilityZones, {
            caller: { accessKey: 'AK2', org: 'ACME', property: PROP, role: 'read' },
          }),
        'IMPLICIT_DENY scteams.createAvailabilityZones needs a credential with write access',
      ],
    ];
    for (const [answer, expected] of cases) expect(refusal(await answer())).toBe(expected);
    expect(await storedZones()).toEqual([]);
  });

  it('answers a seat’s availability windows in a range for leave (the documented body), in the building’s time zone', async () => {
    dataOf(await call('createSeatAvailability', DOCUMENTED.createSeatAvailability));
    const answer = dataOf(await call('findAvailabilityForLeave', DOCUMENTED.findAvailabilityForLeave));
    expect(answer).toMatchObject({
      SeatId: SEAT,
      StartTime: 1610821321,
      EndTime: 1650430261,
      TimeZone: 'Europe/Berlin',
    });
    const windows = answer['Availabilities'] as Record<string, number | string | boolean>[];
    // 2021-01-16 (a Saturday, 19:22 CET) to 2022-04-20: 65 or 66 of each of Thursdays, Fridays, Saturdays, two slots each.
    expect(windows.length).toBeGreaterThan(380);
    expect(windows.every((w, i) => i === 0 || w['Start']! >= windows[i - 1]!['Start']!)).toBe(true);
    // The first: Saturday 2021-01-16's evening slot, 12:13:20 CET to Sunday 09:10 CET.
    expect(windows[0]).toEqual({
      DayOfWeek: 6,
      Date: '20210116',
      Name: 'evening shift',
      StartTime: 44000,
      EndTime: 33000,
      NextDay: true,
      Start: Date.parse('2021-01-16T11:13:20Z') / 1000,
      End: Date.parse('2021-01-17T08:10:00Z') / 1000,
    });
    // Summer time: Thursday 2021-07-01's morning slot is 04:26:40–07:13:20 CEST.
    expect(windows.find((w) => w['Date'] === '20210701' && w['Name'] === '')).toMatchObject({
      Start: Date.parse('2021-07-01T02:26:40Z') / 1000,
      End: Date.parse('2021-07-01T05:13:20Z') / 1000,
    });
    expect(refusal(await call('findAvailabilityForLeave', { StartTime: 10, EndTime: 5, SeatId: SEAT }))).toBe(
      'WRONG_PARAMETERS EndTime: must be after StartTime',
    );
    expect(
      refusal(await call('findAvailabilityForLeave', { StartTime: 0, EndTime: 100_000_000, SeatId: SEAT })),
    ).toBe('WRONG_PARAMETERS EndTime: must be at most 731 days after StartTime');
    expect(refusal(await call('findAvailabilityForLeave', { EndTime: 5, SeatId: SEAT }))).toBe(
      'MISSING_PARAMETERS StartTime: is required',
    );
  });

  it('tells auto-assignment which active seats are available at an instant for a zone, on the building’s wall clock', async () => {
    const repository = harness.app.get(AvailabilityRepository);
    // SEAT: Saturday night 22:00–06:00; ZONES_SEAT: Sunday 08:00–12:00 for zoneid1 only.
    dataOf(await create(SEAT, [6], [{ StartTime: 79200, EndTime: 21600, Name: 'night' }]));
    dataOf(await create(ZONES_SEAT, [0], [{ StartTime: 28800, EndTime: 43200 }]));
    dataOf(await call('createAvailabilityZones', DOCUMENTED.createAvailabilityZones));
    const at = (iso: string, zone = 'zoneid1') =>
      repository.availableSeats(PROP, 'SONY', zone, Date.parse(iso) / 1000, 'Europe/Berlin');
    // The spring-forward night 2026-03-28/29: 22:00 CET (21:00 UTC) to 06:00 CEST (04:00 UTC).
    expect(await at('2026-03-28T21:00:00Z')).toEqual([SEAT]);
    expect(await at('2026-03-29T03:59:59Z')).toEqual([SEAT]);
    expect(await at('2026-03-29T04:30:00Z')).toEqual([]);
    // Sunday 09:00 CEST: the morning seat for zoneid1, not for zoneid (not one of its zones).
    expect(await at('2026-03-29T07:00:00Z')).toEqual([ZONES_SEAT]);
    expect(await at('2026-03-29T07:00:00Z', 'zoneid')).toEqual([]);
    // A deactivated seat is nobody's pick.
    await harness.sql.query(`update workforce.seats set status = 'INACTIVE' where seat_id = $1`, [SEAT]);
    try {
      expect(await at('2026-03-28T21:00:00Z')).toEqual([]);
    } finally {
      await harness.sql.query(`update workforce.seats set status = 'ACTIVE' where seat_id = $1`, [SEAT]);
    }
  });
});
