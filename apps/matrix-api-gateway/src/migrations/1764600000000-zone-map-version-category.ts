import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `zone_map_version` also changes when a zone's category changes. The gateway serves the zones a forwarded
 * workforce call names (name and category) from its per-replica zone map cache, checked against this
 * version, so a category change must be seen by the next call on every replica, as a rename is.
 */
export class ZoneMapVersionCategory1764600000000 implements MigrationInterface {
  name = 'ZoneMapVersionCategory1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`drop trigger zones_zone_map_version_update on registry.zones`);
    await runner.query(`
      create trigger zones_zone_map_version_update after update on registry.zones
        for each row when ((old.ins_id, old.pid, old.name, old.zone_category_id)
          is distinct from (new.ins_id, new.pid, new.name, new.zone_category_id))
        execute function registry.bump_zone_map_version()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop trigger zones_zone_map_version_update on registry.zones`);
    await runner.query(`
      create trigger zones_zone_map_version_update after update on registry.zones
        for each row when ((old.ins_id, old.pid, old.name) is distinct from (new.ins_id, new.pid, new.name))
        execute function registry.bump_zone_map_version()`);
  }
}
