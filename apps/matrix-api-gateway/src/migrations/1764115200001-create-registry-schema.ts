import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `registry` schema, owned by matrix-api-gateway (site registry and API credentials). Its tables arrive with the issues that need them. */
export class CreateRegistrySchema1764115200001 implements MigrationInterface {
  name = 'CreateRegistrySchema1764115200001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`create schema if not exists registry`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop schema registry`);
  }
}
