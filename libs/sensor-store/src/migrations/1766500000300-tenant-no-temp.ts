import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant roles cannot create temporary tables: PostgreSQL grants TEMPORARY on every database to PUBLIC, so a
 * tenant's session could fill the disk with temporary tables (`temp_file_limit` caps temporary files, not
 * tables). No Matrix service uses temporary tables; the role running the migrations (the platform's owner
 * role) keeps the privilege. Other roles of the database lose it with PUBLIC — grant it to one explicitly if
 * it needs it.
 */
export class TenantNoTemp1766500000300 implements MigrationInterface {
  name = 'TenantNoTemp1766500000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      do $$ begin
        execute format('revoke temporary on database %I from public', current_database());
        execute format('grant temporary on database %I to %I', current_database(), current_user);
      end $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      do $$ begin
        execute format('grant temporary on database %I to public', current_database());
      end $$`);
  }
}
