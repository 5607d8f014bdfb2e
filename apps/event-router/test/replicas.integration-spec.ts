import type { INestApplication } from '@nestjs/common';
import { ROUTER_COMMANDS } from '@matrix/contracts';
import { expectEventually } from '@matrix/testing';
import { RoutingLeadership } from '../src/routing/routing-leadership';
import { OWNER, Receiver, RouterEnvironment } from './router-harness';

/*
 * Two event-router replicas on one database and namespace: one routes the streams (the routing leader), so
 * every subscription receives them in stream order; each subscription is delivered by one replica at a time
 * (its lease); when a replica shuts down the other takes over at once, losing nothing.
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

    const leaders = () => [first, second].map((app) => app?.get(RoutingLeadership).isLeader ?? false);
    await expectEventually(() => expect(leaders().filter(Boolean)).toHaveLength(1));
    const leader = leaders()[0] ? first! : second!;
    const standby = leader === first ? second! : first!;
    const events = (r: Receiver) =>
      r
        .delivered<{ Meta: { N: number } }>()
        .flat()
        .map((e) => e.Meta.N);
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    // Published without waiting for each acknowledgement: both replicas would pull batches side by side.
    const publish = (from: number, to: number) =>
      Promise.all(range(from, to).map((n) => env.publishEvent('R1', 'scgrids', 'ZONE_CREATED', 'NORMAL', n)));

    await publish(0, 150);
    await expectEventually(() => {
      for (const r of receivers) expect(events(r)).toEqual(range(0, 150));
    });
    await leader.close();
    if (leader === first) first = undefined;
    else second = undefined;
    await expectEventually(async () => expect(await owners()).toEqual([{ owner: expect.any(String), n: 4 }]));
    await expectEventually(() => expect(standby.get(RoutingLeadership).isLeader).toBe(true));

    await publish(150, 300);
    await expectEventually(() => {
      for (const r of receivers) expect(events(r)).toEqual(range(0, 300));
    });
    // Once each: no batch was sent by both replicas.
    for (const r of receivers) {
      const ids = r.requests.map((q) => q.headers['webhook-id']);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
