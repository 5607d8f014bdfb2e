import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `router` schema, owned by event-router (subscriptions and delivery attempts). Its tables arrive with the issues that need them. */
export class CreateRouterSchema1764115200002 implements MigrationInterface {
  name = 'CreateRouterSchema1764115200002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists router`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema router`);
  }
}
