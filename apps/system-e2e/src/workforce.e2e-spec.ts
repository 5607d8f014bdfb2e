import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import type { MatrixEventV1 } from '@matrix/contracts';
import type { NatsClient } from '@matrix/messaging';
import { DOCUMENTED_CREATE_ESCALATION_POLICY, expectEventually, pythonJsonDumps } from '@matrix/testing';
import { type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * The workforce module end to end on the built services: Matrix actions calls signed with SC-HMAC (and
 * Basic) to the real gateway, forwarded over NATS to the real incident-service, with the documented
 * request bodies (the Matrix documentation, Appendix A); the INCIDENT_* events checked on NATS field by
 * field against the documented envelope (§2.2–2.4), and pushed by event-router to a subscriber's endpoint
 * on 127.0.0.1 (a subscription created over REST v1), signed per Standard Webhooks.
 */

const SERVICES = ['matrix-api-gateway', 'incident-service', 'event-router'] as const;
const suite = new PlatformSuite('e2e-workforce', SERVICES, {
  MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  RATE_LIMIT_PER_SECOND: '10000',
  RATE_LIMIT_BURST: '10000',
  ROUTER_ALLOW_TARGETS: 'loopback',
});
let platform: Platform;
let nats: NatsClient;
let sql: Client;
type Tenant = { org: string; propid: string; accessKey: string; secretKey: string };
let tenant: Tenant;
let pid: string;
let lid: string;
let zone: { insId: string; name: string };
const events: { subject: string; event: MatrixEventV1 }[] = [];
const receiver = new WebhookReceiver();
/** The push subscription's signing secret (`whsec_…`, answered once at creation). */
let signingSecret: string;
/** The four documented incident events the push subscription asks for, in the documented pattern form. */
const PUSHED = ['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED', 'INCIDENT_STARTED', 'INCIDENT_COMPLETED'];
const seat = () => `${tenant.propid}_001`;

/** The ops of the incident groups (reference §4.4: incidents, assigned incidents, settings, escalation policies). */
const DOCUMENTED_OPS = [
  'createIncidentWithoutAssignee',
  'getUnassignedIncidentByID',
  'getUnAssignedIncidentsInTRangeForGivenID',
  'assignIncident',
  'startUnassignedIncident',
  'endUnassignedIncident',
  'escalateUnassignedIncident',
  'updateIncidentComment',
  'listIncidentComments',
  'adminDeleteIncidentComment',
  'getIncidentTimeline',
  'getUnassignedIncidentsForZone',
  'getPaginatedListOfUnAssignedIncidents',
  'getTasksForUnassignedIncident',
  'getUnassignedIncidentsForProperty',
  'adminUpdateIncidentZone',
  'adminUpdateIncidentBulk',
  'adminDeleteIncident',
  'adminReassignIncident',
  'updateUnassignedIncidentAttachments',
  'createIncident',
  'escalateIncidentStatusForType',
  'getIncidentsSettings',
  'updateIncidentsSettings',
  'getSystemIncidentSettings',
  'createEscalationPolicy',
  'getAllEscalationPolicies',
  'getEscalationPolicy',
  'updateEscalationPolicyDetails',
  'updateEscalationPolicySettings',
  'updateEscalationPolicyTargetDurations',
].map((op) => `scteams.${op}`);

/** The documented body of `scteams.createEscalationPolicy` (Appendix A), verbatim. */
const CREATE_POLICY = DOCUMENTED_CREATE_ESCALATION_POLICY;

type Answer = { status: number; body: any };

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A Matrix actions call signed with SC-HMAC v1 (the Matrix documentation, §4.2), as the Python SDK signs it. */
function action(
  op: string,
  body: unknown,
  query: { pid?: string; as?: Tenant } = {},
  secretKey = (query.as ?? tenant).secretKey,
): Promise<Answer> {
  const module = 'scworkforcemanagement';
  const caller = query.as ?? tenant;
  const epoch = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', Buffer.from(secretKey, 'utf8'))
    .update(`${module}/${caller.propid}/${op}/${caller.accessKey}/${epoch}`, 'utf8')
    .digest('hex');
  const params = new URLSearchParams({ op, org: caller.org, pid: query.pid ?? pid, propid: caller.propid });
  return send(`${platform.service('matrix-api-gateway').url}/prod/v2/${module}/v1/actions?${params}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-sc-time': String(epoch),
      authorization: `SCHMAC_V1;${caller.accessKey};${signature}`,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const basic = (as: Tenant) => `Basic ${Buffer.from(`${as.accessKey}:${as.secretKey}`).toString('base64')}`;

function rest(method: string, path: string, body?: unknown, as = tenant): Promise<Answer> {
  return send(`${platform.service('matrix-api-gateway').url}${path}`, {
    method,
    headers: { authorization: basic(as), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const eventsOf = (taskId: string) => events.filter((e) => e.event.Meta['TaskId'] === taskId);

/** Every event the subscriber's endpoint received, each POST's signature verified with standardwebhooks. */
const pushed = (): MatrixEventV1[] =>
  receiver.requests.flatMap(
    (request) => new Webhook(signingSecret).verify(request.body, request.headers) as MatrixEventV1[],
  );
const pushedOf = (taskId: string) => pushed().filter((e) => e.Meta['TaskId'] === taskId);

/**
 * One incident event checked field by field against the documented envelope (the Matrix documentation,
 * §2.2 routing key, §2.4 every top-level field and the incident `Meta`; docs/data-formats.md "Workforce
 * incidents": principal the building, entity its property, the event's documented priority, `ATTR`
 * `<EVENT>#<propid>#<pid>#<TaskId>#<level>`), with no field more or less.
 */
function expectIncidentEvent(
  received: { subject: string; event: MatrixEventV1 },
  expected: {
    eventId: string;
    priority: 'HIGH' | 'NORMAL';
    description: string;
    meta: Record<string, unknown>;
    between: [number, number];
  },
): void {
  const { eventId, priority, description, meta, between } = expected;
  const routingKey = `matrix.${pid}.scworkforcemanagement.${eventId}.${priority}`;
  expect(received.subject).toBe(routingKey);
  const { event } = received;
  expect(event.UnixTime).toMatch(/^[1-9][0-9]*$/);
  expect(event.UnixTimeInt).toBeGreaterThanOrEqual(between[0]);
  expect(event.UnixTimeInt).toBeLessThanOrEqual(between[1]);
  expect(event).toEqual({
    ID: pid,
    ATTR: `${eventId}#${tenant.propid}#${pid}#${String(meta['TaskId'])}#${String(meta['EscalationLevel'])}`,
    Description: description,
    Event: eventId,
    Principal: pid,
    PType: 'building',
    Entity: tenant.propid,
    EType: 'property',
    RoutingKey: routingKey,
    RoutingKeyS: ['matrix', pid, 'scworkforcemanagement', eventId, priority],
    Status: priority,
    Time: `scworkforcemanagement#${event.UnixTimeInt}`,
    UnixTime: String(event.UnixTimeInt),
    UnixTimeInt: event.UnixTimeInt,
    Module: 'scworkforcemanagement',
    Meta: meta,
  });
  // The documented Meta: exactly these fourteen keys (§2.4).
  expect(Object.keys(event.Meta).sort()).toEqual([
    'AEnd',
    'AStart',
    'By',
    'End',
    'EscalationLevel',
    'Name',
    'Priority',
    'SourceDeviceIdentifier',
    'Start',
    'Status',
    'TaskId',
    'Type',
    'Zone',
    'ZoneName',
  ]);
}
const count = async (table: string) =>
  Number((await sql.query(`select count(*)::int as n from workforce.${table}`)).rows[0].n);

/** An organisation with a property and its admin credential, from the gateway's bootstrap command. */
function bootstrapTenant(org: string, property: string): Promise<Tenant> {
  return platform.bootstrapTenant(org, property, 'Asia/Singapore');
}

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start());
  tenant = await bootstrapTenant('WFE2E', 'Workforce Campus');
  const building = await rest('POST', `/v1/properties/${tenant.propid}/buildings`, {
    name: 'Incident Tower',
    levelsCount: 1,
    timeZone: 'Asia/Singapore',
  });
  pid = building.body.pid;
  lid = (await rest('POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).body.lid;
  const zones = await rest('POST', `/v1/buildings/${pid}/zones`, { zones: [{ name: 'Washroom 3', lid }] });
  zone = zones.body.items[0];
  // The seat incidents are assigned to, created over REST v1 (owned by incident-service).
  const created = await rest('POST', `/v1/properties/${tenant.propid}/seats`, {
    userName: 'kg',
    userGroup: 'HOUSEKEEPING',
  });
  expect(created).toMatchObject({ status: 201, body: { seatId: `${tenant.propid}_001` } });
  // The push subscription, created over REST v1 as an integrator would (docs/delivery.md).
  await receiver.start();
  const subscription = await rest('POST', '/v1/subscriptions', {
    url: receiver.url,
    kind: 'matrix-events',
    patterns: PUSHED.map((eventId) => `matrix.${pid}.scworkforcemanagement.${eventId}.*`),
    batch: { maxSize: 100, maxWaitMs: 0 },
  });
  expect(subscription).toMatchObject({ status: 201, body: { status: 'active' } });
  expect(subscription.body.secret).toMatch(/^whsec_/);
  signingSecret = subscription.body.secret;
  nats.nc.subscribe(nats.namespace.subject(`matrix.${pid}.scworkforcemanagement.>`), {
    callback: (_error, message) => {
      events.push({ subject: nats.namespace.strip(message.subject), event: message.json<MatrixEventV1>() });
    },
  });
  await nats.nc.flush();
}, 120_000);

afterAll(async () => {
  const codes = await suite.stop();
  await receiver.stop();
  expect(codes).toEqual({ 'matrix-api-gateway': 0, 'incident-service': 0, 'event-router': 0 });
});

describe('seats over REST v1', () => {
  it('creates, lists and updates seats of the property, refusing bad bodies and unknown properties', async () => {
    const second = await rest('POST', `/v1/properties/${tenant.propid}/seats`, {
      userName: 'Jo',
      userGroup: 'FM',
    });
    expect(second).toMatchObject({
      status: 201,
      body: { seatId: `${tenant.propid}_002`, org: tenant.org, propId: tenant.propid, status: 'ACTIVE' },
    });
    const listed = await rest('GET', `/v1/properties/${tenant.propid}/seats`);
    expect(listed.body.items.map((s: any) => [s.seatId, s.userName])).toEqual([
      [`${tenant.propid}_001`, 'kg'],
      [`${tenant.propid}_002`, 'Jo'],
    ]);
    expect(
      await rest('PATCH', `/v1/properties/${tenant.propid}/seats/${tenant.propid}_002`, {
        status: 'INACTIVE',
      }),
    ).toMatchObject({ status: 200, body: { status: 'INACTIVE', userName: 'Jo' } });
    const bad = await rest('POST', `/v1/properties/${tenant.propid}/seats`, {
      userName: 'x',
      status: 'GONE',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('userGroup: is required');
    expect(JSON.stringify(bad.body)).toContain('status: must be one of ACTIVE, INACTIVE');
    expect((await rest('GET', '/v1/properties/someone-elses/seats')).status).toBe(404);
    expect(
      (await rest('PATCH', `/v1/properties/${tenant.propid}/seats/${tenant.propid}_099`, {})).status,
    ).toBe(404);
  });
});

describe('workforce incidents through the actions API', () => {
  it("drives an open incident's life: create (retried once), get, list, comment, assign, start, complete, with one event per step", async () => {
    const body = {
      Incident: {
        Start: 1656588219,
        End: 1656589219,
        Name: 'Washroom essentials.',
        Priority: 'L',
        Tasks: [{ Name: 'Wipe mirror.' }],
        ZoneCatId: 'someid',
        Zone: zone.insId,
        ZoneName: 'zonename',
        By: 'KG',
        EventSource: 'HK',
      },
    };
    const since = Math.floor(Date.now() / 1000);
    const incidentsBefore = await count('incidents');
    // Every call here is SC-HMAC signed: the same call signed with another secret is refused, writing nothing.
    expect(
      await action('scteams.createIncidentWithoutAssignee', body, {}, randomBytes(30).toString('base64')),
    ).toMatchObject({ status: 401, body: { status: 401, code: 'TOKEN_INVALID' } });
    expect(await count('incidents')).toBe(incidentsBefore);
    const created = await action('scteams.createIncidentWithoutAssignee', body);
    expect(created).toMatchObject({
      status: 200,
      body: {
        code: 'SUCCESS',
        message: 'Incident created',
        data: {
          Status: 'NOT_ASSIGNED',
          SeatId: 'tbp',
          ShiftId: 'tbp',
          Zone: zone.insId,
          ZoneName: 'Washroom 3',
        },
      },
    });
    const taskId: string = created.body.data.TaskId;
    const retried = await action('scteams.createIncidentWithoutAssignee', body);
    expect(retried.body.data.TaskId).toBe(taskId);

    expect(
      await action('scteams.getUnassignedIncidentByID', { Incident: { TaskId: taskId, Zone: zone.insId } }),
    ).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', data: { TaskId: taskId, Name: 'Washroom essentials.' } },
    });
    const listed = await action('scteams.getUnAssignedIncidentsInTRangeForGivenID', {
      StartTime: 1205148100,
      EndTime: 1805148100,
    });
    expect(listed.body.data.map((i: any) => i.TaskId)).toEqual([taskId]);

    const comment = await action('scteams.updateIncidentComment', {
      IncidentId: taskId,
      zoneId: zone.insId,
      IncidentComment: { Comment: 'this is the first updated comment.', UserName: 'kg' },
    });
    expect(comment).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', data: { Comment: 'this is the first updated comment.' } },
    });
    expect((await action('scteams.listIncidentComments', { IncidentId: taskId })).body.data).toHaveLength(1);
    expect(
      await action('scteams.adminDeleteIncidentComment', {
        IncidentId: taskId,
        IncidentComment: { CommentId: comment.body.data.CommentId },
      }),
    ).toMatchObject({ status: 200, body: { code: 'SUCCESS' } });

    expect(await action('scteams.endUnassignedIncident', { IncidentId: taskId, zoneId: zone.insId })).toEqual(
      {
        status: 409,
        body: {
          status: 409,
          code: 'INVALID_TRANSITION',
          message: `incident ${taskId} in zone ${zone.insId}: an incident must be started before it is completed`,
        },
      },
    );
    expect(
      await action('scteams.assignIncident', {
        SeatId: seat(),
        ShiftID: seat(),
        zoneId: zone.insId,
        IncidentID: taskId,
      }),
    ).toMatchObject({ status: 200, body: { data: { Status: 'ASSIGNED', SeatId: seat(), ShiftId: seat() } } });
    expect(
      await action('scteams.startUnassignedIncident', {
        SeatId: seat(),
        IncidentId: taskId,
        zoneId: zone.insId,
      }),
    ).toMatchObject({ status: 200, body: { data: { Status: 'STARTED' } } });
    expect(
      await action('scteams.endUnassignedIncident', { IncidentId: taskId, zoneId: zone.insId }),
    ).toMatchObject({
      status: 200,
      body: { data: { Status: 'COMPLETED' } },
    });
    const timeline = await action('scteams.getIncidentTimeline', { zoneId: zone.insId, IncidentID: taskId });
    expect(timeline.body.data.map((s: any) => s.Status)).toEqual([
      'NOT_ASSIGNED',
      'ASSIGNED',
      'STARTED',
      'COMPLETED',
    ]);

    // A sentinel incident created after the life: once its event has arrived (on NATS and at the
    // endpoint, which gets batches in order), any repeat of the life's events would have arrived too.
    const sentinel = await action('scteams.createIncidentWithoutAssignee', {
      Incident: { ...body.Incident, Name: 'Sentinel' },
    });
    const sentinelId: string = sentinel.body.data.TaskId;
    await expectEventually(() => {
      expect(eventsOf(sentinelId)).toHaveLength(1);
      expect(pushedOf(sentinelId)).toHaveLength(1);
    });
    const until = Math.floor(Date.now() / 1000);

    const life = eventsOf(taskId);
    expect(life.map((e) => e.event.Event)).toEqual(PUSHED);
    const [open, assigned, started, completed] = life.map((e) => e.event);
    const meta = {
      AEnd: 0,
      AStart: 0,
      By: 'KG',
      End: 1656589219,
      EscalationLevel: 'L0',
      Name: 'Washroom essentials.',
      Priority: 'L',
      SourceDeviceIdentifier: [],
      Start: 1656588219,
      Status: 'NOT_ASSIGNED',
      TaskId: taskId,
      Type: 'INCIDENT',
      Zone: zone.insId,
      ZoneName: 'Washroom 3',
    };
    const where = 'Incident Washroom essentials. in Washroom 3';
    expectIncidentEvent(life[0]!, {
      eventId: 'INCIDENT_CREATED_OPEN',
      priority: 'HIGH',
      description: 'Open incident Washroom essentials. was created in Washroom 3.',
      meta,
      between: [since, until],
    });
    expectIncidentEvent(life[1]!, {
      eventId: 'INCIDENT_CREATED',
      priority: 'HIGH',
      description: `${where} was assigned to ${seat()}.`,
      meta: { ...meta, Status: 'ASSIGNED' },
      between: [open!.UnixTimeInt, until],
    });
    const aStart = started!.Meta['AStart'] as number;
    expect(aStart).toBeGreaterThanOrEqual(since);
    expect(aStart).toBeLessThanOrEqual(until);
    expectIncidentEvent(life[2]!, {
      eventId: 'INCIDENT_STARTED',
      priority: 'NORMAL',
      description: `${where} was started by ${seat()}.`,
      meta: { ...meta, Status: 'STARTED', AStart: aStart },
      between: [assigned!.UnixTimeInt, until],
    });
    const aEnd = completed!.Meta['AEnd'] as number;
    expect(aEnd).toBeGreaterThanOrEqual(aStart);
    expect(aEnd).toBeLessThanOrEqual(until);
    expectIncidentEvent(life[3]!, {
      eventId: 'INCIDENT_COMPLETED',
      priority: 'NORMAL',
      description: `${where} was completed.`,
      meta: { ...meta, Status: 'COMPLETED', AStart: aStart, AEnd: aEnd },
      between: [started!.UnixTimeInt, until],
    });

    // Pushed to the subscriber: each of the four once, signatures verified, exactly the events on NATS;
    // nothing outside the subscription's patterns, and no batch twice.
    expect(pushedOf(taskId)).toEqual([open, assigned, started, completed]);
    expect(new Set(pushed().map((e) => e.Event))).toEqual(new Set(PUSHED));
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.requests[0]!.headers['content-type']).toMatch(/^application\/json/);
  });

  it('escalates another open incident with an INCIDENT_ESCALATED event', async () => {
    const created = await action('scteams.createIncidentWithoutAssignee', {
      Incident: { Name: 'Spill', Priority: 'H', Zone: zone.insId, By: 'FD', EventSource: 'sensor' },
    });
    const taskId: string = created.body.data.TaskId;
    expect(
      await action('scteams.escalateUnassignedIncident', { zoneId: zone.insId, IncidentId: taskId }),
    ).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', data: { EscalationLevel: 'L1', Status: 'NOT_ASSIGNED' } },
    });
    await expectEventually(() =>
      expect(eventsOf(taskId).map((e) => e.subject)).toEqual([
        `matrix.${pid}.scworkforcemanagement.INCIDENT_CREATED_OPEN.HIGH`,
        `matrix.${pid}.scworkforcemanagement.INCIDENT_ESCALATED.HIGH`,
      ]),
    );
    expect(eventsOf(taskId)[1]!.event.Meta).toMatchObject({ EscalationLevel: 'L1', Priority: 'H', By: 'FD' });
  });

  it('refuses bad input in the Matrix envelope and writes nothing; unknown ops answer as before', async () => {
    const before = [await count('incidents'), await count('outbox'), await count('incident_comments')];
    expect(
      await action('scteams.createIncidentWithoutAssignee', {
        Incident: { Name: 'x', Priority: 'Q', Zone: zone.insId },
      }),
    ).toEqual({
      status: 400,
      body: {
        status: 400,
        code: 'WRONG_PARAMETERS',
        message: 'Incident.Priority: must be one of H, M, N, L',
      },
    });
    expect(
      await action('scteams.createIncidentWithoutAssignee', {
        Incident: { Name: 'x', Priority: 'H', Zone: 'zoneid99' },
      }),
    ).toEqual({ status: 404, body: { status: 404, code: 'NOT_FOUND', message: 'zone zoneid99 not found' } });
    expect(
      await action('scteams.getUnassignedIncidentByID', {
        Incident: { TaskId: '1661229257927880217', Zone: zone.insId },
      }),
    ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(
      await action(
        'scteams.listIncidentComments',
        { IncidentId: '1656058344842880217' },
        { pid: 'someone-elses' },
      ),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'building someone-elses not found' },
    });
    expect(await action('scteams.listTeams', 'null', { pid: 'scnoop' })).toEqual({
      status: 400,
      body: {
        status: 400,
        code: 'UNKNOWN_OPERATION',
        message:
          'scteams.listTeams is not an operation of module scworkforcemanagement; see GET /prod/v2/operations',
      },
    });
    expect([await count('incidents'), await count('outbox'), await count('incident_comments')]).toEqual(
      before,
    );
  });

  it('keeps every acknowledged create exactly once with exactly one event when incident-service is SIGKILLed mid-stream', async () => {
    const total = 200;
    const body = (i: number) => ({
      Incident: { Name: `Kill ${i}`, Priority: 'M', Zone: zone.insId, Start: 1750000000 + i },
    });
    const answers: (Answer | undefined)[] = [];
    const sending = (async () => {
      for (let i = 0; i < total; i++) {
        answers[i] = await action('scteams.createIncidentWithoutAssignee', body(i)).catch(() => undefined);
      }
    })();
    await expectEventually(() => expect(answers.filter(Boolean).length).toBeGreaterThanOrEqual(20), {
      intervalMs: 1,
    });
    await platform.service('incident-service').kill();
    await sending;
    const acknowledged = new Map<number, string>();
    answers.forEach((a, i) => a?.status === 200 && acknowledged.set(i, a.body.data.TaskId));
    expect(answers.some((a) => a?.status === 503)).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(20);

    await platform.restart('incident-service');
    // Every create not acknowledged is retried: the retry finds the incident if the first attempt committed.
    for (let i = 0; i < total; i++) {
      if (acknowledged.has(i)) continue;
      const retried = await action('scteams.createIncidentWithoutAssignee', body(i));
      expect(retried.status).toBe(200);
      acknowledged.set(i, retried.body.data.TaskId);
    }
    const { rows } = await sql.query<{ name: string; task_id: string }>(
      `select name, task_id from workforce.incidents where name like 'Kill %'`,
    );
    expect(rows).toHaveLength(total);
    expect(new Map(rows.map((r) => [Number(r.name.slice(5)), r.task_id]))).toEqual(acknowledged);

    // On the stream (deduplicated by the outbox row id, unlike core subscriptions): exactly one
    // INCIDENT_CREATED_OPEN each.
    const consumer = await nats.js.consumers.get(nats.namespace.stream('MATRIX_EVENTS'));
    const perTask = new Map<string, number>();
    await expectEventually(async () => {
      const pending = (await consumer.info()).num_pending;
      if (pending > 0) {
        const batch = await consumer.fetch({ max_messages: pending, expires: 2_000 });
        for await (const message of batch) {
          const event = message.json<MatrixEventV1>();
          if (event.Event !== 'INCIDENT_CREATED_OPEN') continue;
          const taskId = event.Meta['TaskId'] as string;
          perTask.set(taskId, (perTask.get(taskId) ?? 0) + 1);
        }
      }
      const kills = [...acknowledged.values()].map((taskId) => perTask.get(taskId) ?? 0);
      expect(kills).toEqual(Array.from({ length: total }, () => 1));
    });
  });
});

