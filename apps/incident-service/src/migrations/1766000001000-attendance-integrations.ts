import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workforce.attendance_integrations` (issue 16): a property's third-party attendance integration (a
 * kiosk, fingerprint or face-recognition system; the Matrix documentation, §4.7), as
 * `scattendance.readIntegration` answers it. `user_map` maps the integration's own person ids to the
 * property's SeatIds; `default_pid` is the building an event is applied in when the call names none
 * (`pid=scnoop`). No op of the reference creates one: rows are written by the operator (docs/api.md,
 * "Attendance ops").
 */
export class AttendanceIntegrations1766000001000 implements MigrationInterface {
  name = 'AttendanceIntegrations1766000001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.attendance_integrations (
        integration_id text primary key check (integration_id <> ''),
        org_id         text not null,
        prop_id        text not null,
        default_pid    text not null,
        description    text not null default '',
        user_map       jsonb not null default '{}' check (jsonb_typeof(user_map) = 'object'),
        created_on     timestamptz not null default now(),
        updated_on     timestamptz not null default now()
      )`);
    await runner.query(
      `create index attendance_integrations_property on workforce.attendance_integrations (prop_id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.attendance_integrations`);
  }
}
