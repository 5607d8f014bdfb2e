import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * Every answer of the gateway carries `x-request-id` (the caller's own when usable, else a new UUID), on
 * both surfaces and on refusals before any controller runs, so a caller can quote it.
 */

const gw = new GatewayHarness('request-id');
let admin: Keys;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
});
afterAll(() => gw.stop());

describe('x-request-id', () => {
  it('is a new UUID on every answer without one: REST, the actions API, an unknown route, a refusal', async () => {
    const answers = [
      await gw.rest(admin, 'GET', `/v1/properties/${gw.tenant.propid}`),
      await gw.rest(admin, 'GET', `/v1/no-such-route`),
      await gw.rest(
        { accessKey: 'nobody', secretKey: 'nothing' },
        'GET',
        `/v1/properties/${gw.tenant.propid}`,
      ),
      await gw.action(admin, { op: 'scgrids.readProperty' }, null),
      await gw.rest(admin, 'GET', `/v1/buildings/%zz`), // the router's own refusal: a bad percent-encoding
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401, 200, 400]);
    const ids = answers.map((a) => a.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("is the caller's own when usable, and a new UUID instead of an unusable one", async () => {
    const path = `/v1/properties/${gw.tenant.propid}`;
    const own = await gw.rest(admin, 'GET', path, undefined, { 'x-request-id': 'lb-7f3a.2026:12_07' });
    expect(own.headers.get('x-request-id')).toBe('lb-7f3a.2026:12_07');
    for (const unusable of ['has spaces', 'x'.repeat(129), 'semi;colon']) {
      const answer = await gw.rest(admin, 'GET', path, undefined, { 'x-request-id': unusable });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-request-id')).toMatch(UUID);
    }
  });
});
