import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Open incidents of a zone, and of a building, by start-by time (`scteams.getUnassignedIncidentsForZone`,
 * `getUnassignedIncidentByZoneId`, `getUnAssignedIncidentsInTRangeForGivenID`, the paginated list): with only
 * `incidents_zone` the zone query read every incident of the zone in the range, resolved ones included
 * (about 2,000 rows per zone with 1 million incidents over 500 zones, found by bench/workforce); these
 * partial indexes hold the open ones only, a few per zone.
 */
export class OpenIncidentsByZone1765000000020 implements MigrationInterface {
  name = 'OpenIncidentsByZone1765000000020';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index incidents_open_zone on workforce.incidents (pid, zone_id, start_by, task_id) where status = 'NOT_ASSIGNED'`,
    );
    await runner.query(
      `create index incidents_open_building on workforce.incidents (pid, start_by, task_id) where status = 'NOT_ASSIGNED'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index workforce.incidents_open_building`);
    await runner.query(`drop index workforce.incidents_open_zone`);
  }
}
