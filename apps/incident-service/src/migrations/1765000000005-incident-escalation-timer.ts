import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The durable escalation timer (issue 12): on each incident the policy that applies to it
 * (`escalation_policy`), the kind of its last escalation (`escalation_type`), when it entered its current
 * status (`status_since`, no deadline counts from before it) and its next deadline — `escalate_at`, what
 * happens then (`escalate_kind`: `unassigned`, `startTime`, `dueTime` escalate one level; `incomplete`
 * closes the work window). The leader's sweeper claims due rows through the partial index.
 */
export class IncidentEscalationTimer1765000000005 implements MigrationInterface {
  name = 'IncidentEscalationTimer1765000000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table workforce.incidents
        add column escalation_policy text,
        add column escalation_type text check (escalation_type in ('unassigned', 'startTime', 'dueTime')),
        add column status_since timestamptz,
        add column escalate_at timestamptz,
        add column escalate_kind text
          check (escalate_kind in ('unassigned', 'startTime', 'dueTime', 'incomplete')),
        add check ((escalate_at is null) = (escalate_kind is null))`);
    await runner.query(`update workforce.incidents set status_since = modified_on`);
    await runner.query(`alter table workforce.incidents alter column status_since set not null`);
    await runner.query(`alter table workforce.incidents alter column status_since set default now()`);
    // Unresolved incidents from before the timer: due at once, so the sweeper computes their deadlines.
    await runner.query(
      `update workforce.incidents set escalate_at = now(), escalate_kind = 'unassigned'
       where status not in ('COMPLETED', 'INCOMPLETE')`,
    );
    await runner.query(
      `create index incidents_escalate_at on workforce.incidents (escalate_at) where escalate_at is not null`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index workforce.incidents_escalate_at`);
    await runner.query(`
      alter table workforce.incidents
        drop column escalation_policy, drop column escalation_type, drop column status_since,
        drop column escalate_at, drop column escalate_kind`);
  }
}
