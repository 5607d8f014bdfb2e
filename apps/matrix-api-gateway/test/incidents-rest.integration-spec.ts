import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { runMigrations } from '@matrix/persistence';
import { createTestDatabase, type TestDatabase } from '@matrix/testing';
import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { CredentialsService } from '../src/credentials/credentials.service';
import { GatewayHarness, type Keys } from './gateway-harness';
/*
 * The real incident-service (its app module, migrations and command handlers) on its own database, in the
 * gateway's NATS namespace: REST v1 must reach the same incident rules the actions API does, not a fake.
 * Apps do not import each other; this integration test is the one place where both run in one process.
 */
/* eslint-disable @nx/enforce-module-boundaries -- boots the real incident-service beside the gateway */
import { AppModule as IncidentServiceModule } from '../../incident-service/src/app.module';
import { loadConfig as incidentServiceConfig } from '../../incident-service/src/config/incident-service.config';
import { persistenceOptions as incidentPersistence } from '../../incident-service/src/persistence-options';
/* eslint-enable @nx/enforce-module-boundaries */

/*
 * REST v1 `/v1/buildings/{pid}/incidents` and `DELETE /v1/properties/{propId}/seats/{seatId}`: the gateway
 * on a real PostgreSQL and NATS, forwarding to the real incident-service.
 */

const gw = new GatewayHarness('incidents-rest');
let incidentDb: TestDatabase;
let incidentService: INestApplication;
let admin: BootstrapResult;
let pid: string;
let lobby: string;
let pantry: string;
let seat: string;
let otherSeat: string;

/** Start-by times in the future (no escalation deadline passes while the tests run), one apart. */
const base = Math.floor(Date.now() / 1000) + 86_400;
let starts = 0;
const startBy = () => new Date((base + ++starts * 60) * 1000).toISOString();

async function incidentRows(): Promise<number> {
  const client = new Client({ connectionString: incidentDb.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from workforce.incidents');
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  incidentDb = await createTestDatabase('incidents-rest-service');
  const env = {
    DATABASE_URL: incidentDb.url,
    NATS_URL: gw.env['NATS_URL'],
    NATS_NAMESPACE: gw.env['NATS_NAMESPACE'],
    LOG_LEVEL: 'error',
  };
  await runMigrations(incidentPersistence(incidentServiceConfig(env)));
  incidentService = await NestFactory.create(IncidentServiceModule.forRoot(incidentServiceConfig(env)), {
    logger: false,
  });
  await incidentService.init();

  const building = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/buildings`, {
    name: 'Tower I',
    levelsCount: 1,
    timeZone: 'Europe/Berlin',
  });
  expect(building.status).toBe(201);
  pid = building.body.pid;
  const level = await gw.action(admin, { op: 'scgrids.createLevel', pid }, { Name: 'Ground', Level: 'L0' });
  const zones = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
    zones: [
      { name: 'Lobby', lid: level.body.data.LID, zoneCategoryId: 'LOBBY' },
      { name: 'Pantry', lid: level.body.data.LID },
    ],
  });
  expect(zones.status).toBe(201);
  [lobby, pantry] = zones.body.items.map((z: { insId: string }) => z.insId);
  const seats = [];
  for (const userName of ['kg', 'mt']) {
    const created = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/seats`, {
      userName,
      userGroup: 'HOUSEKEEPING',
    });
    expect(created.status).toBe(201);
    seats.push(created.body.seatId as string);
  }
  [seat, otherSeat] = seats as [string, string];
}, 60_000);

afterAll(async () => {
  await incidentService?.close();
  await incidentDb?.drop();
  await gw.stop();
});

