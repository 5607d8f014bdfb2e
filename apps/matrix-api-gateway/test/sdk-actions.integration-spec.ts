import { randomUUID } from 'node:crypto';
import {
  basicAuth,
  bearerAuth,
  MatrixApiError,
  MatrixClient,
  scHmacAuth,
  type GridsEnvelope,
  type MatrixAuth,
  type RetryEvent,
} from '@matrix/sdk';
import { GatewayHarness } from './gateway-harness';
import { EVENTS_AT, seedSensorDataAndEvents } from './sdk-fixtures';
import { WorkforceRest } from './workforce-rest';

/*
 * The TypeScript SDK (libs/sdk) against the real gateway: the Matrix actions API of every module, with the
 * real incident-service behind the forwarded ones (scworkforcemanagement, attendance) — the SDK's `call`,
 * its typed helpers, its ESK/LEK, LastEvaluatedKey and LastKey iterators, its errors carrying the envelope,
 * and, on a gateway with a rate limit of one request a second, its retry after the 429's Retry-After.
 */

const w = new WorkforceRest('sdk-actions');
let admin: MatrixClient;
let writer: MatrixClient;
let reader: MatrixClient;
const INTEGRATION = randomUUID();

const client = (auth: MatrixAuth, propid?: string) =>
  new MatrixClient({
    baseUrl: w.gw.url,
    auth,
    actions: { org: w.admin.org, ...(propid ? { propid } : {}) },
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
  });

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

beforeAll(async () => {
  await w.start();
  admin = client(
    scHmacAuth({ accessKey: w.admin.accessKey, secretKey: w.admin.secretKey, propId: w.admin.propid }),
  );
  writer = client(scHmacAuth(w.writer), w.admin.propid);
  reader = client(basicAuth(w.reader));
  await seedSensorDataAndEvents(w.gw.db.url, { pid: w.pid, propId: w.admin.propid, zone: w.lobby });
  await w.query(
    `insert into workforce.attendance_integrations
       (integration_id, org_id, prop_id, default_pid, description, user_map, created_on, updated_on)
     values ($1, $2, $3, $4, 'Badge reader', $5, to_timestamp(1631151741), to_timestamp(1631151741))`,
    [INTEGRATION, w.admin.org, w.admin.propid, w.pid, JSON.stringify({ 'emp-1': w.seat })],
  );
}, 90_000);
afterAll(() => w.stop());

describe('the SDK over the actions API', () => {
  it('scgrids: reads properties and a building with the typed helpers (SC-HMAC and Basic)', async () => {
    expect((await admin.actions.listProperties()).map((p) => p.PropId)).toContain(w.admin.propid);
    expect(await reader.actions.readProperty()).toMatchObject({ PropId: w.admin.propid, Name: 'HQ Campus' });
    expect(await reader.actions.readBuilding(w.pid)).toMatchObject({ PID: w.pid, Name: 'Tower I' });
  });

  it('scgrids: creates a level and zones with call(), answering the documented envelope', async () => {
    const level = await writer.actions.call<'scgrids.createLevel', GridsEnvelope<{ LID: string }>>(
      'scgrids.createLevel',
      { Name: 'Mezzanine' },
      { pid: w.pid },
    );
    expect(level).toMatchObject({ status: 201, message: 'Successfully created the level!' });
    const zones = await writer.actions.call(
      'scgrids.createZone',
      {
        Zone: [{ Name: 'Gallery', LID: level.data.LID }],
      },
      { pid: w.pid },
    );
    expect(zones.status).toBe(201);
  });

  it('scgrids: pages through zones (ESK/LEK) and merges the zone map', async () => {
    const zones = await collect(reader.actions.listZonesByBuilding(w.pid));
    expect(zones.map((z) => z.Name)).toEqual(expect.arrayContaining(['Lobby', 'Pantry']));
    const map = await reader.actions.buildingZoneMap(w.pid);
    expect(map).toMatchObject({ [w.lobby]: 'Lobby', [w.pantry]: 'Pantry' });
    const entries = await collect(
      reader.actions.paginate<[string, string]>('scgrids.buildingZoneMap', {}, { pid: w.pid }),
    );
    expect(Object.fromEntries(entries)).toEqual(map);
  });

  it('scdevicemanagement: creates a slot over REST, reads it with getDeviceSlots and listDevicesForProjectV2', async () => {
    await writer.rest.POST('/v1/buildings/{pid}/device-slots', {
      params: { path: { pid: w.pid } },
      body: { alias: 'sdk-actions-pc', type: 'SMARTCLEAN#PPLCTR', zoneId: w.lobby },
    });
    expect((await reader.actions.getDeviceSlots(['sdk-actions-pc'])).map((s) => s.Alias)).toEqual([
      'sdk-actions-pc',
    ]);
    const all = await reader.actions.call('scdevicemanagement.listDevicesForProjectV2', null, { pid: w.pid });
    expect(all).toMatchObject({ code: 'SUCCESS' });
    expect(all.Slots?.map((s) => s.Alias)).toContain('sdk-actions-pc');
  });

  it('scteamsprop: reads the member groups', async () => {
    const groups = await reader.actions.call('scpropteams.getMemberGroup', null);
    expect(groups.status).toBe('SUCCESS');
    expect(groups.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ GroupId: 'HOUSEKEEPING' })]),
    );
  });

  it('scmetrics: pages through the event logs (LastKey) and reads the latest ones', async () => {
    const records = await collect(
      reader.actions.paginate<{ Event: string; Description: string }>(
        'scmetrics.getEventLogs',
        { Principal: w.pid, Module: 'scgrids', Start: EVENTS_AT, End: EVENTS_AT + 60 },
        { pid: w.pid },
      ),
    );
    expect(records.map((r) => r.Description)).toEqual([0, 1, 2].map((i) => `ZONE_CREATED outbox:sdk:${i}`));
    const latest = await reader.actions.call(
      'scmetrics.getNLatestEventLogs',
      { Principal: w.pid, Module: 'scgrids', N: 1 },
      { pid: w.pid },
    );
    expect(latest).toMatchObject({ type: 'json', queryType: 'eventsTSDB' });
  });

  it('scworkforcemanagement: creates an open incident (forwarded to incident-service) and pages the open ones', async () => {
    const incident = await writer.actions.createIncidentWithoutAssignee(w.pid, {
      Name: 'Spill',
      Priority: 'H',
      Zone: w.lobby,
    });
    expect(incident).toMatchObject({ Name: 'Spill', Zone: w.lobby });
    const now = Math.floor(Date.now() / 1000);
    const open = await collect(
      reader.actions.paginate<{ TaskId: string }>(
        'scteams.getPaginatedListOfUnAssignedIncidents',
        { StartTime: now - 3600, EndTime: now + 3600 },
        { pid: w.pid },
      ),
    );
    expect(open.map((i) => i.TaskId)).toContain(incident.TaskId);
    const settings = await reader.actions.call('scteams.getIncidentsSettings', null, {
      pid: w.pid,
      retry: true,
    });
    expect(settings.code).toBe('SUCCESS');
  });

  it('attendance: reads an integration (forwarded to incident-service)', async () => {
    const integration = await reader.actions.call('scattendance.readIntegration', {
      IntegrationId: INTEGRATION,
    });
    expect(integration).toMatchObject({ IntegrationId: INTEGRATION, DefaultPID: w.pid });
  });

  it('throws the envelope as MatrixApiError: unknown op, a read key’s write, Bearer access key on actions', async () => {
    const unknown = await reader.actions.call('scgrids.noSuchOp').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(MatrixApiError);
    expect(unknown).toMatchObject({
      status: 400,
      code: 'UNKNOWN_OPERATION',
      op: 'scgrids.noSuchOp',
      envelope: { code: 'UNKNOWN_OPERATION' },
    });
    await expect(
      reader.actions.call('scgrids.createLevel', { Name: 'No' }, { pid: w.pid }),
    ).rejects.toMatchObject({
      status: 403,
      code: 'IMPLICIT_DENY',
    });
    const bearer = client(bearerAuth(w.reader));
    await expect(bearer.actions.readProperty()).rejects.toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
  });
});

