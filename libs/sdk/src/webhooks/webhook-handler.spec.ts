import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { webhookHandler } from './webhook-handler';
import { WebhookReceiver, type WebhookBatch } from './webhook-receiver';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const EVENT = {
  Principal: 'b1',
  Description: 'Zone created',
  Event: 'ZONE_CREATED',
  RoutingKey: 'matrix.b1.scgrids.ZONE_CREATED.NORMAL',
  Module: 'scgrids',
  Status: 'NORMAL',
  UnixTime: '1764582000',
  UnixTimeInt: 1764582000,
  Meta: { Zone: 'z1' },
};

let server: http.Server;
let url: string;
const batches: WebhookBatch[] = [];
let failNext = false;

beforeAll(async () => {
  const receiver = new WebhookReceiver({ secret: SECRET, kind: 'matrix-events' });
  server = http.createServer(
    webhookHandler(
      receiver,
      (batch) => {
        if (failNext) throw new Error('database down');
        batches.push(batch);
      },
      { maxBodyBytes: 4096, onError: () => undefined },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/matrix`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function signed(body: string, secret = SECRET): Record<string, string> {
  const now = new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': 'msg_handler1',
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign('msg_handler1', now, body),
  };
}

async function send(body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('webhookHandler', () => {
  it('answers 204 after handing the verified batch over', async () => {
    const body = JSON.stringify([EVENT]);
    expect(await send(body, signed(body))).toEqual({ status: 204, body: undefined });
    expect(batches).toEqual([
      expect.objectContaining({ kind: 'matrix-events', events: [EVENT], webhookId: 'msg_handler1' }),
    ]);
  });

  it('answers 401 problem+json for a bad signature and 400 for an invalid item, handing nothing over', async () => {
    batches.length = 0;
    const body = JSON.stringify([EVENT]);
    expect(await send(body, signed(body, `whsec_${Buffer.alloc(32, 4).toString('base64')}`))).toEqual({
      status: 401,
      body: {
        status: 401,
        title: 'Unauthorized',
        code: 'invalid_signature',
        detail: 'no signature matches the secret',
      },
    });
    const invalid = JSON.stringify([{ ...EVENT, Status: 'LOUD' }]);
    expect(await send(invalid, signed(invalid))).toMatchObject({
      status: 400,
      body: { code: 'invalid_items', errors: [expect.stringMatching(/^\[0\]\.Status: /)] },
    });
    expect(batches).toEqual([]);
  });

  it('answers 500 when the batch handler throws (so the platform retries), and 413 past the body limit', async () => {
    const body = JSON.stringify([EVENT]);
    failNext = true;
    expect(await send(body, signed(body))).toEqual({
      status: 500,
      body: { status: 500, title: 'The batch was not processed' },
    });
    failNext = false;
    const large = JSON.stringify(Array.from({ length: 20 }, () => EVENT));
    expect((await send(large, signed(large))).status).toBe(413);
  });

  it('verifies a body an Express raw parser already read into req.body', async () => {
    batches.length = 0;
    const body = JSON.stringify([EVENT]);
    const headers = signed(body);
    const handler = webhookHandler(
      new WebhookReceiver({ secret: SECRET }),
      (batch) => void batches.push(batch),
    );
    const req = Object.assign(new http.IncomingMessage(null as never), {
      method: 'POST',
      headers,
      body: Buffer.from(body),
    });
    const finished = new Promise<number>((resolve) => {
      const res = {
        writeHead(status: number) {
          resolve(status);
          return { end: () => undefined };
        },
      };
      handler(req, res as never);
    });
    expect(await finished).toBe(204);
    expect(batches).toHaveLength(1);
  });
});
