import { Client } from 'pg';
import { createSensorDataTable, insertPoints } from './sensor-data-table';
import { at } from './workforce-rest';

/*
 * Data the SDK suites read back: matrix.sensor_data and matrix.events as sql-projector's migrations make
 * them (the gateway only reads them), three people-counter points and three grid events of a building.
 */

/** When the seeded events happen (unix seconds): two days ago, a second apart. */
export const EVENTS_AT = Math.floor(Date.parse(at(-22, 12)) / 1000);

export async function seedSensorDataAndEvents(
  url: string,
  building: { pid: string; propId: string; zone: string },
): Promise<void> {
  await createSensorDataTable(url);
  await insertPoints(
    url,
    [3, 4, 7].map((count, i) => ({
      unixT: Date.parse(at(-2, 9 + i)),
      devid: 'pc-lobby',
      devtype: 'SMARTCLEAN#PPLCTR',
      pid: building.pid,
      insid: building.zone,
      v: { count },
    })),
  );
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`select matrix.ensure_events_partition(to_timestamp($1))`, [EVENTS_AT]);
    for (const i of [0, 1, 2]) {
      const msgId = `outbox:sdk:${i}`;
      await client.query(
        `insert into matrix.events (msg_id, principal, pid, prop_id, module, event_id, priority, routing_key, time,
                                    description, meta, payload, stream_seq)
         values ($1, $2, $2, $3, 'scgrids', 'ZONE_CREATED', 'NORMAL', $4, to_timestamp($5), $6, '{}', '{}', 1)`,
        [
          msgId,
          building.pid,
          building.propId,
          `matrix.${building.pid}.scgrids.ZONE_CREATED.NORMAL`,
          EVENTS_AT + i,
          `ZONE_CREATED ${msgId}`,
        ],
      );
    }
  } finally {
    await client.end();
  }
}
