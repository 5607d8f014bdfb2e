import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { CLOCK_ADVANCE_COMMAND, type MatrixEventV1 } from '@matrix/contracts';
import { CommandBus, type NatsClient } from '@matrix/messaging';
import { expectEventually } from '@matrix/testing';
import { type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';

/*
 * The durable escalation timer end to end on the built services: an open H incident created through the
 * Matrix actions API (SC-HMAC signed, real gateway), incident-service started with its test clock
 * (`CLOCK_CONTROL=on`), the clock moved 301 s with `workforce.clock.advance.v1`; the sweeper (leader,
 * every second) escalates the incident to L1 — the documented default policy's StartThreshold for H is
 * 300 s — and exactly one INCIDENT_ESCALATED reaches NATS in the documented envelope.
 */

const SERVICES = ['matrix-api-gateway', 'incident-service'] as const;
const suite = new PlatformSuite('e2e-escalation', SERVICES, {
  MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  RATE_LIMIT_PER_SECOND: '10000',
  RATE_LIMIT_BURST: '10000',
  CLOCK_CONTROL: 'on',
});
let platform: Platform;
let nats: NatsClient;
let sql: Client;
let tenant: { org: string; propid: string; accessKey: string; secretKey: string };
let pid: string;
let zone: { insId: string; name: string };
const events: { subject: string; event: MatrixEventV1 }[] = [];

type Answer = { status: number; body: any };

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A Matrix actions call signed with SC-HMAC v1 (the Matrix documentation, §4.2). */
function action(op: string, body: unknown): Promise<Answer> {
  const module = 'scworkforcemanagement';
  const epoch = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', Buffer.from(tenant.secretKey, 'utf8'))
    .update(`${module}/${tenant.propid}/${op}/${tenant.accessKey}/${epoch}`, 'utf8')
    .digest('hex');
  const params = new URLSearchParams({ op, org: tenant.org, pid, propid: tenant.propid });
  return send(`${platform.service('matrix-api-gateway').url}/prod/v2/${module}/v1/actions?${params}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-sc-time': String(epoch),
      authorization: `SCHMAC_V1;${tenant.accessKey};${signature}`,
    },
    body: JSON.stringify(body),
  });
}

function rest(method: string, path: string, body?: unknown): Promise<Answer> {
  return send(`${platform.service('matrix-api-gateway').url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${tenant.accessKey}:${tenant.secretKey}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const quiet = { error: () => undefined, warn: () => undefined, log: () => undefined } as never;

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start());
  tenant = await platform.bootstrapTenant('ESCE2E', 'Escalation Campus', 'Asia/Singapore');
  const building = await rest('POST', `/v1/properties/${tenant.propid}/buildings`, {
    name: 'Escalation Tower',
    levelsCount: 1,
    timeZone: 'Asia/Singapore',
  });
  pid = building.body.pid;
  const lid = (await rest('POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).body.lid;
  const zones = await rest('POST', `/v1/buildings/${pid}/zones`, { zones: [{ name: 'Lobby', lid }] });
  zone = zones.body.items[0];
  nats.nc.subscribe(nats.namespace.subject(`matrix.${pid}.scworkforcemanagement.>`), {
    callback: (_error, message) => {
      events.push({ subject: nats.namespace.strip(message.subject), event: message.json<MatrixEventV1>() });
    },
  });
  await nats.nc.flush();
}, 120_000);

afterAll(async () => {
  const codes = await suite.stop();
  expect(codes).toEqual({ 'matrix-api-gateway': 0, 'incident-service': 0 });
});

describe('the escalation timer on a test clock', () => {
  it('escalates an open H incident to L1 once the clock passes reporting time + 300 s, with one INCIDENT_ESCALATED', async () => {
    const created = await action('scteams.createIncidentWithoutAssignee', {
      Incident: {
        Name: 'Spill at the entrance.',
        Priority: 'H',
        Tasks: [{ Name: 'Mop the floor.' }],
        Zone: zone.insId,
        By: 'KG',
        EventSource: 'HK',
      },
    });
    expect(created).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', data: { Status: 'NOT_ASSIGNED' } },
    });
    const incident = created.body.data;
    const taskId: string = incident.TaskId;
    const reported: number = incident.CreatedOn;
    const state = async () =>
      (
        await sql.query(
          `select escalation_level, escalate_kind, extract(epoch from escalate_at)::bigint::int as at
           from workforce.incidents where task_id = $1`,
          [taskId],
        )
      ).rows[0];
    // The deadline is in the table before the clock moves: L1 by `unassigned` at reporting time + 300 s.
    expect(await state()).toEqual({ escalation_level: 0, escalate_kind: 'unassigned', at: reported + 300 });
    const escalations = async () =>
      (await action('scteams.getIncidentEscalations', { TaskGroups: [{ TaskId: taskId, Zone: zone.insId }] }))
        .body.data;
    expect(await escalations()).toEqual([
      expect.objectContaining({ TaskId: taskId, EscalationLevel: 'L0', NextEscalationAt: reported + 300 }),
    ]);

    const before = Math.floor(Date.now() / 1000);
    const moved = await new CommandBus(nats, quiet).request(CLOCK_ADVANCE_COMMAND, { seconds: 301 });
    const movedTo = Math.floor(Date.parse(moved.now) / 1000);
    expect(movedTo).toBeGreaterThanOrEqual(before + 301);

    const [escalated] = await expectEventually(
      () => {
        const found = events.filter(
          (e) => e.event.Event === 'INCIDENT_ESCALATED' && e.event.Meta['TaskId'] === taskId,
        );
        expect(found).toHaveLength(1);
        return found;
      },
      { timeoutMs: 20_000 },
    );
    const routingKey = `matrix.${pid}.scworkforcemanagement.INCIDENT_ESCALATED.HIGH`;
    expect(escalated!.subject).toBe(routingKey);
    const { event } = escalated!;
    expect(event.UnixTimeInt).toBeGreaterThanOrEqual(movedTo);
    expect(event).toEqual({
      ID: pid,
      ATTR: `INCIDENT_ESCALATED#${tenant.propid}#${pid}#${taskId}#L1`,
      Description: `Incident Spill at the entrance. in Lobby escalated to L1.`,
      Event: 'INCIDENT_ESCALATED',
      Principal: pid,
      PType: 'building',
      Entity: tenant.propid,
      EType: 'property',
      RoutingKey: routingKey,
      RoutingKeyS: ['matrix', pid, 'scworkforcemanagement', 'INCIDENT_ESCALATED', 'HIGH'],
      Status: 'HIGH',
      Time: `scworkforcemanagement#${event.UnixTimeInt}`,
      UnixTime: String(event.UnixTimeInt),
      UnixTimeInt: event.UnixTimeInt,
      Module: 'scworkforcemanagement',
      Meta: {
        AEnd: 0,
        AStart: 0,
        By: 'KG',
        End: incident.End,
        EscalationLevel: 'L1',
        Name: 'Spill at the entrance.',
        Priority: 'H',
        SourceDeviceIdentifier: [],
        Start: incident.Start,
        Status: 'NOT_ASSIGNED',
        TaskId: taskId,
        Type: 'INCIDENT',
        Zone: zone.insId,
        ZoneName: 'Lobby',
      },
    });
    // Exactly one: the default policy lists no further level, so nothing more is scheduled.
    expect(await state()).toEqual({ escalation_level: 1, escalate_kind: null, at: null });
    const { rows } = await sql.query(
      `select count(*)::int as n from workforce.incident_timeline where task_id = $1 and transition = 'escalate'`,
      [taskId],
    );
    expect(rows[0].n).toBe(1);
    expect(await escalations()).toEqual([
      expect.objectContaining({
        TaskId: taskId,
        EscalationLevel: 'L1',
        EscalationType: 'unassigned',
        EscalationPolicy: 'default',
        NextEscalationAt: null,
        Escalations: [
          expect.objectContaining({ Action: 'escalate', EscalationLevel: 'L1', By: 'escalation-timer' }),
        ],
      }),
    ]);
  });
});
