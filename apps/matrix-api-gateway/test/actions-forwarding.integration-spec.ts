import { actionCommandV1, WORKFORCE_ACTIONS_SUBJECT, type ActionCommandV1 } from '@matrix/contracts';
import { CommandBus, CommandError } from '@matrix/messaging';
import { ACTION_MODULES, WORKFORCE_ACTIONS } from '../src/app.module';
import { GatewayHarness } from './gateway-harness';

/*
 * The module registry's forwarded path, on a real NATS: a test-only module `scwidgets` (ops `scwidgets.*`)
 * is declared as forwarded to a fake owner serving the typed actions command, and `scslow` to a subject
 * whose owner never answers.
 */
const WIDGETS = 'test.widgets.action.v1';
const SLOW = 'test.slow.action.v1';

const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

describe('actions API: a forwarded module', () => {
  const gateway = new GatewayHarness('actions-forwarding', {
    actionModules: [
      ...ACTION_MODULES,
      { module: 'scwidgets', opPrefix: 'scwidgets.', forwardTo: WIDGETS, target: 'pid' },
      { module: 'scslow', opPrefix: 'scslow.', forwardTo: SLOW, timeoutMs: 300 },
      { module: 'scnobody', opPrefix: 'scnobody.', forwardTo: 'test.nobody.action.v1' },
    ],
  });
  let owner: CommandBus;
  const received: ActionCommandV1[] = [];

  beforeAll(async () => {
    await gateway.start();
    owner = new CommandBus(gateway.nats, silentLogger as never);
    owner.serve(actionCommandV1(WIDGETS), async (command) => {
      received.push(command);
      switch (command.op) {
        case 'scwidgets.echo':
          return { data: { args: command.args, pid: command.pid } };
        case 'scwidgets.create':
          return { status: 201, message: 'Created the widget', data: { id: 'w1' }, extra: { LEK: 'w1' } };
        case 'scwidgets.missing':
          throw new CommandError('NOT_FOUND', 'widget w9 not found');
        case 'scwidgets.crash':
          throw new Error('the owner broke');
        default:
          throw new CommandError('UNKNOWN_OPERATION', `${command.op} is not an operation of scwidgets`);
      }
    });
    // An owner that takes the command and never answers.
    gateway.nats.nc.subscribe(gateway.nats.namespace.subject(SLOW), { callback: () => undefined });
    await gateway.nats.nc.flush();
  }, 60_000);

  afterAll(async () => {
    await owner?.stop();
    await gateway.stop();
  });

  const keys = () => gateway.tenant;

  it('forwards an op with its arguments and caller, and envelopes the answer', async () => {
    const answer = await gateway.action(
      keys(),
      { module: 'scwidgets', op: 'scwidgets.echo', pid: 'b1' },
      { Colour: 'blue' },
    );
    expect(answer).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', message: 'Success', data: { args: { Colour: 'blue' }, pid: 'b1' } },
    });
    expect(received.at(-1)).toEqual({
      module: 'scwidgets',
      op: 'scwidgets.echo',
      org: gateway.tenant.org,
      pid: 'b1',
      propid: gateway.tenant.propid,
      args: { Colour: 'blue' },
      caller: {
        accessKey: gateway.tenant.accessKey,
        org: gateway.tenant.org,
        property: gateway.tenant.propid,
        role: 'admin',
      },
    });
  });

  it('keeps the status, message and extra keys the owner answers, and null as no arguments', async () => {
    const answer = await gateway.action(
      keys(),
      { module: 'scwidgets', op: 'scwidgets.create', pid: 'b1' },
      'null',
    );
    expect(answer).toMatchObject({
      status: 201,
      body: { code: 'SUCCESS', message: 'Created the widget', data: { id: 'w1' }, LEK: 'w1' },
    });
    expect(received.at(-1)?.args).toEqual({});
  });

  it("answers the owner's Matrix error codes, and a failure for anything else", async () => {
    expect(
      await gateway.action(keys(), { module: 'scwidgets', op: 'scwidgets.missing', pid: 'b1' }),
    ).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: 'widget w9 not found' },
    });
    expect(
      await gateway.action(keys(), { module: 'scwidgets', op: 'scwidgets.nope', pid: 'b1' }),
    ).toMatchObject({ status: 400, body: { code: 'UNKNOWN_OPERATION' } });
    expect(
      await gateway.action(keys(), { module: 'scwidgets', op: 'scwidgets.crash', pid: 'b1' }),
    ).toMatchObject({ status: 500, body: { status: 500, code: 'failure', message: 'Internal error' } });
  });

  it('checks the query before forwarding: the target, the organisation, the op prefix', async () => {
    const before = received.length;
    expect(await gateway.action(keys(), { module: 'scwidgets', op: 'scwidgets.echo' })).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'scwidgets.echo needs the building id in pid' },
    });
    expect(
      await gateway.action(keys(), { module: 'scwidgets', op: 'scwidgets.echo', pid: 'b1', org: 'OTHER' }),
    ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(
      await gateway.action(keys(), { module: 'scwidgets', op: 'scgrids.listProperties', pid: 'b1' }),
    ).toMatchObject({ status: 400, body: { code: 'UNKNOWN_OPERATION' } });
    expect(received.length).toBe(before);
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After when the owner does not answer in time', async () => {
    const started = Date.now();
    const answer = await gateway.action(keys(), { module: 'scslow', op: 'scslow.anything' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer).toMatchObject({
      status: 503,
      body: { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'scslow did not answer in time; try again' },
    });
    expect(answer.headers.get('retry-after')).toBe('5');
  });

  it('answers 503 at once when no service serves the module', async () => {
    expect(await gateway.action(keys(), { module: 'scnobody', op: 'scnobody.anything' })).toMatchObject({
      status: 503,
      body: { code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('lists a forwarded module by its prefix; the local ops stay as they are', async () => {
    const response = await fetch(`${gateway.url}/prod/v2/operations`);
    const { operations } = (await response.json()) as { operations: string[] };
    expect(operations).toEqual(expect.arrayContaining(['scgrids.readProperty', 'scwidgets.*', 'scslow.*']));
  });

  it('still answers a module nobody declared as an unknown operation', async () => {
    expect(
      await gateway.action(keys(), { module: 'scnotdeclared', op: 'scnotdeclared.listThings' }),
    ).toMatchObject({
      status: 400,
      body: {
        status: 400,
        code: 'UNKNOWN_OPERATION',
        message:
          'scnotdeclared.listThings is not an operation of module scnotdeclared; see GET /prod/v2/operations',
      },
    });
  });
});

/*
 * The workforce module as ACTION_MODULES declares it, forwarded to a stand-in for incident-service (the
 * real one is driven through the gateway in apps/system-e2e): the gateway checks the building's tenancy
 * and resolves the zones the documented bodies name before forwarding; an unknown building or zone, or
 * another tenant's building, is a 404 that never reaches the owner.
 */
describe('actions API: the workforce module', () => {
  const gateway = new GatewayHarness('actions-workforce');
  let owner: CommandBus;
  const received: ActionCommandV1[] = [];
  let pid: string;
  let otherPid: string;
  let otherPropId: string;
  const zones: Record<string, string> = {};

  beforeAll(async () => {
    await gateway.start();
    owner = new CommandBus(gateway.nats, silentLogger as never);
    owner.serve(actionCommandV1(WORKFORCE_ACTIONS_SUBJECT), async (command) => {
      received.push(command);
      if (command.op === 'scteams.endUnassignedIncident') {
        throw new CommandError('INVALID_TRANSITION', 'an incident must be started before it is completed');
      }
      if (command.op !== 'scteams.getUnassignedIncidentByID') {
        throw new CommandError(
          'UNKNOWN_OPERATION',
          `${command.op} is not an operation of module scworkforcemanagement; see GET /prod/v2/operations`,
        );
      }
      return { data: { TaskId: '1661229257927880217' } };
    });
    await gateway.nats.nc.flush();
    const admin = gateway.tenant;
    const building = await gateway.rest(admin, 'POST', `/v1/properties/${admin.propid}/buildings`, {
      name: 'Workforce Tower',
      levelsCount: 1,
      timeZone: 'Asia/Singapore',
    });
    pid = building.body.pid;
    const lid = (await gateway.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, { name: 'Ground' })).body
      .lid;
    const created = await gateway.rest(admin, 'POST', `/v1/buildings/${pid}/zones`, {
      zones: [
        { name: 'Washroom', lid },
        { name: 'Pantry', lid },
      ],
    });
    for (const zone of created.body.items) zones[zone.name] = zone.insId;
    const other = await gateway.bootstrap('OTHERCO', 'Other Campus');
    otherPropId = other.propid;
    const otherBuilding = await gateway.rest(other, 'POST', `/v1/properties/${other.propid}/buildings`, {
      name: 'Other Tower',
      levelsCount: 1,
      timeZone: 'Asia/Singapore',
    });
    otherPid = otherBuilding.body.pid;
  }, 60_000);

  afterAll(async () => {
    await owner?.stop();
    await gateway.stop();
  });

  const keys = () => gateway.tenant;
  const module = 'scworkforcemanagement';

  it('is declared in ACTION_MODULES and listed by its prefix', async () => {
    expect(ACTION_MODULES).toContainEqual(WORKFORCE_ACTIONS);
    const response = await fetch(`${gateway.url}/prod/v2/operations`);
    const { operations } = (await response.json()) as { operations: string[] };
    expect(operations).toContain('scteams.*');
  });

  it('forwards with the building and the zones the documented body names, resolved', async () => {
    const body = { Incident: { TaskId: '1661229257927880217', Zone: zones['Washroom'] } };
    const answer = await gateway.action(
      keys(),
      { module, op: 'scteams.getUnassignedIncidentByID', pid },
      body,
    );
    expect(answer).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', message: 'Success', data: { TaskId: '1661229257927880217' } },
    });
    expect(received.at(-1)).toMatchObject({
      op: 'scteams.getUnassignedIncidentByID',
      pid,
      args: body,
      building: {
        pid,
        org: gateway.tenant.org,
        propId: gateway.tenant.propid,
        name: 'Workforce Tower',
        timeZone: 'Asia/Singapore',
      },
      zones: { [zones['Washroom']!]: { name: 'Washroom', categoryId: null } },
    });
    // zoneId spelt ZoneID, as some documented bodies do.
    await gateway.action(
      keys(),
      { module, op: 'scteams.endUnassignedIncident', pid },
      { IncidentId: '1620209183000', ZoneID: zones['Pantry'] },
    );
    expect(received.at(-1)?.zones).toEqual({ [zones['Pantry']!]: { name: 'Pantry', categoryId: null } });
    // An assigned incident's body names its zone at Taskgroup.Zone.
    await gateway.action(
      keys(),
      { module, op: 'scteams.createIncident', pid },
      { Taskgroup: { SeatId: 'p_007', ShiftId: 'p_007', Zone: zones['Washroom'] } },
    );
    expect(received.at(-1)?.zones).toEqual({ [zones['Washroom']!]: { name: 'Washroom', categoryId: null } });
    // An admin update names the incident's zone (zoneId) and the new one (UpdateIncident.Zones.NewZoneId).
    await gateway.action(
      keys(),
      { module, op: 'scteams.adminUpdateIncidentBulk', pid },
      { zoneId: zones['Washroom'], UpdateIncident: { Zones: { NewZoneId: zones['Pantry'] } } },
    );
    expect(Object.keys(received.at(-1)?.zones ?? {}).sort()).toEqual(
      [zones['Pantry'], zones['Washroom']].sort(),
    );
  });

  it("answers the owner's refusal of a transition as 409 INVALID_TRANSITION naming the rule", async () => {
    expect(
      await gateway.action(
        keys(),
        { module, op: 'scteams.endUnassignedIncident', pid },
        { IncidentId: '1620209183000', zoneId: zones['Pantry'] },
      ),
    ).toMatchObject({
      status: 409,
      body: {
        status: 409,
        code: 'INVALID_TRANSITION',
        message: 'an incident must be started before it is completed',
      },
    });
  });

  it("404s an unknown building, another tenant's building and a zone not in the building, without forwarding", async () => {
    const before = received.length;
    const body = (zone: string) => ({ Incident: { TaskId: '1661229257927880217', Zone: zone } });
    const op = 'scteams.getUnassignedIncidentByID';
    expect(
      await gateway.action(keys(), { module, op, pid: 'nosuchbuilding' }, body(zones['Washroom']!)),
    ).toMatchObject({
      status: 404,
      body: { status: 404, code: 'NOT_FOUND', message: 'building nosuchbuilding not found' },
    });
    expect(
      await gateway.action(keys(), { module, op, pid: otherPid }, body(zones['Washroom']!)),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `building ${otherPid} not found` },
    });
    expect(await gateway.action(keys(), { module, op, pid }, body('zoneid99'))).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: 'zone zoneid99 not found' },
    });
    expect(received.length).toBe(before);
  });

  it('forwards a call without a building as it is, and passes the unknown-operation answer through unchanged', async () => {
    expect(await gateway.action(keys(), { module, op: 'scteams.listTeams' }, 'null')).toMatchObject({
      status: 400,
      body: {
        status: 400,
        code: 'UNKNOWN_OPERATION',
        message:
          'scteams.listTeams is not an operation of module scworkforcemanagement; see GET /prod/v2/operations',
      },
    });
    expect(received.at(-1)).toMatchObject({
      op: 'scteams.listTeams',
      pid: 'scnoop',
      args: {},
      property: { org: gateway.tenant.org, propId: gateway.tenant.propid },
    });
    expect(received.at(-1)).not.toHaveProperty('building');
  });

  it("404s another tenant's property on a call without a building, without forwarding", async () => {
    const before = received.length;
    expect(
      await gateway.action(
        keys(),
        { module, op: 'scteams.getUnassignedIncidentsForProperty', propid: otherPropId },
        {},
      ),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `property ${otherPropId} not found` },
    });
    expect(received.length).toBe(before);
  });
});
