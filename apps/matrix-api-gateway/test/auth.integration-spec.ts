import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
  type INestApplication,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHmac, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Database, PersistenceModule, runMigrations } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import { createTestDatabase, expectEventually, type TestDatabase } from '@matrix/testing';
import { AuthErrorFilter } from './auth-error.filter';
import { AuthGuard } from '../src/auth/auth.guard';
import { AuthModule } from '../src/auth/auth.module';
import { authorize } from '../src/auth/authorize';
import { CurrentPrincipal } from '../src/auth/current-principal.decorator';
import type { Principal, Role } from '../src/credentials/principal';
import { loadConfig } from '../src/config/matrix-api-gateway.config';
import { bootstrap, parseBootstrapArgs } from '../src/credentials/bootstrap.command';
import { CredentialError } from '../src/credentials/credential-error';
import { CredentialsService } from '../src/credentials/credentials.service';
import { gatewayHttpAdapter } from '../src/gateway-http-adapter';
import { persistenceOptions } from '../src/persistence-options';

// ---------------------------------------------------------------------------------------------
// An SC-HMAC v1 client written from the reference alone (§4.2 and the Python SDK in §6.1), on
// purpose without importing anything from src/auth.
// ---------------------------------------------------------------------------------------------
interface Keys {
  accessKey: string;
  secretKey: string;
}

function scHmacHeaders(keys: Keys, module: string, propid: string, op: string, epoch: number) {
  const toSign = `${module}/${propid}/${op}/${keys.accessKey}/${epoch}`;
  const hex = createHmac('sha256', Buffer.from(keys.secretKey, 'utf8')).update(toSign, 'utf8').digest('hex');
  return {
    'content-type': 'application/json',
    Accept: 'application/json',
    'x-sc-identity': 'external',
    'x-sc-time': String(epoch),
    Authorization: `SCHMAC_V1;${keys.accessKey};${hex}`,
  };
}

/** The SDK's makeRequest: POST <base>/<module>/<version>/actions?op=&org=&pid=&propid=, signed. */
function sdkRequest(
  keys: Keys,
  call: { module?: string; op: string; org: string; propid: string; pid?: string },
  epoch: number,
) {
  const module = call.module ?? 'scgrids';
  const query = new URLSearchParams({
    op: call.op,
    org: call.org,
    pid: call.pid ?? 'scnoop',
    propid: call.propid,
  });
  return {
    url: `${baseUrl}/prod/v2/${module}/v1/actions?${query}`,
    init: { method: 'POST', headers: scHmacHeaders(keys, module, call.propid, call.op, epoch), body: '{}' },
  };
}

const basicHeader = (keys: Keys) =>
  `Basic ${Buffer.from(`${keys.accessKey}:${keys.secretKey}`, 'utf8').toString('base64')}`;

