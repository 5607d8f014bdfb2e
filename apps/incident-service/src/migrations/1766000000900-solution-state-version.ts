import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The solutions keep their rule state in memory on the replica that leads them and write it back in
 * checkpoints (ADR-23): `version` counts a record's writes, and a checkpoint writes a record only if it
 * still holds the version that replica read — so a replica that lost the lead without noticing yet (or
 * two that overlap for a moment during a handover) cannot overwrite the newer state of the other; its
 * checkpoint fails instead and its messages are redelivered. Pages keep room for an updated record
 * (`fillfactor` 80), so a checkpoint's updates stay on their page (no index changes: HOT updates).
 */
export class SolutionStateVersion1766000000900 implements MigrationInterface {
  name = 'SolutionStateVersion1766000000900';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table workforce.solution_state add column version bigint not null default 0`);
    await runner.query(`alter table workforce.solution_state set (fillfactor = 80)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table workforce.solution_state reset (fillfactor)`);
    await runner.query(`alter table workforce.solution_state drop column version`);
  }
}
