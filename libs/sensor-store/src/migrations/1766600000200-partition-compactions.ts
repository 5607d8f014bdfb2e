import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.partition_compactions`: one row per partition of `matrix.sensor_data` whose indexes sql-projector's
 * compaction job rebuilt once its range had closed (docs/sql.md, Index compaction; ADR-26), with the range
 * and the partition's index bytes before and after. Internal, like `matrix.tenant_roles` and
 * `matrix.sql_sinks`: no grant to `public` or to tenant roles.
 *
 * Keyed by the partition's name: a partition dropped by retention and made again by a late point keeps its
 * old row (and is dropped again by retention's next round), so it is not compacted a second time.
 */
export class PartitionCompactions1766600000200 implements MigrationInterface {
  name = 'PartitionCompactions1766600000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table matrix.partition_compactions (
        partition_name text        primary key,
        range_from     timestamptz,
        range_to       timestamptz not null,
        compacted_at   timestamptz not null default now(),
        bytes_before   bigint      not null,
        bytes_after    bigint      not null
      )`);
    await runner.query(`revoke all on matrix.partition_compactions from public`);
    await runner.query(
      `comment on table matrix.partition_compactions is 'Partitions of matrix.sensor_data whose indexes sql-projector rebuilt once closed (docs/sql.md, Index compaction); internal, not readable by tenants'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop table matrix.partition_compactions`);
  }
}
