import {
  basicAuth,
  bearerAuth,
  MatrixApiError,
  MatrixClient,
  scHmacAuth,
  type MatrixAuth,
} from '@matrix/sdk';
import { EVENTS_AT, seedSensorDataAndEvents } from './sdk-fixtures';
import { at, WorkforceRest } from './workforce-rest';

/*
 * The TypeScript SDK (libs/sdk) against the real gateway, with the real incident-service behind it: one
 * test per REST v1 operation family, each through the SDK's typed client (SC-HMAC, Basic and Bearer
 * credentials), its cursor iterators and its typed errors. The SQL roles, SQL sink and subscription routes
 * are forwarded to sql-projector and event-router, which this suite does not run; sdk-forwarded covers the
 * roles and subscriptions (not the sink: see there).
 */

const w = new WorkforceRest('sdk-rest');
let admin: MatrixClient;
let writer: MatrixClient;
let reader: MatrixClient;

const client = (auth: MatrixAuth) =>
  new MatrixClient({ baseUrl: w.gw.url, auth, retry: { baseDelayMs: 10, maxDelayMs: 50 } });

beforeAll(async () => {
  await w.start();
  admin = client(
    scHmacAuth({ accessKey: w.admin.accessKey, secretKey: w.admin.secretKey, propId: w.admin.propid }),
  );
  writer = client(basicAuth(w.writer));
  reader = client(bearerAuth(w.reader));
  await seedSensorDataAndEvents(w.gw.db.url, { pid: w.pid, propId: w.admin.propid, zone: w.lobby });
}, 90_000);
afterAll(() => w.stop());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('the SDK over REST v1', () => {
  it('reads and creates properties (SC-HMAC, org-wide Basic)', async () => {
    const { data: list } = await admin.rest.GET('/v1/properties');
    expect(list.items.map((p) => p.propId)).toContain(w.admin.propid);
    const { data: property } = await reader.rest.GET('/v1/properties/{propId}', {
      params: { path: { propId: w.admin.propid } },
    });
    expect(property).toMatchObject({ propId: w.admin.propid, name: 'HQ Campus' });
    const orgAdmin = client(basicAuth(w.admin.orgWide!));
    const { data: created } = await orgAdmin.rest.POST('/v1/properties', {
      body: { name: 'Annex', typeId: 'COMMERCIAL_BUILDINGS', timeZone: 'Europe/Berlin' },
    });
    expect(created).toMatchObject({ name: 'Annex', orgId: w.admin.org });
    // An organisation-wide credential signs SC-HMAC without a property (the empty string).
    const orgSigned = client(scHmacAuth(w.admin.orgWide!));
    const { data: all } = await orgSigned.rest.GET('/v1/properties');
    expect(all.items.map((p) => p.name)).toEqual(expect.arrayContaining(['HQ Campus', 'Annex']));
    // With an x-sc-propid header it signs that property, as the gateway verifies it.
    const { data: annex } = await orgSigned.rest.GET('/v1/properties/{propId}', {
      params: { path: { propId: created.propId } },
      headers: { 'x-sc-propid': created.propId },
    });
    expect(annex).toMatchObject({ propId: created.propId, name: 'Annex' });
  });

  it('creates, lists, reads, updates and removes a building', async () => {
    const propId = w.admin.propid;
    const { data: building } = await writer.rest.POST('/v1/properties/{propId}/buildings', {
      params: { path: { propId } },
      body: { name: 'Depot', levelsCount: 1, timeZone: 'UTC' },
    });
    const pid = building.pid;
    const { data: list } = await reader.rest.GET('/v1/properties/{propId}/buildings', {
      params: { path: { propId } },
    });
    expect(list.items.map((b) => b.pid)).toEqual(expect.arrayContaining([w.pid, pid]));
    const { data: patched } = await writer.rest.PATCH('/v1/buildings/{pid}', {
      params: { path: { pid } },
      body: { name: 'Depot North' },
    });
    expect(patched.name).toBe('Depot North');
    expect((await reader.rest.GET('/v1/buildings/{pid}', { params: { path: { pid } } })).data.name).toBe(
      'Depot North',
    );
    const removed = await admin.rest.DELETE('/v1/buildings/{pid}', { params: { path: { pid } } });
    expect(removed.response.status).toBe(204);
    const gone = await reader.rest
      .GET('/v1/buildings/{pid}', { params: { path: { pid } } })
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MatrixApiError);
    expect(gone).toMatchObject({ status: 404, problem: { status: 404 }, path: `/v1/buildings/${pid}` });
  });

  it('creates, lists, reads, updates and removes a level', async () => {
    const pid = w.pid;
    const { data: level } = await writer.rest.POST('/v1/buildings/{pid}/levels', {
      params: { path: { pid } },
      body: { name: 'Roof', level: 'L9' },
    });
    const lid = level.lid;
    const { data: levels } = await reader.rest.GET('/v1/buildings/{pid}/levels', {
      params: { path: { pid } },
    });
    expect(levels.items.map((l) => l.lid)).toContain(lid);
    await writer.rest.PATCH('/v1/buildings/{pid}/levels/{lid}', {
      params: { path: { pid, lid } },
      body: { name: 'Roof deck' },
    });
    const { data: read } = await reader.rest.GET('/v1/buildings/{pid}/levels/{lid}', {
      params: { path: { pid, lid } },
    });
    expect(read.name).toBe('Roof deck');
    await admin.rest.DELETE('/v1/buildings/{pid}/levels/{lid}', { params: { path: { pid, lid } } });
    await expect(
      reader.rest.GET('/v1/buildings/{pid}/levels/{lid}', { params: { path: { pid, lid } } }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('creates zones and pages through them and the zone map with the cursor iterators', async () => {
    const pid = w.pid;
    const { data: levels } = await reader.rest.GET('/v1/buildings/{pid}/levels', {
      params: { path: { pid } },
    });
    const lid = levels.items[0]!.lid;
    const { data: created } = await writer.rest.POST('/v1/buildings/{pid}/zones', {
      params: { path: { pid } },
      body: {
        zones: [
          { name: 'Stair A', lid },
          { name: 'Stair B', lid },
          { name: 'Stair C', lid },
        ],
      },
    });
    const ids = created.items.map((z) => z.insId);
    const zones = await collect(
      reader.rest.paginate('/v1/buildings/{pid}/zones', { params: { path: { pid }, query: { limit: 2 } } }),
    );
    expect(zones.map((z) => z.insId)).toEqual(expect.arrayContaining([w.lobby, w.pantry, ...ids]));
    expect(zones).toHaveLength(5);
    const map: Record<string, string> = {};
    let pages = 0;
    for await (const page of reader.rest.pages('/v1/buildings/{pid}/zone-map', {
      params: { path: { pid }, query: { limit: 2 } },
    })) {
      pages += 1;
      Object.assign(map, page.zones);
    }
    expect(pages).toBe(3);
    expect(map).toMatchObject({ [w.lobby]: 'Lobby', [ids[0]!]: 'Stair A' });
    const insId = ids[2]!;
    await writer.rest.PATCH('/v1/buildings/{pid}/zones/{insId}', {
      params: { path: { pid, insId } },
      body: { name: 'Stair C2' },
    });
    expect(
      (await reader.rest.GET('/v1/buildings/{pid}/zones/{insId}', { params: { path: { pid, insId } } })).data
        .name,
    ).toBe('Stair C2');
    await admin.rest.DELETE('/v1/buildings/{pid}/zones/{insId}', { params: { path: { pid, insId } } });
    await expect(
      reader.rest.GET('/v1/buildings/{pid}/zones/{insId}', { params: { path: { pid, insId } } }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('creates, lists, reads, updates and removes device slots', async () => {
    const pid = w.pid;
    for (const alias of ['sdk-pc-1', 'sdk-pc-2', 'sdk-fd-1']) {
      await writer.rest.POST('/v1/buildings/{pid}/device-slots', {
        params: { path: { pid } },
        body: { alias, type: alias.includes('fd') ? 'SMARTCLEAN#FD' : 'SMARTCLEAN#PPLCTR', zoneId: w.lobby },
      });
    }
    const counters = await collect(
      reader.rest.paginate('/v1/device-slots', {
        params: { query: { pid, type: 'SMARTCLEAN#PPLCTR', limit: 1 } },
      }),
    );
    expect(counters.map((s) => s.alias)).toEqual(['sdk-pc-1', 'sdk-pc-2']);
    await writer.rest.PATCH('/v1/device-slots/{alias}', {
      params: { path: { alias: 'sdk-fd-1' } },
      body: { display: 'Feedback' },
    });
    const { data: slot } = await reader.rest.GET('/v1/device-slots/{alias}', {
      params: { path: { alias: 'sdk-fd-1' } },
    });
    expect(slot).toMatchObject({ alias: 'sdk-fd-1', display: 'Feedback', type: 'SMARTCLEAN#FD' });
    await admin.rest.DELETE('/v1/device-slots/{alias}', { params: { path: { alias: 'sdk-fd-1' } } });
    await expect(
      reader.rest.GET('/v1/device-slots/{alias}', { params: { path: { alias: 'sdk-fd-1' } } }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('pages through past sensor data and reads its aggregate', async () => {
    const query = { pid: w.pid, from: at(-2, 0), to: at(-1, 0) };
    const points = await collect(
      reader.rest.paginate('/v1/sensor-data', { params: { query: { ...query, limit: 2 } } }),
    );
    expect(points.map((p) => p.v)).toEqual([{ count: 3 }, { count: 4 }, { count: 7 }]);
    const { data } = await reader.rest.GET('/v1/sensor-data/aggregate', {
      params: { query: { ...query, field: 'count', agg: 'sum', interval: 'day', type: 'SMARTCLEAN#PPLCTR' } },
    });
    expect(data.buckets.map((b) => [b.value, b.points])).toEqual([[14, 3]]);
  });

  it('issues, lists and revokes ingest keys', async () => {
    const pid = w.pid;
    const { data: issued } = await admin.rest.POST('/v1/buildings/{pid}/ingest-keys', {
      params: { path: { pid } },
      body: { name: 'sdk gateway' },
    });
    expect(issued.key).toMatch(/^mik_/);
    await admin.rest.POST('/v1/buildings/{pid}/ingest-keys', {
      params: { path: { pid } },
      body: { name: 'sdk gateway 2' },
    });
    const keys = await collect(
      admin.rest.paginate('/v1/buildings/{pid}/ingest-keys', {
        params: { path: { pid }, query: { limit: 1 } },
      }),
    );
    expect(keys.map((k) => k.name)).toEqual(expect.arrayContaining(['sdk gateway', 'sdk gateway 2']));
    await admin.rest.DELETE('/v1/buildings/{pid}/ingest-keys/{id}', {
      params: { path: { pid, id: issued.id } },
    });
    const active = await collect(
      admin.rest.paginate('/v1/buildings/{pid}/ingest-keys', { params: { path: { pid } } }),
    );
    expect(active.map((k) => k.id)).not.toContain(issued.id);
  });

  it('creates, lists, rotates and revokes access keys; a new key authenticates as Bearer', async () => {
    const propId = w.admin.propid;
    const { data: issued } = await admin.rest.POST('/v1/properties/{propId}/access-keys', {
      params: { path: { propId } },
      body: { role: 'read', label: 'sdk' },
    });
    const fresh = client(bearerAuth({ accessKey: issued.accessKey, secretKey: issued.secretKey! }));
    expect(
      (await fresh.rest.GET('/v1/properties/{propId}', { params: { path: { propId } } })).data.propId,
    ).toBe(propId);
    const { data: list } = await admin.rest.GET('/v1/properties/{propId}/access-keys', {
      params: { path: { propId } },
    });
    expect(list.items.map((k) => k.accessKey)).toContain(issued.accessKey);
    const { data: rotated } = await admin.rest.POST(
      '/v1/properties/{propId}/access-keys/{accessKey}/rotate',
      {
        params: { path: { propId, accessKey: issued.accessKey } },
      },
    );
    expect(rotated.secretKey).not.toBe(issued.secretKey);
    await expect(
      fresh.rest.GET('/v1/properties/{propId}', { params: { path: { propId } } }),
    ).rejects.toMatchObject({ status: 401 });
    await admin.rest.DELETE('/v1/properties/{propId}/access-keys/{accessKey}', {
      params: { path: { propId, accessKey: issued.accessKey } },
    });
  });

  it('creates, lists, updates and deletes seats', async () => {
    const propId = w.admin.propid;
    const { data: seat } = await admin.rest.POST('/v1/properties/{propId}/seats', {
      params: { path: { propId } },
      body: { userName: 'sdk-seat', userGroup: 'HOUSEKEEPING' },
    });
    const { data: list } = await reader.rest.GET('/v1/properties/{propId}/seats', {
      params: { path: { propId } },
    });
    expect(list.items.map((s) => s.seatId)).toEqual(expect.arrayContaining([w.seat, seat.seatId]));
    const { data: updated } = await admin.rest.PATCH('/v1/properties/{propId}/seats/{seatId}', {
      params: { path: { propId, seatId: seat.seatId } },
      body: { userName: 'sdk-seat-2' },
    });
    expect(updated.userName).toBe('sdk-seat-2');
    const removed = await admin.rest.DELETE('/v1/properties/{propId}/seats/{seatId}', {
      params: { path: { propId, seatId: seat.seatId } },
    });
    expect(removed.response.status).toBe(204);
  });

  it('creates, lists, transitions, comments on and reads the timeline of incidents', async () => {
    const pid = w.pid;
    const body = { zoneId: w.lobby, name: 'Spill', priority: 'H' as const, startBy: at(0, 12) };
    const { data: incident } = await writer.rest.POST('/v1/buildings/{pid}/incidents', {
      params: { path: { pid } },
      body,
      headers: { 'Idempotency-Key': 'sdk-spill-1' },
    });
    expect(incident).toMatchObject({ name: 'Spill', status: 'NOT_ASSIGNED' });
    const incidentId = incident.incidentId;
    const listed = await collect(
      reader.rest.paginate('/v1/buildings/{pid}/incidents', { params: { path: { pid } } }),
    );
    expect(listed.map((i) => i.incidentId)).toContain(incidentId);
    const { data: assigned } = await writer.rest.POST(
      '/v1/buildings/{pid}/incidents/{incidentId}/transitions',
      {
        params: { path: { pid, incidentId } },
        body: { action: 'assign', seatId: w.seat },
      },
    );
    expect(assigned.status).toBe('ASSIGNED');
    const { data: comment } = await writer.rest.POST('/v1/buildings/{pid}/incidents/{incidentId}/comments', {
      params: { path: { pid, incidentId } },
      body: { comment: 'mop on the way', userName: 'kg' },
    });
    const { data: comments } = await reader.rest.GET('/v1/buildings/{pid}/incidents/{incidentId}/comments', {
      params: { path: { pid, incidentId } },
    });
    expect(comments.items.map((c) => c.comment)).toEqual(['mop on the way']);
    await admin.rest.DELETE('/v1/buildings/{pid}/incidents/{incidentId}/comments/{commentId}', {
      params: { path: { pid, incidentId, commentId: comment.commentId } },
    });
    const { data: timeline } = await reader.rest.GET('/v1/buildings/{pid}/incidents/{incidentId}/timeline', {
      params: { path: { pid, incidentId } },
    });
    expect(timeline.items.map((t) => t.action)).toEqual(expect.arrayContaining(['assign']));
    const { data: read } = await reader.rest.GET('/v1/buildings/{pid}/incidents/{incidentId}', {
      params: { path: { pid, incidentId } },
    });
    expect(read.status).toBe('ASSIGNED');
  });

  it('plans, lists, reads, updates, transitions and deletes shifts', async () => {
    const pid = w.pid;
    const { data: planned } = await writer.rest.POST('/v1/buildings/{pid}/shifts', {
      params: { path: { pid } },
      body: { seatId: w.otherSeat, start: at(3, 8), end: at(3, 16) },
      headers: { 'Idempotency-Key': 'sdk-shift-1' },
    });
    const shiftId = planned.shiftIds[0]!;
    const listed = await collect(
      reader.rest.paginate('/v1/buildings/{pid}/shifts', {
        params: { path: { pid }, query: { from: at(2, 0), to: at(4, 0) } },
      }),
    );
    expect(listed.map((s) => s.shiftId)).toContain(shiftId);
    await writer.rest.PATCH('/v1/buildings/{pid}/shifts/{shiftId}', {
      params: { path: { pid, shiftId } },
      body: { description: 'SDK' },
    });
    const { data: published } = await writer.rest.POST('/v1/buildings/{pid}/shifts/{shiftId}/transitions', {
      params: { path: { pid, shiftId } },
      body: { action: 'publish' },
    });
    expect(published.status).toBe('PUBLISHED');
    expect(
      (await reader.rest.GET('/v1/buildings/{pid}/shifts/{shiftId}', { params: { path: { pid, shiftId } } }))
        .data.description,
    ).toBe('SDK');
    const removed = await writer.rest.DELETE('/v1/buildings/{pid}/shifts/{shiftId}', {
      params: { path: { pid, shiftId } },
    });
    expect(removed.response.status).toBe(204);
  });

  it('sets, reads, changes and removes a seat’s availability and its zones', async () => {
    const path = { propId: w.admin.propid, seatId: w.otherSeat };
    await writer.rest.POST('/v1/properties/{propId}/seats/{seatId}/availability', {
      params: { path },
      body: { daysOfWeek: [1, 2], timeSlots: [{ startTime: '06:00', endTime: '10:00' }] },
    });
    await writer.rest.PATCH('/v1/properties/{propId}/seats/{seatId}/availability', {
      params: { path },
      body: { days: [{ dayOfWeek: 2, timeSlots: [{ startTime: '07:00', endTime: '11:00' }] }] },
    });
    const { data: plan } = await reader.rest.GET('/v1/properties/{propId}/seats/{seatId}/availability', {
      params: { path },
    });
    expect(plan.days.map((d) => d.dayOfWeek)).toEqual([1, 2]);
    await writer.rest.POST('/v1/properties/{propId}/seats/{seatId}/availability-zones', {
      params: { path },
      body: { pid: w.pid, zoneIds: [w.lobby] },
    });
    await writer.rest.PUT('/v1/properties/{propId}/seats/{seatId}/availability-zones/{pid}', {
      params: { path: { ...path, pid: w.pid } },
      body: { zoneIds: [w.pantry] },
    });
    const { data: zones } = await reader.rest.GET(
      '/v1/properties/{propId}/seats/{seatId}/availability-zones',
      { params: { path } },
    );
    expect(JSON.stringify(zones.buildings)).toContain(w.pantry);
    await writer.rest.DELETE('/v1/properties/{propId}/seats/{seatId}/availability-zones', {
      params: { path },
    });
    await writer.rest.DELETE('/v1/properties/{propId}/seats/{seatId}/availability', { params: { path } });
  });

  it('adds, lists, reads, transitions and removes task groups; reads a zone’s last clean and who is on shift', async () => {
    const pid = w.pid;
    const now = Math.floor(Date.now() / 1000);
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
    await writer.rest.POST('/v1/properties/{propId}/seats/{seatId}/availability', {
      params: { path: { propId: w.admin.propid, seatId: w.seat } },
      body: { daysOfWeek: [0, 1, 2, 3, 4, 5, 6], timeSlots: [{ startTime: '00:00', endTime: '24:00' }] },
    });
    const { data: planned } = await writer.rest.POST('/v1/buildings/{pid}/shifts', {
      params: { path: { pid } },
      body: {
        seatId: w.seat,
        start: iso(now + 60),
        end: iso(now + 8 * 3600),
        zoneIds: [w.lobby],
        publish: true,
      },
    });
    const shiftId = planned.shiftIds[0]!;
    await writer.rest.POST('/v1/buildings/{pid}/shifts/{shiftId}/transitions', {
      params: { path: { pid, shiftId } },
      body: { action: 'start' },
    });
    const { data: group } = await writer.rest.POST('/v1/buildings/{pid}/shifts/{shiftId}/task-groups', {
      params: { path: { pid, shiftId } },
      body: {
        name: 'Lobby round',
        start: iso(now + 120),
        end: iso(now + 3600),
        zoneId: w.lobby,
        tasks: [{ name: 'Mop' }],
      },
    });
    const taskId = group.taskId;
    const { data: groups } = await reader.rest.GET('/v1/buildings/{pid}/shifts/{shiftId}/task-groups', {
      params: { path: { pid, shiftId } },
    });
    expect(groups.items.map((g) => g.taskId)).toContain(taskId);
    for (const action of ['start', 'complete'] as const) {
      await writer.rest.POST('/v1/buildings/{pid}/shifts/{shiftId}/task-groups/{taskId}/transitions', {
        params: { path: { pid, shiftId, taskId } },
        body: { action },
      });
    }
    const { data: done } = await reader.rest.GET(
      '/v1/buildings/{pid}/shifts/{shiftId}/task-groups/{taskId}',
      { params: { path: { pid, shiftId, taskId } } },
    );
    expect(done.status).toBe('COMPLETED');
    const { data: lastClean } = await reader.rest.GET('/v1/buildings/{pid}/zones/{zoneId}/last-clean', {
      params: { path: { pid, zoneId: w.lobby } },
    });
    expect(lastClean).toMatchObject({ zoneId: w.lobby, lastCleanedAt: expect.any(String) });
    const { data: onShift } = await reader.rest.GET('/v1/buildings/{pid}/zones/{zoneId}/on-shift', {
      params: { path: { pid, zoneId: w.lobby } },
    });
    expect(onShift.zoneId).toBe(w.lobby);
    const { data: second } = await writer.rest.POST('/v1/buildings/{pid}/shifts/{shiftId}/task-groups', {
      params: { path: { pid, shiftId } },
      body: {
        name: 'Pantry round',
        start: iso(now + 3600),
        end: iso(now + 7200),
        zoneId: w.pantry,
        tasks: [{ name: 'Wipe' }],
      },
    });
    await writer.rest.DELETE('/v1/buildings/{pid}/shifts/{shiftId}/task-groups/{taskId}', {
      params: { path: { pid, shiftId, taskId: second.taskId } },
    });
  });

  it('lists, reads, changes and resets solution settings', async () => {
    const pid = w.pid;
    const { data: list } = await reader.rest.GET('/v1/buildings/{pid}/solutions', {
      params: { path: { pid } },
    });
    expect(list.items.length).toBeGreaterThan(0);
    const slotType = 'SMARTCLEAN#ODRDTR';
    const { data: changed } = await admin.rest.PATCH('/v1/buildings/{pid}/solutions/{slotType}', {
      params: { path: { pid, slotType } },
      body: { zoneBlockSeconds: 600 },
    });
    expect(changed.customised).toEqual(['zoneBlockSeconds']);
    expect(
      (
        await reader.rest.GET('/v1/buildings/{pid}/solutions/{slotType}', {
          params: { path: { pid, slotType } },
        })
      ).data,
    ).toEqual(changed);
    await admin.rest.DELETE('/v1/buildings/{pid}/solutions/{slotType}', {
      params: { path: { pid, slotType } },
    });
    expect(
      (
        await reader.rest.GET('/v1/buildings/{pid}/solutions/{slotType}', {
          params: { path: { pid, slotType } },
        })
      ).data.customised,
    ).toEqual([]);
  });

  it('pages through the event log of a building and a property, and reads the latest events', async () => {
    const iso = (unix: number) => new Date(unix * 1000).toISOString();
    const query = { module: 'scgrids', from: iso(EVENTS_AT), to: iso(EVENTS_AT + 60), limit: 2 };
    const building = await collect(
      reader.rest.paginate('/v1/buildings/{pid}/events', { params: { path: { pid: w.pid }, query } }),
    );
    expect(building.map((e) => e.description)).toEqual([0, 1, 2].map((i) => `ZONE_CREATED outbox:sdk:${i}`));
    const property = await collect(
      reader.rest.paginate('/v1/properties/{propId}/events', {
        params: { path: { propId: w.admin.propid }, query },
      }),
    );
    expect(property).toEqual(building);
    const { data: latest } = await reader.rest.GET('/v1/buildings/{pid}/events/latest', {
      params: { path: { pid: w.pid }, query: { module: 'scgrids', limit: 1 } },
    });
    expect(latest.items.map((e) => e.description)).toEqual(['ZONE_CREATED outbox:sdk:2']);
    const { data: latestOfProperty } = await reader.rest.GET('/v1/properties/{propId}/events/latest', {
      params: { path: { propId: w.admin.propid }, query: { module: 'scgrids', limit: 1 } },
    });
    expect(latestOfProperty).toEqual(latest);
  });

  it('throws the gateway’s problem as MatrixApiError: a read key’s write, an unknown field', async () => {
    const forbidden = await reader.rest
      .POST('/v1/buildings/{pid}/levels', { params: { path: { pid: w.pid } }, body: { name: 'Nope' } })
      .catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(MatrixApiError);
    expect(forbidden).toMatchObject({
      status: 403,
      method: 'POST',
      path: `/v1/buildings/${w.pid}/levels`,
      attempts: 1,
      // The gateway's x-request-id, to quote when asking about the failure.
      requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    });
    const invalid = (await writer.rest
      .POST('/v1/buildings/{pid}/levels', {
        params: { path: { pid: w.pid } },
        body: { nmae: 'typo' } as never,
      })
      .catch((e: unknown) => e)) as MatrixApiError;
    expect(invalid.status).toBe(400);
    expect(invalid.problem?.errors).toEqual(expect.arrayContaining([expect.stringContaining('nmae')]));
  });
});
