import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { Type } from '@nestjs/common';
import { actionCommandV1 } from '@matrix/contracts';
import { CommandBus } from '@matrix/messaging';
import { isForwarded } from '../src/actions/action-modules';
import type { LocalActionModule } from '../src/actions/action.types';
import { ACTION_MODULES } from '../src/app.module';
import { GatewayHarness } from './gateway-harness';

/*
 * Service discovery as an SDK uses it (reference §4.1, §6.1): read moduleversions.json from the gateway,
 * build `<protocol>://<base>/<module>/<version>/actions` as the Python SDK does and call that URL signed.
 * Besides the app's modules, a test-only forwarded module `scmarbles` is declared, with a stand-in owner.
 */
const MARBLES = 'test.marbles.action.v1';
const PATH = '/matrix/utils/modules/moduleversions.json';

interface Answer {
  base: string;
  modules: Record<string, { version: string }>;
}

const silentLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/**
 * The URL the Python SDK builds (a service class's `initialize` and `ClientV1.initializeForService`):
 * `uri = f"{base}/<module>"`, then `prefix + "://" + uri + "/" + apiversion + "/actions"`, with
 * `prefix = "http"` here, as `SC_<SERVICE>_HTTP_PROTOCOL=http` sets it for a gateway without TLS.
 */
const sdkUrl = (answer: Answer, module: string) =>
  `http://${answer.base}/${module}/${answer.modules[module]!.version}/actions`;

describe('service discovery: GET /matrix/utils/modules/moduleversions.json', () => {
  const gateway = new GatewayHarness('service-discovery', {
    actionModules: [...ACTION_MODULES, { module: 'scmarbles', opPrefix: 'scmarbles.', forwardTo: MARBLES }],
  });
  let owner: CommandBus;

  beforeAll(async () => {
    await gateway.start();
    owner = new CommandBus(gateway.nats, silentLogger as never);
    owner.serve(actionCommandV1(MARBLES), async (command) => ({
      data: { op: command.op, pid: command.pid },
    }));
  }, 60_000);

  afterAll(async () => {
    await owner?.stop();
    await gateway.stop();
  });

  const discover = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}${PATH}`, { headers });
    const text = await response.text();
    return { response, text, answer: (text ? JSON.parse(text) : undefined) as Answer };
  };

  /** An SC-HMAC v1 call of `op` at `url`, as the Python SDK's `makeRequest` sends it. */
  async function call(url: string, module: string, op: string, body: unknown = {}) {
    const { accessKey, secretKey, org, propid } = gateway.tenant;
    const epoch = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', Buffer.from(secretKey, 'utf8'))
      .update(`${module}/${propid}/${op}/${accessKey}/${epoch}`, 'utf8')
      .digest('hex');
    const response = await fetch(`${url}?op=${op}&org=${org}&pid=scnoop&propid=${propid}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-sc-identity': 'external',
        'x-sc-time': epoch,
        authorization: `SCHMAC_V1;${accessKey};${signature}`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(text) };
  }

  it('answers without a credential: the base the client reached, and every declared module at v1', async () => {
    const { response, answer } = await discover();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(answer.base).toBe(`${new URL(gateway.url).host}/prod/v2`);
    const local = ACTION_MODULES.filter((d): d is Type<LocalActionModule> => !isForwarded(d)).map(
      (type) => gateway.app.get(type, { strict: false }).module,
    );
    const forwarded = ACTION_MODULES.filter(isForwarded).map((declaration) => declaration.module);
    const declared = [...local, ...forwarded, 'scmarbles'].sort();
    expect(declared).toEqual(expect.arrayContaining(['scgrids', 'scmetrics', 'scworkforcemanagement']));
    expect(answer.modules).toEqual(Object.fromEntries(declared.map((m) => [m, { version: 'v1' }])));
  });

  it('builds, for every module announced, a URL that reaches that module of the actions API', async () => {
    const { answer } = await discover();
    for (const module of Object.keys(answer.modules)) {
      // An op no module has: the actions API itself answers, naming the module it read from the URL.
      const reply = await call(sdkUrl(answer, module), module, 'discovery.noSuchOp');
      expect({ module, ...reply }).toEqual({
        module,
        status: 400,
        type: expect.stringMatching(/^application\/json/),
        body: {
          status: 400,
          code: 'UNKNOWN_OPERATION',
          message: `discovery.noSuchOp is not an operation of module ${module}; see GET /prod/v2/operations`,
        },
      });
    }
    // What a URL the actions route does not serve answers instead: REST's problem+json 404.
    const miss = await call(`http://${answer.base}/scgrids/actions`, 'scgrids', 'scgrids.listProperties');
    expect(miss).toMatchObject({ status: 404, type: expect.stringMatching(/^application\/problem\+json/) });
  });

  it('serves real ops at those URLs, local and forwarded alike, in their envelopes', async () => {
    const { answer } = await discover();
    const grids = await call(sdkUrl(answer, 'scgrids'), 'scgrids', 'scgrids.listProperties', null);
    expect(grids).toMatchObject({
      status: 200,
      body: {
        status: 200,
        message: 'Success',
        data: [expect.objectContaining({ PropId: gateway.tenant.propid })],
      },
    });
    const marbles = await call(sdkUrl(answer, 'scmarbles'), 'scmarbles', 'scmarbles.count');
    expect(marbles).toMatchObject({
      status: 200,
      body: { code: 'SUCCESS', data: { op: 'scmarbles.count', pid: 'scnoop' } },
    });
  });

  it('answers 304 to a matching If-None-Match, and the headers alone to HEAD', async () => {
    const { response } = await discover();
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    // fetch adds `Cache-Control: no-cache` (which forbids a 304) to a conditional request that sets none.
    const again = await discover({ 'if-none-match': etag!, 'cache-control': 'max-age=0' });
    expect({ status: again.response.status, text: again.text }).toEqual({ status: 304, text: '' });
    const head = await fetch(`${gateway.url}${PATH}`, { method: 'HEAD' });
    expect({ status: head.status, etag: head.headers.get('etag') }).toEqual({ status: 200, etag });
  });

  it('refuses a Host header that is not host[:port] with a problem naming it, not kept by caches', async () => {
    const { port } = new URL(gateway.url);
    const refusal = await new Promise<{ status: number; type: string; cache?: string; body: any }>(
      (resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: PATH, headers: { host: 'evil.example/phish' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                type: String(res.headers['content-type']),
                cache: res.headers['cache-control'],
                body: JSON.parse(text),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(refusal).toMatchObject({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
      cache: undefined,
      body: { status: 400, errors: ['Host: must be host[:port] (or configure GATEWAY_PUBLIC_BASE)'] },
    });
    expect(JSON.stringify(refusal.body)).not.toContain('evil.example');
  });
});
