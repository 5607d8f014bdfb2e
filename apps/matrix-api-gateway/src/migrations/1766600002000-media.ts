import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded media (reference §4.3: media attachments, level floor plans; issue 16).
 *
 * - `media_objects`: the bytes, for `MEDIA_STORE=postgres` (the default). With `MEDIA_STORE=s3` it stays
 *   empty and the bytes are in the bucket under the same keys.
 * - `media_attachments`: who owns each object and what it is, whatever the store: the `URI` a client is
 *   given is `uri`, the store's key is `key` (both made by the gateway, never from a file name). An
 *   attachment of a building (`pid`) or property (`prop_id`) is read as its building or property is;
 *   one with neither belongs to the organisation. `file_name` is the client's, for display only.
 */
export class Media1766600002000 implements MigrationInterface {
  name = 'Media1766600002000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table registry.media_objects (
        key           text primary key check (key ~ '^media/[0-9a-f]{32}$'),
        content_type  text not null,
        size          integer not null check (size >= 0),
        bytes         bytea not null,
        created_on    timestamptz not null default now()
      )`);
    await runner.query(`
      create table registry.media_attachments (
        uri           text primary key check (uri ~ '^[0-9a-f]{32}$'),
        key           text not null unique,
        org_id        text not null references registry.organisations on delete cascade,
        prop_id       text,
        pid           text,
        entity        text not null,
        media_type    text not null,
        content_type  text not null,
        size          integer not null check (size >= 0),
        file_name     text,
        created_by    text,
        created_on    timestamptz not null default now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table registry.media_attachments');
    await runner.query('drop table registry.media_objects');
  }
}
