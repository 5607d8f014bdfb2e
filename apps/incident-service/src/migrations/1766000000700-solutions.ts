import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents raised from sensor data, the Matrix "solutions" (issue 14; docs/solutions.md):
 * - `solution_settings` — a building's own parameters of the rules of one slot type (`params`, only the
 *   values changed from the documented defaults);
 * - `solution_state` — what the rules remember per building and scope: `device:<DEVID>` (the reading ids
 *   applied recently, each rule's state, the incidents raised) and `zone:<InsID>` (the incidents raised
 *   in the zone, for its block window). Locked `for update` in key order by the transaction that applies a
 *   batch of readings, which also writes the incidents, so a batch's effect is all or nothing.
 */
export class Solutions1766000000700 implements MigrationInterface {
  name = 'Solutions1766000000700';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.solution_settings (
        pid         text not null,
        slot_type   text not null,
        params      jsonb not null,
        modified_by text not null,
        modified_on timestamptz not null,
        primary key (pid, slot_type)
      )`);
    await runner.query(`
      create table workforce.solution_state (
        pid         text not null,
        scope       text not null,
        state       jsonb not null,
        modified_on timestamptz not null default now(),
        primary key (pid, scope)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.solution_state`);
    await runner.query(`drop table workforce.solution_settings`);
  }
}
