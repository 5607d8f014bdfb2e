import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `matrix.ensure_sensor_data_partition` could fail when two writers created the same month at once: the
 * re-check after the advisory lock read a catalog snapshot that did not show the other's table yet, so
 * CREATE TABLE raised `duplicate_table` (42P07) or a `pg_type` unique violation (23505). Now a partition
 * created by someone else in the meantime counts as created.
 */
export class SensorDataPartitionRace1764547200000 implements MigrationInterface {
  name = 'SensorDataPartitionRace1764547200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create or replace function matrix.ensure_sensor_data_partition(at timestamptz) returns text
      language plpgsql as $$
      declare
        start_at timestamptz := date_trunc('month', at, 'UTC');
        part text := format('sensor_data_%s', to_char(start_at at time zone 'UTC', 'YYYYMM'));
      begin
        if to_regclass(format('matrix.%I', part)) is null then
          perform pg_advisory_xact_lock(hashtext('matrix.sensor_data partitions'));
          begin
            execute format('create table if not exists matrix.%I partition of matrix.sensor_data for values from (%L) to (%L)',
                           part, start_at, start_at + interval '1 month');
          exception when duplicate_table or unique_violation then
            -- another writer created it between our check and our CREATE: it exists, which is all we need
            null;
          end;
        end if;
        return part;
      end $$`);
  }

  async down(): Promise<void> {
    // The previous body differs only in the race it loses; keeping this one is harmless.
  }
}
