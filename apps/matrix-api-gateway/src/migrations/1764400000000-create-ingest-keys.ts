import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `registry.ingest_keys`: the keys sensor gateways post readings to push-ingress with (`Authorization: Bearer
 * mik_<id>_<secret>`). Only the SHA-256 of a secret is stored. A key belongs to one building (the `PID` of
 * the points it may post). The building reference has no cascade, so no statement can remove a building
 * while its keys still authenticate: removing one must first delete its keys from the INGEST_KEYS bucket
 * through the outbox (RemovalsService does). Revocation keeps the row for the record.
 *
 * `registry.outbox.bucket` names the KV bucket of a `kv-put`/`kv-delete` row; rows written before this
 * migration have none and mean DEVICE_SLOTS.
 */
export class CreateIngestKeys1764400000000 implements MigrationInterface {
  name = 'CreateIngestKeys1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table registry.ingest_keys (
        id          text primary key check (id ~ '^[a-z2-7]{12}$'),
        pid         text not null references registry.buildings,
        provider    text check (provider ~ '^[A-Za-z0-9_-]{1,64}$'),
        name        text not null check (length(name) between 1 and 200),
        secret_hash text not null check (secret_hash ~ '^[0-9a-f]{64}$'),
        created_by  text,
        created_at  timestamptz not null default now(),
        revoked_by  text,
        revoked_at  timestamptz
      )`);
    await runner.query(`create index ingest_keys_building on registry.ingest_keys (pid, id)`);
    await runner.query(`alter table registry.outbox add column bucket text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table registry.outbox drop column bucket`);
    await runner.query(`drop table registry.ingest_keys`);
  }
}
