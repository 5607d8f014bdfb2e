import { createHmac } from 'node:crypto';
import { expectEventually } from '@matrix/testing';
import { localServer, json, problem, type Handler, type Received } from '../test/local-server';
import { basicAuth, bearerAuth, scHmacAuth, type MatrixAuth } from './auth';
import { MatrixClient, type MatrixClientOptions } from './client';
import { MatrixApiError, MatrixNetworkError } from './errors';
import type { RetryEvent } from './transport';
import type { CursorListPath, CursorPagePath } from './rest/rest-client';

/* The client against a real local HTTP server: retries, Retry-After, timeouts, authentication, errors and
   pagination as they happen on the wire (no mocked fetch). */

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const KEYS = { accessKey: 'AKTEST', secretKey: 'secret-of-the-test' };

async function setUp(handler: Handler, options: Partial<MatrixClientOptions> = {}) {
  const server = await localServer(handler);
  servers.push(server);
  const client = new MatrixClient({
    baseUrl: server.url,
    auth: basicAuth(KEYS),
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...options,
  });
  return { client, received: server.received };
}

/** Answers `failures` (in order) first, then `ok`. */
function failingThen(failures: Handler[], ok: Handler): Handler {
  return (req, res, received) => (failures[received.length - 1] ?? ok)(req, res, received);
}

const okBuilding: Handler = (_req, res) => json(res, 200, { pid: 'b1', name: 'HQ' });
const buildingPath = '/v1/buildings/{pid}' as const;
const getBuilding = (client: MatrixClient, init: Record<string, unknown> = {}) =>
  client.rest.GET(buildingPath, { params: { path: { pid: 'b1' } }, ...init });

