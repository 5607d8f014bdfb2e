import { Pool } from 'pg';
import { Database } from '@matrix/persistence';
import { DeliveryRepository } from '../src/delivery/delivery.repository';
import { RouterEnvironment } from './router-harness';

/*
 * What the router forgets, on a real PostgreSQL: routed messages older than 2 days once every active
 * subscription's cursor is past them, unless a replayed item or a pending batch still needs the body; and
 * finished batches after the retention.
 */

const env = new RouterEnvironment();
let pool: Pool;
let repository: DeliveryRepository;

beforeAll(async () => {
  await env.start('router_retention');
  pool = new Pool({ connectionString: env.database.url, max: 2 });
  repository = new DeliveryRepository(
    new Database(pool, { url: env.database.url, applicationName: 'retention-test' }),
    env.config(),
  );
});

afterAll(async () => {
  await repository?.onApplicationShutdown();
  await pool?.end();
  await env.stop();
});

const subscription = (id: string, status: string) =>
  env.sql.query(
    `insert into router.subscriptions (id, org, kind, url, patterns, batch_max_size, batch_max_wait_ms, retry, secrets, status)
     values ($1, 'ORG1', 'matrix-events', 'https://example.com/hook', '{matrix.#}', 10, 0, '{}', '[]', $2)`,
    [id, status],
  );

it('prunes routed messages behind every active cursor and not needed, and finished batches past the retention', async () => {
  const active = '00000000-0000-4000-8000-00000000000a';
  const disabled = '00000000-0000-4000-8000-00000000000d';
  await subscription(active, 'active');
  await subscription(disabled, 'disabled');
  const seqs = [1, 2, 3, 4, 5, 6];
  await env.sql.query(`select router.route('S', $1, $2, $3, $4, 'router_test')`, [
    seqs,
    seqs.map((n) => JSON.stringify({ n })),
    seqs.map(() => 1),
    seqs.map(() => active),
  ]);
  await env.sql.query(`update router.processed set at = now() - interval '3 days' where seq <= 5`);
  const pos = async (seq: number) =>
    (await env.sql.query<{ pos: string }>(`select pos from router.processed where seq = $1`, [seq])).rows[0]!
      .pos;
  // Delivered up to 3; the disabled subscription is far behind but holds nothing back.
  await env.sql.query(`insert into router.cursors values ($1, $2), ($3, 0)`, [
    active,
    await pos(3),
    disabled,
  ]);
  // A pending batch (a resend) needs 2; a replayed item needs 1.
  await env.sql.query(
    `insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs)
     values ('msg_pending', $1, 'S', 2, 2, 1, '{2}')`,
    [active],
  );
  await env.sql.query(
    `insert into router.queue (subscription_id, stream, stream_seq, items, replay) values ($1, 'S', 1, 1, true)`,
    [active],
  );
  // Finished batches: one past the 7-day retention, one within it.
  await env.sql.query(
    `insert into router.batches (webhook_id, subscription_id, stream, first_seq, last_seq, items, seqs, status, finished_at)
     values ('msg_old', $1, 'S', 3, 3, 1, '{3}', 'delivered', now() - interval '8 days'),
            ('msg_recent', $1, 'S', 3, 3, 1, '{3}', 'delivered', now() - interval '1 day')`,
    [active],
  );

  await repository.prune(7);

  const kept = await env.sql.query<{ seq: string }>(`select seq from router.processed order by seq`);
  expect(kept.rows.map((r) => Number(r.seq))).toEqual([1, 2, 4, 5, 6]);
  const batches = await env.sql.query<{ webhook_id: string }>(
    `select webhook_id from router.batches order by webhook_id`,
  );
  expect(batches.rows.map((r) => r.webhook_id)).toEqual(['msg_pending', 'msg_recent']);
});
