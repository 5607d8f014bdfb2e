import type { INestApplication } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import {
  type CreatedSubscriptionV1,
  HEADER,
  ROUTER_COMMANDS,
  type SubscriptionInputV1,
} from '@matrix/contracts';
import { CommandFailedError, openKvBucket, PRINCIPALS } from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import { expectEventually } from '@matrix/testing';
import { webhookId } from '../src/endpoints/signature';
import { OWNER, Receiver, RouterEnvironment } from './router-harness';

/*
 * event-router in-process on a real nats-server and PostgreSQL (own namespace and database), delivering
 * to local HTTP receivers on 127.0.0.1 (allowed by ROUTER_ALLOW_TARGETS=loopback): fan-out signed per
 * Standard Webhooks, in-order recovery after failures, 410, the SSRF guard at creation, legacy sensor data
 * encoding, resend and replay with the same webhook-id.
 */

const env = new RouterEnvironment();
let app: INestApplication;
const receivers: Receiver[] = [];

const receiver = async (reply?: ConstructorParameters<typeof Receiver>[0]) => {
  const r = await new Receiver(reply).start();
  receivers.push(r);
  return r;
};
const create = (
  input: Partial<SubscriptionInputV1> & Pick<SubscriptionInputV1, 'url' | 'patterns'>,
  scope: string[] | null = null,
) =>
  env.commands.request(ROUTER_COMMANDS.create, {
    owner: OWNER,
    scope,
    input: { kind: 'matrix-events', batch: { maxSize: 10, maxWaitMs: 0 }, ...input },
  });
const scrape = () => app.get(MetricsService).registry.metrics();
const headersOf = (r: Receiver, i: number) => r.requests[i]!.headers as Record<string, string>;
const events = (r: Receiver) =>
  r
    .delivered<{ Meta: { N: number } }>()
    .flat()
    .map((e) => e.Meta.N);

beforeAll(async () => {
  await env.start('router_delivery');
  app = await env.startRouter();
});

afterAll(async () => {
  await app?.close();
  await Promise.all(receivers.map((r) => r.stop()));
  await env.stop();
});

