import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An incident's attachments: the list of URLs `scteams.updateUnassignedIncidentAttachments` sets. */
export class IncidentAttachments1765000000002 implements MigrationInterface {
  name = 'IncidentAttachments1765000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table workforce.incidents add column attachments jsonb not null default '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table workforce.incidents drop column attachments`);
  }
}