const path = (suffix = '') => `/v1/buildings/${pid}/incidents${suffix}`;
const create = async (body: Record<string, unknown> = {}) => {
  const created = await gw.rest(admin, 'POST', path(), {
    zoneId: lobby,
    name: 'Spill',
    priority: 'H',
    startBy: startBy(),
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body as Record<string, any>;
};
const transition = (id: string, body: Record<string, unknown>, keys: Keys = admin) =>
  gw.rest(keys, 'POST', path(`/${id}/transitions`), body);

describe('incidents over REST v1', () => {
  it('creates an open incident (201) in the REST shape, retry-safe with Idempotency-Key, the same incident the actions API reads', async () => {
    const at = startBy();
    const body = {
      zoneId: lobby,
      name: 'Spill',
      priority: 'H',
      startBy: at,
      tasks: ['Mop'],
      reportedBy: 'QR',
    };
    const first = await gw.rest(admin, 'POST', path(), body, { 'idempotency-key': 'spill-1' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      incidentId: expect.stringMatching(/^[0-9]{19}$/),
      pid,
      propId: admin.propid,
      org: admin.org,
      zoneId: lobby,
      zoneName: 'Lobby',
      zoneCategoryId: 'LOBBY',
      name: 'Spill',
      description: null,
      priority: 'H',
      status: 'NOT_ASSIGNED',
      seatId: null,
      escalationLevel: 'L0',
      startBy: at,
      due: new Date(Date.parse(at) + 900_000).toISOString(),
      startedAt: null,
      endedAt: null,
      tasks: [{ name: 'Mop', done: false }],
      attachments: [],
      eventSource: null,
      reportedBy: 'QR',
      autoAssigned: false,
      createdOn: expect.any(String),
      modifiedOn: expect.any(String),
    });
    const replay = await gw.rest(admin, 'POST', path(), body, { 'idempotency-key': 'spill-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.incidentId).toBe(first.body.incidentId);
    // Without a key, the same body (same startBy) is still one incident: the create's own content hash.
    expect((await gw.rest(admin, 'POST', path(), body)).body.incidentId).toBe(first.body.incidentId);
    expect(await incidentRows()).toBe(1);

    const viaActions = await gw.action(
      admin,
      { module: 'scworkforcemanagement', op: 'scteams.getUnassignedIncidentByID', pid },
      { Incident: { TaskId: first.body.incidentId, Zone: lobby } },
    );
    expect(viaActions.body.data).toMatchObject({
      TaskId: first.body.incidentId,
      Name: 'Spill',
      Status: 'NOT_ASSIGNED',
    });
  });

  it('creates an incident assigned to a seat', async () => {
    const incident = await create({ seatId: seat, priority: 'M', eventSource: 'FM' });
    expect(incident).toMatchObject({ status: 'ASSIGNED', seatId: seat, priority: 'M', eventSource: 'FM' });
  });

  it('refuses bad input with 400 naming each field, unknown zones and seats with 404, and writes nothing', async () => {
    const before = await incidentRows();
    const bad = await gw.rest(admin, 'POST', path(), {
      name: '',
      priority: 'URGENT',
      startBy: 'tomorrow',
      tasks: 'mop',
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([
      'colour: is not a known field',
      'zoneId: is required',
      'name: must be a non-empty string of at most 1024 characters',
      'priority: must be one of H, M, N, L',
      'startBy: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z',
      'tasks: must be a list of at most 20 task names',
    ]);
    const late = await gw.rest(admin, 'POST', path(), {
      zoneId: lobby,
      name: 'x',
      startBy: '2030-01-01T10:00:00Z',
      due: '2030-01-01T09:00:00Z',
    });
    expect(late.body.errors).toEqual(['due: must not be before startBy']);
    const nowhere = await gw.rest(admin, 'POST', path(), { zoneId: 'nowhere', name: 'x' });
    expect([nowhere.status, nowhere.body.detail]).toEqual([404, 'zone nowhere not found']);
    const noSeat = await gw.rest(admin, 'POST', path(), {
      zoneId: lobby,
      name: 'x',
      seatId: `${admin.propid}_999`,
    });
    expect([noSeat.status, noSeat.body.detail]).toEqual([404, `seat ${admin.propid}_999 not found`]);
    expect((await gw.rest(admin, 'POST', path(), [])).status).toBe(400);
    expect(await incidentRows()).toBe(before);
  });

  it('lists the building’s incidents newest first, filtered by zone, status and start-by range, paged by cursor', async () => {
    const a = await create({ zoneId: pantry, name: 'A' });
    const b = await create({ zoneId: pantry, name: 'B' });
    const c = await create({ zoneId: pantry, name: 'C', seatId: seat });
    const ids = (body: { items: { incidentId: string }[] }) => body.items.map((i) => i.incidentId);

    const all = await gw.rest(admin, 'GET', path(`?zoneId=${pantry}`));
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual([c.incidentId, b.incidentId, a.incidentId]);
    expect(all.body.nextCursor).toBeNull();
    expect(ids((await gw.rest(admin, 'GET', path(`?zoneId=${pantry}&status=NOT_ASSIGNED`))).body)).toEqual([
      b.incidentId,
      a.incidentId,
    ]);
    expect(
      ids((await gw.rest(admin, 'GET', path(`?zoneId=${pantry}&status=ASSIGNED,STARTED`))).body),
    ).toEqual([c.incidentId]);
    const range = `from=${encodeURIComponent(a.startBy)}&to=${encodeURIComponent(c.startBy)}`;
    expect(ids((await gw.rest(admin, 'GET', path(`?zoneId=${pantry}&${range}`))).body)).toEqual([
      b.incidentId,
      a.incidentId,
    ]);

    const seen: string[] = [];
    let cursor: string | null = '';
    do {
      const page: { status: number; body: any } = await gw.rest(
        admin,
        'GET',
        path(`?zoneId=${pantry}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      );
      expect(page.body.items).toHaveLength(1);
      seen.push(...ids(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([c.incidentId, b.incidentId, a.incidentId]);

    const bad = await gw.rest(admin, 'GET', path('?status=DONE&limit=0&zone=x&from=yesterday'));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      'zone: is not a known query parameter (known: zoneId, status, from, to, cursor, limit)',
      'status: must be any of NOT_ASSIGNED, ASSIGNED, STARTED, COMPLETED, INCOMPLETE (comma-separated or repeated)',
      'from: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z',
      'limit: must be a whole number from 1 to 1000',
    ]);
    const forged = await gw.rest(admin, 'GET', path('?cursor=bm90LWEtY3Vyc29y'));
    expect([forged.status, forged.body.detail]).toEqual([400, 'cursor: is not a cursor this API returned']);
  });

  it('reads one incident; another tenant’s building and unknown ids are 404', async () => {
    const incident = await create();
    const got = await gw.rest(admin, 'GET', path(`/${incident.incidentId}`));
    expect(got.body).toEqual(incident);
    expect((await gw.rest(admin, 'GET', path('/1234567890123456789'))).status).toBe(404);
    expect((await gw.rest(admin, 'GET', path('/not-an-id'))).status).toBe(404);
    const stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
    for (const [method, suffix] of [
      ['GET', ''],
      ['GET', `/${incident.incidentId}`],
      ['GET', `/${incident.incidentId}/timeline`],
    ] as const) {
      const answer = await gw.rest(stranger, method, path(suffix));
      expect([answer.status, answer.body.detail]).toEqual([404, `building ${pid} not found`]);
    }
  });

  it('moves an incident along its lifecycle, 409 INVALID_TRANSITION naming the rule, with the timeline', async () => {
    const { incidentId } = await create();
    const writer = await gw.app
      .get(CredentialsService)
      .create({ orgId: admin.org, propId: admin.propid, role: 'write' });
    const reader = await gw.app
      .get(CredentialsService)
      .create({ orgId: admin.org, propId: admin.propid, role: 'read' });

    const early = await transition(incidentId, { action: 'complete' }, writer);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      type: 'https://matrix.dev/problems/invalid-transition',
      title: 'Invalid transition',
      status: 409,
      detail: `incident ${incidentId} in zone ${lobby}: an incident must be started before it is completed`,
    });
    expect((await transition(incidentId, { action: 'assign', seatId: seat }, reader)).status).toBe(403);
    expect((await transition(incidentId, { action: 'assign', seatId: seat }, writer)).body).toMatchObject({
      status: 'ASSIGNED',
      seatId: seat,
    });
    expect((await transition(incidentId, { action: 'escalate' }, writer)).body.escalationLevel).toBe('L1');
    expect((await transition(incidentId, { action: 'reassign', seatId: otherSeat }, writer)).status).toBe(
      403,
    );
    expect((await transition(incidentId, { action: 'reassign', seatId: otherSeat })).body).toMatchObject({
      status: 'ASSIGNED',
      seatId: otherSeat,
      escalationLevel: 'L0',
    });
    const started = await transition(incidentId, { action: 'start' }, writer);
    expect(started.body).toMatchObject({
      status: 'STARTED',
      seatId: otherSeat,
      startedAt: expect.any(String),
    });
    const done = await transition(incidentId, { action: 'complete' }, writer);
    expect(done.body).toMatchObject({ status: 'COMPLETED', endedAt: expect.any(String) });
    const reopen = await transition(incidentId, { action: 'reopen' });
    expect([reopen.status, reopen.body.detail]).toEqual([
      409,
      `incident ${incidentId}: a completed incident is not reassigned (incident setting ALLOW_REASSIGNMENT_RESOLVED is 0)`,
    ]);

    const bad = await transition(incidentId, { action: 'finish', seatId: 5, extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      'extra: is not a known field',
      'action: must be one of assign, start, complete, escalate, reassign, reopen',
      'seatId: must be a non-empty string of at most 1024 characters',
    ]);
    expect((await transition(incidentId, { action: 'assign' })).body.errors).toEqual(['seatId: is required']);

    const timeline = await gw.rest(reader, 'GET', path(`/${incidentId}/timeline`));
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((e: { action: string; status: string }) => [e.action, e.status])).toEqual([
      ['create-open', 'NOT_ASSIGNED'],
      ['assign', 'ASSIGNED'],
      ['escalate', 'ASSIGNED'],
      ['reassign', 'ASSIGNED'],
      ['start', 'STARTED'],
      ['end', 'COMPLETED'],
    ]);
    expect(timeline.body.items[1]).toEqual({
      action: 'assign',
      from: 'NOT_ASSIGNED',
      status: 'ASSIGNED',
      escalationLevel: 'L0',
      seatId: seat,
      by: writer.accessKey,
      at: expect.any(String),
    });
  });

  it('adds, lists and (admin) removes comments', async () => {
    const { incidentId } = await create();
    const writer = await gw.app
      .get(CredentialsService)
      .create({ orgId: admin.org, propId: admin.propid, role: 'write' });
    const added = await gw.rest(writer, 'POST', path(`/${incidentId}/comments`), {
      comment: 'on it',
      userName: 'kg',
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      commentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      incidentId,
      comment: 'on it',
      userName: 'kg',
      createdOn: expect.any(String),
      modifiedOn: expect.any(String),
    });
    const bad = await gw.rest(writer, 'POST', path(`/${incidentId}/comments`), { text: 'x' });
    expect(bad.body.errors).toEqual([
      'text: is not a known field',
      'comment: is required',
      'userName: is required',
    ]);
    const listed = await gw.rest(writer, 'GET', path(`/${incidentId}/comments`));
    expect(listed.body.items).toEqual([added.body]);
    const commentPath = path(`/${incidentId}/comments/${added.body.commentId}`);
    expect((await gw.rest(writer, 'DELETE', commentPath)).status).toBe(403);
    expect((await gw.rest(admin, 'DELETE', commentPath)).status).toBe(204);
    expect((await gw.rest(admin, 'DELETE', commentPath)).status).toBe(404);
    expect((await gw.rest(writer, 'GET', path(`/${incidentId}/comments`))).body.items).toEqual([]);
  });
});

describe('seat removal over REST v1', () => {
  it('refuses (409) while the seat has an unresolved incident, then removes it for good: its id is not reused', async () => {
    const created = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/seats`, {
      userName: 'temp',
      userGroup: 'HOUSEKEEPING',
    });
    const seatId = created.body.seatId as string;
    const { incidentId } = await create({ seatId });
    const seatPath = `/v1/properties/${admin.propid}/seats/${seatId}`;
    const busy = await gw.rest(admin, 'DELETE', seatPath);
    expect([busy.status, busy.body.detail]).toEqual([
      409,
      `seat ${seatId} has 1 unresolved (assigned or started) incident(s); complete or reassign them first`,
    ]);
    const writer = await gw.app
      .get(CredentialsService)
      .create({ orgId: admin.org, propId: admin.propid, role: 'write' });
    await transition(incidentId, { action: 'start' }, writer);
    expect((await gw.rest(admin, 'DELETE', seatPath)).status).toBe(409);
    expect((await transition(incidentId, { action: 'complete' }, writer)).body.status).toBe('COMPLETED');

    expect((await gw.rest(writer, 'DELETE', seatPath)).status).toBe(403);
    expect((await gw.rest(admin, 'DELETE', seatPath)).status).toBe(204);
    expect((await gw.rest(admin, 'DELETE', seatPath)).status).toBe(404);
    const listed = await gw.rest(admin, 'GET', `/v1/properties/${admin.propid}/seats`);
    expect(listed.body.items.map((s: { seatId: string }) => s.seatId)).not.toContain(seatId);
    const next = await gw.rest(admin, 'POST', `/v1/properties/${admin.propid}/seats`, {
      userName: 'new',
      userGroup: 'HOUSEKEEPING',
    });
    expect(Number(next.body.seatId.slice(-3))).toBe(Number(seatId.slice(-3)) + 1);
    // The completed incident still names the removed seat.
    expect((await gw.rest(admin, 'GET', path(`/${incidentId}`))).body.seatId).toBe(seatId);
    expect((await gw.rest(admin, 'DELETE', '/v1/properties/someone-elses/seats/x_001')).status).toBe(404);
  });
});