describe('the SDK against a rate-limited gateway', () => {
  const limited = new GatewayHarness(
    'sdk-rate-limit',
    {},
    { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '1' },
  );
  beforeAll(() => limited.start(), 60_000);
  afterAll(() => limited.stop());

  it('waits for the 429’s Retry-After and succeeds, even for a write', async () => {
    const retries: RetryEvent[] = [];
    const sdk = new MatrixClient({
      baseUrl: limited.url,
      auth: scHmacAuth({ ...limited.tenant, propId: limited.tenant.propid }),
      // A back-off this long would outlast the test: only Retry-After (1 s) lets the retry happen in time.
      retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      onRetry: (event) => retries.push(event),
    });
    // Two writes at once against a budget of one request a second: one of them is answered 429 and, though
    // a POST without an Idempotency-Key, sent again after the Retry-After.
    const path = `/v1/properties/${limited.tenant.propid}/buildings`;
    const created = await Promise.all(
      ['Limited A', 'Limited B'].map((name) =>
        sdk.rest.POST('/v1/properties/{propId}/buildings', {
          params: { path: { propId: limited.tenant.propid } },
          body: { name, levelsCount: 1, timeZone: 'UTC' },
        }),
      ),
    );
    expect(created.map(({ data }) => data.name).sort()).toEqual(['Limited A', 'Limited B']);
    expect(retries).toContainEqual({
      request: { method: 'POST', path },
      attempt: 1,
      status: 429,
      delayMs: 1000,
    });
    await sdk.actions.listProperties();
    const pid = created[0]!.data.pid;
    const first = await sdk.rest.GET('/v1/buildings/{pid}', { params: { path: { pid } } });
    expect(first.data.pid).toBe(pid);
    // Every retry was a 429 waited for its Retry-After of 1 s (the gateway's, at one request a second).
    expect(retries.map(({ status, delayMs }) => ({ status, delayMs }))).toEqual(
      retries.map(() => ({ status: 429, delayMs: 1000 })),
    );
  });

  it('surfaces the 429 with its Retry-After when retries are used up', async () => {
    const sdk = new MatrixClient({
      baseUrl: limited.url,
      auth: basicAuth(limited.tenant),
      retry: { maxAttempts: 1 },
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => sdk.rest.GET('/v1/properties')));
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toBeInstanceOf(MatrixApiError);
    expect(refused[0]).toMatchObject({
      status: 429,
      retryAfterMs: expect.any(Number),
      problem: { status: 429 },
    });
  });
});
