import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * The grids catalogue ops of issue 16 (reference Appendix A) on a real PostgreSQL and NATS, with the
 * documented bodies and the scgrids envelope: property types (createPropertyType, listPropertyTypes),
 * zone categories (createZoneCategory, listZoneCategories, listZonesByZoneCategory) and zone units
 * (createZoneUnit, listZoneUnitsByZoneCategory and its page's name listZoneAssetsByZoneCategory).
 */

const gw = new GatewayHarness('grids-catalogue-actions');
let admin: BootstrapResult;
let stranger: BootstrapResult;
/** OTHERCO's organisation-wide admin key, signing in its organisation. */
let strangerOrg: Keys & { org: string; propid: string };
let reader: Keys;
let pid: string;
let lid: string;

const SUCCESS = { status: 200, message: 'Success' };
const CREATED = { status: 201, message: 'Success' };
const SYSTEM_TYPES = [
  { Name: 'Bank', TypeID: 'BANK' },
  { Name: 'Commercial Buildings', TypeID: 'COMMERCIAL_BUILDINGS' },
  { Name: 'Corporate Buildings', TypeID: 'CORPORATE_BUILDINGS' },
  { Name: 'Restaurants', TypeID: 'RESTAURANTS' },
  { Name: 'School', TypeID: 'SCHOOL' },
];

const grids: GatewayHarness['grids'] = (...args) => gw.grids(...args);

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere', true);
  strangerOrg = { ...stranger.orgWide!, org: stranger.org, propid: stranger.propid };
  reader = await gw.readKey();
  pid = await gw.building(admin, 'School block', 1);
  lid = (await grids(admin, 'createLevel', { Name: 'G' }, { pid })).body.data.LID;
});
afterAll(() => gw.stop());

describe('property types', () => {
  it('lists the documented system types for a null body', async () => {
    const listed = await grids(admin, 'listPropertyTypes', 'null');
    expect(listed).toMatchObject({ status: 200, body: SUCCESS });
    expect(listed.body.data).toEqual(SYSTEM_TYPES);
  });

  it('creates an organisation’s own type (201, documented body) that only its organisation lists', async () => {
    const body = { Name: 'Hospitals', TypeID: 'HOSPITALS' };
    const created = await grids(admin.orgWide!, 'createPropertyType', body);
    expect(created).toMatchObject({ status: 201, body: { ...CREATED, data: body } });
    const ours = await grids(admin, 'listPropertyTypes', 'null');
    expect(ours.body.data).toContainEqual(body);
    const theirs = await grids(stranger, 'listPropertyTypes', 'null');
    expect(theirs.body.data).toEqual(SYSTEM_TYPES);
    // Another organisation may have its own type of that id.
    expect(await grids(strangerOrg, 'createPropertyType', body)).toMatchObject({ status: 201 });
  });

  it('refuses a taken id, a system id, a bad field and a property-bound or read-only credential', async () => {
    // An id with the documented catalogue characters `&` and `.` is stored, as its input check allows.
    expect(
      await grids(admin.orgWide!, 'createPropertyType', { Name: 'Food & bev.', TypeID: 'F&B.OUTLETS' }),
    ).toMatchObject({ status: 201 });
    const taken = await grids(admin.orgWide!, 'createPropertyType', { Name: 'Again', TypeID: 'HOSPITALS' });
    expect(taken).toMatchObject({
      status: 400,
      body: { code: 'ALREADY_EXISTS', message: 'the property type HOSPITALS already exists' },
    });
    expect(
      await grids(admin.orgWide!, 'createPropertyType', { Name: 'Banks', TypeID: 'BANK' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'ALREADY_EXISTS', message: 'the property type BANK already exists' },
    });
    expect(await grids(admin.orgWide!, 'createPropertyType', { Name: 'Malls' })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'TypeID: is required' },
    });
    const lower = await grids(admin.orgWide!, 'createPropertyType', { Name: 'Malls', TypeID: 'malls' });
    expect(lower).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
    expect(lower.body.message).toMatch(/^TypeID: must be an upper-case id/);
    const bound = await grids(admin, 'createPropertyType', { Name: 'Malls', TypeID: 'MALLS' });
    expect(bound).toMatchObject({ status: 403, body: { code: 'IMPLICIT_DENY' } });
    expect(bound.body.message).toMatch(/organisation-wide credential/);
    expect(await grids(reader, 'createPropertyType', { Name: 'Malls', TypeID: 'MALLS' })).toMatchObject({
      status: 403,
      body: { code: 'IMPLICIT_DENY' },
    });
  });
});

