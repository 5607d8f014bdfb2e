import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The site registry (reference §7.1–7.3): organisation › property › building › level › zone › device slot,
 * API credentials, the transactional outbox and idempotency records. Referential rules live in the
 * schema: a zone's level belongs to its building, a slot's zone to its building, and so on.
 */
export class CreateRegistryTables1764200000000 implements MigrationInterface {
  name = 'CreateRegistryTables1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table registry.organisations (
        org_id      text primary key check (org_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        name        text not null,
        created_on  timestamptz not null default now()
      )`);
    await runner.query(`
      create table registry.properties (
        prop_id        text primary key,
        org_id         text not null references registry.organisations,
        name           text not null,
        type_id        text not null,
        address        jsonb,
        time_zone      text not null,
        country        text,
        country_locale text,
        status         text not null default 'Active',
        created_by     text,
        created_on     timestamptz not null default now(),
        updated_by     text,
        updated_on     timestamptz not null default now()
      )`);
    await runner.query(
      `create unique index properties_org_name on registry.properties (org_id, lower(name))`,
    );
    await runner.query(`
      create table registry.buildings (
        pid                 text primary key,
        prop_id             text not null references registry.properties on delete cascade,
        name                text not null,
        config              jsonb not null default '{}',
        operating_hours     jsonb,
        address             jsonb,
        coordinates         jsonb,
        levels_count        int not null check (levels_count between 0 and 60),
        status              text not null default 'draft',
        time_zone           text not null,
        is_beacon_enabled   boolean not null default false,
        is_property_address boolean not null default false,
        country             text,
        country_locale      text,
        area                double precision,
        created_by          text,
        created_on          timestamptz not null default now(),
        updated_by          text,
        updated_on          timestamptz not null default now(),
        unique (pid, prop_id)
      )`);
    await runner.query(
      `create unique index buildings_property_name on registry.buildings (prop_id, lower(name))`,
    );
    await runner.query(`
      create table registry.levels (
        lid         text primary key,
        pid         text not null references registry.buildings on delete cascade,
        name        text not null,
        level       text,
        area        double precision,
        floor_plan  text,
        created_on  timestamptz not null default now(),
        updated_on  timestamptz not null default now(),
        unique (lid, pid)
      )`);
    await runner.query(`create unique index levels_building_name on registry.levels (pid, lower(name))`);
    await runner.query(`
      create table registry.zone_categories (
        category_id      text not null,
        prop_id          text references registry.properties on delete cascade,
        property_type_id text not null,
        name             text not null
      )`);
    await runner.query(
      `create unique index zone_categories_key on registry.zone_categories (category_id, coalesce(prop_id, ''))`,
    );
    await runner.query(`
      create table registry.zones (
        ins_id                      text primary key,
        pid                         text not null,
        lid                         text not null,
        name                        text not null,
        area                        double precision,
        floor_type                  text,
        beacon_id                   text,
        zone_category_id            text,
        tags                        jsonb,
        units                       jsonb,
        status                      text not null default 'active',
        is_building_operating_hours boolean not null default true,
        operating_hours             jsonb,
        created_on                  timestamptz not null default now(),
        updated_on                  timestamptz not null default now(),
        foreign key (lid, pid) references registry.levels (lid, pid) on delete cascade,
        unique (ins_id, pid)
      )`);
    await runner.query(`create index zones_building on registry.zones (pid, ins_id)`);
    await runner.query(`create index zones_level on registry.zones (lid, ins_id)`);
    await runner.query(`
      create table registry.device_slots (
        alias             text primary key check (alias ~ '^[A-Za-z0-9_-]{1,128}$'),
        devid             text,
        type              text not null check (type ~ '^[A-Za-z0-9_-]+#[A-Za-z0-9_.-]+$'),
        provider          text not null,
        pid               text not null,
        zone_id           text not null,
        display           text,
        conn              text,
        params            jsonb not null default '{}',
        firmware_version  text,
        commissioned      boolean not null default false,
        unhealthy         boolean not null default false,
        requires_health_check boolean not null default true,
        time_zone         text not null,
        created_by        text,
        created_on        timestamptz not null default now(),
        updated_by        text,
        updated_on        timestamptz not null default now(),
        foreign key (zone_id, pid) references registry.zones (ins_id, pid) on delete cascade
      )`);
    await runner.query(
      `create index device_slots_building_provider on registry.device_slots (pid, provider, type, alias)`,
    );
    await runner.query(`
      create table registry.credentials (
        access_key        text primary key,
        org_id            text not null references registry.organisations,
        prop_id           text references registry.properties on delete cascade,
        role              text not null check (role in ('read', 'write', 'admin')),
        label             text,
        secret_ciphertext bytea not null,
        secret_iv         bytea not null,
        secret_tag        bytea not null,
        created_on        timestamptz not null default now(),
        revoked_on        timestamptz,
        last_used_on      timestamptz
      )`);
    await runner.query(`
      create table registry.outbox (
        id           bigserial primary key,
        kind         text not null check (kind in ('event', 'kv-put', 'kv-delete')),
        subject      text not null,
        payload      jsonb,
        headers      jsonb not null default '{}',
        created_on   timestamptz not null default now(),
        published_on timestamptz
      )`);
    await runner.query(`create index outbox_pending on registry.outbox (id) where published_on is null`);
    await runner.query(`
      create table registry.idempotency_keys (
        access_key     text not null,
        key            text not null,
        request_hash   text not null,
        status         int not null,
        body           jsonb,
        created_on     timestamptz not null default now(),
        primary key (access_key, key)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'outbox',
      'credentials',
      'device_slots',
      'zones',
      'zone_categories',
      'levels',
      'buildings',
      'properties',
      'organisations',
    ]) {
      await runner.query(`drop table registry.${table}`);
    }
  }
}
