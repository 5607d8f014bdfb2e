import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import type { Keys } from './gateway-harness';
import { WorkforceRest } from './workforce-rest';

/*
 * The members module (`scteamsprop`, ops `scpropteams.*`, reference §4.8, §6): `getMemberGroup` and
 * `getUserDetailsForSeatId` through the gateway, from the seats the real incident-service holds, with the
 * bodies the SDKs send (the Python SDK posts `null`; the Java SDK a `{SeatId, WithProfile}` object).
 */

const w = new WorkforceRest('members-actions');
let fm: string;

const ENVELOPE_KEYS = ['data', 'message', 'status'];

/** A members op, signed as the Python SDK signs it (module string `scteamsprop`, pid `scnoop`). */
const members = (keys: Keys, op: string, body: unknown, target: { org?: string; propid?: string } = {}) =>
  w.gw.action(
    keys,
    {
      module: 'scteamsprop',
      op: `scpropteams.${op}`,
      pid: 'scnoop',
      propid: target.propid ?? w.admin.propid,
      org: target.org ?? w.admin.org,
    },
    body,
  );

beforeAll(async () => {
  await w.start();
  const created = await w.gw.rest(w.admin, 'POST', `/v1/properties/${w.admin.propid}/seats`, {
    userName: 'Fatima Mendes',
    userGroup: 'FM',
  });
  expect(created.status).toBe(201);
  fm = created.body.seatId;
});
afterAll(() => w.stop());

describe('scpropteams.getMemberGroup', () => {
  it('answers the property’s member groups with their seat counts for a null body', async () => {
    const answer = await members(w.admin, 'getMemberGroup', 'null');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(ENVELOPE_KEYS);
    expect(answer.body).toEqual({
      status: 'SUCCESS',
      message: 'Successfully fetched member groups',
      data: [
        { ID: w.admin.propid, GroupId: 'FM', GroupName: 'FM', SeatsAssociated: 1 },
        { ID: w.admin.propid, GroupId: 'HOUSEKEEPING', GroupName: 'HOUSEKEEPING', SeatsAssociated: 2 },
      ],
    });
  });

  it('is a read: a read-only credential gets the same answer, with the property from the credential', async () => {
    const query = new URLSearchParams({ op: 'scpropteams.getMemberGroup', org: w.admin.org, pid: 'scnoop' });
    const answer = await w.gw.rest(w.reader, 'POST', `/prod/v2/scteamsprop/v1/actions?${query}`, 'null');
    expect(answer.status).toBe(200);
    expect(answer.body.data.map((g: { GroupId: string }) => g.GroupId)).toEqual(['FM', 'HOUSEKEEPING']);
  });
});

describe('scpropteams.getUserDetailsForSeatId', () => {
  it('answers the seat with its profile when WithProfile is true', async () => {
    const answer = await members(w.admin, 'getUserDetailsForSeatId', { SeatId: fm, WithProfile: true });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(ENVELOPE_KEYS);
    expect(answer.body).toMatchObject({
      status: 'SUCCESS',
      message: 'Successfully fetched user details',
      data: {
        SeatId: fm,
        OrgId: w.admin.org,
        PropId: w.admin.propid,
        UserGroup: 'FM',
        MemberGroupId: 'FM',
        Status: 'ACTIVE',
        Profile: { FirstName: 'Fatima Mendes' },
      },
    });
    expect(Number.isInteger(answer.body.data.Created)).toBe(true);
    expect(Math.abs(answer.body.data.Created - Date.now() / 1000)).toBeLessThan(3600);
  });

  it('reads the Java SDK’s spelling and leaves the profile out without WithProfile', async () => {
    const answer = await members(w.admin, 'getUserDetailsForSeatId', { seatId: w.seat, withProfile: false });
    expect(answer).toMatchObject({
      status: 200,
      body: { data: { SeatId: w.seat, UserGroup: 'HOUSEKEEPING' } },
    });
    expect(answer.body.data).not.toHaveProperty('Profile');
  });

  it('answers NOT_FOUND for a seat the property does not have', async () => {
    expect(await members(w.admin, 'getUserDetailsForSeatId', { SeatId: 'nobody_999' })).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: 'seat nobody_999 not found' },
    });
  });

  it('refuses a missing or mistyped argument with a 400 naming the field', async () => {
    expect(await members(w.admin, 'getUserDetailsForSeatId', 'null')).toMatchObject({
      status: 400,
      body: { status: 400, code: 'MISSING_PARAMETERS', message: 'Missing SeatId in the body' },
    });
    expect(await members(w.admin, 'getUserDetailsForSeatId', { SeatId: 7 })).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: 'SeatId: must be a string' },
    });
    expect(
      await members(w.admin, 'getUserDetailsForSeatId', { SeatId: fm, WithProfile: 'yes' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS', message: 'WithProfile: must be true or false' },
    });
  });
});

describe('tenancy', () => {
  it.each([
    ['getMemberGroup', 'null'],
    ['getUserDetailsForSeatId', { SeatId: 'x' }],
  ])('%s hides another tenant’s property: 404 NOT_FOUND, never 403', async (op, body) => {
    const stranger: BootstrapResult = w.stranger;
    const answer = await members(stranger, op, body, { org: stranger.org, propid: w.admin.propid });
    expect(answer).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: `property ${w.admin.propid} not found` },
    });
  });

  it('lists only the members module’s ops under the module path', async () => {
    expect(await members(w.admin, 'getMemberGroups', 'null')).toMatchObject({
      status: 400,
      body: { code: 'UNKNOWN_OPERATION' },
    });
    const operations = await w.gw.rest(w.admin, 'GET', '/prod/v2/operations');
    expect(operations.body.operations).toEqual(
      expect.arrayContaining(['scpropteams.getMemberGroup', 'scpropteams.getUserDetailsForSeatId']),
    );
  });
});