async function send(request: { url: string; init: RequestInit }) {
  const response = await fetch(request.url, request.init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

// ---------------------------------------------------------------------------------------------
// A dummy app: one controller per surface behind the guard.
// ---------------------------------------------------------------------------------------------
@Controller()
@UseGuards(AuthGuard)
class ProbeController {
  constructor(private readonly db: Database) {}

  @Post('prod/v2/:module/:version/actions')
  @HttpCode(200)
  action(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, string>) {
    const needed: Role = /^[a-z]+\.(read|list|get)/.test(query['op'] ?? '') ? 'read' : 'write';
    authorize(principal, needed, { orgId: query['org'], propId: query['propid'] });
    return { status: 200, message: 'Success', data: principal };
  }

  @Get('v1/properties/:propId')
  async read(@CurrentPrincipal() principal: Principal, @Param('propId') propId: string) {
    authorize(principal, 'read', { orgId: await this.orgOf(propId), propId });
    return principal;
  }

  @Delete('v1/properties/:propId')
  async remove(@CurrentPrincipal() principal: Principal, @Param('propId') propId: string) {
    authorize(principal, 'admin', { orgId: await this.orgOf(propId), propId });
    return principal;
  }

  private async orgOf(propId: string): Promise<string> {
    const rows = await this.db.query<{ org_id: string }>(
      'select org_id from registry.properties where prop_id = $1',
      [propId],
    );
    return rows[0]?.org_id ?? '(none)';
  }
}

const MASTER_KEY = randomBytes(32).toString('base64');
let database: TestDatabase;
let app: INestApplication;
let baseUrl: string;
let credentials: CredentialsService;
let sql: Client;
let nowMs = Date.UTC(2025, 5, 1, 12, 0, 0);
const clock = { now: () => nowMs };
const epoch = () => Math.floor(nowMs / 1000);
const env = () => ({
  DATABASE_URL: database.url,
  MATRIX_SECRET_KEY: MASTER_KEY,
  RATE_LIMIT_PER_SECOND: '1',
  RATE_LIMIT_BURST: '5',
});

const issue = async (orgId: string, propId: string | null, role: Role): Promise<Keys> => {
  const issued = await credentials.create({ orgId, propId, role, label: 'test' });
  return { accessKey: issued.accessKey, secretKey: issued.secretKey };
};

beforeAll(async () => {
  database = await createTestDatabase('gateway_auth');
  const config = loadConfig(env());
  await runMigrations(persistenceOptions(config));
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  await sql.query(
    `insert into registry.organisations (org_id, name) values ('ORG1', 'One'), ('ORG2', 'Two')`,
  );
  await sql.query(`insert into registry.properties (prop_id, org_id, name, type_id, time_zone) values
    ('propA', 'ORG1', 'A', 'BANK', 'UTC'), ('propB', 'ORG1', 'B', 'BANK', 'UTC'), ('propC', 'ORG2', 'C', 'BANK', 'UTC')`);

  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({ service: 'auth-test', logLevel: 'error' }),
      PersistenceModule.forRoot(persistenceOptions(config)),
      AuthModule.forRoot({ ...config.auth, clock }),
    ],
    controllers: [ProbeController],
  }).compile();
  app = moduleRef.createNestApplication(gatewayHttpAdapter(), { logger: false, bodyParser: false });
  app.useGlobalFilters(new AuthErrorFilter());
  await app.listen(0, '127.0.0.1');
  baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  credentials = app.get(CredentialsService);
});

afterAll(async () => {
  await app?.close();
  await sql?.end();
  await database?.drop();
});

// Every test starts 10 s later, so each key's bucket (1/s, burst 5) is full again.
beforeEach(() => {
  nowMs += 10_000;
});

describe('the SC-HMAC client written from the reference', () => {
  it('reproduces the reference test vector', () => {
    const headers = scHmacHeaders(
      { accessKey: 'dummyaccesskey/abcd', secretKey: 'mydummysecretkey' },
      'attendance',
      'propid',
      'scattendance.readIntegration',
      1631346630,
    );
    expect(headers.Authorization).toBe(
      'SCHMAC_V1;dummyaccesskey/abcd;5f7a71f6ae877c13954c8a70a485ac656bfa5f7cdd1417866660c8e5198d9bf5',
    );
  });
});

