import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Open incidents of a property by start-by time (`scteams.getUnassignedIncidentsForProperty`). */
export class IncidentsByProperty1765000000003 implements MigrationInterface {
  name = 'IncidentsByProperty1765000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index incidents_open_property on workforce.incidents (prop_id, start_by, task_id) where status = 'NOT_ASSIGNED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index workforce.incidents_open_property`);
  }
}