describe('event-router delivery', () => {
  it('delivers an event matching two subscriptions to both, once each, verified by standardwebhooks', async () => {
    const [a, b, other] = [await receiver(), await receiver(), await receiver()];
    const subA = await create({ url: a.url, patterns: ['matrix.B1.scgrids.ZONE_CREATED.*'] });
    const subB = await create({ url: b.url, patterns: ['matrix.*.scgrids.#'] });
    await create({ url: other.url, patterns: ['matrix.B9.>'] });
    expect(subA.secret).toMatch(/^whsec_/);

    await env.publishEvent('B1', 'scgrids', 'ZONE_CREATED', 'NORMAL', 1);
    await env.publishEvent('B9', 'scaudits', 'AUDIT_STARTED', 'NORMAL', 2);

    await expectEventually(() => {
      expect(a.requests).toHaveLength(1);
      expect(b.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(1);
    });
    for (const [r, sub] of [
      [a, subA],
      [b, subB],
    ] as const) {
      const verified = new Webhook(sub.secret).verify(r.requests[0]!.body, headersOf(r, 0)) as {
        Event: string;
      }[];
      expect(verified).toEqual([
        expect.objectContaining({ Event: 'ZONE_CREATED', Principal: 'B1', Meta: { N: 1 } }),
      ]);
      expect(headersOf(r, 0)['webhook-id']).toMatch(/^msg_/);
    }
    expect(headersOf(a, 0)['webhook-id']).not.toBe(headersOf(b, 0)['webhook-id']);
    await expectEventually(async () => {
      const log = await env.commands.request(ROUTER_COMMANDS.attempts, {
        owner: OWNER,
        id: subA.id,
        limit: 10,
      });
      expect(log.items).toEqual([
        expect.objectContaining({
          attempt: 1,
          outcome: 'delivered',
          statusCode: 200,
          batchId: headersOf(a, 0)['webhook-id'],
        }),
      ]);
      const batches = await env.commands.request(ROUTER_COMMANDS.batches, {
        owner: OWNER,
        id: subA.id,
        limit: 10,
      });
      expect(batches.items).toEqual([
        expect.objectContaining({ status: 'delivered', attempts: 1, items: 1 }),
      ]);
      // The id formed in SQL is the one webhookId() derives (replays and resends rely on it).
      const [batch] = batches.items;
      expect(batch!.id).toBe(webhookId(subA.id, batch!.stream, batch!.firstSequence, batch!.lastSequence));
    });
    expect(() => new Webhook(subA.secret).verify(b.requests[0]!.body, headersOf(b, 0))).toThrow();
    expect(events(other)).toEqual([2]);
  });

  it('delivers everything in order, without a gap, to a receiver that fails for a while then recovers', async () => {
    let failing = true;
    const r = await receiver(() => (failing ? 503 : 200));
    const sub = await create({
      url: r.url,
      patterns: ['matrix.B2.#'],
      batch: { maxSize: 4, maxWaitMs: 0 },
      retry: { initialDelayMs: 100, maxDelayMs: 400, giveUpAfterMs: 600_000, timeoutMs: 5000 },
    });
    for (let n = 0; n < 25; n++) {
      await env.publishEvent('B2', 'scworkforcemanagement', 'TASK_STARTED', 'NORMAL', n);
    }
    await expectEventually(() => expect(r.requests.length).toBeGreaterThanOrEqual(4));
    const failingLine = new RegExp(
      `^matrix_router_subscription_failing_seconds\\{[^}]*subscription="${sub.id}"`,
      'm',
    );
    await expectEventually(async () => expect(await scrape()).toMatch(failingLine));
    expect(await scrape()).toMatch(/^matrix_router_failing_subscriptions\{[^}]*\} [1-9]/m);
    failing = false;

    await expectEventually(() => expect(events(r)).toEqual(Array.from({ length: 25 }, (_, n) => n)));
    await expectEventually(async () => expect(await scrape()).not.toMatch(failingLine));
    // The first batch was retried under the same webhook-id, and each batch was delivered once.
    const ids = r.requests.map((q) => q.headers['webhook-id']);
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    const deliveredIds = r.requests.filter((q) => q.status === 200).map((q) => q.headers['webhook-id']);
    expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
    const attempts = await env.commands.request(ROUTER_COMMANDS.attempts, {
      owner: OWNER,
      id: sub.id,
      limit: 500,
    });
    expect(attempts.items.filter((x) => x.outcome === 'failed').length).toBeGreaterThanOrEqual(4);
    expect(attempts.items.find((x) => x.outcome === 'failed')).toMatchObject({
      statusCode: 503,
      response: 'status 503',
    });
    const view = await env.commands.request(ROUTER_COMMANDS.get, { owner: OWNER, id: sub.id });
    expect(view.failingSince).toBeNull();
  });

  it('starts a new subscription at the end of the log, and moves the cursor of one that matches rarely', async () => {
    const [early, late] = [await receiver(), await receiver()];
    await create({ url: early.url, patterns: ['matrix.B7.#'] });
    await env.publishEvent('B7', 'scgrids', 'ZONE_CREATED', 'NORMAL', 1);
    await expectEventually(() => expect(events(early)).toEqual([1]));
    const sub = await create({ url: late.url, patterns: ['matrix.B7.#'] });
    await env.publishEvent('B7', 'scgrids', 'ZONE_CREATED', 'NORMAL', 2);
    await expectEventually(() => expect(events(early)).toEqual([1, 2]));
    await expectEventually(() => expect(events(late)).toEqual([2]));

    // 10,001 routed messages that match only another subscription: the idle worker of this one moves its
    // cursor past them instead of scanning them again on every look.
    const n = 10_001;
    const seqs = Array.from({ length: n }, (_, i) => i + 1);
    await env.sql.query(`select router.route('OTHER_STREAM', $1, $2, $3, $4, 'router_test')`, [
      seqs,
      seqs.map(() => '{}'),
      seqs.map(() => 1),
      seqs.map(() => '00000000-0000-4000-8000-000000000001'),
    ]);
    const { rows } = await env.sql.query<{ head: string }>(
      `select max(pos)::text as head from router.processed`,
    );
    await expectEventually(async () => {
      const cursor = await env.sql.query<{ pos: string }>(
        `select pos::text from router.cursors where subscription_id = $1`,
        [sub.id],
      );
      expect(cursor.rows[0]!.pos).toBe(rows[0]!.head);
    });
    await env.publishEvent('B7', 'scgrids', 'ZONE_CREATED', 'NORMAL', 3);
    await expectEventually(() => expect(events(late)).toEqual([2, 3]));
  });

  it('puts a building created after the subscription in its owner’s scope, and only its owner’s', async () => {
    const [orgWide, ownProperty, otherProperty] = [await receiver(), await receiver(), await receiver()];
    const batch = { maxSize: 10, maxWaitMs: 0 };
    await create({ url: orgWide.url, patterns: ['matrix.*.scgrids.#'] }, ['ORG1', 'P1', 'B1']);
    for (const [r, property] of [
      [ownProperty, 'P1'],
      [otherProperty, 'P2'],
    ] as const) {
      await env.commands.request(ROUTER_COMMANDS.create, {
        owner: { org: 'ORG1', property },
        scope: [property],
        input: { kind: 'matrix-events', url: r.url, patterns: ['matrix.*.scgrids.#'], batch },
      });
    }
    const kv = await openKvBucket(env.nats.nc, PRINCIPALS, env.nats.namespace);
    // Not in the registry (yet): in nobody's scope. A known principal after it marks the point of delivery.
    await env.publishEvent('BOTHER', 'scgrids', 'ZONE_CREATED', 'NORMAL', 1);
    await env.publishEvent('P1', 'scgrids', 'ZONE_CREATED', 'NORMAL', 2);
    await expectEventually(() => expect(events(orgWide)).toEqual([2]));
    await expectEventually(() => expect(events(ownProperty)).toEqual([2]));

    // Created under P1 (the gateway's outbox puts it; the event follows at once, before the watch may
    // have delivered the entry).
    await kv.put('BNEW', JSON.stringify({ type: 'building', org: 'ORG1', property: 'P1' }));
    await env.publishEvent('BNEW', 'scgrids', 'ZONE_CREATED', 'NORMAL', 3);
    await env.publishEvent('P2', 'scgrids', 'ZONE_CREATED', 'NORMAL', 4);
    await expectEventually(() => expect(events(orgWide)).toEqual([2, 3]));
    await expectEventually(() => expect(events(ownProperty)).toEqual([2, 3]));
    await expectEventually(() => expect(events(otherProperty)).toEqual([4]));
  });

  it('authenticates towards endpoints (Basic, a static header, OAuth2 with a cached token) with every secret sealed at rest', async () => {
    const token = await receiver(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: 'tok-1', expires_in: 3600 }),
    }));
    const [basic, header, oauth] = [await receiver(), await receiver(), await receiver()];
    const secrets = ['pa55-word', 'key-s3cret', 'cl1ent-secret'];
    const subs = [
      await create({
        url: basic.url,
        patterns: ['matrix.B8.#'],
        auth: { type: 'basic', username: 'user', password: secrets[0]! },
      }),
      await create({
        url: header.url,
        patterns: ['matrix.B8.#'],
        auth: { type: 'header', name: 'X-Api-Key', value: secrets[1]! },
      }),
      await create({
        url: oauth.url,
        patterns: ['matrix.B8.#'],
        auth: {
          type: 'oauth2',
          tokenUrl: token.url,
          clientId: 'client',
          clientSecret: secrets[2]!,
          scope: 'push',
        },
      }),
    ];
    for (let n = 0; n < 3; n++) {
      await env.publishEvent('B8', 'scgrids', 'ZONE_CREATED', 'NORMAL', n);
      await expectEventually(() => expect(events(oauth)).toHaveLength(n + 1));
    }
    await expectEventually(() => expect(events(basic)).toHaveLength(3));
    await expectEventually(() => expect(events(header)).toHaveLength(3));
    expect(basic.requests.map((r) => r.headers.authorization)).toEqual(
      Array(3).fill(`Basic ${Buffer.from(`user:${secrets[0]}`).toString('base64')}`),
    );
    expect(header.requests.map((r) => r.headers['x-api-key'])).toEqual(Array(3).fill(secrets[1]));
    expect(oauth.requests.map((r) => r.headers.authorization)).toEqual(Array(3).fill('Bearer tok-1'));
    // One token for the three batches, fetched with the client's credentials.
    expect(token.requests).toHaveLength(1);
    expect(new URLSearchParams(token.requests[0]!.body).toString()).toBe(
      'grant_type=client_credentials&scope=push',
    );
    expect(token.requests[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`client:${secrets[2]}`).toString('base64')}`,
    );

    // At rest: neither the endpoint credentials nor the signing secrets appear in the table.
    const stored = async () =>
      (
        await env.sql.query<{ id: string; auth: unknown; secrets: unknown; text: string }>(
          `select id, auth, secrets, auth::text || secrets::text as text from router.subscriptions
            where id = any($1::uuid[]) order by id`,
          [subs.map((s) => s.id)],
        )
      ).rows;
    for (const row of await stored()) {
      expect(row.auth).toEqual({ sealed: expect.stringMatching(/^v1\./) });
      expect(row.secrets).toEqual({ sealed: expect.stringMatching(/^v1\./) });
      for (const secret of [...secrets, ...subs.map((s) => s.secret)]) expect(row.text).not.toContain(secret);
    }
    const view = await env.commands.request(ROUTER_COMMANDS.get, { owner: OWNER, id: subs[0]!.id });
    expect(view.auth).toEqual({ type: 'basic', username: 'user' });

    // A row stored before the key was set is sealed when a router with the key boots.
    await env.sql.query(
      `update router.subscriptions set auth = $2::jsonb, secrets = $3::jsonb where id = $1`,
      [
        subs[0]!.id,
        JSON.stringify({ type: 'basic', username: 'user', password: secrets[0] }),
        JSON.stringify([{ secret: subs[0]!.secret, createdAt: new Date().toISOString(), expiresAt: null }]),
      ],
    );
    await app.close();
    app = await env.startRouter();
    await expectEventually(async () => {
      const row = (await stored()).find((r) => r.id === subs[0]!.id)!;
      expect(row.auth).toEqual({ sealed: expect.any(String) });
      expect(row.secrets).toEqual({ sealed: expect.any(String) });
    });
    await env.publishEvent('B8', 'scgrids', 'ZONE_CREATED', 'NORMAL', 3);
    await expectEventually(() => expect(events(basic)).toEqual([0, 1, 2, 3]));
    expect(new Webhook(subs[0]!.secret).verify(basic.requests[3]!.body, headersOf(basic, 3))).toBeTruthy();
  });

  it('sends up to `concurrency` batches side by side, and one at a time by default', async () => {
    const inFlight = (r: Receiver) => r.requests.filter((q) => q.status === 0).length;
    const most = new Map<Receiver, number>();
    const tracking = () => {
      const r: Receiver = new Receiver((_, __) => {
        most.set(r, Math.max(most.get(r) ?? 0, inFlight(r) + 1));
        return 200;
      });
      r.delayMs = 300;
      receivers.push(r);
      return r.start();
    };
    const [parallel, ordered] = [await tracking(), await tracking()];
    const batch = { maxSize: 1, maxWaitMs: 0 };
    await create({ url: parallel.url, patterns: ['matrix.B10.#'], batch, concurrency: 3 });
    await create({ url: ordered.url, patterns: ['matrix.B10.#'], batch });
    for (let n = 0; n < 6; n++) await env.publishEvent('B10', 'scgrids', 'ZONE_CREATED', 'NORMAL', n);

    await expectEventually(() => expect([...events(parallel)].sort()).toEqual([0, 1, 2, 3, 4, 5]));
    await expectEventually(() => expect(events(ordered)).toEqual([0, 1, 2, 3, 4, 5]));
    expect(most.get(parallel)).toBe(3);
    expect(most.get(ordered)).toBe(1);
    // Each batch once.
    const ids = parallel.requests.map((q) => q.headers['webhook-id']);
    expect(new Set(ids).size).toBe(6);
  });

  it('disables a subscription whose endpoint answers 410 and publishes SUBSCRIPTION_DISABLED', async () => {
    const r = await receiver(() => 410);
    const notices = env.nats.nc.subscribe(
      `${env.namespace}.matrix.ORG1.eventrouter.SUBSCRIPTION_DISABLED.HIGH`,
    );
    const sub = await create({ url: r.url, patterns: ['matrix.B3.#'] });
    await env.publishEvent('B3', 'scgrids', 'ZONE_REMOVED', 'HIGH', 1);

    await expectEventually(async () => {
      const view = await env.commands.request(ROUTER_COMMANDS.get, { owner: OWNER, id: sub.id });
      expect(view).toMatchObject({ status: 'disabled', statusReason: expect.stringMatching(/410/) });
    });
    const notice = await (async () => {
      for await (const m of notices) return JSON.parse(new TextDecoder().decode(m.data)) as { Meta: unknown };
    })();
    expect(notice?.Meta).toMatchObject({ SubscriptionId: sub.id, Reason: expect.stringMatching(/410/) });
    expect(r.requests).toHaveLength(1);
  });

  it.each([
    ['plain http to a public address', 'http://93.184.216.34/hook', /https/],
    ['a private address', 'https://10.0.0.1/hook', /private/],
    ['the metadata endpoint', 'https://169.254.169.254/latest', /link-local|private/],
    ['an IPv4-mapped private address', 'https://[::ffff:10.0.0.1]/hook', /mapped/],
    ['a name that does not resolve', 'https://no-such-host.invalid/hook', /resolve/],
  ])('refuses %s at creation', async (_what, url, reason) => {
    const refused = await create({ url, patterns: ['matrix.#'] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CommandFailedError);
    expect(refused).toMatchObject({ code: 'TARGET_REFUSED', message: expect.stringMatching(reason) });
  });

  it('sends sensor data as the documented array of JSON strings when asked for the legacy encoding', async () => {
    const r = await receiver();
    await create({
      url: r.url,
      kind: 'sensor-data',
      encoding: 'json-strings',
      patterns: ['sensor.data.P1.>'],
    });
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
    await env.publisher.publish({
      subject: 'sensor.data.P1.SMARTCLEAN.PPLCTR',
      payload: [point(1), point(2)],
      msgId: `test:sd:${Date.now()}`,
      headers: { [HEADER.readingIds]: 'r1,r2' },
    });
    await expectEventually(() => expect(r.requests).toHaveLength(1));
    const body = JSON.parse(r.requests[0]!.body) as unknown[];
    expect(body.every((e) => typeof e === 'string')).toBe(true);
    expect(body.map((e) => (JSON.parse(e as string) as { DEVID: string }).DEVID)).toEqual(['dev-1', 'dev-2']);
  });

  it('resends a batch and replays a time range with the webhook-ids of the original deliveries', async () => {
    const r = await receiver();
    const from = new Date(Date.now() - 1000);
    const sub: CreatedSubscriptionV1 = await create({
      url: r.url,
      patterns: ['matrix.B5.#'],
      batch: { maxSize: 2, maxWaitMs: 0 },
    });
    for (let n = 0; n < 5; n++) await env.publishEvent('B5', 'scgrids', 'LEVEL_CREATED', 'NORMAL', n);
    await expectEventually(() => expect(events(r)).toEqual([0, 1, 2, 3, 4]));
    const original = r.requests.map((q) => [q.headers['webhook-id'], q.body]);

    const batches = await env.commands.request(ROUTER_COMMANDS.batches, {
      owner: OWNER,
      id: sub.id,
      limit: 10,
      status: 'delivered',
    });
    const firstId = original[0]![0] as string;
    expect(batches.items.map((b) => b.id)).toContain(firstId);
    await env.commands.request(ROUTER_COMMANDS.resend, { owner: OWNER, id: sub.id, batchId: firstId });
    await expectEventually(() => expect(r.requests).toHaveLength(original.length + 1));
    expect([r.requests.at(-1)!.headers['webhook-id'], r.requests.at(-1)!.body]).toEqual(original[0]);

    const replayed = await env.commands.request(ROUTER_COMMANDS.replay, {
      owner: OWNER,
      id: sub.id,
      from: from.toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
    });
    expect(replayed.enqueued).toBe(5);
    await expectEventually(() => expect(r.requests).toHaveLength(2 * original.length + 1));
    expect(r.requests.slice(original.length + 1).map((q) => [q.headers['webhook-id'], q.body])).toEqual(
      original,
    );
  });

  it('answers NOT_FOUND for another owner’s subscription', async () => {
    const r = await receiver();
    const sub = await create({ url: r.url, patterns: ['matrix.B6.#'] });
    await expect(
      env.commands.request(ROUTER_COMMANDS.get, { owner: { org: 'ORG2' }, id: sub.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      env.commands.request(ROUTER_COMMANDS.delete, { owner: { org: 'ORG1', property: 'OTHER' }, id: sub.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
