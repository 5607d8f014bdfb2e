import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { CredentialsService } from '../src/credentials/credentials.service';
import type { Role } from '../src/credentials/principal';
import { GatewayHarness, type Keys } from './gateway-harness';

/**
 * The schemes beside SC-HMAC and Basic (docs/authentication.md) on the whole gateway, through each
 * surface's real exception filter: user Bearer JWTs of a test issuer whose JWKS this test serves,
 * `x-api-key`, and the 403 a read-only credential gets for a write in both envelopes.
 */
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'matrix-gateway';

let jwks: Server;
let gw: GatewayHarness;
let admin: BootstrapResult;
let stranger: BootstrapResult;
let signing: CryptoKey;
let foreignKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signing = pair.privateKey;
  foreignKey = (await generateKeyPair('RS256')).privateKey;
  const keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }];
  jwks = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  gw = new GatewayHarness(
    'auth-schemes',
    {},
    {
      AUTH_OIDC_ISSUER: ISSUER,
      AUTH_OIDC_AUDIENCE: AUDIENCE,
      AUTH_OIDC_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
    },
  );
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
});

afterAll(async () => {
  await gw?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

interface TokenOptions {
  key?: CryptoKey;
  aud?: string;
  expiresAt?: number;
}

/** A user token of the test issuer for the tenant's property (claims as docs/authentication.md names them). */
function userToken(role: Role, claims: JWTPayload = {}, options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ matrix_org: admin.org, matrix_propid: admin.propid, matrix_role: role, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('alice@example.com')
    .setIssuer(ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .sign(options.key ?? signing);
}

/** `alg: none`: a header and payload with an empty signature, as an attacker would forge it. */
function unsignedToken(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: 'mallory',
    iss: ISSUER,
    aud: AUDIENCE,
    exp: now + 600,
    matrix_org: admin.org,
    matrix_propid: admin.propid,
    matrix_role: 'admin',
  };
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

async function send(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${gw.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: text ? JSON.parse(text) : undefined,
  };
}

const actionPath = (op: string, propid = admin.propid, org = admin.org) =>
  `/prod/v2/scgrids/v1/actions?${new URLSearchParams({ op, org, pid: 'scnoop', propid })}`;
const readAction = (headers: Record<string, string>, propid?: string, org?: string) =>
  send('POST', actionPath('scgrids.readProperty', propid, org), headers, {});
const readRest = (headers: Record<string, string>, propId = admin.propid) =>
  send('GET', `/v1/properties/${propId}`, headers);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const createBuildingAction = (headers: Record<string, string>) =>
  send('POST', actionPath('scgrids.createBuilding'), headers, {
    Name: 'Refused',
    LevelsCount: 1,
    TimeZone: 'UTC',
    PropID: admin.propid,
  });
const createBuildingRest = (headers: Record<string, string>, name = 'Refused') =>
  send('POST', `/v1/properties/${admin.propid}/buildings`, headers, {
    name,
    levelsCount: 1,
    timeZone: 'UTC',
  });

async function issue(role: Role): Promise<Keys> {
  const issued = await gw.app
    .get(CredentialsService)
    .create({ orgId: admin.org, propId: admin.propid, role, label: `auth-schemes ${role}` });
  return { accessKey: issued.accessKey, secretKey: issued.secretKey };
}

/** Both envelopes of one refusal: the Matrix `{status, code, message}` and REST problem+json. */
function expectRefusedInBothEnvelopes(
  action: Awaited<ReturnType<typeof send>>,
  rest: Awaited<ReturnType<typeof send>>,
  status: 401 | 403,
  message: string | RegExp,
) {
  expect(action.status).toBe(status);
  expect(action.body).toEqual({
    status,
    code: status === 401 ? 'TOKEN_INVALID' : 'IMPLICIT_DENY',
    message: expect.stringMatching(message),
  });
  expect(rest.status).toBe(status);
  expect(rest.type).toMatch(/^application\/problem\+json/);
  expect(rest.body).toMatchObject({ status, detail: expect.stringMatching(message) });
}

describe('user Bearer JWTs', () => {
  it('accepts a token of the configured issuer on both surfaces, within its property', async () => {
    const token = await userToken('read');
    const action = await readAction(bearer(token));
    expect(action.status).toBe(200);
    expect(action.body.data).toMatchObject({ PropId: admin.propid });
    const rest = await readRest(bearer(token));
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ propId: admin.propid });
  });

  it('accepts a token of several KB (roles and groups of an identity provider), and refuses one without its property claim', async () => {
    const groups = Array.from({ length: 120 }, (_, i) => `group-${i}-${'g'.repeat(20)}`);
    const big = await userToken('read', { groups });
    expect(big.length).toBeGreaterThan(3000);
    expect((await readAction(bearer(big))).status).toBe(200);
    const noProperty = await userToken('admin', { matrix_propid: undefined });
    const refused = await readRest(bearer(noProperty));
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).toContain('matrix_propid');
  });

  it('keeps the tenancy rules: another property is not found, a read role may not write', async () => {
    const reader = await userToken('read');
    expect((await readAction(bearer(reader), stranger.propid, stranger.org)).status).toBe(404);
    expect((await readRest(bearer(reader), stranger.propid)).status).toBe(404);
    expectRefusedInBothEnvelopes(
      await createBuildingAction(bearer(reader)),
      await createBuildingRest(bearer(reader)),
      403,
      /has the read role; the operation needs write/,
    );
    const writer = await userToken('write');
    const created = await createBuildingRest(bearer(writer), 'Made by a user');
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe('user:alice@example.com');
  });

  it.each([
    ['an expired token', () => userToken('admin', {}, { expiresAt: Math.floor(Date.now() / 1000) - 120 })],
    ['a token for another audience', () => userToken('admin', {}, { aud: 'another-api' })],
    [
      'a token signed by a key the issuer does not publish',
      () => userToken('admin', {}, { key: foreignKey }),
    ],
    ['an alg none token', async () => unsignedToken()],
  ])('refuses %s with 401 in each envelope', async (_name, make) => {
    const token = await make();
    expectRefusedInBothEnvelopes(
      await readAction(bearer(token)),
      await readRest(bearer(token)),
      401,
      /^the token/,
    );
  });
});