describe('retries', () => {
  it('retries a GET on 503 after its Retry-After, instead of the back-off', async () => {
    // A back-off of up to a minute: only Retry-After: 0 lets the retry happen within the test's time.
    const { client, received } = await setUp(
      failingThen(
        [(_q, res) => problem(res, 503, 'Service Unavailable', 'busy', { 'retry-after': '0' })],
        okBuilding,
      ),
      { retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } },
    );
    const { data } = await getBuilding(client);
    expect(data).toEqual({ pid: 'b1', name: 'HQ' });
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/buildings/b1',
      'GET /v1/buildings/b1',
    ]);
  });

  it('waits until a Retry-After HTTP date instead of the back-off', async () => {
    // 30 s ahead, in whole seconds as an HTTP date has them. onRetry sees the wait the client chose and
    // aborts it, so the test does not wait; a date read wrongly would give the back-off's 0–2 ms.
    const at = (Math.floor(Date.now() / 1000) + 30) * 1000;
    const events: RetryEvent[] = [];
    const controller = new AbortController();
    const { client, received } = await setUp(
      (_q, res) => problem(res, 502, 'Bad Gateway', 'down', { 'retry-after': new Date(at).toUTCString() }),
      {
        onRetry: (event) => {
          events.push(event);
          controller.abort(new Error('seen the wait'));
        },
      },
    );
    const before = Date.now();
    await expect(getBuilding(client, { signal: controller.signal })).rejects.toThrow('seen the wait');
    const after = Date.now();
    expect(events).toEqual([
      {
        request: { method: 'GET', path: '/v1/buildings/b1' },
        attempt: 1,
        status: 502,
        delayMs: expect.any(Number),
      },
    ]);
    // The client measured the date from a moment between before and after.
    expect(events[0]!.delayMs).toBeGreaterThanOrEqual(at - after);
    expect(events[0]!.delayMs).toBeLessThanOrEqual(at - before);
    expect(received).toHaveLength(1);
  });

  it('reports each retry to onRetry: the status or network error, and the wait', async () => {
    const events: RetryEvent[] = [];
    const { client, received } = await setUp(
      failingThen(
        [
          (_q, res) => problem(res, 429, 'Too Many Requests', 'slow down', { 'retry-after': '0' }),
          (_q, res) => res.socket?.destroy(),
        ],
        okBuilding,
      ),
      { onRetry: (event) => events.push(event) },
    );
    await getBuilding(client);
    expect(received).toHaveLength(3);
    const request = { method: 'GET', path: '/v1/buildings/b1' };
    expect(events).toEqual([
      { request, attempt: 1, status: 429, delayMs: 0 },
      // fetch's TypeError, from Node's realm rather than the test's (so not `expect.any(Error)`).
      {
        request,
        attempt: 2,
        error: expect.objectContaining({ name: 'TypeError' }),
        delayMs: expect.any(Number),
      },
    ]);
  });

  it('retries on 502, 503 and 504 with back-off until one answers', async () => {
    const { client, received } = await setUp(
      failingThen(
        [
          (_q, res) => problem(res, 502, 'Bad Gateway', 'a'),
          (_q, res) => problem(res, 503, 'Service Unavailable', 'b'),
          (_q, res) => problem(res, 504, 'Gateway Timeout', 'c'),
        ],
        okBuilding,
      ),
      { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } },
    );
    await getBuilding(client);
    expect(received).toHaveLength(4);
  });

  it('gives up after maxAttempts with the last answer as a MatrixApiError', async () => {
    const { client, received } = await setUp((_q, res) => problem(res, 504, 'Gateway Timeout', 'slow'), {
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await getBuilding(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixApiError);
    expect(error).toMatchObject({ status: 504, attempts: 3, method: 'GET', path: '/v1/buildings/b1' });
    expect(received).toHaveLength(3);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs', async () => {
    const { client, received } = await setUp((_q, res) =>
      problem(res, 429, 'Too Many Requests', 'slow down', { 'retry-after': '3600' }),
    );
    const error = (await getBuilding(client).catch((e: unknown) => e)) as MatrixApiError;
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3_600_000, attempts: 1 });
    expect(received).toHaveLength(1);
  });

  it('does not retry a 4xx other than 429', async () => {
    const { client, received } = await setUp((_q, res) => problem(res, 404, 'Not Found', 'no building b1'));
    await expect(getBuilding(client)).rejects.toMatchObject({ status: 404 });
    expect(received).toHaveLength(1);
  });

  it('does not retry a POST on 503 unless asked, nor an actions op', async () => {
    const unavailable: Handler = (_q, res) =>
      problem(res, 503, 'Service Unavailable', 'busy', { 'retry-after': '0' });
    const { client, received } = await setUp(unavailable);
    await expect(
      client.rest.POST('/v1/properties/{propId}/buildings', {
        params: { path: { propId: 'p1' } },
        body: { name: 'B', levelsCount: 1, timeZone: 'UTC' },
      }),
    ).rejects.toMatchObject({ status: 503, attempts: 1 });
    await expect(
      client.actions.call('scgrids.createLevel', { Name: 'L' }, { pid: 'b1' }),
    ).rejects.toMatchObject({
      status: 503,
      attempts: 1,
    });
    expect(received).toHaveLength(2);
  });

  it('retries a POST with an Idempotency-Key, or with retry: true', async () => {
    const created: Handler = (_q, res) => json(res, 201, { pid: 'b2' });
    const { client, received } = await setUp(
      failingThen(
        [
          (_q, res) => problem(res, 503, 'Service Unavailable', 'busy'),
          (_q, res) => created(_q, res, []),
          (_q, res) => problem(res, 502, 'Bad Gateway', 'down'),
        ],
        created,
      ),
    );
    const init = {
      params: { path: { propId: 'p1' } },
      body: { name: 'B', levelsCount: 1, timeZone: 'UTC' },
    };
    await client.rest.POST('/v1/properties/{propId}/buildings', {
      ...init,
      headers: { 'Idempotency-Key': 'create-b2' },
    });
    await client.rest.POST('/v1/properties/{propId}/buildings', { ...init, retry: true });
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual([
      'create-b2',
      'create-b2',
      undefined,
      undefined,
    ]);
    expect(received.map((r) => JSON.parse(r.body))).toEqual(Array(4).fill(init.body));
  });

  it('retries a POST on 429 without being asked: the gateway refused it before doing anything', async () => {
    const { client, received } = await setUp(
      failingThen(
        [
          (_q, res) =>
            json(
              res,
              429,
              { status: 429, code: 'RATE_LIMITED', message: 'slow down' },
              { 'retry-after': '0' },
            ),
        ],
        (_q, res) =>
          json(res, 201, { status: 201, message: 'Successfully created the level!', data: { LID: 'l1' } }),
      ),
    );
    const envelope = await client.actions.call('scgrids.createLevel', { Name: 'L' }, { pid: 'b1' });
    expect(envelope.data).toEqual({ LID: 'l1' });
    expect(received).toHaveLength(2);
  });

  it('retries an actions op with retry: true', async () => {
    const { client, received } = await setUp(
      failingThen(
        [(_q, res) => json(res, 503, { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'later' })],
        (_q, res) => json(res, 200, { code: 'SUCCESS', message: 'ok', data: [] }),
      ),
    );
    await client.actions.call('scteams.getUnAssignedIncidentsInTRangeForGivenID', {}, { retry: true });
    expect(received).toHaveLength(2);
  });

  it('retries a GET whose connection failed, and reports a POST whose connection failed', async () => {
    const { client, received } = await setUp(failingThen([(_q, res) => res.socket?.destroy()], okBuilding));
    await getBuilding(client);
    expect(received).toHaveLength(2);

    const broken = await setUp((_q, res) => res.socket?.destroy());
    const error = await broken.client.actions
      .call('scgrids.createLevel', {}, { pid: 'b1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixNetworkError);
    expect(error).toMatchObject({ timedOut: false, attempts: 1, op: 'scgrids.createLevel' });
    expect(broken.received).toHaveLength(1);
  });

  it('aborts an attempt after timeoutMs and says it timed out', async () => {
    const { client, received } = await setUp(() => undefined /* never answers */, {
      timeoutMs: 50,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const error = await getBuilding(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixNetworkError);
    expect(error).toMatchObject({ timedOut: true, attempts: 2 });
    expect(received).toHaveLength(2);
  });

  it("stops waiting when the caller's signal aborts, with the signal's reason", async () => {
    const { client, received } = await setUp((_q, res) => problem(res, 503, 'Service Unavailable', 'busy'), {
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const controller = new AbortController();
    const pending = getBuilding(client, { signal: controller.signal });
    await expectEventually(() => expect(received).toHaveLength(1));
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(received).toHaveLength(1);
  });
});

describe('authentication', () => {
  const sign = (toSign: string) => createHmac('sha256', KEYS.secretKey).update(toSign).digest('hex');
  const ok: Handler = (_q, res) => json(res, 200, { status: 200, message: 'Success', data: {} });

  async function oneRequest(
    auth: MatrixAuth,
    call: (client: MatrixClient) => Promise<unknown>,
  ): Promise<Received> {
    const { client, received } = await setUp(ok, { auth });
    await call(client);
    return received[0]!;
  }

  it('signs a REST v1 request with SC-HMAC over rest/<propid>/<METHOD>:<path> and sends x-sc-propid', async () => {
    const req = await oneRequest(scHmacAuth({ ...KEYS, propId: 'p1' }), (client) =>
      client.rest.GET('/v1/buildings/{pid}/zone-map', {
        params: { path: { pid: 'b 1' }, query: { limit: 5 } },
      }),
    );
    const time = req.headers['x-sc-time'];
    expect(req.url).toBe('/v1/buildings/b%201/zone-map?limit=5');
    expect(req.headers['x-sc-propid']).toBe('p1');
    expect(req.headers.authorization).toBe(
      `SCHMAC_V1;AKTEST;${sign(`rest/p1/GET:/v1/buildings/b%201/zone-map/AKTEST/${time}`)}`,
    );
  });

  it("keeps a caller's x-sc-propid on REST v1 and signs it, as the gateway does", async () => {
    const signedOver = (req: Received) =>
      `SCHMAC_V1;AKTEST;${sign(`rest/p2/GET:/v1/buildings/b1/AKTEST/${req.headers['x-sc-time']}`)}`;
    const headers = { 'x-sc-propid': 'p2' };
    // An organisation-wide credential (no propId) and a property credential naming another property.
    for (const auth of [scHmacAuth(KEYS), scHmacAuth({ ...KEYS, propId: 'p1' })]) {
      const req = await oneRequest(auth, (client) => getBuilding(client, { headers }));
      expect(req.headers['x-sc-propid']).toBe('p2');
      expect(req.headers.authorization).toBe(signedOver(req));
    }
  });

  it('signs an actions call over <module>/<propid>/<op> with propid from the credential', async () => {
    const req = await oneRequest(scHmacAuth({ ...KEYS, propId: 'p1' }), (client) =>
      client.actions.call('scteams.getIncidentsSettings', null, { pid: 'b1' }),
    );
    expect(req.url).toBe(
      '/prod/v2/scworkforcemanagement/v1/actions?op=scteams.getIncidentsSettings&org=SMARTCLEAN&pid=b1&propid=p1',
    );
    expect(req.body).toBe('null');
    expect(req.headers.authorization).toBe(
      `SCHMAC_V1;AKTEST;${sign(`scworkforcemanagement/p1/scteams.getIncidentsSettings/AKTEST/${req.headers['x-sc-time']}`)}`,
    );
    expect(req.headers['x-sc-identity']).toBe('external');
  });

  it('refuses an SC-HMAC actions call without a propid before sending it', async () => {
    const { client, received } = await setUp(ok, { auth: scHmacAuth(KEYS) });
    await expect(client.actions.call('scgrids.listProperties')).rejects.toThrow(/propid is required/);
    expect(received).toHaveLength(0);
  });

  it('sends Basic and Bearer (a token, a token function, an access key)', async () => {
    const basic = await oneRequest(basicAuth(KEYS), (client) => getBuilding(client));
    expect(basic.headers.authorization).toBe(
      `Basic ${Buffer.from('AKTEST:secret-of-the-test').toString('base64')}`,
    );
    const jwt = await oneRequest(bearerAuth('a.b.c'), (client) => getBuilding(client));
    expect(jwt.headers.authorization).toBe('Bearer a.b.c');
    const fresh = await oneRequest(
      bearerAuth(async () => 'fresh.jwt.token'),
      (client) => getBuilding(client),
    );
    expect(fresh.headers.authorization).toBe('Bearer fresh.jwt.token');
    const key = await oneRequest(bearerAuth(KEYS), (client) => getBuilding(client));
    expect(key.headers.authorization).toBe('Bearer AKTEST.secret-of-the-test');
  });
});

describe('errors', () => {
  it('carries the problem+json body of REST v1', async () => {
    const { client } = await setUp((_q, res) => {
      res.writeHead(400, { 'content-type': 'application/problem+json', 'x-request-id': 'req-42' });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'invalid',
          errors: ['nmae: is not a known field'],
        }),
      );
    });
    const error = (await client.rest
      .PATCH('/v1/buildings/{pid}', { params: { path: { pid: 'b1' } }, body: { name: 'x' } })
      .catch((e: unknown) => e)) as MatrixApiError;
    expect(error).toBeInstanceOf(MatrixApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'about:blank',
      problem: { title: 'Bad Request', errors: ['nmae: is not a known field'] },
      envelope: undefined,
      method: 'PATCH',
      path: '/v1/buildings/b1',
      op: undefined,
      requestId: 'req-42',
    });
    expect(error.message).toBe('PATCH /v1/buildings/b1: 400 invalid');
  });

  it('carries the envelope of the actions API', async () => {
    const { client } = await setUp((_q, res) =>
      json(res, 400, { status: 400, code: 'UNKNOWN_OPERATION', message: 'No such op scgrids.nope' }),
    );
    const error = (await client.actions.call('scgrids.nope').catch((e: unknown) => e)) as MatrixApiError;
    expect(error).toMatchObject({
      status: 400,
      code: 'UNKNOWN_OPERATION',
      envelope: { status: 400, code: 'UNKNOWN_OPERATION', message: 'No such op scgrids.nope' },
      problem: undefined,
      op: 'scgrids.nope',
      path: '/prod/v2/scgrids/v1/actions',
      requestId: undefined,
    });
    expect(error.message).toBe(
      'POST scgrids.nope (/prod/v2/scgrids/v1/actions): 400 No such op scgrids.nope',
    );
  });

  it('keeps a body that is neither, as text', async () => {
    const { client } = await setUp((_q, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('upstream exploded');
    });
    await expect(getBuilding(client)).rejects.toMatchObject({
      status: 500,
      code: undefined,
      body: 'upstream exploded',
      message: 'GET /v1/buildings/b1: 500 upstream exploded',
    });
  });

  it('throws a 2xx actions answer that is not JSON as MatrixApiError with the start of its text', async () => {
    const page = `<html><body>${'proxy says hello '.repeat(20)}</body></html>`;
    const { client } = await setUp((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-request-id': 'req-7' });
      res.end(page);
    });
    const error = (await client.actions
      .call('scgrids.readBuilding', null, { pid: 'b1' })
      .catch((e: unknown) => e)) as MatrixApiError;
    expect(error).toBeInstanceOf(MatrixApiError);
    const snippet = `${page.slice(0, 200)}…`;
    expect(error).toMatchObject({
      status: 200,
      body: snippet,
      code: undefined,
      op: 'scgrids.readBuilding',
      path: '/prod/v2/scgrids/v1/actions',
      requestId: 'req-7',
      attempts: 1,
    });
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.message).toBe(
      `POST scgrids.readBuilding (/prod/v2/scgrids/v1/actions): 200 answer is not JSON: ${snippet}`,
    );
  });

  it('throws a 2xx REST answer that is not JSON as MatrixApiError, not a bare SyntaxError', async () => {
    const { client } = await setUp((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-request-id': 'req-8' });
      res.end('<html>captive portal</html>');
    });
    const error = (await getBuilding(client).catch((e: unknown) => e)) as MatrixApiError;
    expect(error).toBeInstanceOf(MatrixApiError);
    expect(error).toMatchObject({
      status: 200,
      body: '<html>captive portal</html>',
      method: 'GET',
      path: '/v1/buildings/b1',
      requestId: 'req-8',
      attempts: 1,
    });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('answers a REST 2xx JSON body and an empty 204 as before the check', async () => {
    const { client } = await setUp(okBuilding);
    const { data, response } = await getBuilding(client);
    expect(data).toEqual({ pid: 'b1', name: 'HQ' });
    expect(response.status).toBe(200);
    const empty = await setUp((_q, res) => {
      res.writeHead(204);
      res.end();
    });
    const gone = await empty.client.rest.DELETE(buildingPath, { params: { path: { pid: 'b1' } } });
    expect(gone.response.status).toBe(204);
    expect(gone.data).toBeUndefined();
    const chunked = await setUp((_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.end();
    });
    const nothing = await getBuilding(chunked.client);
    expect(nothing.response.status).toBe(200);
    expect(nothing.data).toBeUndefined();
  });

  it('names the module an unknown op prefix needs', async () => {
    const { client, received } = await setUp(() => undefined);
    await expect(client.actions.call('scbi.report')).rejects.toThrow('no module known for op scbi.report');
    expect(received).toHaveLength(0);
  });
});

describe('pagination', () => {
  it('iterates a REST v1 cursor list across pages, sending nextCursor back as cursor', async () => {
    const pages: Record<string, unknown> = {
      '': { items: [{ insId: 'z1' }, { insId: 'z2' }], nextCursor: 'c2' },
      c2: { items: [{ insId: 'z3' }], nextCursor: 'c3' },
      c3: { items: [], nextCursor: null },
    };
    const { client, received } = await setUp((req, res) => {
      const url = new URL(req.url, 'http://x');
      json(res, 200, pages[url.searchParams.get('cursor') ?? '']);
    });
    const listPath: CursorListPath = '/v1/buildings/{pid}/zones';
    const ids: string[] = [];
    for await (const zone of client.rest.paginate(listPath, {
      params: { path: { pid: 'b1' }, query: { limit: 2, levelId: 'l1' } },
    })) {
      ids.push(zone.insId);
    }
    expect(ids).toEqual(['z1', 'z2', 'z3']);
    expect(received.map((r) => r.url)).toEqual([
      '/v1/buildings/b1/zones?limit=2&levelId=l1',
      '/v1/buildings/b1/zones?limit=2&levelId=l1&cursor=c2',
      '/v1/buildings/b1/zones?limit=2&levelId=l1&cursor=c3',
    ]);
  });

  it('iterates the pages of the zone map', async () => {
    const { client } = await setUp((req, res) => {
      const cursor = new URL(req.url, 'http://x').searchParams.get('cursor');
      json(
        res,
        200,
        cursor ? { zones: { z2: 'Two' }, nextCursor: null } : { zones: { z1: 'One' }, nextCursor: 'n' },
      );
    });
    const mapPath: CursorPagePath = '/v1/buildings/{pid}/zone-map';
    const zones = {};
    for await (const page of client.rest.pages(mapPath, { params: { path: { pid: 'b1' } } })) {
      Object.assign(zones, page.zones);
    }
    expect(zones).toEqual({ z1: 'One', z2: 'Two' });
  });

  it('follows LEK/ESK on scgrids, LastEvaluatedKey on scteams and LastKey on the event logs', async () => {
    const { client, received } = await setUp((req, res) => {
      const op = new URL(req.url, 'http://x').searchParams.get('op');
      const body = JSON.parse(req.body) as Record<string, string>;
      if (op === 'scgrids.listZonesByBuilding') {
        return json(
          res,
          200,
          body.ESK
            ? { status: 200, message: 'Success', data: [{ InsID: 'z2' }] }
            : { status: 200, message: 'Success', data: [{ InsID: 'z1' }], LEK: 'z1' },
        );
      }
      if (op === 'scteams.getShiftsForProjectInTRange') {
        return json(
          res,
          200,
          body.LastEvaluatedKey
            ? { code: 'SUCCESS', message: 'ok', data: [{ ShiftId: 's2' }] }
            : { code: 'SUCCESS', message: 'more remain', data: [{ ShiftId: 's1' }], LastEvaluatedKey: 'k1' },
        );
      }
      const series = body.LastKey
        ? { values: [{ Event: 'E2' }], LastKey: '' }
        : { values: [{ Event: 'E1' }], LastKey: 'lk' };
      return json(res, 200, { type: 'json', queryType: 'eventsTSDB', series });
    });
    const all = async (op: string, body: Record<string, unknown>) => {
      const items: unknown[] = [];
      for await (const item of client.actions.paginate(op, body, { pid: 'b1' })) items.push(item);
      return items;
    };
    expect(await all('scgrids.listZonesByBuilding', {})).toEqual([{ InsID: 'z1' }, { InsID: 'z2' }]);
    expect(await all('scteams.getShiftsForProjectInTRange', { StartTime: 1, EndTime: 2 })).toEqual([
      { ShiftId: 's1' },
      { ShiftId: 's2' },
    ]);
    expect(
      await all('scmetrics.getEventLogs', { Principal: 'b1', Module: 'scgrids', Start: 1, End: 2 }),
    ).toEqual([{ Event: 'E1' }, { Event: 'E2' }]);
    expect(received.map((r) => JSON.parse(r.body))).toEqual([
      {},
      { ESK: 'z1' },
      { StartTime: 1, EndTime: 2 },
      { StartTime: 1, EndTime: 2, LastEvaluatedKey: 'k1' },
      { Principal: 'b1', Module: 'scgrids', Start: 1, End: 2 },
      { Principal: 'b1', Module: 'scgrids', Start: 1, End: 2, LastKey: 'lk' },
    ]);
  });

  it('stops with an error when a server answers the same page key again, instead of paging forever', async () => {
    const { client, received } = await setUp((req, res) =>
      req.url.startsWith('/v1/')
        ? json(res, 200, { items: [1], nextCursor: 'same' })
        : json(res, 200, { status: 200, message: 'Success', data: [1], LEK: 'same' }),
    );
    const drain = async (items: AsyncIterable<unknown>) => {
      for await (const _ of items) void _;
    };
    await expect(
      drain(client.rest.paginate('/v1/buildings/{pid}/zones', { params: { path: { pid: 'b1' } } })),
    ).rejects.toThrow('GET /v1/buildings/{pid}/zones answered the cursor same twice');
    await expect(
      drain(client.actions.paginate('scgrids.listZonesByBuilding', {}, { pid: 'b1' })),
    ).rejects.toThrow('scgrids.listZonesByBuilding answered the page key same twice');
    expect(received).toHaveLength(4);
  });

  it('merges every page of buildingZoneMap', async () => {
    const { client } = await setUp((req, res) => {
      const body = JSON.parse(req.body) as { ESK?: string };
      json(
        res,
        200,
        body.ESK
          ? { status: 200, message: 'Success', data: { z2: 'Two' } }
          : { status: 200, message: 'Success', data: { z1: 'One' }, LEK: 'z1' },
      );
    });
    await expect(client.actions.buildingZoneMap('b1')).resolves.toEqual({ z1: 'One', z2: 'Two' });
  });
});