describe('authentication on a real PostgreSQL', () => {
  it('accepts an SDK-signed actions request and records the use of the key', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const call = { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' };
    const response = await send(sdkRequest(keys, call, epoch()));
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      accessKey: keys.accessKey,
      orgId: 'ORG1',
      propId: 'propA',
      role: 'read',
    });
    await expectEventually(async () => {
      const { rows } = await sql.query(
        'select last_used_on from registry.credentials where access_key = $1',
        [keys.accessKey],
      );
      expect(rows[0].last_used_on).toEqual(new Date(nowMs));
    });
  });

  it('stores the secret only encrypted', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const { rows } = await sql.query('select * from registry.credentials where access_key = $1', [
      keys.accessKey,
    ]);
    const stored = JSON.stringify(rows[0]) + rows[0].secret_ciphertext.toString('utf8');
    expect(stored).not.toContain(keys.secretKey);
    expect(rows[0].secret_iv).toHaveLength(12);
    expect(rows[0].secret_tag).toHaveLength(16);
  });

  it('refuses a wrong signature', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const response = await send(
      sdkRequest(
        { ...keys, secretKey: `${keys.secretKey}x` },
        { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' },
        epoch(),
      ),
    );
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^signature does not match/),
    });
  });

  it('refuses a stale x-sc-time', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const response = await send(
      sdkRequest(keys, { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' }, epoch() - 400),
    );
    expect(response.status).toBe(401);
    expect(response.body.message).toBe(
      'x-sc-time is 400 s away from server time (behind it; allowed ±300 s)',
    );
  });

  it('refuses an unknown key', async () => {
    const response = await send(
      sdkRequest(
        { accessKey: 'AKAAAAAAAAAAAAAAAAAAAA', secretKey: 'whatever' },
        { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' },
        epoch(),
      ),
    );
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('unknown or revoked access key');
  });

  it('refuses a revoked key at once, even though it was cached', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const call = { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' };
    expect((await send(sdkRequest(keys, call, epoch()))).status).toBe(200);
    expect(await credentials.revoke(keys.accessKey)).toBe(true);
    expect(await credentials.revoke(keys.accessKey)).toBe(false);
    const response = await send(sdkRequest(keys, call, epoch()));
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('unknown or revoked access key');
    const { rows } = await sql.query('select revoked_on from registry.credentials where access_key = $1', [
      keys.accessKey,
    ]);
    expect(rows[0].revoked_on).not.toBeNull();
  });

  it('answers 404 to another property’s key and to another organisation’s, 403 to a weak role', async () => {
    const keyOfB = await issue('ORG1', 'propB', 'admin');
    const orgTwo = await issue('ORG2', null, 'admin');
    const readOnlyA = await issue('ORG1', 'propA', 'read');
    const readA = { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' };

    const crossProperty = await send(sdkRequest(keyOfB, readA, epoch()));
    expect(crossProperty.status).toBe(404);
    expect(crossProperty.body).toMatchObject({ code: 'NOT_FOUND', message: 'property propA not found' });

    const restCross = await send({
      url: `${baseUrl}/v1/properties/propA`,
      init: { headers: { Authorization: basicHeader(orgTwo) } },
    });
    expect(restCross.status).toBe(404);
    // …exactly like a property that does not exist at all.
    const missing = await send({
      url: `${baseUrl}/v1/properties/propZ`,
      init: { headers: { Authorization: basicHeader(keyOfB) } },
    });
    expect(missing.status).toBe(404);

    const weak = await send(sdkRequest(readOnlyA, { ...readA, op: 'scgrids.createZone' }, epoch()));
    expect(weak.status).toBe(403);
    expect(weak.body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets an org-wide key see every property of its organisation only', async () => {
    const orgOne = await issue('ORG1', null, 'read');
    const get = (propId: string) =>
      send({
        url: `${baseUrl}/v1/properties/${propId}`,
        init: { headers: { Authorization: basicHeader(orgOne) } },
      });
    expect((await get('propA')).status).toBe(200);
    expect((await get('propB')).status).toBe(200);
    expect((await get('propC')).status).toBe(404);
  });

  it('refuses a captured request replayed after the skew window', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const captured = sdkRequest(keys, { op: 'scgrids.readProperty', org: 'ORG1', propid: 'propA' }, epoch());
    expect((await send(captured)).status).toBe(200);
    nowMs += 301_000;
    const replay = await send(captured);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toMatch(/^x-sc-time is 301 s away from server time/);
  });

  it('accepts Basic on both surfaces and refuses a wrong secret', async () => {
    const keys = await issue('ORG1', 'propA', 'admin');
    const action = await send({
      url: `${baseUrl}/prod/v2/scgrids/v1/actions?op=scgrids.readProperty&org=ORG1&pid=scnoop&propid=propA`,
      init: { method: 'POST', headers: { Authorization: basicHeader(keys) } },
    });
    expect(action.status).toBe(200);
    const rest = await send({
      url: `${baseUrl}/v1/properties/propA`,
      init: { method: 'DELETE', headers: { Authorization: basicHeader(keys) } },
    });
    expect(rest).toMatchObject({ status: 200, body: { accessKey: keys.accessKey, role: 'admin' } });
    const wrong = await send({
      url: `${baseUrl}/v1/properties/propA`,
      init: { headers: { Authorization: basicHeader({ ...keys, secretKey: 'nope' }) } },
    });
    expect(wrong.status).toBe(401);
  });

  it('accepts SC-HMAC and Bearer on REST as documented', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const signed = scHmacHeaders(keys, 'rest', 'propA', 'GET:/v1/properties/propA', epoch());
    expect(
      (await send({ url: `${baseUrl}/v1/properties/propA?verbose=1`, init: { headers: signed } })).status,
    ).toBe(200);
    const bearer = { Authorization: `Bearer ${keys.accessKey}.${keys.secretKey}` };
    expect((await send({ url: `${baseUrl}/v1/properties/propA`, init: { headers: bearer } })).status).toBe(
      200,
    );
    // The signature covers the method and path.
    const otherPath = await send({ url: `${baseUrl}/v1/properties/propB`, init: { headers: signed } });
    expect(otherPath.status).toBe(401);
  });

  it('answers 429 with Retry-After past the burst, and recovers as tokens refill', async () => {
    const keys = await issue('ORG1', 'propA', 'read');
    const get = () =>
      send({
        url: `${baseUrl}/v1/properties/propA`,
        init: { headers: { Authorization: basicHeader(keys) } },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    nowMs += 1_000;
    expect((await get()).status).toBe(200);
  });

  it('refuses to issue a credential for a property of another organisation', async () => {
    await expect(credentials.create({ orgId: 'ORG2', propId: 'propA', role: 'read' })).rejects.toThrow(
      CredentialError,
    );
    await expect(credentials.create({ orgId: 'NOPE', role: 'read' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('main.cjs bootstrap', () => {
  it('is idempotent for the organisation and property and prints a credential that authenticates', async () => {
    const args = [
      '--org',
      'BOOT',
      '--org-name',
      'Boot Org',
      '--property',
      'Boot Property',
      '--time-zone',
      'Europe/Berlin',
    ];
    const first = await bootstrap(parseBootstrapArgs(args, {}), env());
    const second = await bootstrap(parseBootstrapArgs([...args, '--org-wide'], {}), env());

    expect(first).toMatchObject({ org: 'BOOT', role: 'admin', created: { org: true, property: true } });
    expect(second).toMatchObject({
      org: 'BOOT',
      propid: first.propid,
      created: { org: false, property: false },
    });
    expect(second.accessKey).not.toBe(first.accessKey);
    const { rows } = await sql.query(
      `select count(*)::int as n, min(time_zone) as tz from registry.properties where org_id = 'BOOT'`,
    );
    expect(rows[0]).toEqual({ n: 1, tz: 'Europe/Berlin' });

    for (const keys of [first, second]) {
      const response = await send(
        sdkRequest(keys, { op: 'scgrids.readProperty', org: 'BOOT', propid: first.propid }, epoch()),
      );
      expect(response).toMatchObject({
        status: 200,
        body: { data: { orgId: 'BOOT', propId: first.propid, role: 'admin' } },
      });
    }
    expect(second.orgWide).toBeDefined();
    const orgWide = await send({
      url: `${baseUrl}/v1/properties/${first.propid}`,
      init: { method: 'DELETE', headers: { Authorization: basicHeader(second.orgWide!) } },
    });
    expect(orgWide).toMatchObject({ status: 200, body: { propId: null, role: 'admin' } });
  });
});