describe('every incident op with its documented body (reference Appendix A), posted as the Python SDK posts it', () => {
  /** The zone the documented bodies name (`zoneid99`, `zoneid`, …), and the one an incident is moved to. */
  let docZone: { insId: string; name: string };
  let newZone: { insId: string; name: string };
  /** The seat the documented reassignment moves an incident to (`…_002` there). */
  let newSeat: string;
  /** Each incident a row creates starts one second later: never the same create request twice. */
  let start = 1656588219;

  beforeAll(async () => {
    const zones = await rest('POST', `/v1/buildings/${pid}/zones`, {
      zones: [
        { name: 'Documented Washroom', lid },
        { name: 'Documented Pantry', lid },
      ],
    });
    expect(zones.status).toBe(201);
    [docZone, newZone] = zones.body.items;
    const seated = await rest('POST', `/v1/properties/${tenant.propid}/seats`, {
      userName: 'Ana',
      userGroup: 'HOUSEKEEPING',
    });
    expect(seated.status).toBe(201);
    newSeat = seated.body.seatId;
  });

  /** The documented body as the Python SDK posts it: `json.dumps(body)`, application/json, SC-HMAC signed. */
  const sdk = (op: string, body: unknown, query: { pid?: string } = {}) =>
    action(`scteams.${op}`, pythonJsonDumps(body), query);

  /** The documented success envelope `{code: "SUCCESS", message, data}`; answers `data`. */
  function success(answer: Answer, message?: string): any {
    expect(answer).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', message: message ?? expect.any(String) },
    });
    expect(answer.body.message).not.toBe('');
    expect(answer.body).toHaveProperty('data');
    return answer.body.data;
  }

  const Z = () => docZone.insId;
  /** An open incident created with the documented create body (its zone and a later `Start`). */
  async function openIncident(): Promise<string> {
    const data = success(
      await sdk('createIncidentWithoutAssignee', {
        Incident: {
          Start: ++start,
          End: 1656589219,
          Name: 'Washroom essentials.',
          Priority: 'L',
          Tasks: [{ Name: 'Wipe mirror.' }],
          ZoneCatId: 'someid',
          Zone: Z(),
          ZoneName: 'zonename',
          By: 'KG',
          EventSource: 'HK',
        },
      }),
    );
    return data.TaskId;
  }
  async function assignedIncident(): Promise<string> {
    const taskId = await openIncident();
    success(
      await sdk('assignIncident', { SeatId: seat(), ShiftID: seat(), zoneId: Z(), IncidentID: taskId }),
    );
    return taskId;
  }
  async function startedIncident(): Promise<string> {
    const taskId = await openIncident();
    success(await sdk('startUnassignedIncident', { SeatId: seat(), IncidentId: taskId, zoneId: Z() }));
    return taskId;
  }
  async function commentOn(taskId: string): Promise<string> {
    const data = success(
      await sdk('updateIncidentComment', {
        IncidentId: taskId,
        zoneId: Z(),
        IncidentComment: { Comment: 'this is the first updated comment.', UserName: 'kg' },
      }),
    );
    return data.CommentId;
  }
  /** A policy from the documented create body (an identical create answers the same policy). */
  async function createdPolicy(): Promise<string> {
    return success(await sdk('createEscalationPolicy', CREATE_POLICY)).PolicyId;
  }
  const status = async (taskId: string) =>
    (
      await sql.query<{ status: string }>(`select status from workforce.incidents where task_id = $1`, [
        taskId,
      ])
    ).rows[0]?.status;

  const rows: { name: string; run: () => Promise<void> }[] = [
    {
      name: 'scteams.createIncidentWithoutAssignee',
      run: async () => {
        const body = {
          Incident: {
            Start: 1656588219,
            End: 1656589219,
            Name: 'Washroom essentials.',
            Priority: 'L',
            Tasks: [{ Name: 'Wipe mirror.' }],
            ZoneCatId: 'someid',
            Zone: Z(),
            ZoneName: 'zonename',
            By: 'KG',
            EventSource: 'HK',
          },
        };
        const data = success(await sdk('createIncidentWithoutAssignee', body), 'Incident created');
        expect(data).toMatchObject({
          TaskId: expect.stringMatching(/^[0-9]{19}$/),
          Name: 'Washroom essentials.',
          Priority: 'L',
          Start: 1656588219,
          End: 1656589219,
          Status: 'NOT_ASSIGNED',
          Zone: Z(),
          ZoneName: 'Documented Washroom',
          By: 'KG',
          EventSource: 'HK',
          Tasks: [{ Name: 'Wipe mirror.', Done: false }],
          Type: 'INCIDENT',
          ID: pid,
          PropID: tenant.propid,
        });
        expect(await status(data.TaskId)).toBe('NOT_ASSIGNED');
      },
    },
    {
      name: 'scteams.getUnassignedIncidentByID',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('getUnassignedIncidentByID', { Incident: { TaskId: taskId, Zone: Z() } }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Zone: Z(), Status: 'NOT_ASSIGNED' });
      },
    },
    {
      name: 'scteams.getUnAssignedIncidentsInTRangeForGivenID',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('getUnAssignedIncidentsInTRangeForGivenID', {
            StartTime: 1205148100,
            EndTime: 1805148100,
          }),
        );
        expect(data.map((i: any) => i.TaskId)).toContain(taskId);
        expect(data.every((i: any) => i.Status === 'NOT_ASSIGNED' && i.ID === pid)).toBe(true);
      },
    },
    {
      name: 'scteams.assignIncident',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('assignIncident', { SeatId: seat(), ShiftID: seat(), zoneId: Z(), IncidentID: taskId }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Status: 'ASSIGNED', SeatId: seat(), ShiftId: seat() });
        expect(await status(taskId)).toBe('ASSIGNED');
      },
    },
    {
      name: 'scteams.assignIncident (IncidentId, ZoneID, ShiftId: the case the field list and §4.4 give)',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('assignIncident', { SeatId: seat(), ShiftId: seat(), ZoneID: Z(), IncidentId: taskId }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Status: 'ASSIGNED', SeatId: seat() });
      },
    },
    {
      name: 'scteams.startUnassignedIncident',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('startUnassignedIncident', { SeatId: seat(), IncidentId: taskId, zoneId: Z() }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Status: 'STARTED', SeatId: seat() });
        expect(data.AStart).toBeGreaterThan(0);
      },
    },
    {
      name: 'scteams.endUnassignedIncident',
      run: async () => {
        const taskId = await startedIncident();
        const data = success(await sdk('endUnassignedIncident', { IncidentId: taskId, zoneId: Z() }));
        expect(data).toMatchObject({ TaskId: taskId, Status: 'COMPLETED' });
        expect(await status(taskId)).toBe('COMPLETED');
      },
    },
    {
      name: 'scteams.endUnassignedIncident (IncidentID, ZoneID)',
      run: async () => {
        const taskId = await startedIncident();
        const data = success(await sdk('endUnassignedIncident', { IncidentID: taskId, ZoneID: Z() }));
        expect(data).toMatchObject({ TaskId: taskId, Status: 'COMPLETED' });
      },
    },
    {
      name: 'scteams.escalateUnassignedIncident',
      run: async () => {
        const taskId = await openIncident();
        const data = success(await sdk('escalateUnassignedIncident', { zoneId: Z(), IncidentId: taskId }));
        expect(data).toMatchObject({ TaskId: taskId, EscalationLevel: 'L1', Status: 'NOT_ASSIGNED' });
      },
    },
    {
      name: 'scteams.updateIncidentComment (example 1: a new comment on an assigned incident)',
      run: async () => {
        const taskId = await assignedIncident();
        const data = success(
          await sdk('updateIncidentComment', {
            IncidentId: taskId,
            ShiftID: seat(),
            SeatId: seat(),
            IncidentComment: { Comment: 'this is the first updated comment.', UserName: 'kg' },
          }),
        );
        expect(data).toMatchObject({
          CommentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          IncidentId: taskId,
          Comment: 'this is the first updated comment.',
          UserName: 'kg',
        });
      },
    },
    {
      name: 'scteams.updateIncidentComment (example 2: a new comment on an open incident)',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('updateIncidentComment', {
            IncidentId: taskId,
            zoneId: Z(),
            IncidentComment: { Comment: 'this is the first updated comment.', UserName: 'kg' },
          }),
        );
        expect(data).toMatchObject({ IncidentId: taskId, Comment: 'this is the first updated comment.' });
      },
    },
    {
      name: 'scteams.updateIncidentComment (example 3: updating a comment of an assigned incident)',
      run: async () => {
        const taskId = await assignedIncident();
        const commentId = await commentOn(taskId);
        const data = success(
          await sdk('updateIncidentComment', {
            IncidentId: taskId,
            ShiftID: seat(),
            SeatId: seat(),
            IncidentComment: {
              CommentId: commentId,
              Comment: 'this is the first updated comment.',
              UserName: 'kg',
            },
          }),
        );
        expect(data).toMatchObject({ CommentId: commentId, IncidentId: taskId });
        // Updated in place, not added.
        const listed = success(await sdk('listIncidentComments', { IncidentId: taskId }));
        expect(listed.map((c: any) => c.CommentId)).toEqual([commentId]);
      },
    },
    {
      name: 'scteams.listIncidentComments',
      run: async () => {
        const taskId = await openIncident();
        const commentId = await commentOn(taskId);
        const data = success(await sdk('listIncidentComments', { IncidentId: taskId }));
        expect(data).toEqual([
          expect.objectContaining({ CommentId: commentId, IncidentId: taskId, UserName: 'kg' }),
        ]);
      },
    },
    {
      name: 'scteams.listIncidentComments (IncidentID)',
      run: async () => {
        const taskId = await openIncident();
        const commentId = await commentOn(taskId);
        const data = success(await sdk('listIncidentComments', { IncidentID: taskId }));
        expect(data.map((c: any) => c.CommentId)).toEqual([commentId]);
      },
    },
    {
      name: 'scteams.adminDeleteIncidentComment',
      run: async () => {
        const taskId = await openIncident();
        const commentId = await commentOn(taskId);
        const data = success(
          await sdk('adminDeleteIncidentComment', {
            IncidentId: taskId,
            IncidentComment: { CommentId: commentId },
          }),
        );
        expect(data).toEqual({ IncidentId: taskId, CommentId: commentId });
        expect(success(await sdk('listIncidentComments', { IncidentId: taskId }))).toEqual([]);
      },
    },
    {
      name: 'scteams.getIncidentTimeline',
      run: async () => {
        const taskId = await startedIncident();
        const data = success(await sdk('getIncidentTimeline', { zoneId: Z(), IncidentID: taskId }));
        expect(data.map((t: any) => [t.Action, t.Status])).toEqual([
          ['create-open', 'NOT_ASSIGNED'],
          ['start', 'STARTED'],
        ]);
      },
    },
    {
      name: 'scteams.getIncidentTimeline (IncidentId, ZoneID)',
      run: async () => {
        const taskId = await openIncident();
        const data = success(await sdk('getIncidentTimeline', { ZoneID: Z(), IncidentId: taskId }));
        expect(data.map((t: any) => t.Status)).toEqual(['NOT_ASSIGNED']);
      },
    },
    {
      name: 'scteams.getUnassignedIncidentsForZone',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('getUnassignedIncidentsForZone', { StartTime: 0, EndTime: 1666588219, zoneId: Z() }),
        );
        expect(data.map((i: any) => i.TaskId)).toContain(taskId);
        expect(data.every((i: any) => i.Zone === Z() && i.Status === 'NOT_ASSIGNED')).toBe(true);
      },
    },
    {
      name: 'scteams.getPaginatedListOfUnAssignedIncidents',
      run: async () => {
        // The documented range (2021–2022) holds none of this building's open incidents, and the documented
        // LastEvaluatedKey is another system's page key.
        const data = success(
          await sdk('getPaginatedListOfUnAssignedIncidents', {
            StartTime: 1616134038,
            EndTime: 1646719364,
            LastEvaluatedKey:
              'ewogICJTdGFydCIgOiB7CiAgICAibiIgOiAiMTYyMDQ2ODM4MyIKICB9LAogICJJRCIgOiB7CiAgICAicyIgOiAiUElEMSIKICB9LAogICJBVFRSIiA6IHsKICAgICJzIiA6ICJhdHRyI1BJRDEjem9uZWlkIzE2MjA0NjgzODMwMDAiCiAgfQp9',
          }),
        );
        expect(data).toEqual([]);
      },
    },
    {
      name: 'scteams.getTasksForUnassignedIncident',
      run: async () => {
        const taskId = await openIncident();
        const data = success(await sdk('getTasksForUnassignedIncident', { IncidentId: taskId, zoneId: Z() }));
        expect(data).toEqual([{ Name: 'Wipe mirror.', Done: false }]);
      },
    },
    {
      name: 'scteams.getUnassignedIncidentsForProperty',
      run: async () => {
        const taskId = await openIncident();
        const answer = await sdk('getUnassignedIncidentsForProperty', {
          StartTime: 0,
          EndTime: 1666588219,
          GetPaginated: true,
        });
        const data = success(answer);
        expect(data.map((i: any) => i.TaskId)).toContain(taskId);
        expect(data.every((i: any) => i.PropID === tenant.propid)).toBe(true);
        // The same with pid=scnoop: the property named by propid.
        const byProperty = success(
          await sdk(
            'getUnassignedIncidentsForProperty',
            { StartTime: 0, EndTime: 1666588219, GetPaginated: true },
            { pid: 'scnoop' },
          ),
        );
        expect(byProperty.map((i: any) => i.TaskId)).toContain(taskId);
      },
    },
    {
      name: 'scteams.adminUpdateIncidentZone',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('adminUpdateIncidentZone', {
            Incident: { TaskId: taskId, Zone: Z() },
            zoneId: newZone.insId,
            ZoneName: 'zone name',
            ZoneCategoryId: 'zone category id',
          }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Zone: newZone.insId, ZoneName: 'Documented Pantry' });
      },
    },
    {
      name: 'scteams.adminUpdateIncidentBulk (example 1: details and zone of an open incident)',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('adminUpdateIncidentBulk', {
            zoneId: Z(),
            IncidentId: taskId,
            UpdateIncident: {
              Details: { Name: 'Clean mirron', Description: 'clean mirror new', Priority: 'L' },
              Zones: { NewZoneId: '', NewZoneName: 'new zone', NewZoneCatId: 'new zone cat' },
            },
          }),
        );
        expect(data).toMatchObject({
          TaskId: taskId,
          Name: 'Clean mirron',
          Description: 'clean mirror new',
          Priority: 'L',
          Zone: Z(),
        });
      },
    },
    {
      name: 'scteams.adminUpdateIncidentBulk (example 2: details of an assigned incident)',
      run: async () => {
        const taskId = await assignedIncident();
        const data = success(
          await sdk('adminUpdateIncidentBulk', {
            ShiftID: seat(),
            SeatId: seat(),
            IncidentId: taskId,
            UpdateIncident: {
              Details: { Name: 'Clean Mirror', Description: 'clean mirror new', Priority: 'N' },
            },
          }),
        );
        expect(data).toMatchObject({
          TaskId: taskId,
          Name: 'Clean Mirror',
          Priority: 'N',
          Status: 'ASSIGNED',
        });
      },
    },
    {
      name: 'scteams.adminDeleteIncident',
      run: async () => {
        const taskId = await assignedIncident();
        await commentOn(taskId);
        const data = success(
          await sdk('adminDeleteIncident', { IncidentID: taskId, SeatId: seat(), ShiftID: seat() }),
        );
        expect(data).toEqual({ IncidentId: taskId });
        expect(await status(taskId)).toBeUndefined();
      },
    },
    {
      name: 'scteams.adminDeleteIncident (IncidentId, an open incident)',
      run: async () => {
        const taskId = await openIncident();
        expect(success(await sdk('adminDeleteIncident', { IncidentId: taskId }))).toEqual({
          IncidentId: taskId,
        });
        expect(await status(taskId)).toBeUndefined();
      },
    },
    {
      name: 'scteams.adminReassignIncident (example 1: to another seat)',
      run: async () => {
        const taskId = await assignedIncident();
        const data = success(
          await sdk('adminReassignIncident', {
            IncidentID: taskId,
            StartTime: 1659745800,
            EndTime: 1659746000,
            ShiftID: seat(),
            SeatId: seat(),
            NewSeatId: newSeat,
            NewShiftId: newSeat,
          }),
        );
        expect(data).toMatchObject({
          TaskId: taskId,
          Status: 'ASSIGNED',
          SeatId: newSeat,
          ShiftId: newSeat,
          Start: 1659745800,
          End: 1659746000,
        });
      },
    },
    {
      name: 'scteams.adminReassignIncident (example 2: back to open)',
      run: async () => {
        const taskId = await assignedIncident();
        const data = success(
          await sdk('adminReassignIncident', {
            IncidentID: taskId,
            StartTime: 1659745800,
            EndTime: 1659746000,
            ShiftID: seat(),
            SeatId: seat(),
          }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Status: 'NOT_ASSIGNED', Start: 1659745800 });
      },
    },
    {
      name: 'scteams.updateUnassignedIncidentAttachments',
      run: async () => {
        const taskId = await openIncident();
        const data = success(
          await sdk('updateUnassignedIncidentAttachments', {
            IncidentId: taskId,
            zoneId: Z(),
            Attachments: ['ghi', 'jkl'],
          }),
        );
        expect(data).toMatchObject({ TaskId: taskId, Attachments: ['ghi', 'jkl'] });
      },
    },
    {
      name: 'scteams.createIncident (example 2: reported to a seat)',
      run: async () => {
        const data = success(
          await sdk('createIncident', {
            Taskgroup: {
              SeatId: seat(),
              ShiftId: seat(),
              EventSource: 'Sensors',
              Start: 1660432080,
              End: 1660430080,
              PropID: tenant.propid,
              Tasks: [{ Name: 'Clean floor.' }, { Name: 'Mop floor' }],
              ZoneName: 'Zone name',
              ZoneCatId: 'MEETING_ROOMS',
              Zone: Z(),
            },
          }),
        );
        expect(data).toMatchObject({
          TaskId: expect.stringMatching(/^[0-9]{19}$/),
          Status: 'ASSIGNED',
          SeatId: seat(),
          ShiftId: seat(),
          Name: 'Clean floor.',
          Priority: 'N',
          Start: 1660432080,
          End: 1660430080,
          Zone: Z(),
          EventSource: 'Sensors',
          Tasks: [
            { Name: 'Clean floor.', Done: false },
            { Name: 'Mop floor', Done: false },
          ],
        });
      },
    },
    {
      name: 'scteams.escalateIncidentStatusForType',
      run: async () => {
        const taskId = await assignedIncident();
        const data = success(
          await sdk('escalateIncidentStatusForType', {
            ShiftID: seat(),
            SeatId: seat(),
            IncidentId: taskId,
            EscalationType: 'startTime',
          }),
        );
        expect(data).toMatchObject({ TaskId: taskId, EscalationLevel: 'L1', Status: 'ASSIGNED' });
      },
    },
    {
      name: 'scteams.getIncidentsSettings (body null)',
      run: async () => {
        const answer = await action('scteams.getIncidentsSettings', pythonJsonDumps(null));
        const data = success(answer);
        expect(data.IncidentSettings.ALLOW_DELETION_OPEN_INCIDENTS).toMatchObject({
          Type: 'Boolean',
          BooleanValue: true,
        });
        expect(data.IncidentSettings.INCIDENT_HIGH_TIMEOUT).toMatchObject({ Type: 'Long', LongValue: 900 });
      },
    },
    {
      name: 'scteams.updateIncidentsSettings',
      run: async () => {
        const data = success(
          await sdk('updateIncidentsSettings', {
            IncidentSettings: {
              IncidentSettings: {
                TASK_CLOSURE_PIC_COMPULSORY: {
                  BooleanValue: true,
                  Description:
                    'If this is set to true, users must upload a picture before they can close the task.',
                  Type: 'Boolean',
                },
              },
            },
          }),
        );
        expect(data.IncidentSettings.TASK_CLOSURE_PIC_COMPULSORY).toMatchObject({
          Type: 'Boolean',
          BooleanValue: true,
          LastModifiedOn: expect.any(Number),
        });
      },
    },
    {
      name: 'scteams.getSystemIncidentSettings',
      run: async () => {
        const data = success(
          await sdk('getSystemIncidentSettings', {
            IncidentSettings: { IncidentSettings: { ALLOW_DELETION_OPEN_INCIDENTS: {} } },
          }),
        );
        expect(Object.keys(data.IncidentSettings)).toEqual(['ALLOW_DELETION_OPEN_INCIDENTS']);
        expect(data.IncidentSettings.ALLOW_DELETION_OPEN_INCIDENTS).toMatchObject({
          Type: 'Boolean',
          BooleanValue: true,
        });
      },
    },
    {
      name: 'scteams.createEscalationPolicy',
      run: async () => {
        const data = success(await sdk('createEscalationPolicy', CREATE_POLICY));
        expect(data).toMatchObject({
          PolicyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          Name: 'EscalationPolicy 1',
          IsDefault: false,
          IncidentTypes: ['*'],
          TargetDurations: { H: { DueTime: 900, StartThreshold: 300 } },
          EscalationSettings: {
            DueTimeThresholdSettings: {
              L3: {
                Action: 'NOTIFY',
                TimeAfter: 90,
                Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
              },
            },
          },
        });
      },
    },
    {
      name: 'scteams.getAllEscalationPolicies',
      run: async () => {
        const policyId = await createdPolicy();
        const data = success(await sdk('getAllEscalationPolicies', { MapToArray: true }));
        expect(data[0].PolicyId).toBe('default');
        expect(data.map((p: any) => p.PolicyId)).toContain(policyId);
        // The array form: TargetDurations as documented in the create body.
        expect(data[0].TargetDurations).toEqual(
          expect.arrayContaining([{ Priority: 'H', DueTime: 900, StartThreshold: 300 }]),
        );
      },
    },
    {
      name: 'scteams.getEscalationPolicy',
      run: async () => {
        // The documented example lacks the comma between its two fields (not JSON); the SDK's json.dumps of
        // the dictionary it means is this.
        const data = success(
          await sdk('getEscalationPolicy', { EscalationPolicyId: 'default', MapToArray: false }),
        );
        expect(data).toMatchObject({
          PolicyId: 'default',
          Name: 'Default',
          TargetDurations: { L: { StartThreshold: 1800, DueTime: 3600 } },
        });
      },
    },
    {
      name: 'scteams.updateEscalationPolicyDetails',
      run: async () => {
        const policyId = await createdPolicy();
        const data = success(
          await sdk('updateEscalationPolicyDetails', {
            EscalationPolicy: {
              PolicyId: policyId,
              Description: 'Additional Policy',
              Name: 'New Policy',
              IncidentTypes: [],
              UpdateOverride: false,
            },
            MapToArray: true,
          }),
        );
        expect(data).toMatchObject({
          PolicyId: policyId,
          Name: 'New Policy',
          Description: 'Additional Policy',
          IncidentTypes: ['*'],
        });
      },
    },
    {
      name: 'scteams.updateEscalationPolicySettings',
      run: async () => {
        const policyId = await createdPolicy();
        const data = success(
          await sdk('updateEscalationPolicySettings', {
            EscalationPolicy: {
              PolicyId: policyId,
              StartThresholdSettings: [
                {
                  Level: 'L2',
                  Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
                  TimeAfter: 100,
                  Action: 'NOTIFY',
                },
                {
                  Level: 'L1',
                  Recipients: [{ Entity: 'OCBC_001', EntityMedium: 'MATRIX_MOBILE_APP' }],
                  TimeAfter: 90,
                  Action: 'NOTIFY',
                },
              ],
            },
          }),
        );
        expect(data.PolicyId).toBe(policyId);
        expect(data.EscalationSettings.StartThresholdSettings).toMatchObject({
          L1: { TimeAfter: 90 },
          L2: { TimeAfter: 100 },
          L3: { TimeAfter: 90 },
        });
      },
    },
    {
      name: 'scteams.updateEscalationPolicyTargetDurations',
      run: async () => {
        const policyId = await createdPolicy();
        const data = success(
          await sdk('updateEscalationPolicyTargetDurations', {
            EscalationPolicy: {
              PolicyId: policyId,
              TargetDurations: [
                { Priority: 'H', DueTime: 190, StartThreshold: 150 },
                { Priority: 'L', DueTime: 190, StartThreshold: 150 },
                { Priority: 'M', DueTime: 190, StartThreshold: 150 },
              ],
            },
          }),
        );
        expect(data.TargetDurations).toEqual({
          H: { DueTime: 190, StartThreshold: 150 },
          L: { DueTime: 190, StartThreshold: 150 },
          M: { DueTime: 190, StartThreshold: 150 },
          N: { DueTime: 1800, StartThreshold: 900 },
        });
      },
    },
  ];

  for (const row of rows) it(row.name, row.run);

  it('covers every served incident op with at least one documented body', () => {
    const covered = new Set(rows.map((row) => row.name.split(' ')[0]));
    expect([...covered].sort()).toEqual([...DOCUMENTED_OPS].sort());
  });
});

