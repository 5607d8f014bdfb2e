import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-building incident settings that differ from the system defaults (the Matrix documentation, §7.4 "Settings"). */
export class CreateIncidentSettings1765000000001 implements MigrationInterface {
  name = 'CreateIncidentSettings1765000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.incident_settings (
        pid           text not null,
        key           text not null,
        long_value    bigint,
        boolean_value boolean,
        modified_by   text not null,
        modified_on   timestamptz not null default now(),
        primary key (pid, key),
        check ((long_value is null) <> (boolean_value is null))
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.incident_settings`);
  }
}
