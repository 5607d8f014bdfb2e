import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import {
  CLOCK_ADVANCE_COMMAND,
  type MatrixEventV1,
  type ShiftEventMetaV1,
  type ShiftsPublishedMetaV1,
  type TaskEventMetaV1,
} from '@matrix/contracts';
import { CommandBus, type NatsClient } from '@matrix/messaging';
import { expectEventually } from '@matrix/testing';
import { type Platform } from './support/platform-process';
import { PlatformSuite } from './support/platform-suite';
import { WebhookReceiver } from './support/webhook-receiver';

/*
 * A working day on the built services (issue #13's acceptance), played on incident-service's test clock
 * (`CLOCK_CONTROL=on`, moved with `workforce.clock.advance.v1`), every call through the real gateway's
 * actions API signed with SC-HMAC (the Matrix documentation, §4.2) like a real client: three seats (REST
 * v1), availability for two of them, a published shift each in one building (Asia/Singapore) with zones
 * and task groups, one with a planned break. Seat B starts on time and takes its planned break; seat A
 * starts late (the shift timer's SHIFT_DELAYED at Start + 1800 s, then SHIFT_STARTED); an incident created
 * with `AutoAssigned` in the zone both serve goes to A, not to B on its planned break
 * (INCIDENT_CREATED_OPEN, then INCIDENT_CREATED), and A works it; seat C never comes (SHIFT_DELAYED, then SHIFT_ABSENT at Start +
 * 3600 s); A and B start and complete task groups (TASK_STARTED, TASK_COMPLETED), A leaves one started
 * and unfinished (TASK_INCOMPLETE at its End + 4200 s); both shifts end (SHIFT_COMPLETED). Then
 * getLastNTasks answers the zone's last clean time (Limit 1) and the last tasks (Limit 5) from that day.
 * Every event is checked on NATS field by field — the documented envelope (§2.2–2.4) and the `Meta` that
 * `ShiftEventMetaV1`, `ShiftsPublishedMetaV1`, `TaskEventMetaV1` and the incident `Meta` (§2.4) define —
 * arrives once, in the step that caused it, and a push subscription received exactly the same events.
 */

const SERVICES = ['matrix-api-gateway', 'incident-service', 'event-router'] as const;
const suite = new PlatformSuite('e2e-workday', SERVICES, {
  MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
  RATE_LIMIT_PER_SECOND: '10000',
  RATE_LIMIT_BURST: '10000',
  ROUTER_ALLOW_TARGETS: 'loopback',
  CLOCK_CONTROL: 'on',
});
const TIME_ZONE = 'Asia/Singapore';
/** The events of the day the push subscription asks for (the Matrix documentation, §2.3). */
const PUSHED = [
  'SHIFTS_PUBLISHED',
  'SHIFT_STARTED',
  'SHIFT_DELAYED',
  'SHIFT_ABSENT',
  'SHIFT_COMPLETED',
  'TASK_STARTED',
  'TASK_COMPLETED',
  'TASK_INCOMPLETE',
  'INCIDENT_CREATED',
  'INCIDENT_CREATED_OPEN',
  'INCIDENT_STARTED',
  'INCIDENT_COMPLETED',
];
/** The documented priorities of those events (§2.3). */
const PRIORITY: Record<string, 'HIGH' | 'MEDIUM' | 'NORMAL'> = {
  SHIFTS_PUBLISHED: 'MEDIUM',
  SHIFT_STARTED: 'NORMAL',
  SHIFT_DELAYED: 'MEDIUM',
  SHIFT_ABSENT: 'HIGH',
  SHIFT_COMPLETED: 'NORMAL',
  TASK_STARTED: 'NORMAL',
  TASK_COMPLETED: 'NORMAL',
  TASK_INCOMPLETE: 'HIGH',
  INCIDENT_CREATED: 'HIGH',
  INCIDENT_CREATED_OPEN: 'HIGH',
  INCIDENT_STARTED: 'NORMAL',
  INCIDENT_COMPLETED: 'NORMAL',
};
/** Exactly the keys of each `Meta` (the contracts; the incident's as documented, §2.4). */
const SHIFT_META_KEYS = Object.keys({
  Type: 1,
  ShiftId: 1,
  SeatId: 1,
  ID: 1,
  PropID: 1,
  Status: 1,
  Delayed: 1,
  Start: 1,
  End: 1,
  AStart: 1,
  AEnd: 1,
  TimeZone: 1,
  LocalTime: 1,
  Zones: 1,
  Adhoc: 1,
  TaskGroups: 1,
  By: 1,
} satisfies Record<keyof ShiftEventMetaV1, 1>).sort();
const PUBLISHED_META_KEYS = Object.keys({
  Type: 1,
  ID: 1,
  PropID: 1,
  Count: 1,
  Shifts: 1,
  By: 1,
} satisfies Record<keyof ShiftsPublishedMetaV1, 1>).sort();
const TASK_META_KEYS = Object.keys({
  Type: 1,
  TaskId: 1,
  ShiftId: 1,
  SeatId: 1,
  ID: 1,
  PropID: 1,
  Zone: 1,
  ZoneName: 1,
  ZoneCatId: 1,
  Name: 1,
  Priority: 1,
  Start: 1,
  End: 1,
  AStart: 1,
  AEnd: 1,
  Status: 1,
  TasksDone: 1,
  taskCount: 1,
  By: 1,
} satisfies Record<keyof TaskEventMetaV1, 1>).sort();
const INCIDENT_META_KEYS = [
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
];

