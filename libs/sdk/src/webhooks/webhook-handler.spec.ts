import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expectEventually } from '@matrix/testing';
import type { InvalidBatchItem } from './parse-batch';
import { WebhookBodyReadError, webhookHandler, type WebhookHandlerOptions } from './webhook-handler';
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
const invalids: InvalidBatchItem[][] = [];
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
      { maxBodyBytes: 4096, onError: () => undefined, onInvalid: (invalid) => void invalids.push(invalid) },
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

  it('answers 401 problem+json for a bad signature, handing nothing over, and 204 for a batch with a contract-invalid item, handing it to onInvalid', async () => {
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
    expect(batches).toEqual([]);
    const loud = { ...EVENT, Status: 'LOUD' };
    const invalid = JSON.stringify([loud, EVENT]);
    expect(await send(invalid, signed(invalid))).toEqual({ status: 204, body: undefined });
    const expected = [{ index: 0, item: loud, reason: expect.stringMatching(/^Status: /) }];
    expect(invalids).toEqual([expected]);
    expect(batches).toEqual([expect.objectContaining({ events: [EVENT], invalid: expected })]);
    const notObjects = JSON.stringify([EVENT, 'LOUD']);
    expect(await send(notObjects, signed(notObjects))).toMatchObject({
      status: 400,
      body: { code: 'malformed_body' },
    });
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

  describe('on a real server, with failures outside onBatch', () => {
    async function serve(
      receiver: WebhookReceiver,
      options: WebhookHandlerOptions,
      onBatch: () => unknown = () => undefined,
    ): Promise<{ url: string; port: number; server: http.Server; close: () => Promise<void> }> {
      const local = http.createServer(webhookHandler(receiver, onBatch, options));
      await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
      const port = (local.address() as AddressInfo).port;
      return {
        url: `http://127.0.0.1:${port}/matrix`,
        port,
        server: local,
        close: () => new Promise<void>((resolve) => local.close(() => resolve())),
      };
    }

    it('answers 500 when the receiver throws something else than a WebhookError, and tells onError', async () => {
      const reported: unknown[] = [];
      const throwing = Object.assign(new WebhookReceiver({ secret: SECRET }), {
        verify: () => {
          throw new TypeError('receiver bug');
        },
      });
      const local = await serve(throwing, { onError: (error) => void reported.push(error) });
      try {
        const body = JSON.stringify([EVENT]);
        const response = await fetch(local.url, { method: 'POST', body, headers: signed(body) });
        expect(response.status).toBe(500);
        expect(reported).toEqual([expect.objectContaining({ message: 'receiver bug' })]);
      } finally {
        await local.close();
      }
    });

    it('answers 500 when onBatch throws and onError throws too', async () => {
      const local = await serve(
        new WebhookReceiver({ secret: SECRET }),
        {
          onError: () => {
            throw new Error('logger down');
          },
        },
        () => {
          throw new Error('database down');
        },
      );
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const body = JSON.stringify([EVENT]);
        const response = await fetch(local.url, { method: 'POST', body, headers: signed(body) });
        expect(response.status).toBe(500);
        expect(errors).toHaveBeenCalledWith(
          expect.stringMatching(/onError/),
          expect.objectContaining({ message: 'database down' }),
          expect.objectContaining({ message: 'logger down' }),
        );
      } finally {
        errors.mockRestore();
        await local.close();
      }
    });

    it('tells onError of a client gone mid-body as a read error, not a misconfigured handler', async () => {
      const reported: unknown[] = [];
      const local = await serve(new WebhookReceiver({ secret: SECRET }), {
        onError: (error) => void reported.push(error),
      });
      try {
        const request = http.request({
          host: '127.0.0.1',
          port: local.port,
          method: 'POST',
          path: '/matrix',
          headers: { 'content-type': 'application/json', 'content-length': '1000' },
        });
        request.on('error', () => undefined);
        const received = new Promise<void>((resolve) => local.server.once('request', () => resolve()));
        request.write('[{"Event":');
        await received;
        request.destroy();
        await expectEventually(() => expect(reported).toHaveLength(1));
        expect(reported[0]).toBeInstanceOf(WebhookBodyReadError);
        expect((reported[0] as Error).message).toMatch(/^the request body could not be read/);
      } finally {
        await local.close();
      }
    });
  });
});
