import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SENSOR_DATA_COLUMNS } from './sensor-data-row';

const INSERT = `insert into matrix.sensor_data (${SENSOR_DATA_COLUMNS.join(', ')})
  values (${SENSOR_DATA_COLUMNS.map((column, i) => (column === 'v' || column === 'extra' ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ')})
  on conflict (time, msg_id) do nothing
  returning msg_id`;

/** Writes `matrix.sensor_data`; sql-projector is its only writer. */
@Injectable()
export class SensorDataRepository {
  private readonly partitions = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Inserts one row; a row with the same (time, msg_id) is left as it is. Returns whether it was new. */
  async insert(row: unknown[]): Promise<boolean> {
    await this.ensurePartition(row[SENSOR_DATA_COLUMNS.indexOf('time')] as string);
    const inserted: unknown[] = await this.dataSource.query(INSERT, row);
    return inserted.length > 0;
  }

  private async ensurePartition(time: string): Promise<void> {
    const month = time.slice(0, 7);
    if (this.partitions.has(month)) return;
    await this.dataSource.query('select matrix.ensure_sensor_data_partition($1)', [time]);
    this.partitions.add(month);
  }
}
