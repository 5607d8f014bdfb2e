import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The grids catalogue (reference §4.3, §7.2): property types, zone categories and zone units ("assets").
 *
 * - `property_types`: the documented system types (`org_id` null, the five of the `listPropertyTypes`
 *   example) and each organisation's own. The reference makes them "system level"; here no tenant may
 *   write what another tenant reads, so a type created through the API belongs to its organisation.
 * - `zone_categories` (created with the registry, unused until now): a property's own categories
 *   (`prop_id`), each under a property type. Categories without a property (`prop_id` null) are shared
 *   by every property; none are seeded, as the reference gives only examples of them.
 * - `zone_units`: the assets of a zone category in a property (`DOOR/OPENING`, `WINDOWS`).
 * - `zones_building_category`: `listZonesByZoneCategory` pages a building's zones of one category.
 */
export class GridsCatalogue1766600000000 implements MigrationInterface {
  name = 'GridsCatalogue1766600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table registry.property_types (
        type_id     text not null check (type_id ~ '^[A-Z0-9_/-]{1,64}$'),
        org_id      text references registry.organisations on delete cascade,
        name        text not null,
        created_by  text,
        created_on  timestamptz not null default now()
      )`);
    // One id per organisation, and an organisation's own type never shadows a system one (the service
    // checks that; the index keeps two of the same id in one scope out).
    await runner.query(
      `create unique index property_types_key on registry.property_types (type_id, coalesce(org_id, ''))`,
    );
    await runner.query(`
      insert into registry.property_types (type_id, name) values
        ('BANK', 'Bank'),
        ('COMMERCIAL_BUILDINGS', 'Commercial Buildings'),
        ('CORPORATE_BUILDINGS', 'Corporate Buildings'),
        ('RESTAURANTS', 'Restaurants'),
        ('SCHOOL', 'School')`);
    await runner.query(`alter table registry.zone_categories
      add column created_by text,
      add column created_on timestamptz not null default now()`);
    await runner.query(`
      create table registry.zone_units (
        prop_id           text not null references registry.properties on delete cascade,
        zone_category_id  text not null,
        unit_id           text not null,
        name              text not null,
        image_url         text not null,
        created_by        text,
        created_on        timestamptz not null default now(),
        primary key (prop_id, zone_category_id, unit_id)
      )`);
    await runner.query(
      `create index zones_building_category on registry.zones (pid, zone_category_id, ins_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index registry.zones_building_category`);
    await runner.query(`drop table registry.zone_units`);
    await runner.query(`alter table registry.zone_categories drop column created_by, drop column created_on`);
    await runner.query(`drop table registry.property_types`);
  }
}