describe('zone categories', () => {
  it('creates the documented categories and lists them by property type', async () => {
    const labs = await grids(admin, 'createZoneCategory', {
      Name: 'Labs',
      CategoryID: 'LABS',
      PropertyTypeID: 'SCHOOL',
    });
    expect(labs).toMatchObject({
      status: 201,
      body: { ...CREATED, data: { Name: 'Labs', PropertyTypeID: 'SCHOOL', CategoryID: 'LABS' } },
    });
    for (const [Name, CategoryID, PropertyTypeID] of [
      ['Auditoriums/Theaters', 'AUDITORIUMS/THEATERS', 'SCHOOL'],
      ['Conference Rooms', 'CONFERENCE_ROOMS', 'COMMERCIAL_BUILDINGS'],
      ['Wards', 'WARDS', 'HOSPITALS'], // the organisation's own type
    ]) {
      const created = await grids(admin, 'createZoneCategory', { Name, CategoryID, PropertyTypeID });
      expect(created.status).toBe(201);
    }
    const school = await grids(admin, 'listZoneCategories', { PropertyTypeID: 'SCHOOL' });
    expect(school).toMatchObject({ status: 200, body: SUCCESS });
    expect(school.body.data).toEqual([
      { Name: 'Auditoriums/Theaters', PropertyTypeID: 'SCHOOL', CategoryID: 'AUDITORIUMS/THEATERS' },
      { Name: 'Labs', PropertyTypeID: 'SCHOOL', CategoryID: 'LABS' },
    ]);
    const all = await grids(admin, 'listZoneCategories', 'null');
    expect(all.body.data.map((c: { CategoryID: string }) => c.CategoryID)).toEqual([
      'AUDITORIUMS/THEATERS',
      'CONFERENCE_ROOMS',
      'LABS',
      'WARDS',
    ]);
  });

  it('keeps a property’s categories to it: another tenant lists none and may reuse the id', async () => {
    expect((await grids(stranger, 'listZoneCategories', 'null')).body.data).toEqual([]);
    const theirs = await grids(stranger, 'createZoneCategory', {
      Name: 'Labs',
      CategoryID: 'LABS',
      PropertyTypeID: 'SCHOOL',
    });
    expect(theirs.status).toBe(201);
    expect(await grids(stranger, 'listZoneCategories', 'null', { propid: admin.propid })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `property ${admin.propid} not found` },
    });
  });

  it('refuses a taken id, an unknown or foreign property type, a bad field and a read-only key', async () => {
    expect(
      await grids(admin, 'createZoneCategory', {
        Name: 'Labs 2',
        CategoryID: 'LABS',
        PropertyTypeID: 'SCHOOL',
      }),
    ).toMatchObject({
      status: 400,
      body: { code: 'ALREADY_EXISTS', message: 'the zone category LABS already exists in this property' },
    });
    expect(
      await grids(admin, 'createZoneCategory', { Name: 'Pits', CategoryID: 'PITS', PropertyTypeID: 'MINE' }),
    ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: 'property type MINE not found' } });
    // A type only another organisation has is unknown here.
    const mines = await grids(strangerOrg, 'createPropertyType', { Name: 'Mines', TypeID: 'MINES' });
    expect(mines.status).toBe(201);
    expect(
      await grids(admin, 'createZoneCategory', { Name: 'Pits', CategoryID: 'PITS', PropertyTypeID: 'MINES' }),
    ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: 'property type MINES not found' } });
    expect(await grids(admin, 'createZoneCategory', { Name: 'Pits', CategoryID: 'PITS' })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'PropertyTypeID: is required' },
    });
    expect(
      await grids(admin, 'createZoneCategory', { Name: 'Pits', CategoryID: 42, PropertyTypeID: 'SCHOOL' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: expect.stringMatching(/^CategoryID: /) },
    });
    expect(await grids(admin, 'listZoneCategories', { PropertyTypeID: 7 })).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: 'PropertyTypeID: must be a string' },
    });
    expect(
      await grids(reader, 'createZoneCategory', {
        Name: 'Pits',
        CategoryID: 'PITS',
        PropertyTypeID: 'SCHOOL',
      }),
    ).toMatchObject({ status: 403, body: { code: 'IMPLICIT_DENY' } });
  });
});

