import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.sensor_data_15m` is updated in place all the time: every batch sql-projector writes adds to the
 * buckets of the zones it holds (in the ingest benchmark, ~600 bucket rows per 2,000 data rows). With
 * full pages, each such update put the new row version on another page, so both indexes got an entry
 * too; with half of every page free, the update stays on its page (a HOT update: no index entry, less
 * WAL) and later updates prune the old versions. Pages written from now on keep the space; the table is
 * small, so it fills them soon enough without a rewrite. Measured in docs/benchmarks.md.
 */
export class SensorData15mFillfactor1764633600000 implements MigrationInterface {
  name = 'SensorData15mFillfactor1764633600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table matrix.sensor_data_15m set (fillfactor = 50)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table matrix.sensor_data_15m reset (fillfactor)`);
  }
}
