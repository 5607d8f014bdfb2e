import type { INestApplication } from '@nestjs/common';
import {
  type CreatedSubscriptionV1,
  HEADER,
  ROUTER_COMMANDS,
  type SubscriptionInputV1,
} from '@matrix/contracts';
import { WebhookReceiver, type WebhookBatch } from '@matrix/sdk/webhooks';
import { expectEventually } from '@matrix/testing';
import { OWNER, Receiver, RouterEnvironment } from './router-harness';

/*
 * event-router's real deliveries verified and parsed by the SDK's WebhookReceiver (libs/sdk/src/webhooks):
 * one sensor data message pushed in both encodings gives the same typed points, a Matrix event its typed
 * event, and during a secret rotation's overlap a receiver holding either secret accepts the POST.
 */

const env = new RouterEnvironment();
let app: INestApplication;
const receivers: Receiver[] = [];

async function subscribe(
  input: Partial<SubscriptionInputV1> & Pick<SubscriptionInputV1, 'patterns'>,
): Promise<{ created: CreatedSubscriptionV1; receiver: Receiver }> {
  const receiver = await new Receiver().start();
  receivers.push(receiver);
  const created = await env.commands.request(ROUTER_COMMANDS.create, {
    owner: OWNER,
    scope: null,
    input: { kind: 'matrix-events', batch: { maxSize: 10, maxWaitMs: 0 }, url: receiver.url, ...input },
  });
  return { created, receiver };
}

/** The POSTs `receiver` got, each verified by the SDK with `secrets`. */
function verified(receiver: Receiver, secrets: string[]): WebhookBatch[] {
  const sdk = new WebhookReceiver({ secret: secrets });
  return receiver.requests.map((request) => sdk.verifyOrThrow(request.body, request.headers));
}

const point = (n: number) => ({
  t: '20220602120301',
  v: { count: n, out_count: 0 },
  unixT: 1654142581000 + n,
  DEVID: `dev-${n}`,
  Region: 'Asia/Singapore',
  time: '2022-06-02T12:03:01+0800',
  DevType: 'SMARTCLEAN#PPLCTR',
  PID: 'P1',
  PropId: 'PROP1',
  InsID: 'Z1',
  dow: '4',
  month: '06',
  hour: '12',
  dom: '02',
  minute: '03',
});

beforeAll(async () => {
  await env.start('router_sdk_receiver');
  app = await env.startRouter();
});

afterAll(async () => {
  await app?.close();
  await Promise.all(receivers.map((r) => r.stop()));
  await env.stop();
});

describe('event-router deliveries through the SDK receiver', () => {
  it('parses a sensor data message pushed in both encodings into the same typed points', async () => {
    const objects = await subscribe({
      kind: 'sensor-data',
      encoding: 'objects',
      patterns: ['sensor.data.P1.>'],
    });
    const strings = await subscribe({
      kind: 'sensor-data',
      encoding: 'json-strings',
      patterns: ['sensor.data.P1.>'],
    });
    await env.publisher.publish({
      subject: 'sensor.data.P1.SMARTCLEAN.PPLCTR',
      payload: [point(1), point(2)],
      msgId: `test:sdk:${Date.now()}`,
      headers: { [HEADER.readingIds]: 'r1,r2' },
    });
    await expectEventually(() => {
      expect(objects.receiver.requests).toHaveLength(1);
      expect(strings.receiver.requests).toHaveLength(1);
    });
    const [fromObjects] = verified(objects.receiver, [objects.created.secret]);
    const [fromStrings] = verified(strings.receiver, [strings.created.secret]);
    expect(fromObjects).toMatchObject({
      kind: 'sensor-data',
      encoding: 'objects',
      points: [point(1), point(2)],
    });
    expect(fromStrings).toMatchObject({
      kind: 'sensor-data',
      encoding: 'json-strings',
      points: [point(1), point(2)],
    });
    // Each subscription signs with its own secret.
    expect(() => verified(strings.receiver, [objects.created.secret])).toThrow(/no signature matches/);
  });

  it('parses a Matrix event, and accepts the old and the new secret while a rotation overlaps', async () => {
    const { created, receiver } = await subscribe({ patterns: ['matrix.B7.scgrids.ZONE_CREATED.*'] });
    await env.publishEvent('B7', 'scgrids', 'ZONE_CREATED', 'NORMAL', 1);
    await expectEventually(() => expect(receiver.requests).toHaveLength(1));
    const [first] = verified(receiver, [created.secret]);
    expect(first).toMatchObject({
      kind: 'matrix-events',
      webhookId: receiver.requests[0]!.headers['webhook-id'],
      events: [
        { Event: 'ZONE_CREATED', RoutingKey: 'matrix.B7.scgrids.ZONE_CREATED.NORMAL', Meta: { N: 1 } },
      ],
    });

    const rotated = await env.commands.request(ROUTER_COMMANDS.rotateSecret, {
      owner: OWNER,
      id: created.id,
      overlapMs: 60_000,
    });
    await env.publishEvent('B7', 'scgrids', 'ZONE_CREATED', 'NORMAL', 2);
    await expectEventually(() => expect(receiver.requests).toHaveLength(2));
    const second = receiver.requests[1]!;
    for (const secret of [created.secret, rotated.secret]) {
      expect(new WebhookReceiver({ secret }).verifyOrThrow(second.body, second.headers)).toMatchObject({
        events: [{ Meta: { N: 2 } }],
      });
    }
  });
});
