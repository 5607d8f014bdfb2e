import { Client } from 'pg';
import { localTimeFields } from '@matrix/contracts';

/*
 * `matrix.sensor_data` for the gateway's integration tests. The table belongs to sql-projector, and a
 * test may not run another app's migration class, so its DDL is copied here from
 * apps/sql-projector/src/migrations/1764115200000-create-sensor-data.ts — keep the two in step (the
 * clean fix is a shared migration in a library both apps use). The gateway only reads the table.
 */
const DDL = [
  `create schema if not exists matrix`,
  `create table matrix.sensor_data (
    msg_id       text        not null,
    t            text        not null,
    v            jsonb       not null,
    unixt        bigint      not null,
    devid        text        not null,
    region       text        not null,
    time         timestamptz not null,
    devtype      text        not null,
    pid          text        not null,
    propid       text,
    insid        text        not null,
    display      text,
    dow          text        not null,
    month        text        not null,
    hour         text        not null,
    dom          text        not null,
    minute       text        not null,
    extra        jsonb,
    stream_seq   bigint      not null,
    projected_at timestamptz not null default now(),
    primary key (time, msg_id)
  ) partition by range (time)`,
  `create index sensor_data_pid_devtype_time on matrix.sensor_data (pid, devtype, time)`,
  `create function matrix.ensure_sensor_data_partition(at timestamptz) returns text
  language plpgsql as $$
  declare
    start_at timestamptz := date_trunc('month', at, 'UTC');
    part text := format('sensor_data_%s', to_char(start_at at time zone 'UTC', 'YYYYMM'));
  begin
    if to_regclass(format('matrix.%I', part)) is null then
      perform pg_advisory_xact_lock(hashtext('matrix.sensor_data partitions'));
      if to_regclass(format('matrix.%I', part)) is null then
        execute format('create table matrix.%I partition of matrix.sensor_data for values from (%L) to (%L)',
                       part, start_at, start_at + interval '1 month');
      end if;
    end if;
    return part;
  end $$`,
];

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

export function createSensorDataTable(url: string): Promise<void> {
  return withClient(url, async (client) => {
    for (const statement of DDL) await client.query(statement);
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
