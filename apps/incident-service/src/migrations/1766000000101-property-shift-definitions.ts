import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A property's shift definitions per day of the week (the Matrix documentation, §7.4 "Shift hours /
 * property shift definitions": `PropertyShiftSetting{ShiftSettings[{Name, Start, End, ColorCode,
 * ExpectedPresentByTeam}], DaysOfWeek}`), `Start`/`End` in seconds since local midnight.
 */
export class PropertyShiftDefinitions1766000000101 implements MigrationInterface {
  name = 'PropertyShiftDefinitions1766000000101';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.property_shift_definitions (
        prop_id        text not null,
        dow            smallint not null check (dow between 0 and 6),
        shift_settings jsonb not null check (jsonb_typeof(shift_settings) = 'array'),
        created_by     text not null,
        created_on     timestamptz not null default now(),
        modified_by    text not null,
        modified_on    timestamptz not null default now(),
        primary key (prop_id, dow)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.property_shift_definitions`);
  }
}
