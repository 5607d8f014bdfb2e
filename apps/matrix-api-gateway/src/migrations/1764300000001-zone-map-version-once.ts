import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bumps `zone_map_version` once per building and transaction instead of once per changed zone. Once is
 * enough (the commit shows the new version and all the transaction's zone changes at once), and it spares
 * a bulk insert of 1,000 zones 999 updates of the building row. The mark is a transaction-local setting,
 * so it is gone at commit and rolls back with a savepoint.
 */
export class ZoneMapVersionOnce1764300000001 implements MigrationInterface {
  name = 'ZoneMapVersionOnce1764300000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create function registry.bump_zone_map_version_once(building text) returns void language plpgsql as $$
      declare
        mark constant text := 'registry.zone_map_bumped_' || md5(building);
      begin
        if coalesce(current_setting(mark, true), '') <> 'yes' then
          update registry.buildings set zone_map_version = zone_map_version + 1 where pid = building;
          perform set_config(mark, 'yes', true);
        end if;
      end
      $$`);
    await runner.query(`
      create or replace function registry.bump_zone_map_version() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then
          perform registry.bump_zone_map_version_once(old.pid);
        end if;
        if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.pid is distinct from old.pid) then
          perform registry.bump_zone_map_version_once(new.pid);
        end if;
        return null;
      end
      $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create or replace function registry.bump_zone_map_version() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'INSERT' then
          update registry.buildings set zone_map_version = zone_map_version + 1 where pid = old.pid;
        end if;
        if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.pid is distinct from old.pid) then
          update registry.buildings set zone_map_version = zone_map_version + 1 where pid = new.pid;
        end if;
        return null;
      end
      $$`);
    await runner.query(`drop function registry.bump_zone_map_version_once(text)`);
  }
}
