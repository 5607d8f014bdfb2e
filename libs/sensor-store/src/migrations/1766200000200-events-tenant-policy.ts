import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.events` (CreateEvents1766100000000) is customer-visible: a tenant role reads its property's events
 * (`prop_id`) and nothing else, through the policy of TenantAccess1766200000100. Its index
 * (`prop_id`, `module`, `time`, `msg_id`) serves the policy's comparison too. Its partition function is
 * the platform's, not the tenants'.
 */
export class EventsTenantPolicy1766200000200 implements MigrationInterface {
  name = 'EventsTenantPolicy1766200000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`select matrix.apply_tenant_policy('matrix.events', 'prop_id')`);
    await runner.query(`revoke all on function matrix.ensure_events_partition(timestamptz) from public`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`revoke select on matrix.events from matrix_tenant`);
    await runner.query(`drop policy if exists tenant_property on matrix.events`);
    await runner.query(`alter table matrix.events disable row level security`);
  }
}
