import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * The property-level grids ops of issue 16 (reference Appendix A, §4.8) on a real PostgreSQL and NATS, with
 * the bodies the SDKs send (the JSON literal `null` for no arguments, as the Python SDK posts it) and the
 * scgrids envelope: readPropertyByBuilding, readPropertyCollaboration, listBuildingMetrics,
 * listPropertyMetrics, updateProperty, createProperty.
 */

const gw = new GatewayHarness('grids-property-actions');
let admin: BootstrapResult;
let stranger: BootstrapResult;
let reader: Keys;
let pid: string;

const SUCCESS = { status: 200, message: 'Success' };

const grids: GatewayHarness['grids'] = (...args) => gw.grids(...args);

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
  reader = await gw.readKey();
  pid = await gw.building(admin, 'Tower', 2);
  const level = await grids(admin, 'createLevel', { Name: 'G', Level: 'L0' }, { pid });
  await grids(admin, 'createLevel', { Name: 'L1', Level: 'L1' }, { pid });
  const zones = await grids(
    admin,
    'createZone',
    { Zone: [1, 2, 3].map((n) => ({ Name: `Zone ${n}`, LID: level.body.data.LID })) },
    { pid },
  );
  expect(zones.status).toBe(201);
  const slot = { alias: 'pc-1', type: 'SMARTCLEAN#PPLCTR', zoneId: zones.body.data[0].InsID };
  expect((await gw.rest(admin, 'POST', `/v1/buildings/${pid}/device-slots`, slot)).status).toBe(201);
  await gw.building(admin, 'Annex', 0);
});
afterAll(() => gw.stop());

describe('scgrids.readPropertyByBuilding', () => {
  it('answers the building’s property in the readProperty shape for a null body', async () => {
    const answer = await grids(admin, 'readPropertyByBuilding', 'null', { pid });
    expect(answer).toMatchObject({ status: 200, body: SUCCESS });
    const property = await grids(admin, 'readProperty', 'null');
    expect(answer.body.data).toEqual(property.body.data);
    expect(answer.body.data).toMatchObject({ OrgId: 'ACME', PropId: admin.propid, Name: 'HQ Campus' });
  });

  it('hides another tenant’s building (404) and needs the building in pid', async () => {
    expect(await grids(stranger, 'readPropertyByBuilding', 'null', { pid })).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: `building ${pid} not found` },
    });
    expect(await grids(admin, 'readPropertyByBuilding', 'null')).toMatchObject({
      status: 400,
      body: {
        code: 'MISSING_PARAMETERS',
        message: 'scgrids.readPropertyByBuilding needs the building id in pid',
      },
    });
  });
});

describe('scgrids.readPropertyCollaboration', () => {
  it('answers the owner organisation’s collaboration record in the documented keys', async () => {
    const answer = await grids(admin, 'readPropertyCollaboration', 'null');
    expect(answer).toMatchObject({ status: 200, body: SUCCESS });
    const { CreatedOn, ...record } = answer.body.data;
    expect(record).toEqual({
      ID: 'SCOrgs#ACME',
      ATTR: 'attr#projects#ACME',
      Modules: ['*'],
      Status: 'Accepted',
      OrgId: 'ACME',
      OwnerOrgId: 'ACME',
      PropId: admin.propid,
      SUB1: admin.propid,
      NS: 'ORG_COLLABORATORS',
      SRN: `srn:scorgs:ACME:::${admin.propid}:ORG_COLLABORATORS:ACME/${admin.propid}`,
    });
    expect(Number.isInteger(CreatedOn)).toBe(true);
  });

  it('answers 404 for another tenant’s property', async () => {
    expect(
      await grids(stranger, 'readPropertyCollaboration', 'null', { propid: admin.propid }),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `property ${admin.propid} not found` },
    });
  });
});

describe('scgrids.listBuildingMetrics and listPropertyMetrics', () => {
  it('count what the building holds (Python SDK call: Basic, no propid, body null)', async () => {
    const query = new URLSearchParams({ op: 'scgrids.listBuildingMetrics', org: admin.org, pid });
    const answer = await gw.rest(admin, 'POST', `/prod/v2/scgrids/v1/actions?${query}`, 'null');
    expect(answer).toMatchObject({ status: 200, body: SUCCESS });
    expect(answer.body.data).toEqual([
      { Metric: 'LEVELS', Value: 2 },
      { Metric: 'ZONES', Value: 3 },
      { Metric: 'DEVICE_SLOTS', Value: 1 },
    ]);
  });

  it('count what the property holds over all its buildings', async () => {
    const answer = await grids(admin, 'listPropertyMetrics', 'null');
    expect(answer).toMatchObject({ status: 200, body: SUCCESS });
    expect(answer.body.data).toEqual([
      { Metric: 'BUILDINGS', Value: 2 },
      { Metric: 'LEVELS', Value: 2 },
      { Metric: 'ZONES', Value: 3 },
      { Metric: 'DEVICE_SLOTS', Value: 1 },
    ]);
  });

  it('hide another tenant’s building and property (404)', async () => {
    expect(await grids(stranger, 'listBuildingMetrics', 'null', { pid })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `building ${pid} not found` },
    });
    expect(await grids(stranger, 'listPropertyMetrics', 'null', { propid: admin.propid })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `property ${admin.propid} not found` },
    });
  });
});

