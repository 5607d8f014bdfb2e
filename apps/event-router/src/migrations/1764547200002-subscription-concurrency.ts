import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `router.subscriptions.concurrency`: batches in flight at most (1 = in order, the default). */
export class SubscriptionConcurrency1764547200002 implements MigrationInterface {
  name = 'SubscriptionConcurrency1764547200002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `alter table router.subscriptions add column concurrency integer not null default 1
         check (concurrency between 1 and 16)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table router.subscriptions drop column concurrency`);
  }
}
