import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Auto-assignment of open incidents (issue 13; docs/data-formats.md "Auto-assignment"):
 * - `auto_assign_buildings` — one row per building that auto-assigned: the row every auto-assigning
 *   create locks (`for update`) for the rest of its transaction, so concurrent creates (also on two
 *   replicas) pick one after the other, and `seq`, the building's assignment counter;
 * - `auto_assign_seats` — per building and seat the round-robin state: the counter value, time and
 *   incident of its last auto-assignment and how many it got;
 * - `auto_assignments` — the decision taken for each incident created with `AutoAssigned` (assigned to
 *   whom, or why not), answered again to a retried create; goes with its incident.
 */
export class AutoAssignment1766000000300 implements MigrationInterface {
  name = 'AutoAssignment1766000000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.auto_assign_buildings (
        pid text primary key,
        seq bigint not null default 0
      )`);
    await runner.query(`
      create table workforce.auto_assign_seats (
        pid              text not null,
        seat_id          text not null references workforce.seats (seat_id) on delete cascade,
        last_seq         bigint not null,
        last_assigned_at bigint not null,
        last_task_id     text not null,
        assignments      integer not null default 0,
        primary key (pid, seat_id)
      )`);
    await runner.query(`
      create table workforce.auto_assignments (
        task_id    text primary key references workforce.incidents (task_id) on delete cascade,
        pid        text not null,
        assigned   boolean not null,
        seat_id    text,
        shift_id   text,
        answer     jsonb not null,
        decided_at bigint not null
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.auto_assignments`);
    await runner.query(`drop table workforce.auto_assign_seats`);
    await runner.query(`drop table workforce.auto_assign_buildings`);
  }
}
