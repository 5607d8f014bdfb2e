import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant queries may run in parallel. `matrix.tenant_property()`, which every tenant policy calls, was
 * created PARALLEL UNSAFE (PostgreSQL's default), and one parallel-unsafe function anywhere in a query
 * keeps the whole query serial: a tenant could never get a parallel plan, whatever it set. It only reads
 * `matrix.tenant_roles` for `session_user` (which a parallel worker shares with its leader), so it is
 * parallel safe. Tenant roles made before `parallel_setup_cost = 200` and `jit = off` joined their session
 * defaults (sql-projector's TENANT_ROLE_SETTINGS, docs/sql.md "Access") get them too.
 */
export class TenantParallelQuery1766600000300 implements MigrationInterface {
  name = 'TenantParallelQuery1766600000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter function matrix.tenant_property() parallel safe`);
    await this.eachTenantRole(runner, `alter role %I set parallel_setup_cost = 200`);
    await this.eachTenantRole(runner, `alter role %I set jit = off`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await this.eachTenantRole(runner, `alter role %I reset jit`);
    await this.eachTenantRole(runner, `alter role %I reset parallel_setup_cost`);
    await runner.query(`alter function matrix.tenant_property() parallel unsafe`);
  }

  private async eachTenantRole(runner: QueryRunner, statement: string): Promise<void> {
    await runner.query(`
      do $$
      declare r record;
      begin
        for r in select t.role_name from matrix.tenant_roles t join pg_roles p on p.rolname = t.role_name loop
          execute format('${statement}', r.role_name);
        end loop;
      end $$`);
  }
}
