import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Push subscriptions and their delivery state (issue #5):
 * - `router.subscriptions`: target, patterns, scope, policies, signing secrets, status, and the delivery
 *   lease (one replica delivers a subscription at a time);
 * - `router.processed`: stream messages already routed (a redelivery is not queued twice), with the body
 *   of those some subscription matched (stored once, however many subscriptions match); pruned after 2 days
 *   unless a queued item or a pending batch still needs it;
 * - `router.queue`: per subscription, the matched stream messages not yet in a batch, in stream order;
 * - `router.batches`: what was (or is being) sent: its `webhook-id` and the stream sequences it is made of;
 * - `router.attempts`: every HTTP attempt (time, outcome, status, latency, response excerpt).
 */
export class CreateSubscriptions1764460800000 implements MigrationInterface {
  name = 'CreateSubscriptions1764460800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table router.subscriptions (
        id                    uuid        primary key,
        org                   text        not null,
        property              text,
        kind                  text        not null check (kind in ('matrix-events', 'sensor-data')),
        url                   text        not null,
        patterns              text[]      not null,
        buildings             text[],
        scope                 text[],
        auth                  jsonb       not null default '{"type":"none"}',
        batch_max_size        integer     not null,
        batch_max_wait_ms     integer     not null,
        retry                 jsonb       not null,
        encoding              text        not null default 'objects' check (encoding in ('objects', 'json-strings')),
        rate_limit_per_second integer,
        description           text,
        secrets               jsonb       not null,
        status                text        not null default 'active' check (status in ('active', 'disabled')),
        status_reason         text,
        failing_since         timestamptz,
        lease_owner           text,
        lease_until           timestamptz,
        created_at            timestamptz not null default now(),
        updated_at            timestamptz not null default now()
      )`);
    await runner.query(
      `create index subscriptions_owner on router.subscriptions (org, property, created_at, id)`,
    );
    await runner.query(`
      create table router.processed (
        stream text        not null,
        seq    bigint      not null,
        at     timestamptz not null default now(),
        body   text,
        items  integer,
        primary key (stream, seq)
      )`);
    await runner.query(`create index processed_at on router.processed (at)`);
    await runner.query(`
      create table router.queue (
        id              bigserial   primary key,
        subscription_id uuid        not null references router.subscriptions (id) on delete cascade,
        stream          text        not null,
        stream_seq      bigint      not null,
        items           integer     not null,
        replay          boolean     not null default false,
        enqueued_at     timestamptz not null default clock_timestamp()
      )`);
    await runner.query(`create index queue_subscription on router.queue (subscription_id, id)`);
    await runner.query(`create index queue_message on router.queue (stream, stream_seq)`);
    await runner.query(`
      create table router.batches (
        seq              bigserial   primary key,
        webhook_id       text        not null,
        subscription_id  uuid        not null references router.subscriptions (id) on delete cascade,
        stream           text        not null,
        first_seq        bigint      not null,
        last_seq         bigint      not null,
        items            integer     not null,
        seqs             bigint[]    not null,
        status           text        not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        origin           text        not null default 'live' check (origin in ('live', 'resend', 'replay')),
        attempts         integer     not null default 0,
        created_at       timestamptz not null default now(),
        first_attempt_at timestamptz,
        next_attempt_at  timestamptz not null default now(),
        finished_at      timestamptz,
        last_error       text
      )`);
    await runner.query(
      `create index batches_pending on router.batches (subscription_id, seq) where status = 'pending'`,
    );
    await runner.query(`create index batches_subscription on router.batches (subscription_id, seq)`);
    await runner.query(`create index batches_range on router.batches (subscription_id, stream, first_seq)`);
    await runner.query(`create index batches_webhook_id on router.batches (subscription_id, webhook_id)`);
    await runner.query(`
      create table router.attempts (
        id              bigserial   primary key,
        batch_seq       bigint      not null references router.batches (seq) on delete cascade,
        subscription_id uuid        not null,
        webhook_id      text        not null,
        attempt         integer     not null,
        at              timestamptz not null default now(),
        outcome         text        not null,
        status_code     integer,
        latency_ms      integer     not null,
        response        text
      )`);
    await runner.query(`create index attempts_subscription on router.attempts (subscription_id, id)`);
    await runner.query(`create index attempts_batch on router.attempts (batch_seq)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table router.attempts`);
    await runner.query(`drop table router.batches`);
    await runner.query(`drop table router.queue`);
    await runner.query(`drop table router.processed`);
    await runner.query(`drop table router.subscriptions`);
  }
}
