import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer-hosted sinks (docs/sql.md, Customer-hosted sink): `matrix.sql_sinks` holds, per property, the
 * customer's PostgreSQL (its connection string sealed under MATRIX_SECRET_KEY, AES-256-GCM, with the
 * property as associated data) and how far the copy into it has come. Tenants have no grant on it.
 *
 * The copier reads the property's new rows of `matrix.sensor_data` and `matrix.events` by `stream_seq`
 * window; a BRIN index on `stream_seq` finds a window's pages (rows are appended roughly in stream order,
 * so each block range holds a narrow band of sequences) at a cost to the projector's inserts of one small
 * summary per 128 pages, where a B-tree would add an entry per row.
 */
export class SqlSinks1766500000000 implements MigrationInterface {
  name = 'SqlSinks1766500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table matrix.sql_sinks (
        prop_id           text        primary key,
        target_ciphertext bytea       not null,
        target_iv         bytea       not null,
        target_tag        bytea       not null,
        target_redacted   text        not null,
        generation        integer     not null default 1,
        created_at        timestamptz not null default now(),
        updated_at        timestamptz not null default now(),
        sensor_copied     bigint      not null default 0,
        sensor_projected  bigint      not null default 0,
        events_copied     bigint      not null default 0,
        events_projected  bigint      not null default 0,
        caught_up_at      timestamptz,
        last_copy_at      timestamptz,
        last_error        text,
        last_error_at     timestamptz,
        next_attempt_at   timestamptz
      )`);
    await runner.query(`revoke all on matrix.sql_sinks from public`);
    await runner.query(
      `comment on table matrix.sql_sinks is 'Customer-hosted sinks: per property, its PostgreSQL (sealed) and the copy''s progress (docs/sql.md)'`,
    );
    await runner.query(
      `create index sensor_data_stream_seq on matrix.sensor_data using brin (stream_seq) with (autosummarize = on)`,
    );
    await runner.query(
      `create index events_stream_seq on matrix.events using brin (stream_seq) with (autosummarize = on)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index if exists matrix.events_stream_seq`);
    await runner.query(`drop index if exists matrix.sensor_data_stream_seq`);
    await runner.query(`drop table if exists matrix.sql_sinks`);
  }
}
