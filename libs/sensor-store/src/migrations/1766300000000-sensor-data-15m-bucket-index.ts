import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index on `matrix.sensor_data_15m (bucket)` for retention (docs/sql.md, Retention): the rollup is not
 * partitioned, so sql-projector deletes its buckets older than `SQL_RETENTION_SENSOR_DATA_15M_DAYS` in
 * bounded batches, each finding its oldest rows through this index instead of reading the whole table.
 * It costs the projector's upsert nothing on the hot path: an update of a bucket row never changes
 * `bucket`, so it stays HOT (SensorData15mFillfactor1764633600000); only a new bucket row adds an entry.
 */
export class SensorData15mBucketIndex1766300000000 implements MigrationInterface {
  name = 'SensorData15mBucketIndex1766300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index if not exists sensor_data_15m_bucket on matrix.sensor_data_15m (bucket)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop index if exists matrix.sensor_data_15m_bucket`);
  }
}
