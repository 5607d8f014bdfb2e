import type { INestApplication } from '@nestjs/common';
import { ROUTER_COMMANDS } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { OWNER, Receiver, RouterEnvironment } from './router-harness';

/*
 * Two event-router replicas on one database and namespace: each subscription is delivered by one replica
 * at a time (its lease), and when that replica shuts down the other takes over at once, losing nothing.
 */

const env = new RouterEnvironment();
const receivers: Receiver[] = [];
let first: INestApplication | undefined;
let second: INestApplication | undefined;

beforeAll(async () => {
  await env.start('router_replicas');
  first = await env.startRouter();
  second = await env.startRouter();
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await Promise.all(receivers.map((r) => r.stop()));
  await env.stop();
});

const owners = async () =>
  (
    await env.sql.query<{ owner: string | null; n: number }>(
      `select lease_owner as owner, count(*)::int as n from router.subscriptions group by lease_owner`,
    )
  ).rows;

describe('several event-router replicas', () => {
  it('delivers each subscription from one replica at a time and hands over on shutdown without loss', async () => {
    for (let i = 0; i < 4; i++) {
      const receiver = await new Receiver().start();
      receivers.push(receiver);
      await env.commands.request(ROUTER_COMMANDS.create, {
        owner: OWNER,
        scope: null,
        input: {
          kind: 'matrix-events',
          url: receiver.url,
          patterns: ['matrix.R1.#'],
          batch: { maxSize: 5, maxWaitMs: 0 },
        },
      });
    }
    await expectEventually(async () => {
      const held = await owners();
      expect(held.every((row) => row.owner !== null)).toBe(true);
      expect(held.reduce((n, row) => n + row.n, 0)).toBe(4);
    });

    for (let n = 0; n < 30; n++) await env.publishEvent('R1', 'scgrids', 'ZONE_CREATED', 'NORMAL', n);
    await expectEventually(() => {
      for (const r of receivers) expect(r.delivered().flat()).toHaveLength(30);
    });
    await first!.close();
    first = undefined;
    await expectEventually(async () => expect(await owners()).toEqual([{ owner: expect.any(String), n: 4 }]));

    for (let n = 30; n < 60; n++) await env.publishEvent('R1', 'scgrids', 'ZONE_CREATED', 'NORMAL', n);
    await expectEventually(() => {
      for (const r of receivers) {
        const seen = r
          .delivered<{ Meta: { N: number } }>()
          .flat()
          .map((e) => e.Meta.N);
        expect(new Set(seen)).toEqual(new Set(Array.from({ length: 60 }, (_, n) => n)));
      }
    });
    // Once each: no batch was sent by both replicas.
    for (const r of receivers) {
      const ids = r.requests.map((q) => q.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