let platform: Platform;
let nats: NatsClient;
let sql: Client;
type Tenant = { org: string; propid: string; accessKey: string; secretKey: string };
let tenant: Tenant;
let pid: string;
/** The washroom both A and B serve, and the pantry A and C serve. */
let washroom: { insId: string; name: string };
let pantry: { insId: string; name: string };
let seatA: string;
let seatB: string;
let seatC: string;
const events: { subject: string; event: MatrixEventV1 }[] = [];
const receiver = new WebhookReceiver();
let signingSecret: string;

type Answer = { status: number; body: any };

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A Matrix actions call signed with SC-HMAC v1 (the Matrix documentation, §4.2), as the Python SDK signs it. */
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

/** The documented success envelope `{code: "SUCCESS", message, data}` of `op`; answers `data`. */
async function succeed(op: string, body: unknown): Promise<any> {
  const answer = await action(op, body);
  expect({ op, status: answer.status, code: answer.body?.code }).toEqual({
    op,
    status: 200,
    code: 'SUCCESS',
  });
  return answer.body.data;
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

/**
 * The test clock: incident-service's time is the system time plus what the advances added (whole
 * seconds, held by its one process), so the sum of the advances is exactly its offset.
 */
let offset = 0;
const clockNow = () => Date.now() / 1000 + offset;
/** The service's epoch second now. */
const now = () => Math.floor(clockNow());

/** Moves incident-service's clock forward to `target` (epoch seconds); answers its new time. */
async function advanceTo(target: number): Promise<number> {
  const seconds = Math.ceil(target - clockNow());
  if (seconds < 1) throw new Error(`the clock is already past ${target}`);
  const moved = await new CommandBus(nats, quiet).request(CLOCK_ADVANCE_COMMAND, { seconds });
  offset += seconds;
  const movedTo = Math.floor(Date.parse(moved.now) / 1000);
  expect(movedTo).toBeGreaterThanOrEqual(target);
  return movedTo;
}

/** `run` with the service's clock before and after it: what it stamps lies in `[from, to]`. */
async function timed<T>(run: () => Promise<T>): Promise<{ result: T; from: number; to: number }> {
  const from = now();
  const result = await run();
  return { result, from, to: now() };
}

function within(value: unknown, [from, to]: [number, number]): number {
  expect(typeof value).toBe('number');
  expect(value as number).toBeGreaterThanOrEqual(from);
  expect(value as number).toBeLessThanOrEqual(to);
  return value as number;
}

/** The planned start on Singapore's wall clock (UTC+8 all year), `YYYYMMDDHHMMSS`. */
const localTime = (epoch: number) =>
  new Date((epoch + 8 * 3600) * 1000)
    .toISOString()
    .replace(/[^0-9]/g, '')
    .slice(0, 14);

/**
 * An event's identity in this day: its id and what it is about — the shift (`SHIFT_*`; the one shift a
 * `SHIFTS_PUBLISHED` lists), or the task group or incident (`TASK_*`, `INCIDENT_*`).
 */
function key(event: MatrixEventV1): string {
  const meta = event.Meta as Record<string, any>;
  if (event.Event === 'SHIFTS_PUBLISHED') return `SHIFTS_PUBLISHED:${meta['Shifts']?.[0]?.ShiftId}`;
  if (event.Event.startsWith('SHIFT_')) return `${event.Event}:${meta['ShiftId']}`;
  return `${event.Event}:${meta['TaskId']}`;
}

/** The events of each step of the day, in the order the steps happened. */
const steps: string[][] = [];

/**
 * Waits until the events of one more step — exactly `expected`, in any order within the step — have
 * arrived after those of the steps before, and nothing else: answers them by key.
 */
async function step(expected: string[]): Promise<Record<string, { subject: string; event: MatrixEventV1 }>> {
  const before = steps.flat().length;
  steps.push(expected);
  const arrived = await expectEventually(
    () => {
      const since = events.slice(before);
      expect(since.map((e) => key(e.event)).sort()).toEqual([...expected].sort());
      return since;
    },
    { timeoutMs: 20_000 },
  );
  return Object.fromEntries(arrived.map((e) => [key(e.event), e]));
}

/**
 * One event checked field by field against the documented envelope (the Matrix documentation, §2.2
 * routing key, §2.4 every top-level field; docs/data-formats.md: principal the building, entity its
 * property, the event's documented priority), `UnixTimeInt` within `between` on the service's clock, and
 * `Meta` exactly `meta` with exactly `metaKeys`.
 */
function expectEvent(
  received: { subject: string; event: MatrixEventV1 } | undefined,
  expected: {
    eventId: string;
    /** `ATTR`, or how it follows from the event's time. */
    attr: string | ((unixTime: number) => string);
    description: string;
    meta: object;
    metaKeys: string[];
    between: [number, number];
  },
): MatrixEventV1 {
  const { eventId, attr, description, meta, metaKeys, between } = expected;
  expect(received).toBeDefined();
  const priority = PRIORITY[eventId]!;
  const routingKey = `matrix.${pid}.scworkforcemanagement.${eventId}.${priority}`;
  expect(received!.subject).toBe(routingKey);
  const { event } = received!;
  expect(event.UnixTime).toMatch(/^[1-9][0-9]*$/);
  within(event.UnixTimeInt, between);
  expect(event).toEqual({
    ID: pid,
    ATTR: typeof attr === 'string' ? attr : attr(event.UnixTimeInt),
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
  expect(Object.keys(event.Meta).sort()).toEqual(metaKeys);
  return event;
}

/** A shift as planned (the createShift answer), and what its events say about it. */
interface PlannedShift {
  ShiftId: string;
  SeatId: string;
  Start: number;
  End: number;
  Zones: Record<string, string>;
  TaskGroups: string[];
}
const shiftMeta = (
  shift: PlannedShift,
  change: Pick<ShiftEventMetaV1, 'Status' | 'Delayed' | 'AStart' | 'AEnd' | 'By'>,
): ShiftEventMetaV1 => ({
  Type: 'SHIFT',
  ShiftId: shift.ShiftId,
  SeatId: shift.SeatId,
  ID: pid,
  PropID: tenant.propid,
  Start: shift.Start,
  End: shift.End,
  TimeZone: TIME_ZONE,
  LocalTime: localTime(shift.Start),
  Zones: shift.Zones,
  Adhoc: false,
  TaskGroups: shift.TaskGroups,
  ...change,
});
const shiftDescriptions: Record<string, (s: PlannedShift) => string> = {
  SHIFT_STARTED: (s) => `Shift ${s.ShiftId} of seat ${s.SeatId} was started.`,
  SHIFT_COMPLETED: (s) => `Shift ${s.ShiftId} of seat ${s.SeatId} was completed.`,
  SHIFT_DELAYED: (s) => `Shift ${s.ShiftId} of seat ${s.SeatId} is delayed.`,
  SHIFT_ABSENT: (s) => `Seat ${s.SeatId} is absent from shift ${s.ShiftId}.`,
};
function expectShiftEvent(
  received: { subject: string; event: MatrixEventV1 } | undefined,
  eventId: 'SHIFT_STARTED' | 'SHIFT_DELAYED' | 'SHIFT_ABSENT' | 'SHIFT_COMPLETED',
  shift: PlannedShift,
  change: Pick<ShiftEventMetaV1, 'Status' | 'Delayed' | 'AStart' | 'AEnd' | 'By'>,
  between: [number, number],
): MatrixEventV1 {
  return expectEvent(received, {
    eventId,
    attr: `${eventId}#${tenant.propid}#${pid}#${shift.SeatId}#${shift.ShiftId}`,
    description: shiftDescriptions[eventId]!(shift),
    meta: shiftMeta(shift, change),
    metaKeys: SHIFT_META_KEYS,
    between,
  });
}

/** A planned task group of the day (from its createShift body) and its ids once created. */
interface PlannedTask {
  TaskId: string;
  ShiftId: string;
  SeatId: string;
  Name: string;
  Priority: 'H' | 'M' | 'N' | 'L';
  Start: number;
  End: number;
  Zone: { insId: string; name: string };
  ZoneCatId: string;
  taskCount: number;
}
const taskDescriptions: Record<string, (t: PlannedTask) => string> = {
  TASK_STARTED: (t) => `${t.SeatId} has started ${t.Name} in ${t.Zone.name}.`,
  TASK_COMPLETED: (t) => `${t.SeatId} has completed ${t.Name} in ${t.Zone.name}.`,
  TASK_INCOMPLETE: (t) => `${t.Name} in ${t.Zone.name} was not completed by ${t.SeatId}.`,
};
function expectTaskEvent(
  received: { subject: string; event: MatrixEventV1 } | undefined,
  eventId: 'TASK_STARTED' | 'TASK_COMPLETED' | 'TASK_INCOMPLETE',
  task: PlannedTask,
  change: Pick<TaskEventMetaV1, 'Status' | 'AStart' | 'AEnd' | 'By'>,
  between: [number, number],
): MatrixEventV1 {
  const meta: TaskEventMetaV1 = {
    Type: 'TASK',
    TaskId: task.TaskId,
    ShiftId: task.ShiftId,
    SeatId: task.SeatId,
    ID: pid,
    PropID: tenant.propid,
    Zone: task.Zone.insId,
    ZoneName: task.Zone.name,
    ZoneCatId: task.ZoneCatId,
    Name: task.Name,
    Priority: task.Priority,
    Start: task.Start,
    End: task.End,
    TasksDone: 0,
    taskCount: task.taskCount,
    ...change,
  };
  return expectEvent(received, {
    eventId,
    attr: `${eventId}#${tenant.propid}#${pid}#${task.TaskId}`,
    description: taskDescriptions[eventId]!(task),
    meta,
    metaKeys: TASK_META_KEYS,
    between,
  });
}

/** Every event the subscriber's endpoint received, each POST's signature verified with standardwebhooks. */
const pushed = (): MatrixEventV1[] =>
  receiver.requests.flatMap(
    (request) => new Webhook(signingSecret).verify(request.body, request.headers) as MatrixEventV1[],
  );

/** An organisation with a property and its admin credential, from the gateway's bootstrap command. */
function bootstrapTenant(org: string, property: string): Promise<Tenant> {
  return platform.bootstrapTenant(org, property, TIME_ZONE);
}

beforeAll(async () => {
  ({ platform, nats, sql } = await suite.start());
  tenant = await bootstrapTenant('DAYE2E', 'Workday Campus');
  const building = await rest('POST', `/v1/properties/${tenant.propid}/buildings`, {
    name: 'Day Tower',
    levelsCount: 1,
    timeZone: TIME_ZONE,
  });
  expect(building.status).toBe(201);
  pid = building.body.pid;
  const lid = (await rest('POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).body.lid;
  const zones = await rest('POST', `/v1/buildings/${pid}/zones`, {
    zones: [
      { name: 'Washroom 3', lid },
      { name: 'Pantry', lid },
    ],
  });
  expect(zones.status).toBe(201);
  [washroom, pantry] = zones.body.items;
  // The three seats of the day, created over REST v1 (owned by incident-service), as the other e2e does.
  const seats: string[] = [];
  for (const userName of ['Aisha', 'Ben', 'Chen']) {
    const created = await rest('POST', `/v1/properties/${tenant.propid}/seats`, {
      userName,
      userGroup: 'HOUSEKEEPING',
    });
    expect(created).toMatchObject({ status: 201, body: { status: 'ACTIVE' } });
    seats.push(created.body.seatId);
  }
  [seatA, seatB, seatC] = seats as [string, string, string];
  expect(seats).toEqual([`${tenant.propid}_001`, `${tenant.propid}_002`, `${tenant.propid}_003`]);
  // The push subscription, created over REST v1 as an integrator would (docs/delivery.md).
  await receiver.start();
  const subscription = await rest('POST', '/v1/subscriptions', {
    url: receiver.url,
    kind: 'matrix-events',
    patterns: PUSHED.map((eventId) => `matrix.${pid}.scworkforcemanagement.${eventId}.*`),
    batch: { maxSize: 100, maxWaitMs: 0 },
  });
  expect(subscription).toMatchObject({ status: 201, body: { status: 'active' } });
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

describe('a working day on an injected clock', () => {
  /** The day's planned start (an hour ahead of the clock when planned) and its three shifts. */
  let S: number;
  let shiftA: PlannedShift;
  let shiftB: PlannedShift;
  let shiftC: PlannedShift;
  /** A's task groups (two in the washroom, one in the pantry) and B's (the washroom). */
  let tg1: PlannedTask;
  let tg2: PlannedTask;
  let tg3: PlannedTask;
  let tgB: PlannedTask;
  /** Clock-ins, task starts and ends as the answers stamped them (checked against the clock there). */
  const at: Record<string, number> = {};
  let incidentId: string;
  let incidentStart: number;

  const taskGroupBody = (name: string, zone: { insId: string; name: string }, from: number, to: number) => ({
    End: to,
    Name: name,
    Priority: 'M',
    Start: from,
    Tasks: [{ Name: 'Task 1- Clean floor' }, { Name: 'Task 6- Clean doors' }],
    TimeZone: TIME_ZONE,
    Type: 'TASK',
    Zone: zone.insId,
    ZoneCatId: zone === pantry ? 'PANTRIES' : 'WASHROOMS',
    ZoneName: zone.name,
  });

  /** createShift with Publish for one seat (the documented body's shape, Appendix A); answers the shift. */
  async function plan(
    seatId: string,
    zones: { insId: string; name: string }[],
    breaks: Record<string, unknown>[],
    taskGroups: ReturnType<typeof taskGroupBody>[],
  ): Promise<PlannedShift> {
    const Zones = Object.fromEntries(zones.map((z) => [z.insId, z.name]));
    const { result, from, to } = await timed(() =>
      succeed('scteams.createShift', {
        SeatId: seatId,
        Schedule: [
          {
            shift: {
              Cost: { U: 'SGD', V: 225 },
              Breaks: breaks,
              End: S + 4 * 3600,
              Start: S,
              TimeZone: TIME_ZONE,
              Zones,
              Description: `${seatId}'s day`,
            },
            taskGroup: taskGroups,
          },
        ],
        Publish: true,
      }),
    );
    expect(result).toHaveLength(1);
    const shift = result[0];
    expect(shift).toMatchObject({
      SeatId: seatId,
      Start: S,
      End: S + 4 * 3600,
      Status: 'PUBLISHED',
      Delayed: false,
      AStart: 0,
      AEnd: 0,
      TimeZone: TIME_ZONE,
      LocalTime: localTime(S),
      Zones,
      TaskGroupsCount: taskGroups.length,
    });
    const planned: PlannedShift = {
      ShiftId: shift.ShiftId,
      SeatId: seatId,
      Start: S,
      End: S + 4 * 3600,
      Zones,
      TaskGroups: shift.TaskGroups,
    };
    // One SHIFTS_PUBLISHED per publishing call, listing the shift as published.
    const arrived = await step([`SHIFTS_PUBLISHED:${shift.ShiftId}`]);
    const { By: _by, ...published } = shiftMeta(planned, {
      Status: 'PUBLISHED',
      Delayed: false,
      AStart: 0,
      AEnd: 0,
      By: tenant.accessKey,
    });
    expectEvent(arrived[`SHIFTS_PUBLISHED:${shift.ShiftId}`], {
      eventId: 'SHIFTS_PUBLISHED',
      attr: (unixTime) => `SHIFTS_PUBLISHED#${tenant.propid}#${pid}#${unixTime}`,
      description: '1 shift(s) were published.',
      meta: {
        Type: 'SHIFTS',
        ID: pid,
        PropID: tenant.propid,
        Count: 1,
        Shifts: [published],
        By: tenant.accessKey,
      },
      metaKeys: PUBLISHED_META_KEYS,
      between: [from, to],
    });
    return planned;
  }

  it('plans the day: availability for A and B, and a published shift each for A, B and C with zones and task groups', async () => {
    S = now() + 3600;
    // Availability (the documented bodies' shape): every day, all day, in both zones of the building.
    for (const seatId of [seatA, seatB]) {
      const days = await succeed('scteams.createSeatAvailability', {
        Availability: {
          SeatId: seatId,
          DaysOfWeek: [0, 1, 2, 3, 4, 5, 6],
          TimeSlots: [{ StartTime: 0, EndTime: 86400, Name: 'all day' }],
        },
      });
      expect(days).toHaveLength(7);
      const zones = await succeed('scteams.createAvailabilityZones', {
        SeatAvailabilityZones: {
          SeatId: seatId,
          Zones: { [pid]: { [washroom.insId]: 'Washroom 3', [pantry.insId]: 'Pantry' } },
        },
      });
      expect(zones).toMatchObject({
        SeatId: seatId,
        Zones: { [pid]: { [washroom.insId]: 'Washroom 3', [pantry.insId]: 'Pantry' } },
      });
    }

    const tasksOfA = [
      taskGroupBody('Clean washroom', washroom, S + 3600, S + 5400),
      taskGroupBody('Restock washroom', washroom, S + 5400, S + 7200),
      taskGroupBody('Clean pantry', pantry, S + 7200, S + 9000),
    ];
    shiftA = await plan(seatA, [washroom, pantry], [], tasksOfA);
    const tasksOfB = [taskGroupBody('Mop washroom', washroom, S + 3600, S + 7200)];
    shiftB = await plan(
      seatB,
      [washroom],
      [
        {
          DurationInSeconds: 1800,
          IsPlannedBreak: true,
          Type: 'meal_break',
          Start: S + 1800,
          End: S + 3600,
          Notes: 'Lunch',
        },
      ],
      tasksOfB,
    );
    shiftC = await plan(seatC, [pantry], [], []);
    expect(shiftA.TaskGroups).toHaveLength(3);
    expect(shiftB.TaskGroups).toHaveLength(1);
    expect(shiftC.TaskGroups).toEqual([]);

    const planned = (
      shift: PlannedShift,
      body: ReturnType<typeof taskGroupBody>,
      i: number,
    ): PlannedTask => ({
      TaskId: shift.TaskGroups[i]!,
      ShiftId: shift.ShiftId,
      SeatId: shift.SeatId,
      Name: body.Name,
      Priority: 'M',
      Start: body.Start,
      End: body.End,
      Zone: body.Zone === pantry.insId ? pantry : washroom,
      ZoneCatId: body.ZoneCatId,
      taskCount: 2,
    });
    [tg1, tg2, tg3] = tasksOfA.map((body, i) => planned(shiftA, body, i)) as [
      PlannedTask,
      PlannedTask,
      PlannedTask,
    ];
    tgB = planned(shiftB, tasksOfB[0]!, 0);
    // The task groups as planned and published with their shift (TaskGroups in start order).
    const details = await succeed('scteams.getTaskDetailsById', {
      Taskgroup: { SeatId: seatA, ShiftId: shiftA.ShiftId, TaskId: tg3.TaskId },
    });
    expect(details).toMatchObject({
      TaskId: tg3.TaskId,
      Name: 'Clean pantry',
      Status: 'PUBLISHED',
      Zone: pantry.insId,
      ZoneName: 'Pantry',
      Start: S + 7200,
      End: S + 9000,
    });
  });

  it('B starts on time; at Start + 1800 s the timer flags A and C delayed (SHIFT_DELAYED), and B starts its planned break', async () => {
    await advanceTo(S + 60);
    const startB = await timed(() =>
      succeed('scteams.shiftStart', {
        Shift: {
          SeatId: seatB,
          ShiftId: shiftB.ShiftId,
          Coordinates: { ClockIn: { Latitude: 1.2903, Longitude: 103.8519 } },
        },
      }),
    );
    at['B in'] = within(startB.result.AStart, [startB.from, startB.to]);
    expect(startB.result).toMatchObject({ Status: 'STARTED', Delayed: false });
    const started = await step([`SHIFT_STARTED:${shiftB.ShiftId}`]);
    expectShiftEvent(
      started[`SHIFT_STARTED:${shiftB.ShiftId}`],
      'SHIFT_STARTED',
      shiftB,
      { Status: 'STARTED', Delayed: false, AStart: at['B in'], AEnd: 0, By: tenant.accessKey },
      [startB.from, startB.to],
    );

    const movedTo = await advanceTo(S + 1800);
    const delayed = await step([`SHIFT_DELAYED:${shiftA.ShiftId}`, `SHIFT_DELAYED:${shiftC.ShiftId}`]);
    for (const shift of [shiftA, shiftC]) {
      expectShiftEvent(
        delayed[`SHIFT_DELAYED:${shift.ShiftId}`],
        'SHIFT_DELAYED',
        shift,
        { Status: 'PUBLISHED', Delayed: true, AStart: 0, AEnd: 0, By: 'shift-timer' },
        [movedTo, now()],
      );
    }

    const onBreak = await timed(() =>
      succeed('scteams.startBreak', {
        Shift: {
          SeatId: seatB,
          ShiftId: shiftB.ShiftId,
          Breaks: [{ ID: '0001', Notes: 'Lunch', Type: 'meal_break' }],
        },
      }),
    );
    expect(onBreak.result.Breaks).toEqual([
      {
        ID: '0001',
        Type: 'meal_break',
        Notes: 'Lunch',
        IsPlannedBreak: true,
        Scheduled: true,
        DurationInSeconds: 1800,
        Start: S + 1800,
        End: S + 3600,
        AStart: expect.any(Number),
        AEnd: 0,
      },
    ]);
    at['B break'] = within(onBreak.result.Breaks[0].AStart, [onBreak.from, onBreak.to]);
    expect(
      await succeed('scteams.shiftStatus', { Shift: { SeatId: seatB, ShiftId: shiftB.ShiftId } }),
    ).toMatchObject({ OnBreak: true, Break: expect.objectContaining({ ID: '0001' }) });
  });

  it('A starts late (SHIFT_STARTED, Delayed); an AutoAssigned incident in the washroom goes to A, not B on its planned break, and A works it', async () => {
    await advanceTo(S + 2400);
    const startA = await timed(() =>
      succeed('scteams.shiftStart', { Shift: { SeatId: seatA, ShiftId: shiftA.ShiftId } }),
    );
    at['A in'] = within(startA.result.AStart, [startA.from, startA.to]);
    expect(startA.result).toMatchObject({ Status: 'STARTED', Delayed: true });
    // Flagged by the timer already: the start publishes no second SHIFT_DELAYED.
    const started = await step([`SHIFT_STARTED:${shiftA.ShiftId}`]);
    expectShiftEvent(
      started[`SHIFT_STARTED:${shiftA.ShiftId}`],
      'SHIFT_STARTED',
      shiftA,
      { Status: 'STARTED', Delayed: true, AStart: at['A in'], AEnd: 0, By: tenant.accessKey },
      [startA.from, startA.to],
    );

    incidentStart = now();
    const create = await timed(() =>
      succeed('scteams.createIncidentWithoutAssignee', {
        Incident: {
          Start: incidentStart,
          End: incidentStart + 3600,
          Name: 'Washroom essentials.',
          Priority: 'L',
          Tasks: [{ Name: 'Wipe mirror.' }],
          ZoneCatId: 'someid',
          Zone: washroom.insId,
          ZoneName: 'zonename',
          By: 'KG',
          EventSource: 'HK',
          AutoAssigned: 'true',
        },
      }),
    );
    const incident = create.result;
    incidentId = incident.TaskId;
    expect(incident).toMatchObject({
      Status: 'ASSIGNED',
      SeatId: seatA,
      ShiftId: shiftA.ShiftId,
      AutoAssigned: true,
      Zone: washroom.insId,
      ZoneName: 'Washroom 3',
      AutoAssignment: {
        Assigned: true,
        SeatId: seatA,
        ShiftId: shiftA.ShiftId,
        Candidates: 1,
        Excluded: [{ SeatId: seatB, ShiftId: shiftB.ShiftId, Why: 'ON_PLANNED_BREAK' }],
      },
    });
    within(incident.AutoAssignment.At, [create.from, create.to]);
    const incidentMeta = {
      AEnd: 0,
      AStart: 0,
      By: 'KG',
      End: incidentStart + 3600,
      EscalationLevel: 'L0',
      Name: 'Washroom essentials.',
      Priority: 'L',
      SourceDeviceIdentifier: [],
      Start: incidentStart,
      Status: 'ASSIGNED',
      TaskId: incidentId,
      Type: 'INCIDENT',
      Zone: washroom.insId,
      ZoneName: 'Washroom 3',
    };
    // Created open, then assigned by the platform: INCIDENT_CREATED_OPEN, then INCIDENT_CREATED.
    const created = await step([`INCIDENT_CREATED_OPEN:${incidentId}`, `INCIDENT_CREATED:${incidentId}`]);
    const where = 'Incident Washroom essentials. in Washroom 3';
    expectEvent(created[`INCIDENT_CREATED_OPEN:${incidentId}`], {
      eventId: 'INCIDENT_CREATED_OPEN',
      attr: `INCIDENT_CREATED_OPEN#${tenant.propid}#${pid}#${incidentId}#L0`,
      description: 'Open incident Washroom essentials. was created in Washroom 3.',
      meta: { ...incidentMeta, Status: 'NOT_ASSIGNED' },
      metaKeys: INCIDENT_META_KEYS,
      between: [create.from, create.to],
    });
    expectEvent(created[`INCIDENT_CREATED:${incidentId}`], {
      eventId: 'INCIDENT_CREATED',
      attr: `INCIDENT_CREATED#${tenant.propid}#${pid}#${incidentId}#L0`,
      description: `${where} was assigned to ${seatA}.`,
      meta: incidentMeta,
      metaKeys: INCIDENT_META_KEYS,
      between: [create.from, create.to],
    });

    // A works it through the task ops (the incident is assigned to A's shift).
    const address = { Taskgroup: { SeatId: seatA, ShiftId: shiftA.ShiftId, TaskId: incidentId } };
    const start = await timed(() => succeed('scteams.taskStart', address));
    expect(start.result).toMatchObject({ TaskId: incidentId, Status: 'STARTED' });
    const aStart = within(start.result.AStart, [start.from, start.to]);
    const end = await timed(() => succeed('scteams.taskEnd', address));
    expect(end.result).toMatchObject({ TaskId: incidentId, Status: 'COMPLETED', AStart: aStart });
    const aEnd = within(end.result.AEnd, [end.from, end.to]);
    const worked = await step([`INCIDENT_STARTED:${incidentId}`, `INCIDENT_COMPLETED:${incidentId}`]);
    expectEvent(worked[`INCIDENT_STARTED:${incidentId}`], {
      eventId: 'INCIDENT_STARTED',
      attr: `INCIDENT_STARTED#${tenant.propid}#${pid}#${incidentId}#L0`,
      description: `${where} was started by ${seatA}.`,
      meta: { ...incidentMeta, Status: 'STARTED', AStart: aStart },
      metaKeys: INCIDENT_META_KEYS,
      between: [start.from, start.to],
    });
    expectEvent(worked[`INCIDENT_COMPLETED:${incidentId}`], {
      eventId: 'INCIDENT_COMPLETED',
      attr: `INCIDENT_COMPLETED#${tenant.propid}#${pid}#${incidentId}#L0`,
      description: `${where} was completed.`,
      meta: { ...incidentMeta, Status: 'COMPLETED', AStart: aStart, AEnd: aEnd },
      metaKeys: INCIDENT_META_KEYS,
      between: [end.from, end.to],
    });
    const order = events.map((e) => key(e.event)).filter((k) => k.endsWith(incidentId));
    expect(order).toEqual([
      `INCIDENT_CREATED_OPEN:${incidentId}`,
      `INCIDENT_CREATED:${incidentId}`,
      `INCIDENT_STARTED:${incidentId}`,
      `INCIDENT_COMPLETED:${incidentId}`,
    ]);
  });

  it('B ends its break; C never comes: SHIFT_ABSENT at Start + 3600 s', async () => {
    await advanceTo(S + 3000);
    const ended = await timed(() =>
      succeed('scteams.endBreak', {
        Shift: {
          SeatId: seatB,
          ShiftId: shiftB.ShiftId,
          Breaks: [{ ID: '0001', Notes: 'Lunch', Type: 'meal_break' }],
        },
      }),
    );
    const taken = ended.result.Breaks[0];
    expect(taken).toMatchObject({ ID: '0001', IsPlannedBreak: true, AStart: at['B break'] });
    const aEnd = within(taken.AEnd, [ended.from, ended.to]);
    expect(taken.DurationInSeconds).toBe(aEnd - at['B break']!);
    // Breaks publish nothing (no event is documented for them).
    expect(events.slice(steps.flat().length)).toEqual([]);

    const movedTo = await advanceTo(S + 3600);
    const absent = await step([`SHIFT_ABSENT:${shiftC.ShiftId}`]);
    expectShiftEvent(
      absent[`SHIFT_ABSENT:${shiftC.ShiftId}`],
      'SHIFT_ABSENT',
      shiftC,
      { Status: 'ABSENT', Delayed: true, AStart: 0, AEnd: 0, By: 'shift-timer' },
      [movedTo, now()],
    );
  });

  /** `taskStart` or `taskEnd` of a task group of the day, with its event checked; answers the stamped time. */
  async function work(op: 'taskStart' | 'taskEnd', task: PlannedTask, aStart?: number): Promise<number> {
    const eventId = op === 'taskStart' ? 'TASK_STARTED' : 'TASK_COMPLETED';
    const answer = await timed(() =>
      succeed(`scteams.${op}`, {
        Taskgroup: { SeatId: task.SeatId, ShiftId: task.ShiftId, TaskId: task.TaskId },
      }),
    );
    const stamped = within(op === 'taskStart' ? answer.result.AStart : answer.result.AEnd, [
      answer.from,
      answer.to,
    ]);
    const status = op === 'taskStart' ? 'STARTED' : 'COMPLETED';
    expect(answer.result).toMatchObject({ TaskId: task.TaskId, Status: status });
    const arrived = await step([`${eventId}:${task.TaskId}`]);
    expectTaskEvent(
      arrived[`${eventId}:${task.TaskId}`],
      eventId,
      task,
      {
        Status: status,
        AStart: op === 'taskStart' ? stamped : aStart!,
        AEnd: op === 'taskStart' ? 0 : stamped,
        By: tenant.accessKey,
      },
      [answer.from, answer.to],
    );
    return stamped;
  }

  it('A and B start and complete their task groups (TASK_STARTED, TASK_COMPLETED); A starts the pantry and leaves it: TASK_INCOMPLETE at its End + 4200 s', async () => {
    at['tg1 start'] = await work('taskStart', tg1);
    await advanceTo(S + 4200);
    at['tg1 end'] = await work('taskEnd', tg1, at['tg1 start']);
    at['tgB start'] = await work('taskStart', tgB);
    await advanceTo(S + 5400);
    at['tg2 start'] = await work('taskStart', tg2);
    await advanceTo(S + 6000);
    at['tg2 end'] = await work('taskEnd', tg2, at['tg2 start']);
    await advanceTo(S + 6600);
    at['tgB end'] = await work('taskEnd', tgB, at['tgB start']);
    await advanceTo(S + 7200);
    at['tg3 start'] = await work('taskStart', tg3);

    const movedTo = await advanceTo(tg3.End + 4200);
    const incomplete = await step([`TASK_INCOMPLETE:${tg3.TaskId}`]);
    expectTaskEvent(
      incomplete[`TASK_INCOMPLETE:${tg3.TaskId}`],
      'TASK_INCOMPLETE',
      tg3,
      { Status: 'INCOMPLETE', AStart: at['tg3 start']!, AEnd: 0, By: 'task-timer' },
      [movedTo, now()],
    );
  });

  it('A and B end their shifts (SHIFT_COMPLETED)', async () => {
    await advanceTo(S + 4 * 3600 + 60);
    for (const [shift, clockIn] of [
      [shiftA, at['A in']!],
      [shiftB, at['B in']!],
    ] as const) {
      const ended = await timed(() =>
        succeed('scteams.shiftEnd', {
          Shift: {
            SeatId: shift.SeatId,
            ShiftId: shift.ShiftId,
            Coordinates: { ClockOut: { Latitude: 1.2903, Longitude: 103.8519 } },
          },
        }),
      );
      expect(ended.result).toMatchObject({ Status: 'COMPLETED', AStart: clockIn });
      const aEnd = within(ended.result.AEnd, [ended.from, ended.to]);
      const completed = await step([`SHIFT_COMPLETED:${shift.ShiftId}`]);
      expectShiftEvent(
        completed[`SHIFT_COMPLETED:${shift.ShiftId}`],
        'SHIFT_COMPLETED',
        shift,
        { Status: 'COMPLETED', Delayed: shift === shiftA, AStart: clockIn, AEnd: aEnd, By: tenant.accessKey },
        [ended.from, ended.to],
      );
    }
    const status = async (shift: PlannedShift) =>
      (
        await succeed('scteams.getShiftDetailsByID', {
          Shift: { SeatId: shift.SeatId, ShiftId: shift.ShiftId },
        })
      ).Status;
    expect([await status(shiftA), await status(shiftB), await status(shiftC)]).toEqual([
      'COMPLETED',
      'COMPLETED',
      'ABSENT',
    ]);
  });

  it('answers "last clean time" and "last N tasks" from that day', async () => {
    const day = { StartTime: S, EndTime: S + 4 * 3600 };
    const last = async (body: Record<string, unknown>) =>
      ((await succeed('scteams.getLastNTasks', { ...day, ...body })) as any[]).map((t) => [t.TaskId, t.AEnd]);
    // The washroom's last clean time: the AEnd of its last completed task group (B's mop, after A's two).
    const lastClean = await succeed('scteams.getLastNTasks', {
      ...day,
      Limit: 1,
      TasksFor: 'ZONE',
      zoneId: washroom.insId,
    });
    expect(lastClean).toEqual([
      expect.objectContaining({
        TaskId: tgB.TaskId,
        Status: 'COMPLETED',
        SeatId: seatB,
        Zone: washroom.insId,
        AStart: at['tgB start'],
        AEnd: at['tgB end'],
      }),
    ]);
    const completed = events.find((e) => key(e.event) === `TASK_COMPLETED:${tgB.TaskId}`);
    expect(lastClean[0].AEnd).toBe(completed!.event.Meta['AEnd']);
    // The pantry was never cleaned that day: its one task group was left incomplete.
    expect(await last({ Limit: 1, TasksFor: 'ZONE', zoneId: pantry.insId })).toEqual([]);
    // The last five: newest AEnd first, completed task groups only (not the incomplete one, not the incident).
    const done = [
      [tgB.TaskId, at['tgB end']],
      [tg2.TaskId, at['tg2 end']],
      [tg1.TaskId, at['tg1 end']],
    ];
    expect(await last({ Limit: 5, TasksFor: 'ZONE', zoneId: washroom.insId })).toEqual(done);
    expect(await last({ Limit: 5, TasksFor: 'ID' })).toEqual(done);
    expect(await last({ Limit: -5, TasksFor: 'PROP' })).toEqual(done);
    expect(await last({ Limit: 5, TasksFor: 'SEAT', SeatId: seatA })).toEqual(done.slice(1));
    // Another day answers nothing.
    expect(await last({ StartTime: S - 86400, EndTime: S - 1, Limit: 5, TasksFor: 'ID' })).toEqual([]);
  });

  it('had every event once, nothing left to fire, and pushed exactly those events to the subscriber', async () => {
    // Past every deadline of the day (the auto clock-out at End + 4200 s included): nothing is left due.
    await advanceTo(S + 4 * 3600 + 4200 + 60);
    const due = await sql.query(
      `select (select count(*)::int from workforce.shifts where pid = $1 and timer_at is not null) as shifts,
              (select count(*)::int from workforce.task_groups where pid = $1 and incomplete_at is not null) as tasks,
              (select count(*)::int from workforce.incidents where pid = $1 and escalate_at is not null) as incidents`,
      [pid],
    );
    expect(due.rows[0]).toEqual({ shifts: 0, tasks: 0, incidents: 0 });

    // A sentinel after the day: an AutoAssigned incident with nobody on shift stays open and says why.
    // Once its event has arrived (on NATS and at the endpoint, which gets batches in order), any repeat
    // of the day's events would have arrived too.
    const sentinel = await succeed('scteams.createIncidentWithoutAssignee', {
      Incident: { Name: 'Sentinel', Priority: 'L', Zone: washroom.insId, By: 'KG', AutoAssigned: true },
    });
    expect(sentinel).toMatchObject({
      Status: 'NOT_ASSIGNED',
      SeatId: 'tbp',
      AutoAssignment: { Assigned: false, Code: 'NO_SEAT_ON_SHIFT', Candidates: 0 },
    });
    await step([`INCIDENT_CREATED_OPEN:${sentinel.TaskId}`]);
    await expectEventually(() =>
      expect(
        pushed()
          .map((e) => key(e))
          .slice(-1),
      ).toEqual([`INCIDENT_CREATED_OPEN:${sentinel.TaskId}`]),
    );

    // Every event of the day once, each in its step, in the order of the steps.
    const arrived = events.map((e) => key(e.event));
    expect(new Set(arrived).size).toBe(arrived.length);
    let from = 0;
    for (const expected of steps) {
      expect(arrived.slice(from, from + expected.length).sort()).toEqual([...expected].sort());
      from += expected.length;
    }
    expect(arrived).toHaveLength(from);
    expect(arrived.map((k) => k.split(':')[0]).sort()).toEqual(
      [
        ...['SHIFTS_PUBLISHED', 'SHIFTS_PUBLISHED', 'SHIFTS_PUBLISHED'],
        ...['SHIFT_STARTED', 'SHIFT_STARTED', 'SHIFT_DELAYED', 'SHIFT_DELAYED', 'SHIFT_ABSENT'],
        ...['SHIFT_COMPLETED', 'SHIFT_COMPLETED'],
        ...['TASK_STARTED', 'TASK_STARTED', 'TASK_STARTED', 'TASK_STARTED'],
        ...['TASK_COMPLETED', 'TASK_COMPLETED', 'TASK_COMPLETED', 'TASK_INCOMPLETE'],
        ...['INCIDENT_CREATED_OPEN', 'INCIDENT_CREATED', 'INCIDENT_STARTED', 'INCIDENT_COMPLETED'],
        'INCIDENT_CREATED_OPEN',
      ].sort(),
    );

    // Pushed to the subscriber: exactly the events on NATS, each once, signatures verified, in order.
    expect(pushed()).toEqual(events.map((e) => e.event));
    const ids = receiver.requests.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
