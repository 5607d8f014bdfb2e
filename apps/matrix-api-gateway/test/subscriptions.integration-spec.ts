import { ROUTER_COMMANDS, type CreateSubscriptionRequest } from '@matrix/contracts';
import { CommandBus, CommandError, NatsClient } from '@matrix/messaging';
import { testNatsUrl } from '@matrix/testing';
import { GatewayHarness } from './gateway-harness';

/*
 * REST /v1/subscriptions on the real gateway, forwarding over NATS request/reply to a stand-in for
 * event-router (apps may not import each other; event-router's own tests cover its side): the owner and
 * the scope the gateway resolves, the router's errors as problems, 503 when no router answers.
 */

const gateway = new GatewayHarness('gw_subscriptions');
let router: CommandBus;
let routerNats: NatsClient;
const creates: CreateSubscriptionRequest[] = [];
const ID = '0b9e5f7c-2a51-4c33-9b0d-5d7f1c2e4a10';
const view = (owner: unknown) => ({
  id: ID,
  url: 'https://hooks.example.com/x',
  kind: 'matrix-events',
  owner,
  status: 'active',
});

beforeAll(async () => {
  await gateway.start();
  routerNats = await new NatsClient({
    servers: [testNatsUrl()],
    name: 'fake-router',
    namespace: gateway.env.NATS_NAMESPACE!,
  }).connect();
  router = new CommandBus(routerNats, {
    log: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  });
  router.serve(ROUTER_COMMANDS.create, async (request) => {
    creates.push(request);
    if (request.input.url.startsWith('http:')) {
      throw new CommandError('TARGET_REFUSED', 'plain http is refused');
    }
    return { ...view(request.owner), secret: 'whsec_c2VjcmV0' } as never;
  });
  router.serve(ROUTER_COMMANDS.get, async (request) => {
    if (request.id !== ID || request.owner.org !== gateway.tenant.org) {
      throw new CommandError('NOT_FOUND', 'no such subscription');
    }
    return view(request.owner) as never;
  });
  router.serve(ROUTER_COMMANDS.replay, async (request) => ({
    scanned: 3,
    enqueued: Date.parse(request.to) > Date.parse(request.from) ? 2 : 0,
  }));
});

afterAll(async () => {
  await router?.stop();
  await routerNats?.drain();
  await gateway.stop();
});

describe('REST /v1/subscriptions', () => {
  it('creates a subscription for the caller’s property with the scope it may see, answering the secret', async () => {
    const building = await gateway.rest(
      gateway.tenant,
      'POST',
      `/v1/properties/${gateway.tenant.propid}/buildings`,
      {
        name: 'Tower A',
        levelsCount: 1,
        timeZone: 'Europe/Berlin',
      },
    );
    expect(building.status).toBe(201);
    const response = await gateway.rest(gateway.tenant, 'POST', '/v1/subscriptions', {
      url: 'https://hooks.example.com/x',
      kind: 'matrix-events',
      patterns: ['matrix.*.scgrids.#'],
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id: ID, secret: 'whsec_c2VjcmV0' });
    const request = creates.at(-1)!;
    expect(request.owner).toEqual({ org: gateway.tenant.org, property: gateway.tenant.propid });
    expect(new Set(request.scope)).toEqual(new Set([gateway.tenant.propid, building.body.pid]));
  });

  it('gives an organisation-wide credential the organisation, its properties and buildings', async () => {
    const response = await gateway.rest(gateway.tenant.orgWide!, 'POST', '/v1/subscriptions', {
      url: 'https://hooks.example.com/y',
      kind: 'sensor-data',
      patterns: ['sensor.data.>'],
      encoding: 'json-strings',
    });
    expect(response.status).toBe(201);
    expect(creates.at(-1)!.owner).toEqual({ org: gateway.tenant.org });
    expect(creates.at(-1)!.scope).toEqual(
      expect.arrayContaining([gateway.tenant.org, gateway.tenant.propid]),
    );
  });

  it('refuses an invalid body itself, and a refused target with the router’s reason', async () => {
    const before = creates.length;
    const invalid = await gateway.rest(gateway.tenant, 'POST', '/v1/subscriptions', {
      url: 'x',
      kind: 'mail',
      patterns: [],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/problem\+json/);
    expect(invalid.body.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kind:/), expect.stringMatching(/^patterns:/)]),
    );
    expect(creates.length).toBe(before);

    const refused = await gateway.rest(gateway.tenant, 'POST', '/v1/subscriptions', {
      url: 'http://hooks.example.com/x',
      kind: 'matrix-events',
      patterns: ['#'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual(['url: plain http is refused']);
  });

  it('answers 404 for what the router does not find for this owner, and forwards a replay', async () => {
    expect((await gateway.rest(gateway.tenant, 'GET', `/v1/subscriptions/${ID}`)).body).toMatchObject({
      id: ID,
    });
    const other = await gateway.rest(
      gateway.tenant,
      'GET',
      '/v1/subscriptions/11111111-2222-4333-8444-555555555555',
    );
    expect(other.status).toBe(404);
    expect((await gateway.rest(gateway.tenant, 'GET', '/v1/subscriptions/not-an-id')).status).toBe(404);
    const replay = await gateway.rest(gateway.tenant, 'POST', `/v1/subscriptions/${ID}/replay`, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00Z',
    });
    expect(replay).toMatchObject({ status: 202, body: { scanned: 3, enqueued: 2 } });
  });

  it('answers 503 with Retry-After when no router answers', async () => {
    const response = await gateway.rest(gateway.tenant, 'GET', `/v1/subscriptions/${ID}/attempts`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });

  it('needs a credential', async () => {
    expect(
      (await gateway.rest({ accessKey: 'nobody', secretKey: 'x' }, 'GET', '/v1/subscriptions')).status,
    ).toBe(401);
  });
});
