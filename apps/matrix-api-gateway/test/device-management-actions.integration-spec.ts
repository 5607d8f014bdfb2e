import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { GatewayHarness } from './gateway-harness';

/*
 * `scdevicemanagement.listDevicesForProjectV2`, `listDevicesByProviderType` and `realSenseMigrated` (reference
 * §4.8, envelope §4.1) on a real PostgreSQL and NATS, with the bodies the SDKs send: the JSON literal `null`
 * for no arguments (Python SDK), a request object with `DeviceProviderType` (Java SDK).
 */

const gw = new GatewayHarness('device-management-actions');
let admin: BootstrapResult;
let stranger: BootstrapResult;
let pid: string;
let annex: string;

const ENVELOPE = { code: 'SUCCESS', message: 'Successfully fetched given slots' };
const aliases = (body: { Slots: { Alias: string }[] }) => body.Slots.map((s) => s.Alias);

/** An op on a building by a tenant's credential, signed with SC-HMAC as the SDKs sign it. */
const device = (tenant: BootstrapResult, op: string, building: string, body: unknown) =>
  gw.action(
    tenant,
    {
      module: 'scdevicemanagement',
      op: `scdevicemanagement.${op}`,
      pid: building,
      propid: tenant.propid,
      org: tenant.org,
    },
    body,
  );

async function building(name: string): Promise<{ pid: string; zone: string }> {
  const pid = await gw.building(admin, name, 1);
  const level = await gw.action(admin, { op: 'scgrids.createLevel', pid }, { Name: 'G' });
  const zones = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
    zones: [{ name: 'Washroom', lid: level.body.data.LID }],
  });
  expect(zones.status).toBe(201);
  return { pid, zone: zones.body.items[0].insId };
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
  const tower = await building('Tower');
  const other = await building('Annex');
  pid = tower.pid;
  annex = other.pid;
  const slots = [
    { alias: 'pc-1', type: 'SMARTCLEAN#PPLCTR', zoneId: tower.zone, devid: '55954A2B11' },
    { alias: 'pc-2', type: 'SMARTCLEAN#PPLCTR', zoneId: tower.zone },
    { alias: 'fd-1', type: 'SMARTCLEAN#FD', zoneId: tower.zone },
    { alias: 'lux-1', type: 'ACME#LUX', zoneId: tower.zone },
  ];
  for (const slot of slots) {
    expect((await gw.rest(admin, 'POST', `/v1/buildings/${pid}/device-slots`, slot)).status).toBe(201);
  }
  const elsewhere = { alias: 'pc-annex', type: 'SMARTCLEAN#PPLCTR', zoneId: other.zone };
  expect((await gw.rest(admin, 'POST', `/v1/buildings/${annex}/device-slots`, elsewhere)).status).toBe(201);
});
afterAll(() => gw.stop());

describe('scdevicemanagement.listDevicesForProjectV2', () => {
  it('answers every slot of the building, and only of it, in the documented envelope for a null body', async () => {
    const listed = await device(admin, 'listDevicesForProjectV2', pid, 'null');
    expect(listed.status).toBe(200);
    expect(Object.keys(listed.body).sort()).toEqual(['Slots', 'code', 'message']);
    expect(listed.body).toMatchObject(ENVELOPE);
    expect(aliases(listed.body)).toEqual(['fd-1', 'lux-1', 'pc-1', 'pc-2']);
    const counter = listed.body.Slots.find((s: { Alias: string }) => s.Alias === 'pc-1');
    expect(counter).toMatchObject({
      ID: `SCDevices#${pid}`,
      NS: 'DEVICE_INFO_GENERAL',
      Type: 'SMARTCLEAN#PPLCTR',
      PID: pid,
      PropId: admin.propid,
      Org: admin.org,
      Devid: '55954A2B11',
      DeviceId: '55954A2B11',
      DeviceNotAssociated: 0,
      TZ: 'Asia/Singapore',
    });
    expect(counter.Lid).toBe(counter.LID);
  });

  it('takes a Java request object whose DeviceProviderType is unset as no filter', async () => {
    const listed = await device(admin, 'listDevicesForProjectV2', annex, { DeviceProviderType: null });
    expect(listed).toMatchObject({ status: 200, body: ENVELOPE });
    expect(aliases(listed.body)).toEqual(['pc-annex']);
  });
});

