import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * Grids ops served since the registry issue that had no test of their own (reference Appendix A):
 * readBuildings, listOwnerOrgProperties, listZonesByBuilding and deleteZone, with the documented bodies
 * (and `null`, as the Python SDK posts an op without arguments), the scgrids envelope and tenancy.
 */

const gw = new GatewayHarness('grids-registry-actions');
let admin: BootstrapResult;
let stranger: BootstrapResult;
let reader: Keys;
let pid: string;
let strangerPid: string;
let zones: { InsID: string; Name: string }[];

const grids: GatewayHarness['grids'] = (...args) => gw.grids(...args);

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
  reader = await gw.readKey();
  pid = await gw.building(admin, 'Tower', 1);
  strangerPid = await gw.building(stranger, 'Their tower', 1);
  const level = await grids(admin, 'createLevel', { Name: 'G', Level: 'L0' }, { pid });
  const created = await grids(
    admin,
    'createZone',
    { Zone: [1, 2, 3].map((n) => ({ Name: `Zone ${n}`, LID: level.body.data.LID })) },
    { pid },
  );
  expect(created.status).toBe(201);
  zones = created.body.data;
});
afterAll(() => gw.stop());

describe('scgrids.readBuildings', () => {
  it('answers the buildings named in PIDs that the caller can see, as documented', async () => {
    const answer = await grids(
      admin,
      'readBuildings',
      { PIDs: [pid, strangerPid, 'no-such'] },
      { pid: 'scnoop' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 200, message: 'Success' });
    expect(answer.body.data.map((b: { PID: string }) => b.PID)).toEqual([pid]);
    expect(answer.body.data[0]).toMatchObject({
      PID: pid,
      PropId: admin.propid,
      Name: 'Tower',
      LevelsCount: 1,
    });
  });

  it('refuses a body without PIDs, naming it', async () => {
    const answer = await grids(admin, 'readBuildings', null, { pid: 'scnoop' });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('PIDs');
  });
});

describe('scgrids.listOwnerOrgProperties', () => {
  it('lists the organisation’s properties the caller sees, filtered by PropTypeID when given', async () => {
    const all = await grids(admin, 'listOwnerOrgProperties', null, { pid: 'scnoop' });
    expect(all.status).toBe(200);
    const mine = all.body.data as { PropId: string; OrgId: string; TypeID?: string }[];
    expect(mine.map((p) => p.PropId)).toEqual([admin.propid]);
    expect(mine.every((p) => p.OrgId === admin.org)).toBe(true);
    const type = mine[0]!.TypeID;
    if (type) {
      const same = await grids(admin, 'listOwnerOrgProperties', { PropTypeID: type }, { pid: 'scnoop' });
      expect(same.body.data.map((p: { PropId: string }) => p.PropId)).toEqual([admin.propid]);
    }
    const other = await grids(
      admin,
      'listOwnerOrgProperties',
      { PropTypeID: 'NO_SUCH_TYPE' },
      { pid: 'scnoop' },
    );
    expect(other.body.data).toEqual([]);
  });
});

describe('scgrids.listZonesByBuilding', () => {
  it('lists the building’s zones; ESK continues after the zone it names', async () => {
    const all = await grids(admin, 'listZonesByBuilding', null, { pid });
    expect(all.status).toBe(200);
    const ids = (all.body.data as { InsID: string; PID: string }[]).map((z) => z.InsID);
    expect([...ids].sort()).toEqual(zones.map((z) => z.InsID).sort());
    expect(all.body.data.every((z: { PID: string }) => z.PID === pid)).toBe(true);
    const after = await grids(admin, 'listZonesByBuilding', { ESK: ids[0] }, { pid });
    expect(after.status).toBe(200);
    expect(after.body.data.map((z: { InsID: string }) => z.InsID)).toEqual(ids.slice(1));
  });

  it('answers another tenant’s building as not found', async () => {
    const answer = await grids(admin, 'listZonesByBuilding', null, { pid: strangerPid });
    expect(answer.status).toBe(404);
  });
});

describe('scgrids.deleteZone', () => {
  it('refuses a read-only key and another tenant, then removes the zone for an admin', async () => {
    const victim = zones[2]!;
    expect((await grids(reader, 'deleteZone', { InsID: victim.InsID }, { pid })).status).toBe(403);
    const foreign = await grids(
      stranger,
      'deleteZone',
      { InsID: victim.InsID },
      {
        pid,
        org: stranger.org,
        propid: stranger.propid,
      },
    );
    expect(foreign.status).toBe(404);
    const removed = await grids(admin, 'deleteZone', { InsID: victim.InsID }, { pid });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      message: 'Successfully removed the zone',
      data: { InsID: victim.InsID },
    });
    const left = await grids(admin, 'listZonesByBuilding', null, { pid });
    expect(left.body.data.map((z: { InsID: string }) => z.InsID)).not.toContain(victim.InsID);
    const again = await grids(admin, 'deleteZone', { InsID: victim.InsID }, { pid });
    expect(again.status).toBe(404);
  });
});
