import { Client } from 'pg';
import { localTimeFields } from '@matrix/contracts';
import { runMigrations } from '@matrix/persistence';
import { SENSOR_DATA_MIGRATIONS } from '@matrix/sensor-store';

/*
 * `matrix.sensor_data` for the gateway's integration tests, built by the very migrations sql-projector
 * runs (libs/sensor-store). The gateway only reads the table.
 */

/** A point to store as sensor-normaliser would have published it (local-time fields derived here). */
export interface SeedPoint {
  unixT: number;
  devid: string;
  devtype: string;
  pid: string;
  insid: string;
  v: Record<string, unknown>;
  region?: string;
  propid?: string;
  display?: string;
  extra?: Record<string, unknown>;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createSensorDataTable(url: string): Promise<void> {
  await runMigrations({
    url,
    schema: 'matrix',
    migrations: SENSOR_DATA_MIGRATIONS,
    applicationName: 'gateway-test',
  });
}

let sequence = 0;

/** Inserts the points the way sql-projector writes rows (one per point, partition ensured first). */
export function insertPoints(url: string, points: SeedPoint[]): Promise<void> {
  return withClient(url, async (client) => {
    for (const point of points) {
      const region = point.region ?? 'Europe/Berlin';
      const local = localTimeFields(point.unixT, region);
      const time = new Date(point.unixT).toISOString();
      sequence += 1;
      await client.query('select matrix.ensure_sensor_data_partition($1)', [time]);
      await client.query(
        `insert into matrix.sensor_data (msg_id, t, v, unixt, devid, region, time, devtype, pid, propid, insid,
           display, dow, month, hour, dom, minute, extra, stream_seq)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
        [
          `data:${String(sequence).padStart(6, '0')}`,
          local.t,
          JSON.stringify(point.v),
          point.unixT,
          point.devid,
          region,
          time,
          point.devtype,
          point.pid,
          point.propid ?? null,
          point.insid,
          point.display ?? null,
          local.dow,
          local.month,
          local.hour,
          local.dom,
          local.minute,
          point.extra ? JSON.stringify(point.extra) : null,
          sequence,
        ],
      );
    }
  });
}