describe('scdevicemanagement.listDevicesByProviderType', () => {
  it('filters by slot type for Provider#Type and by provider for a provider alone', async () => {
    const counters = await device(admin, 'listDevicesByProviderType', pid, {
      DeviceProviderType: 'SMARTCLEAN#PPLCTR',
    });
    expect(counters).toMatchObject({ status: 200, body: ENVELOPE });
    expect(aliases(counters.body)).toEqual(['pc-1', 'pc-2']);
    const smartclean = await device(admin, 'listDevicesByProviderType', pid, {
      DeviceProviderType: 'SMARTCLEAN',
    });
    expect(aliases(smartclean.body)).toEqual(['fd-1', 'pc-1', 'pc-2']);
    // The Java SDK's Jackson spelling of the field.
    const acme = await device(admin, 'listDevicesByProviderType', pid, { deviceProviderType: 'ACME' });
    expect(aliases(acme.body)).toEqual(['lux-1']);
    const none = await device(admin, 'listDevicesByProviderType', pid, {
      DeviceProviderType: 'SMARTCLEAN#TILT',
    });
    expect(none).toMatchObject({ status: 200, body: { ...ENVELOPE, Slots: [] } });
  });

  it('refuses a missing, mistyped or malformed DeviceProviderType with a 400 naming it', async () => {
    expect(await device(admin, 'listDevicesByProviderType', pid, 'null')).toMatchObject({
      status: 400,
      body: { status: 400, code: 'MISSING_PARAMETERS', message: 'Missing DeviceProviderType in the body' },
    });
    expect(await device(admin, 'listDevicesByProviderType', pid, { DeviceProviderType: 42 })).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: 'DeviceProviderType: must be a string' },
    });
    const malformed = await device(admin, 'listDevicesByProviderType', pid, {
      DeviceProviderType: 'SMARTCLEAN#',
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: {
        code: 'WRONG_PARAMETERS',
        message: 'DeviceProviderType: must be a provider (SMARTCLEAN) or a slot type (SMARTCLEAN#PPLCTR)',
      },
    });
    const twice = await device(admin, 'listDevicesByProviderType', pid, {
      DeviceProviderType: 'SMARTCLEAN',
      deviceprovidertype: 'ACME',
    });
    expect(twice).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
    expect(twice.body.message).toMatch(/^deviceprovidertype: given twice/);
  });
});

describe('scdevicemanagement.realSenseMigrated', () => {
  it('answers {ID, Migrated} for the Python SDK call: Basic, no propid, body null', async () => {
    const query = new URLSearchParams({ op: 'scdevicemanagement.realSenseMigrated', org: admin.org, pid });
    const answer = await gw.rest(admin, 'POST', `/prod/v2/scdevicemanagement/v1/actions?${query}`, 'null');
    expect(answer).toMatchObject({ status: 200, body: { ID: pid, Migrated: true } });
    expect(Object.keys(answer.body).sort()).toEqual(['ID', 'Migrated']);
  });

  it('answers NOT_FOUND for a building that does not exist', async () => {
    expect(await device(admin, 'realSenseMigrated', 'no-such-building', 'null')).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: 'building no-such-building not found' },
    });
  });
});

describe('tenancy and arguments common to the three ops', () => {
  it.each([
    ['listDevicesForProjectV2', 'null'],
    ['listDevicesByProviderType', { DeviceProviderType: 'SMARTCLEAN' }],
    ['realSenseMigrated', 'null'],
  ])('%s hides another tenant’s building: 404 NOT_FOUND, never 403', async (op, body) => {
    expect(await device(stranger, op, pid, body)).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: `building ${pid} not found` },
    });
  });

  it.each(['listDevicesForProjectV2', 'listDevicesByProviderType', 'realSenseMigrated'])(
    '%s needs the building in pid (400 MISSING_PARAMETERS for scnoop)',
    async (op) => {
      expect(await device(admin, op, 'scnoop', { DeviceProviderType: 'SMARTCLEAN' })).toMatchObject({
        status: 400,
        body: {
          code: 'MISSING_PARAMETERS',
          message: `scdevicemanagement.${op} needs the building id in pid`,
        },
      });
    },
  );
});
