import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `workforce` schema, owned by incident-service (incidents, tasks and rule state). Its tables arrive with the issues that need them. */
export class CreateWorkforceSchema1764115200003 implements MigrationInterface {
  name = 'CreateWorkforceSchema1764115200003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists workforce`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema workforce`);
  }
}
