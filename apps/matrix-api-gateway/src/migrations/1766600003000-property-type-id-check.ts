import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `registry.property_types.type_id` accepts what the ops accept (registry-inputs.ts `CATALOGUE_ID`, with `&`
 * and `.` as the documented catalogue ids use them): an id the input check passed no longer fails the
 * table's check with a message that does not name the field.
 */
export class PropertyTypeIdCheck1766600003000 implements MigrationInterface {
  name = 'PropertyTypeIdCheck1766600003000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `alter table registry.property_types drop constraint if exists property_types_type_id_check`,
    );
    await runner.query(
      `alter table registry.property_types add constraint property_types_type_id_check check (type_id ~ '^[A-Z0-9_/&.-]{1,64}$')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `alter table registry.property_types drop constraint if exists property_types_type_id_check`,
    );
    await runner.query(
      `alter table registry.property_types add constraint property_types_type_id_check check (type_id ~ '^[A-Z0-9_/-]{1,64}$')`,
    );
  }
}
