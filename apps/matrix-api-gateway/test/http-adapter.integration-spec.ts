import { gzipSync } from 'node:zlib';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * The gateway's HTTP layer (Fastify, src/gateway-http-adapter.ts) answers as it did on Express: routing,
 * body types and encodings, the body limit, ETags and 304s, and the router's own refusals in the surface's
 * error body.
 */

const gw = new GatewayHarness('http-adapter');
let admin: Keys;
let pid: string;

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  pid = (
    await gw.rest(admin, 'POST', `/v1/properties/${gw.tenant.propid}/buildings`, {
      name: 'Adapter Tower',
      levelsCount: 1,
      timeZone: 'UTC',
    })
  ).body.pid;
});
afterAll(() => gw.stop());

const levels = async () =>
  ((await gw.rest(admin, 'GET', `/v1/buildings/${pid}/levels`)).body.items as { name: string }[]).map(
    (level) => level.name,
  );

describe('routing', () => {
  it('matches paths case-insensitively and with a trailing slash', async () => {
    for (const path of [`/v1/buildings/${pid}/`, `/V1/Buildings/${pid}`]) {
      const response = await gw.rest(admin, 'GET', path);
      expect({ path, status: response.status, pid: response.body.pid }).toEqual({ path, status: 200, pid });
    }
  });

  it("answers a malformed percent-encoding with the surface's 400", async () => {
    const rest = await gw.rest(admin, 'GET', '/v1/buildings/%E0%A4%A');
    expect(rest.status).toBe(400);
    expect(rest.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(rest.body).toMatchObject({ status: 400, title: 'Bad request' });
  });
});

describe('bodies', () => {
  it('reads an urlencoded body, as Express did', async () => {
    const response = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, 'name=Form+Level', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response).toMatchObject({ status: 201, body: { name: 'Form Level' } });
    expect(await levels()).toContain('Form Level');
  });

  it('leaves a body of another type unread (the operation sees none), not 415', async () => {
    const response = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, '{"name":"Text"}', {
      'content-type': 'text/plain',
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/body/);
    expect(await levels()).not.toContain('Text');
  });

  it('inflates a gzip-encoded JSON body and refuses an unknown encoding with 415 naming it', async () => {
    const gzipped = await fetch(`${gw.url}/v1/buildings/${pid}/levels`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${admin.accessKey}:${admin.secretKey}`).toString('base64')}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gzipSync('{"name":"Zipped"}'),
    });
    expect(gzipped.status).toBe(201);
    const unknown = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, '{"name":"Odd"}', {
      'content-encoding': 'bogus',
    });
    expect(unknown).toMatchObject({ status: 415, body: { detail: 'unsupported content encoding "bogus"' } });
    // The actions API has no 415 among its codes: a 400 naming the encoding, in its envelope.
    const action = await fetch(
      `${gw.url}/prod/v2/scgrids/v1/actions?op=scgrids.readProperty&org=${gw.tenant.org}&pid=scnoop&propid=${gw.tenant.propid}`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${admin.accessKey}:${admin.secretKey}`).toString('base64')}`,
          'content-type': 'application/json',
          'content-encoding': 'bogus',
        },
        body: '{}',
      },
    );
    expect({ status: action.status, body: await action.json() }).toEqual({
      status: 400,
      body: { status: 400, code: 'WRONG_PARAMETERS', message: 'unsupported content encoding "bogus"' },
    });
    expect(await levels()).toEqual(expect.arrayContaining(['Zipped']));
    expect(await levels()).not.toContain('Odd');
  });

  it('refuses a body over 2 MiB with 413 on both surfaces, and takes one just under', async () => {
    const big = JSON.stringify({ Name: 'x'.repeat(2 * 1024 * 1024) });
    const action = await gw.action(admin, { op: 'scgrids.readProperty' }, big);
    expect(action).toMatchObject({
      status: 413,
      body: { status: 413, code: 'QUERY_LENGTH_EXCEEDED', message: 'The body is too large' },
    });
    const rest = await gw.rest(admin, 'POST', `/v1/buildings/${pid}/levels`, big);
    expect(rest).toMatchObject({ status: 413, body: { title: 'Payload too large' } });
    expect(rest.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const under = JSON.stringify({ Name: 'x'.repeat(2 * 1024 * 1024 - 100) });
    expect((await gw.action(admin, { op: 'scgrids.readProperty' }, under)).status).toBe(200);
  });
});

describe('ETags', () => {
  it('carries a weak ETag on every answer and answers a matching conditional GET with a bare 304', async () => {
    const first = await gw.rest(admin, 'GET', `/v1/buildings/${pid}`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    // fetch adds `Cache-Control: no-cache` (which forbids a 304) to conditional requests without one.
    const again = await gw.rest(admin, 'GET', `/v1/buildings/${pid}`, undefined, {
      'if-none-match': etag,
      'cache-control': 'max-age=0',
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-type')).toBeNull();
    expect(again.headers.get('content-length')).toBeNull();
    const noCache = await gw.rest(admin, 'GET', `/v1/buildings/${pid}`, undefined, {
      'if-none-match': etag,
      'cache-control': 'no-cache',
    });
    expect(noCache.status).toBe(200);
    const error = await gw.rest(admin, 'GET', '/v1/buildings/nope');
    expect(error.status).toBe(404);
    expect(error.headers.get('etag')).toMatch(/^W\//);
  });
});
