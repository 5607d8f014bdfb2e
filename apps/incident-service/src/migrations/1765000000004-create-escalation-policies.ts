import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A building's escalation policies (the Matrix documentation, §7.4 "Escalation policy"). The `default`
 * policy is the documented one until the building changes it (then it has a row); at most one policy of a
 * building is its default (`is_default`; none means `default`). `request_key` makes a create retry-safe.
 */
export class CreateEscalationPolicies1765000000004 implements MigrationInterface {
  name = 'CreateEscalationPolicies1765000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table workforce.escalation_policies (
        pid                 text not null,
        policy_id           text not null,
        name                text not null,
        description         text not null default '',
        is_default          boolean not null default false,
        incident_types      jsonb not null,
        target_durations    jsonb not null,
        escalation_settings jsonb not null,
        request_key         text,
        created_by          text not null,
        created_on          timestamptz not null default now(),
        modified_by         text not null,
        modified_on         timestamptz not null default now(),
        primary key (pid, policy_id),
        check (policy_id <> 'default' or not is_default)
      )`);
    await runner.query(
      `create unique index escalation_policies_default on workforce.escalation_policies (pid) where is_default`,
    );
    await runner.query(
      `create unique index escalation_policies_request on workforce.escalation_policies (pid, request_key)
       where request_key is not null`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table workforce.escalation_policies`);
  }
}