describe('scgrids.updateProperty', () => {
  it('changes the status with the documented body and answers the property', async () => {
    const answer = await grids(admin, 'updateProperty', { Status: 'Pending' });
    expect(answer).toMatchObject({ status: 200, body: SUCCESS });
    expect(answer.body.data).toMatchObject({ PropId: admin.propid, Name: 'HQ Campus', Status: 'Pending' });
    expect((await grids(admin, 'readProperty', 'null')).body.data.Status).toBe('Pending');
  });

  it('renames the property; a null body changes nothing', async () => {
    const renamed = await grids(admin, 'updateProperty', { Name: 'HQ Campus North' });
    expect(renamed.body.data).toMatchObject({ Name: 'HQ Campus North', Status: 'Pending' });
    const unchanged = await grids(admin, 'updateProperty', 'null');
    expect(unchanged).toMatchObject({
      status: 200,
      body: { data: { Name: 'HQ Campus North', Status: 'Pending' } },
    });
    await grids(admin, 'updateProperty', { Name: 'HQ Campus', Status: 'Active' });
  });

  it('refuses a bad field with a 400 naming it', async () => {
    expect(await grids(admin, 'updateProperty', { Status: 7 })).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: expect.stringMatching(/^Status: /) },
    });
    expect(await grids(admin, 'updateProperty', { Name: '' })).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: expect.stringMatching(/^Name: /) },
    });
  });

  it('is refused to a read-only key (403) and hides another tenant’s property (404)', async () => {
    expect(await grids(reader, 'updateProperty', { Status: 'Inactive' })).toMatchObject({
      status: 403,
      body: { status: 403, code: 'IMPLICIT_DENY' },
    });
    expect(
      await grids(stranger, 'updateProperty', { Status: 'Inactive' }, { propid: admin.propid }),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `property ${admin.propid} not found` },
    });
    expect((await grids(admin, 'readProperty', 'null')).body.data.Status).toBe('Active');
  });
});

describe('scgrids.createProperty', () => {
  const body = {
    Name: 'Test Property',
    TypeID: 'BANK',
    Address: {
      Street: '16th Cross, J P Nagar',
      City: 'Bangalore',
      State: 'Karnataka',
      Country: 'India',
      PostalCode: '560078',
      Coordinates: { Latitude: 3.165725, Longitude: 101.646267 },
    },
    TimeZone: 'Asia/Kolkata',
    Country: 'IN',
    CountryLocale: 'en-IN',
  };

  it('creates a property for an organisation-wide admin with the documented body (201)', async () => {
    const created = await grids(admin.orgWide!, 'createProperty', body);
    expect(created).toMatchObject({
      status: 201,
      body: { status: 201, message: 'Successfully created a Property!' },
    });
    expect(created.body.data).toMatchObject({
      OrgId: 'ACME',
      Name: 'Test Property',
      TypeID: 'BANK',
      Address: body.Address,
      Status: 'Active',
      TimeZone: 'Asia/Kolkata',
    });
    const listed = await grids(admin.orgWide!, 'listProperties', 'null');
    expect(listed.body.data.map((p: { PropId: string }) => p.PropId)).toContain(created.body.data.PropId);
  });

  it('refuses a property-bound credential, a missing field and a taken name', async () => {
    const bound = await grids(admin, 'createProperty', { ...body, Name: 'Another' });
    expect(bound).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
    expect(bound.body.message).toMatch(/organisation-wide credential/);
    const { TimeZone: _omitted, ...noZone } = body;
    expect(await grids(admin.orgWide!, 'createProperty', { ...noZone, Name: 'No zone' })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'TimeZone: is required' },
    });
    expect(await grids(admin.orgWide!, 'createProperty', body)).toMatchObject({
      status: 400,
      body: { code: 'ALREADY_EXISTS', message: 'the property name is already taken in this organisation' },
    });
  });
});

describe('the org query parameter', () => {
  it('reads org=scnoop and the Python SDK default org=SMARTCLEAN as the credential’s organisation', async () => {
    for (const org of [admin.org, 'scnoop', 'SMARTCLEAN']) {
      const answer = await grids(admin, 'readProperty', 'null', { org });
      expect([org, answer.status, answer.body.data?.PropId]).toEqual([org, 200, admin.propid]);
    }
    const other = await grids(admin, 'readProperty', 'null', { org: stranger.org });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).toContain(`organisation ${stranger.org} not found`);
  });
});
