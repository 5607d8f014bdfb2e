import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant roles made before `work_mem = '16MB'` joined their session defaults (sql-projector's
 * TENANT_ROLE_SETTINGS) get it too: every role of `matrix.tenant_roles` that still exists.
 */
export class TenantWorkMem1766500000200 implements MigrationInterface {
  name = 'TenantWorkMem1766500000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      do $$
      declare r record;
      begin
        for r in select t.role_name from matrix.tenant_roles t join pg_roles p on p.rolname = t.role_name loop
          execute format('alter role %I set work_mem = %L', r.role_name, '16MB');
        end loop;
      end $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      do $$
      declare r record;
      begin
        for r in select t.role_name from matrix.tenant_roles t join pg_roles p on p.rolname = t.role_name loop
          execute format('alter role %I reset work_mem', r.role_name);
        end loop;
      end $$`);
  }
}
