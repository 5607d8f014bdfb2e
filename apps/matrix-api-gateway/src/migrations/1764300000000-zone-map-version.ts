import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `registry.buildings.zone_map_version`: bumped by a trigger, in the writing transaction, whenever a zone of
 * the building is added, removed, renamed or moved, by whatever statement (cascades included). Every
 * gateway replica compares it with the version of its cached zone map on each read, so a committed change
 * is never served stale by any replica (see ZoneMapCache).
 */
export class ZoneMapVersion1764300000000 implements MigrationInterface {
  name = 'ZoneMapVersion1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `alter table registry.buildings add column zone_map_version bigint not null default 0`,
    );
    await runner.query(`
      create function registry.bump_zone_map_version() returns trigger language plpgsql as $$
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
    await runner.query(`
      create trigger zones_zone_map_version_write after insert or delete on registry.zones
        for each row execute function registry.bump_zone_map_version()`);
    await runner.query(`
      create trigger zones_zone_map_version_update after update on registry.zones
        for each row when ((old.ins_id, old.pid, old.name) is distinct from (new.ins_id, new.pid, new.name))
        execute function registry.bump_zone_map_version()`);
    // The zone map pages in byte order of zone ids, whatever the database's collation.
    await runner.query(`create index zones_building_bytewise on registry.zones (pid, ins_id collate "C")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index registry.zones_building_bytewise`);
    await runner.query(`drop trigger zones_zone_map_version_update on registry.zones`);
    await runner.query(`drop trigger zones_zone_map_version_write on registry.zones`);
    await runner.query(`drop function registry.bump_zone_map_version()`);
    await runner.query(`alter table registry.buildings drop column zone_map_version`);
  }
}
