import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open `AutoAssigned` incidents waiting for a seat, by building and zone in creation order: what a
 * seat coming on shift reads (AssignmentRepository.waitingFor) while it holds its building's
 * auto-assignment row, which every auto-assigning create of the building waits for. Without it that read
 * walked every open incident of the building (`incidents_open_zone`) and sorted them.
 */
export class WaitingAutoAssigned1766000000800 implements MigrationInterface {
  name = 'WaitingAutoAssigned1766000000800';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index incidents_waiting_auto_assigned on workforce.incidents (pid, zone_id, created_on, task_id)
       where status = 'NOT_ASSIGNED' and auto_assigned`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index workforce.incidents_waiting_auto_assigned`);
  }
}