describe('bad input through the actions API: refused in the Matrix envelope, nothing written', () => {
  /** Another organisation's building, zone and open incident. */
  let other: Tenant;
  let otherPid: string;
  let otherZone: string;
  let otherTask: string;
  /** An open incident of ours the refused calls name. */
  let ourTask: string;
  const unknownSeat = () => `${tenant.propid}_099`;

  beforeAll(async () => {
    other = await bootstrapTenant('WFOTHER', 'Other Campus');
    otherPid = (
      await rest(
        'POST',
        `/v1/properties/${other.propid}/buildings`,
        { name: 'Other Tower', levelsCount: 1, timeZone: 'Asia/Singapore' },
        other,
      )
    ).body.pid;
    const otherLid = (await rest('POST', `/v1/buildings/${otherPid}/levels`, { name: 'G' }, other)).body.lid;
    otherZone = (
      await rest(
        'POST',
        `/v1/buildings/${otherPid}/zones`,
        { zones: [{ name: 'Their WC', lid: otherLid }] },
        other,
      )
    ).body.items[0].insId;
    const theirs = await action(
      'scteams.createIncidentWithoutAssignee',
      { Incident: { Name: 'Theirs', Priority: 'H', Zone: otherZone } },
      { pid: otherPid, as: other },
    );
    expect(theirs).toMatchObject({ status: 200, body: { code: 'SUCCESS' } });
    otherTask = theirs.body.data.TaskId;
    const ours = await action('scteams.createIncidentWithoutAssignee', {
      Incident: { Name: 'Ours', Priority: 'M', Zone: zone.insId, Start: 1700000000 },
    });
    ourTask = ours.body.data.TaskId;
  });

  /** Everything a refused call could have written: rows of every workforce table, both incidents as stored. */
  async function written(): Promise<unknown> {
    const tables = ['incidents', 'incident_comments', 'incident_timeline', 'outbox', 'seats'];
    const counts = await Promise.all(tables.map((table) => count(table)));
    const { rows } = await sql.query(
      `select * from workforce.incidents where task_id = any($1::text[]) order by task_id`,
      [[ourTask, otherTask]],
    );
    return { counts, rows };
  }

  /** A refusal in the Matrix error envelope `{status, code, message}`, its message naming `mention`. */
  function expectRefused(answer: Answer, status: number, code: string, mention: string): void {
    expect(answer).toEqual({
      status,
      body: { status, code, message: expect.stringContaining(mention) },
    });
  }

  const sdk = (op: string, body: unknown, query: { pid?: string } = {}) =>
    action(`scteams.${op}`, typeof body === 'string' ? body : pythonJsonDumps(body), query);

  it('answers 404 for an unknown zone or seat', async () => {
    const before = await written();
    const cases: [string, unknown, string][] = [
      [
        'createIncidentWithoutAssignee',
        { Incident: { Name: 'x', Priority: 'H', Zone: 'zoneid99' } },
        'zone zoneid99 not found',
      ],
      [
        'assignIncident',
        { SeatId: seat(), ShiftID: seat(), zoneId: 'zoneid99', IncidentID: ourTask },
        'zone zoneid99 not found',
      ],
      [
        'createIncident',
        { Taskgroup: { SeatId: seat(), ShiftId: seat(), Tasks: [{ Name: 'x' }], Zone: 'zoneid99' } },
        'zone zoneid99 not found',
      ],
      [
        'adminUpdateIncidentZone',
        { Incident: { TaskId: ourTask, Zone: zone.insId }, zoneId: 'zoneid99' },
        'zone zoneid99 not found',
      ],
      [
        'assignIncident',
        { SeatId: unknownSeat(), ShiftID: unknownSeat(), zoneId: zone.insId, IncidentID: ourTask },
        unknownSeat(),
      ],
      [
        'startUnassignedIncident',
        { SeatId: unknownSeat(), IncidentId: ourTask, zoneId: zone.insId },
        unknownSeat(),
      ],
      [
        'createIncident',
        {
          Taskgroup: {
            SeatId: unknownSeat(),
            ShiftId: unknownSeat(),
            Tasks: [{ Name: 'x' }],
            Zone: zone.insId,
          },
        },
        unknownSeat(),
      ],
    ];
    for (const [op, body, mention] of cases) {
      expectRefused(await sdk(op, body), 404, 'NOT_FOUND', mention);
    }
    expect(await written()).toEqual(before);
  });

  it('answers 400 naming the field for a malformed body', async () => {
    const before = await written();
    const cases: [string, unknown, string, string][] = [
      [
        'getUnassignedIncidentsForZone',
        { StartTime: 'yesterday', EndTime: 1666588219, zoneId: zone.insId },
        'WRONG_PARAMETERS',
        'StartTime',
      ],
      [
        'assignIncident',
        { ShiftID: seat(), zoneId: zone.insId, IncidentID: ourTask },
        'MISSING_PARAMETERS',
        'SeatId',
      ],
      [
        'updateIncidentComment',
        { IncidentId: ourTask, zoneId: zone.insId, IncidentComment: { UserName: 'kg' } },
        'MISSING_PARAMETERS',
        'Comment',
      ],
      [
        'escalateIncidentStatusForType',
        { ShiftID: seat(), SeatId: seat(), IncidentId: ourTask, EscalationType: 'tomorrow' },
        'WRONG_PARAMETERS',
        'EscalationType',
      ],
      [
        'createEscalationPolicy',
        {
          EscalationPolicy: {
            ...CREATE_POLICY.EscalationPolicy,
            Name: 'Bad',
            StartThresholdSettings: [{ Level: 'L9', Recipients: [], TimeAfter: 90, Action: 'NOTIFY' }],
          },
        },
        'WRONG_PARAMETERS',
        'StartThresholdSettings',
      ],
      [
        'updateIncidentsSettings',
        { IncidentSettings: { IncidentSettings: { TASK_CLOSURE_PIC_COMPULSORY: { BooleanValue: 'yes' } } } },
        'WRONG_PARAMETERS',
        'TASK_CLOSURE_PIC_COMPULSORY',
      ],
      [
        'updateUnassignedIncidentAttachments',
        { IncidentId: ourTask, zoneId: zone.insId, Attachments: 'ghi' },
        'WRONG_PARAMETERS',
        'Attachments',
      ],
      ['listIncidentComments', '[]', 'WRONG_PARAMETERS', 'object'],
    ];
    for (const [op, body, code, mention] of cases) {
      expectRefused(await sdk(op, body), 400, code, mention);
    }
    // Not JSON at all (the documented getEscalationPolicy example, missing its comma, is such a body).
    const broken = await sdk('getEscalationPolicy', '{ "EscalationPolicyId": "default" "MapToArray":false }');
    expect(broken).toMatchObject({ status: 400, body: { status: 400, code: 'WRONG_PARAMETERS' } });
    expect(await written()).toEqual(before);
  });

  it("answers 404 for another organisation's incident, building or zone, leaving it as it was", async () => {
    const before = await written();
    const cases: [string, unknown, { pid?: string }, string][] = [
      ['getUnassignedIncidentByID', { Incident: { TaskId: otherTask, Zone: zone.insId } }, {}, otherTask],
      ['listIncidentComments', { IncidentId: otherTask }, {}, otherTask],
      [
        'assignIncident',
        { SeatId: seat(), ShiftID: seat(), zoneId: zone.insId, IncidentID: otherTask },
        {},
        otherTask,
      ],
      ['escalateUnassignedIncident', { zoneId: zone.insId, IncidentId: otherTask }, {}, otherTask],
      ['adminDeleteIncident', { IncidentID: otherTask }, {}, otherTask],
      [
        'updateIncidentComment',
        { IncidentId: otherTask, zoneId: zone.insId, IncidentComment: { Comment: 'x', UserName: 'kg' } },
        {},
        otherTask,
      ],
      // Their zone named in our building.
      [
        'getUnassignedIncidentByID',
        { Incident: { TaskId: otherTask, Zone: otherZone } },
        {},
        `zone ${otherZone}`,
      ],
      // Their building named by our credential.
      [
        'getUnassignedIncidentByID',
        { Incident: { TaskId: otherTask, Zone: otherZone } },
        { pid: otherPid },
        `building ${otherPid} not found`,
      ],
      ['adminDeleteIncident', { IncidentID: otherTask }, { pid: otherPid }, `building ${otherPid} not found`],
    ];
    for (const [op, body, query, mention] of cases) {
      expectRefused(await sdk(op, body, query), 404, 'NOT_FOUND', mention);
    }
    expect(await written()).toEqual(before);
    // The other organisation still sees its incident untouched.
    expect(
      await action(
        'scteams.getUnassignedIncidentByID',
        { Incident: { TaskId: otherTask, Zone: otherZone } },
        { pid: otherPid, as: other },
      ),
    ).toMatchObject({
      status: 200,
      body: { data: { TaskId: otherTask, Status: 'NOT_ASSIGNED', EscalationLevel: 'L0' } },
    });
  });
});
