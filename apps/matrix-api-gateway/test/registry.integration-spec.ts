import { MatrixEventV1, parseRoutingKey, validateContract } from '@matrix/contracts';
import { DEVICE_SLOTS, openKvBucket, PRINCIPALS } from '@matrix/messaging';
import { expectEventually } from '@matrix/testing';
import { GatewayHarness, type Keys } from './gateway-harness';

const gw = new GatewayHarness('registry');
let admin: Keys;
let orgAdmin: Keys;
let pid: string;
const lids: string[] = [];
const zones: Record<string, string> = {};

/** Every grid event on the namespace's MATRIX_EVENTS stream, in stream order. */
async function gridEvents(): Promise<MatrixEventV1[]> {
  const stream = gw.nats.namespace.stream('MATRIX_EVENTS');
  const info = await gw.nats.jsm.streams.info(stream);
  const events: MatrixEventV1[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const message = await gw.nats.jsm.streams.getMessage(stream, { seq });
    if (message) events.push(message.json<MatrixEventV1>());
  }
  return events;
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  orgAdmin = gw.tenant.orgWide!;
});
afterAll(() => gw.stop());

describe('the site registry over both surfaces', () => {
  it('creates a building over REST and two levels over the Matrix actions API', async () => {
    const building = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
      name: 'Tower A',
      levelsCount: 2,
      timeZone: 'Europe/Berlin',
      operatingHours: { '1': [{ Start: '0700', End: '1900' }] },
    });
    expect(building.status).toBe(201);
    expect(building.body).toMatchObject({
      name: 'Tower A',
      propId: gw.tenant.propid,
      levelsCount: 2,
      status: 'draft',
    });
    pid = building.body.pid;

    for (const [name, level] of [
      ['Ground', 'L0'],
      ['First', 'L1'],
    ]) {
      const created = await gw.action(
        admin,
        { op: 'scgrids.createLevel', pid },
        { Name: name, Level: level },
      );
      expect(created).toMatchObject({
        status: 201,
        body: { status: 201, message: 'Successfully created the level!', data: { Name: name } },
      });
      lids.push(created.body.data.LID);
    }
    const listed = await gw.action(admin, { op: 'scgrids.listLevelsByBuilding', pid });
    expect(listed.body.data.map((l: { Name: string }) => l.Name).sort()).toEqual(['First', 'Ground']);
  });

  it('creates zones on both surfaces and serves the same zone map on both', async () => {
    const rest = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
      zones: [
        { name: 'Lobby', lid: lids[0], zoneCategoryId: 'LOBBY' },
        { name: 'Washroom G', lid: lids[0] },
        { name: 'Meeting 1', lid: lids[1], zoneCategoryId: 'MEETING_ROOMS' },
      ],
    });
    expect(rest.status).toBe(201);
    const matrix = await gw.action(
      admin,
      { op: 'scgrids.createZone', pid },
      {
        Zone: [
          {
            Name: 'Washroom 1',
            LID: lids[1],
            Area: 30,
            Units: { General: [{ Key: 'sinks', Count: 4 }] },
            Status: 'active',
          },
        ],
      },
    );
    expect(matrix.body).toMatchObject({
      status: 201,
      data: [{ Name: 'Washroom 1', LID: lids[1], Area: 30, PID: pid }],
    });
    for (const zone of [...rest.body.items, ...matrix.body.data]) {
      zones[zone.name ?? zone.Name] = zone.insId ?? zone.InsID;
    }

    const restMap = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map`);
    const matrixMap = await gw.action(admin, { op: 'scgrids.buildingZoneMap', pid }, { ESK: '' });
    const expected = Object.fromEntries(Object.entries(zones).map(([name, id]) => [id, name]));
    expect(restMap.body).toEqual({ zones: expected, nextCursor: null });
    expect(matrixMap.body).toEqual({ status: 200, message: 'Success', data: expected });

    const byLevel = await gw.action(
      admin,
      { op: 'scgrids.listZonesByLevel', pid },
      { LID: lids[1], ZoneCategoryIDs: ['MEETING_ROOMS'] },
    );
    expect(byLevel.body.data.map((z: { Name: string }) => z.Name)).toEqual(['Meeting 1']);
    const one = await gw.action(admin, { op: 'scgrids.readZone', pid }, { InsID: zones['Washroom 1'] });
    expect(one.body.data).toMatchObject({
      InsID: zones['Washroom 1'],
      Units: { General: [{ Key: 'sinks', Count: 4 }] },
    });
  });

  it('pages the zone map with a cursor / ESK', async () => {
    const first = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map?limit=3`);
    expect(Object.keys(first.body.zones)).toHaveLength(3);
    const second = await gw.rest(
      admin,
      'GET',
      `/v1/buildings/${pid}/zone-map?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect({ ...first.body.zones, ...second.body.zones }).toEqual(
      Object.fromEntries(Object.entries(zones).map(([n, id]) => [id, n])),
    );
    expect(second.body.nextCursor).toBeNull();
  });

  it('keeps device slots, filters them by provider and type, and mirrors them into the DEVICE_SLOTS directory', async () => {
    const slots = [
      { alias: 'pc-lobby', type: 'SMARTCLEAN#PPLCTR', zoneId: zones['Lobby'], display: 'Lobby counter' },
      { alias: 'pc-wash-g', type: 'SMARTCLEAN#PPLCTR', zoneId: zones['Washroom G'] },
      {
        alias: 'fd-wash-1',
        type: 'SMARTCLEAN#FD',
        zoneId: zones['Washroom 1'],
        params: { DeviceParams: { MAX: 5 } },
      },
      { alias: 'lux-meet-1', type: 'ACME#LUX', zoneId: zones['Meeting 1'], timeZone: 'Asia/Singapore' },
    ];
    for (const slot of slots) {
      expect((await gw.rest(admin, 'POST', `/v1/buildings/${pid}/device-slots`, slot)).status).toBe(201);
    }

    const smartclean = await gw.rest(admin, 'GET', `/v1/device-slots?pid=${pid}&provider=SMARTCLEAN`);
    expect(smartclean.body.items.map((s: { alias: string }) => s.alias)).toEqual([
      'fd-wash-1',
      'pc-lobby',
      'pc-wash-g',
    ]);
    const feedback = await gw.rest(admin, 'GET', `/v1/device-slots?pid=${pid}&type=SMARTCLEAN%23FD`);
    expect(feedback.body.items.map((s: { alias: string }) => s.alias)).toEqual(['fd-wash-1']);
    const counters = await gw.action(
      admin,
      { module: 'scdevicemanagement', op: 'scdevicemanagement.listDevicesByProviderType', pid },
      { DeviceProviderType: 'SMARTCLEAN#PPLCTR' },
    );
    expect(counters.body.Slots.map((s: { Alias: string }) => s.Alias)).toEqual(['pc-lobby', 'pc-wash-g']);
    const byAlias = await gw.action(
      admin,
      { module: 'scdevicemanagement', op: 'scdevicemanagement.getDeviceSlots' },
      { Alias: ['fd-wash-1', 'nope'] },
    );
    expect(byAlias.body).toMatchObject({ code: 'SUCCESS', message: 'Successfully fetched given slots' });
    expect(byAlias.body.Slots).toEqual([
      expect.objectContaining({
        Alias: 'fd-wash-1',
        Type: 'SMARTCLEAN#FD',
        PID: pid,
        ZoneId: zones['Washroom 1'],
        LID: lids[1],
        TZ: 'Europe/Berlin',
        PartnerId: 'SMARTCLEAN',
        Params: { DeviceParams: { MAX: 5 } },
      }),
    ]);

    const kv = await openKvBucket(gw.nats.nc, DEVICE_SLOTS, gw.nats.namespace);
    const entry = await expectEventually(async () => {
      const value = await kv.get('lux-meet-1');
      if (!value) throw new Error('not in the directory yet');
      return value.json<Record<string, unknown>>();
    });
    expect(entry).toMatchObject({
      Alias: 'lux-meet-1',
      DevType: 'ACME#LUX',
      PID: pid,
      PropId: gw.tenant.propid,
      InsID: zones['Meeting 1'],
      LID: lids[1],
      Region: 'Asia/Singapore',
    });
  });

  it('publishes each grid event once, in commit order, in the documented format', async () => {
    const renamed = await gw.action(
      admin,
      { op: 'scgrids.updateZone', pid },
      { InsID: zones['Lobby'], Name: 'Main Lobby', Status: 'inactive' },
    );
    expect(renamed.body).toMatchObject({ status: 200 });
    expect(renamed.body.data).toMatchObject({ Name: 'Main Lobby', Status: 'inactive' });
    const levelRenamed = await gw.rest(admin, 'PATCH', `/v1/buildings/${pid}/levels/${lids[1]}`, {
      name: 'First Floor',
    });
    expect(levelRenamed.status).toBe(200);

    const events = await expectEventually(async () => {
      const all = await gridEvents();
      expect(all).toHaveLength(9);
      return all;
    });
    expect(events.map((e) => `${e.Event}:${e.Meta['Name']}`)).toEqual([
      'LEVEL_CREATED:Ground',
      'LEVEL_CREATED:First',
      'ZONE_CREATED:Lobby',
      'ZONE_CREATED:Washroom G',
      'ZONE_CREATED:Meeting 1',
      'ZONE_CREATED:Washroom 1',
      'ZONE_NAME_MODIFIED:Main Lobby',
      'ZONE_STATUS_MODIFIED:Main Lobby',
      'LEVEL_NAME_MODIFIED:First Floor',
    ]);
    for (const event of events) {
      expect(validateContract(MatrixEventV1, event)).toMatchObject({ ok: true });
      expect(parseRoutingKey(event.RoutingKey)).toEqual({
        principal: pid,
        module: 'scgrids',
        eventId: event.Event,
        priority: event.Status,
      });
      expect(event).toMatchObject({
        Principal: pid,
        PType: 'building',
        Entity: gw.tenant.propid,
        EType: 'property',
        Module: 'scgrids',
      });
    }
    expect(events[6]!.Meta).toMatchObject({ OldName: 'Lobby', InsID: zones['Lobby'] });
    expect(events[7]!.Meta).toMatchObject({ OldStatus: 'active', Status: 'inactive' });
  });

  it('never emits an event for a change that rolled back', async () => {
    const before = (await gridEvents()).length;
    const duplicate = await gw.action(admin, { op: 'scgrids.createLevel', pid }, { Name: 'Ground' });
    expect(duplicate).toMatchObject({
      status: 400,
      body: { code: 'ALREADY_EXISTS', message: 'the level name is already taken in this building' },
    });
    const badLevel = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
      zones: [
        { name: 'Ok', lid: lids[0] },
        { name: 'Bad', lid: 'no-such-level' },
      ],
    });
    expect(badLevel).toMatchObject({
      status: 400,
      body: { detail: `level no-such-level is not a level of building ${pid}` },
    });
    // A later change is published; the refused ones never are.
    await gw.action(admin, { op: 'scgrids.createLevel', pid }, { Name: 'Roof', Level: 'L2' });
    await expectEventually(async () =>
      expect((await gridEvents()).map((e) => e.Meta['Name']).slice(before)).toEqual(['Roof']),
    );
    const zoneMap = await gw.rest(admin, 'GET', `/v1/buildings/${pid}/zone-map`);
    expect(Object.values(zoneMap.body.zones)).not.toContain('Ok');
  });

  it('removes a zone with its slots and their directory entries, emitting ZONE_REMOVED', async () => {
    const removed = await gw.rest(admin, 'DELETE', `/v1/buildings/${pid}/zones/${zones['Washroom G']}`);
    expect({ status: removed.status, body: removed.body }).toEqual({ status: 204, body: undefined });
    const kv = await openKvBucket(gw.nats.nc, DEVICE_SLOTS, gw.nats.namespace);
    await expectEventually(async () => {
      const events = await gridEvents();
      expect(events[events.length - 1]).toMatchObject({
        Event: 'ZONE_REMOVED',
        Status: 'HIGH',
        Meta: { Name: 'Washroom G' },
      });
      const entry = await kv.get('pc-wash-g');
      expect(entry === null || entry.operation !== 'PUT').toBe(true);
    });
    expect((await gw.rest(admin, 'GET', '/v1/device-slots/pc-wash-g')).status).toBe(404);
  });

  it('replays a POST with the same Idempotency-Key and refuses the key for another request', async () => {
    const body = { name: 'Annex', levelsCount: 1, timeZone: 'Europe/Berlin' };
    const headers = { 'idempotency-key': 'create-annex-1' };
    const first = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, body, headers);
    const again = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, body, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await gw.rest(
      admin,
      'POST',
      `/v1/properties/${gw.tenant.propid}/buildings`,
      { ...body, name: 'Annex 2' },
      headers,
    );
    expect(other.status).toBe(422);
    const buildings = await gw.action(admin, { op: 'scgrids.listBuildingsByProperty' });
    expect(buildings.body.data.filter((b: { Name: string }) => b.Name.startsWith('Annex'))).toHaveLength(1);
  });

  it('lets an organisation-wide admin create a property that the property key cannot see', async () => {
    const created = await gw.rest(orgAdmin, 'POST', '/v1/properties', {
      name: 'Depot',
      typeId: 'WAREHOUSE',
      timeZone: 'UTC',
    });
    expect(created.status).toBe(201);
    expect((await gw.rest(admin, 'GET', `/v1/properties/${created.body.propId}`)).status).toBe(404);
    expect((await gw.rest(orgAdmin, 'GET', `/v1/properties/${created.body.propId}`)).body).toMatchObject({
      name: 'Depot',
    });
    const principals = await openKvBucket(gw.nats.nc, PRINCIPALS, gw.nats.namespace);
    await expectEventually(async () =>
      expect((await principals.get(created.body.propId))?.json()).toEqual({
        type: 'property',
        org: gw.tenant.org,
        property: created.body.propId,
      }),
    );
    const mine = await gw.action(admin, { op: 'scgrids.listProperties' });
    expect(mine.body.data.map((p: { PropId: string }) => p.PropId)).toEqual([gw.tenant.propid]);
    expect(
      (await gw.rest(admin, 'POST', '/v1/properties', { name: 'Nope', typeId: 'X', timeZone: 'UTC' })).status,
    ).toBe(400);
  });
});

describe('removing levels and buildings', () => {
  it('removes a level and then a building with everything in them, one ZONE_REMOVED per zone, slots leaving the directory', async () => {
    const created = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
      name: 'Temp',
      levelsCount: 2,
      timeZone: 'UTC',
    });
    const tmp = created.body.pid as string;
    // The building is in the PRINCIPALS directory (push subscriptions of its owners follow it) until removed.
    const directory = await openKvBucket(gw.nats.nc, PRINCIPALS, gw.nats.namespace);
    await expectEventually(async () =>
      expect((await directory.get(tmp))?.json()).toEqual({
        type: 'building',
        org: gw.tenant.org,
        property: gw.tenant.propid,
      }),
    );
    const l1 = (await gw.rest(admin, 'POST', `/v1/buildings/${tmp}/levels`, { name: 'One' })).body
      .lid as string;
    const l2 = (await gw.rest(admin, 'POST', `/v1/buildings/${tmp}/levels`, { name: 'Two' })).body
      .lid as string;
    const made = await gw.rest(admin, 'POST', `/v1/buildings/${tmp}/zones`, {
      zones: [
        { name: 'A', lid: l1 },
        { name: 'B', lid: l1 },
        { name: 'C', lid: l2 },
      ],
    });
    const [a, , c] = made.body.items as { insId: string }[];
    await gw.rest(admin, 'POST', `/v1/buildings/${tmp}/device-slots`, {
      alias: 'tmp-a',
      type: 'SMARTCLEAN#PPLCTR',
      zoneId: a!.insId,
    });
    await gw.rest(admin, 'POST', `/v1/buildings/${tmp}/device-slots`, {
      alias: 'tmp-c',
      type: 'SMARTCLEAN#PPLCTR',
      zoneId: c!.insId,
    });

    expect((await gw.rest(admin, 'DELETE', `/v1/buildings/${tmp}/levels/${l1}`)).status).toBe(204);
    expect((await gw.rest(admin, 'GET', `/v1/buildings/${tmp}/zone-map`)).body.zones).toEqual({
      [c!.insId]: 'C',
    });
    expect((await gw.rest(admin, 'DELETE', `/v1/buildings/${tmp}`)).status).toBe(204);
    expect((await gw.rest(admin, 'GET', `/v1/buildings/${tmp}`)).status).toBe(404);
    expect((await gw.rest(admin, 'DELETE', `/v1/buildings/${tmp}`)).status).toBe(404);

    const kv = await openKvBucket(gw.nats.nc, DEVICE_SLOTS, gw.nats.namespace);
    const principals = await openKvBucket(gw.nats.nc, PRINCIPALS, gw.nats.namespace);
    await expectEventually(async () => {
      const entry = await principals.get(tmp);
      expect(entry?.operation).not.toBe('PUT');
      const removed = (await gridEvents()).filter((e) => e.Principal === tmp && e.Event === 'ZONE_REMOVED');
      const names = removed.map((e) => String(e.Meta['Name']));
      expect(names).toHaveLength(3);
      expect(names.slice(0, 2).sort()).toEqual(['A', 'B']); // with the level, in one transaction
      expect(names[2]).toBe('C'); // with the building, later
      for (const alias of ['tmp-a', 'tmp-c']) {
        const entry = await kv.get(alias);
        expect(entry === null || entry.operation !== 'PUT').toBe(true);
      }
    });
  });
});

describe('tenancy and errors', () => {
  it('hides another property entirely: 404 on both surfaces, never 403', async () => {
    const other = await gw.bootstrap('ACME', 'Other Campus');
    expect((await gw.rest(other, 'GET', `/v1/buildings/${pid}`)).status).toBe(404);
    expect((await gw.rest(other, 'GET', `/v1/buildings/${pid}/zone-map`)).body).toMatchObject({
      status: 404,
      detail: `building ${pid} not found`,
    });
    const matrix = await gw.action(other, { op: 'scgrids.buildingZoneMap', pid, propid: other.propid });
    expect(matrix).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: `building ${pid} not found` },
    });
    const slots = await gw.action(
      other,
      { module: 'scdevicemanagement', op: 'scdevicemanagement.getDeviceSlots', propid: other.propid },
      { Alias: ['pc-lobby'] },
    );
    expect(slots.body.Slots).toEqual([]);
    const foreignOrg = await gw.bootstrap('OTHERCO', 'Elsewhere', true);
    expect((await gw.rest(foreignOrg.orgWide!, 'GET', `/v1/properties/${gw.tenant.propid}`)).status).toBe(
      404,
    );
  });

  it('answers the documented error envelope with a 4xx for unknown ops and missing parameters', async () => {
    expect(await gw.action(admin, { op: 'scgrids.noSuchOp', pid })).toMatchObject({
      status: 400,
      body: { code: 'UNKNOWN_OPERATION' },
    });
    expect(await gw.action(admin, { op: 'scteams.getLastNTasks', pid })).toMatchObject({
      status: 400,
      body: { code: 'UNKNOWN_OPERATION' },
    });
    expect(await gw.action(admin, { op: 'scgrids.readZone', pid })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Missing InsID in the body' },
    });
    expect(await gw.action(admin, { op: 'scgrids.readBuilding' })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS' },
    });
    expect(await gw.action(admin, { op: 'scgrids.createLevel', pid }, { Level: 'L9' })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Name: is required' },
    });
    expect(await gw.action(admin, { op: 'scgrids.createLevel', pid }, '{"Name": ')).toMatchObject({
      status: 400,
      body: { code: 'WRONG_PARAMETERS' },
    });
    const tooMany = await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
      name: 'Big',
      levelsCount: 61,
      timeZone: 'UTC',
    });
    expect(tooMany).toMatchObject({
      status: 400,
      body: { errors: ['levelsCount: must not be greater than 60'] },
    });
    const typo = await gw.rest(admin, 'PATCH', `/v1/buildings/${pid}`, { nmae: 'x' });
    expect(typo).toMatchObject({ status: 400, body: { errors: ['nmae: is not a known field'] } });
  });
});
