import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns the documented queries (the Matrix documentation, §5) and the tenant policy read, besides the key. */
export const SENSOR_DATA_COVERED = ['insid', 'propid', 'month', 'dom', 'v'] as const;

const KEY = '(pid, devtype, time)';
const INCLUDE = `include (${SENSOR_DATA_COVERED.join(', ')})`;

/**
 * Replaces the index (`pid`, `devtype`, `time`) of `matrix.sensor_data` with one that also carries the
 * columns the two documented queries read (`insid`, `month`, `dom`, `v`) and the one the tenant policy
 * compares (`propid`): they become index-only scans. Measured in docs/benchmarks.md (SQL): on 10 million
 * rows a building-day of people counters (~43,000 rows, interleaved in time with the other buildings')
 * was a bitmap heap scan touching ~14,000 heap pages, ~80–290 ms; index-only it reads ~1,000 index pages,
 * ~30–40 ms. The key is unchanged, so every query that used the old index uses this one.
 *
 * Built without blocking the projector's inserts: the index is made on the parent only (invalid), then
 * CONCURRENTLY on each partition and attached (the parent's becomes valid when all are), so this
 * migration runs outside a transaction; the old index is dropped last (a short lock). Partitions created
 * meanwhile get the new index from the parent and are skipped. Run again after an interruption, it goes on
 * where it stopped (a failed concurrent build leaves an invalid index, which is dropped and built again).
 */
export class SensorDataCoveringIndex1766500000100 implements MigrationInterface {
  name = 'SensorDataCoveringIndex1766500000100';
  transaction = false;

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index if not exists sensor_data_pid_devtype_time_cov on only matrix.sensor_data ${KEY} ${INCLUDE}`,
    );
    const partitions: { name: string }[] = await runner.query(`
      select c.relname as name
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
       where i.inhparent = 'matrix.sensor_data'::regclass
         and not exists (
           select 1 from pg_inherits x join pg_class ix on ix.oid = x.inhrelid
            where x.inhparent = 'matrix.sensor_data_pid_devtype_time_cov'::regclass
              and ix.oid in (select indexrelid from pg_index where indrelid = c.oid))
       order by 1`);
    for (const { name } of partitions) {
      const index = `${name}_cov`;
      const [found] = (await runner.query(
        `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
          where c.relname = $1 and c.relnamespace = 'matrix'::regnamespace`,
        [index],
      )) as { valid: boolean }[];
      if (found && !found.valid) await runner.query(`drop index concurrently matrix.${quote(index)}`);
      await runner.query(
        `create index concurrently if not exists ${quote(index)} on matrix.${quote(name)} ${KEY} ${INCLUDE}`,
      );
      await runner.query(
        `alter index matrix.sensor_data_pid_devtype_time_cov attach partition matrix.${quote(index)}`,
      );
    }
    await runner.query(`drop index if exists matrix.sensor_data_pid_devtype_time`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index if not exists sensor_data_pid_devtype_time on matrix.sensor_data ${KEY}`,
    );
    await runner.query(`drop index if exists matrix.sensor_data_pid_devtype_time_cov`);
  }
}

/** A partition's name as an identifier (they are `sensor_data_YYYYMM`, but a DBA may have added others). */
function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