describe('zone units', () => {
  const door = {
    Name: 'Door/Opening',
    UnitID: 'DOOR/OPENING',
    ImageURL: 'https://dummyimage.com/5:5x250',
    ZoneCategoryID: 'CONFERENCE_ROOMS',
  };

  it('creates units with the documented body and lists them by category under both op names', async () => {
    const created = await grids(admin, 'createZoneUnit', door);
    expect(created).toMatchObject({ status: 201, body: { ...CREATED, data: door } });
    const windows = { ...door, Name: 'Windows', UnitID: 'WINDOWS' };
    expect((await grids(admin, 'createZoneUnit', windows)).status).toBe(201);
    // The same unit id in another category is another unit.
    expect((await grids(admin, 'createZoneUnit', { ...windows, ZoneCategoryID: 'LABS' })).status).toBe(201);
    for (const op of ['listZoneUnitsByZoneCategory', 'listZoneAssetsByZoneCategory']) {
      const listed = await grids(admin, op, { ZoneCategoryID: 'CONFERENCE_ROOMS' });
      expect(listed).toMatchObject({ status: 200, body: SUCCESS });
      expect(listed.body.data).toEqual([door, windows]);
    }
  });

  it('refuses a taken unit, an unknown category, a non-http image and missing fields', async () => {
    expect(await grids(admin, 'createZoneUnit', door)).toMatchObject({
      status: 400,
      body: {
        code: 'ALREADY_EXISTS',
        message: 'the unit DOOR/OPENING already exists in zone category CONFERENCE_ROOMS',
      },
    });
    expect(await grids(admin, 'createZoneUnit', { ...door, ZoneCategoryID: 'GYMS' })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'zone category GYMS not found' },
    });
    const script = await grids(admin, 'createZoneUnit', {
      ...door,
      UnitID: 'X',
      ImageURL: 'javascript:alert(1)',
    });
    expect(script).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: 'ImageURL: must be an http or https URL' },
    });
    expect(await grids(admin, 'listZoneUnitsByZoneCategory', 'null')).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Missing ZoneCategoryID in the body' },
    });
    expect(await grids(admin, 'listZoneUnitsByZoneCategory', { ZoneCategoryID: 'GYMS' })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'zone category GYMS not found' },
    });
  });

  it('hides one property’s units from another tenant', async () => {
    // OTHERCO has a LABS category of its own, but not ACME's units.
    const theirs = await grids(stranger, 'listZoneUnitsByZoneCategory', { ZoneCategoryID: 'LABS' });
    expect(theirs).toMatchObject({ status: 200, body: { data: [] } });
    const foreign = await grids(stranger, 'createZoneUnit', door, { propid: admin.propid });
    expect(foreign).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await grids(reader, 'createZoneUnit', { ...door, UnitID: 'BINS' })).toMatchObject({
      status: 403,
      body: { code: 'IMPLICIT_DENY' },
    });
  });
});

describe('scgrids.listZonesByZoneCategory', () => {
  it('pages a building’s zones of one category with ESK/LEK', async () => {
    const zones = await grids(
      admin,
      'createZone',
      {
        Zone: [
          { Name: 'Lab 1', LID: lid, ZoneCategoryID: 'LABS' },
          { Name: 'Lab 2', LID: lid, ZoneCategoryID: 'LABS' },
          { Name: 'Hall', LID: lid, ZoneCategoryID: 'AUDITORIUMS/THEATERS' },
        ],
      },
      { pid },
    );
    expect(zones.status).toBe(201);
    const labs = zones.body.data
      .filter((z: { ZoneCategoryID: string }) => z.ZoneCategoryID === 'LABS')
      .map((z: { InsID: string }) => z.InsID)
      .sort();
    const listed = await grids(admin, 'listZonesByZoneCategory', { ZoneCategoryID: 'LABS' }, { pid });
    expect(listed).toMatchObject({ status: 200, body: SUCCESS });
    expect(listed.body.data.map((z: { InsID: string }) => z.InsID)).toEqual(labs);
    expect(listed.body.data[0]).toMatchObject({ PID: pid, LID: lid, ZoneCategoryID: 'LABS' });
    expect(listed.body.LEK).toBeUndefined();
    // Both documented spellings of the start key: zones after the first lab.
    for (const key of ['ESK', 'ExclusiveStartKey']) {
      const after = await grids(
        admin,
        'listZonesByZoneCategory',
        { ZoneCategoryID: 'LABS', [key]: labs[0] },
        { pid },
      );
      expect(after.body.data.map((z: { InsID: string }) => z.InsID)).toEqual([labs[1]]);
    }
  });

  it('needs ZoneCategoryID and the building; hides another tenant’s building', async () => {
    expect(await grids(admin, 'listZonesByZoneCategory', 'null', { pid })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Missing ZoneCategoryID in the body' },
    });
    expect(await grids(admin, 'listZonesByZoneCategory', { ZoneCategoryID: 'LABS' })).toMatchObject({
      status: 400,
      body: {
        code: 'MISSING_PARAMETERS',
        message: 'scgrids.listZonesByZoneCategory needs the building id in pid',
      },
    });
    expect(
      await grids(stranger, 'listZonesByZoneCategory', { ZoneCategoryID: 'LABS' }, { pid }),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `building ${pid} not found` },
    });
  });
});