describe('x-api-key', () => {
  it('is the same principal as Basic on both surfaces', async () => {
    const keys = await issue('write');
    const apiKey = { 'x-api-key': `${keys.accessKey}.${keys.secretKey}` };
    expect((await readAction(apiKey)).status).toBe(200);
    const viaApiKey = await createBuildingRest(apiKey, 'Made with x-api-key');
    expect(viaApiKey.status).toBe(201);
    expect(viaApiKey.body.createdBy).toBe(keys.accessKey);
    const wrong = { 'x-api-key': `${keys.accessKey}.not-the-secret` };
    expectRefusedInBothEnvelopes(
      await readAction(wrong),
      await readRest(wrong),
      401,
      'the secret does not match the access key',
    );
  });
});

describe('read-only access keys', () => {
  it('read but cannot write: 403 in each envelope, for every scheme', async () => {
    const reader = await issue('read');
    const basic = {
      authorization: `Basic ${Buffer.from(`${reader.accessKey}:${reader.secretKey}`).toString('base64')}`,
    };
    const apiKey = { 'x-api-key': `${reader.accessKey}.${reader.secretKey}` };
    expect((await readAction(basic)).status).toBe(200);
    expect((await readRest(basic)).status).toBe(200);
    for (const headers of [basic, apiKey]) {
      expectRefusedInBothEnvelopes(
        await createBuildingAction(headers),
        await createBuildingRest(headers),
        403,
        'this credential has the read role; the operation needs write',
      );
    }
    const signed = await gw.action(
      reader,
      { op: 'scgrids.createBuilding' },
      { Name: 'Refused', LevelsCount: 1, TimeZone: 'UTC', PropID: admin.propid },
    );
    expect(signed).toMatchObject({ status: 403, body: { code: 'IMPLICIT_DENY' } });
    const buildings = await gw.rest(admin, 'GET', `/v1/properties/${admin.propid}/buildings`);
    expect(buildings.body.items.map((b: { name: string }) => b.name)).not.toContain('Refused');
  });

  it('a write key cannot administer: issuing SQL roles needs admin', async () => {
    const writer = await issue('write');
    const refused = await gw.rest(writer, 'POST', `/v1/properties/${admin.propid}/sql-roles`);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('this credential has the write role; the operation needs admin');
  });
});
