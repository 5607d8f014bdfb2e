import type { OutboxDefinition } from './outbox-definition';

/** Runs DDL: a TypeORM `QueryRunner`, the {@link Database}, a `pg` client. */
export interface DdlRunner {
  query(sql: string): Promise<unknown>;
}

/**
 * The statements that create an outbox in its (existing) schema: the table (the shape `registry.outbox`
 * has after the gateway's landed migrations), the index the relay reads pending rows by, and
 * `<schema>.<table>_append(kind, subject, payload, bucket)`, which appends a row as the writer does
 * (ordering lock, wake-up, insert) for writers in SQL such as triggers.
 */
export function outboxDdl(outbox: OutboxDefinition): string[] {
  const { qualified, table, orderLock, channel, appendFunction } = outbox;
  return [
    `create table ${qualified} (
        id           bigserial primary key,
        kind         text not null check (kind in ('event', 'kv-put', 'kv-delete')),
        subject      text not null,
        payload      jsonb,
        headers      jsonb not null default '{}',
        created_on   timestamptz not null default now(),
        published_on timestamptz,
        bucket       text
      )`,
    `create index ${table}_pending on ${qualified} (id) where published_on is null`,
    `create function ${appendFunction}(p_kind text, p_subject text, p_payload jsonb, p_bucket text) returns void
      language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('${orderLock}'));
        perform pg_notify('${channel}', '');
        insert into ${qualified} (kind, subject, payload, bucket) values (p_kind, p_subject, p_payload, p_bucket);
      end $$`,
  ];
}

/** The statements that drop what {@link outboxDdl} created. */
export function dropOutboxDdl(outbox: OutboxDefinition): string[] {
  return [
    `drop function ${outbox.appendFunction}(text, text, jsonb, text)`,
    `drop table ${outbox.qualified}`,
  ];
}

/** For a migration's `up`: creates the outbox (see {@link outboxDdl}). */
export async function createOutbox(runner: DdlRunner, outbox: OutboxDefinition): Promise<void> {
  for (const statement of outboxDdl(outbox)) await runner.query(statement);
}

/** For a migration's `down`. */
export async function dropOutbox(runner: DdlRunner, outbox: OutboxDefinition): Promise<void> {
  for (const statement of dropOutboxDdl(outbox)) await runner.query(statement);
}
