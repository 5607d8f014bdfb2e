import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import {
  deviceScope,
  emptyZone,
  loadedDevice,
  recordKey,
  storedDevice,
  zoneScope,
  type DeviceRecord,
  type SolutionReading,
  type ZoneRecord,
} from './solution-engine';
import type { SolutionParams } from './solution-params';

/** How far back the maintenance that resets a usage count is looked for (task groups, incidents started in it). */
const MAINTENANCE_LOOKBACK_S = 2 * 86400;

/** The records of a batch, locked for the rest of its transaction. */
export interface LockedRecords {
  devices: Map<string, DeviceRecord>;
  zones: Map<string, ZoneRecord>;
}

/**
 * `workforce.solution_settings` and `workforce.solution_state` in plain SQL (ADR-19), and the zone facts
 * the rules read (last maintenance, the zone's name as the workforce data last named it).
 */
@Injectable()
export class SolutionsRepository {
  constructor(private readonly db: Database) {}

  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The stored parameters of the buildings' slot types (`pid` → slot type → values changed). */
  async settingsOf(
    pids: readonly string[],
    sql: Sql = this.db,
  ): Promise<Map<string, Map<string, Partial<SolutionParams>>>> {
    const rows = await sql.query<{ pid: string; slot_type: string; params: Partial<SolutionParams> }>(
      'select pid, slot_type, params from workforce.solution_settings where pid = any($1::text[])',
      [pids],
    );
    const out = new Map<string, Map<string, Partial<SolutionParams>>>();
    for (const row of rows) {
      const of = out.get(row.pid) ?? new Map<string, Partial<SolutionParams>>();
      of.set(row.slot_type, row.params);
      out.set(row.pid, of);
    }
    return out;
  }

  /**
   * Changes a building's stored values of a slot type's parameters: `change` gets the values stored now and
   * answers those to store (empty or null: back to the defaults). One transaction under a lock of the
   * building's slot type, so two concurrent changes of different parameters both land.
   */
  async changeSettings(
    pid: string,
    slotType: string,
    change: (stored: Partial<SolutionParams>) => Partial<SolutionParams> | null,
    by: string,
    now: Date,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `select pg_advisory_xact_lock(hashtextextended('workforce.solution-settings:' || $1, 0))`,
        [`${pid}:${slotType}`],
      );
      const [row] = await tx.query<{ params: Partial<SolutionParams> }>(
        'select params from workforce.solution_settings where pid = $1 and slot_type = $2',
        [pid, slotType],
      );
      await this.saveSettings(tx, pid, slotType, change(row?.params ?? {}), by, now);
    });
  }

  private async saveSettings(
    tx: Sql,
    pid: string,
    slotType: string,
    params: Partial<SolutionParams> | null,
    by: string,
    now: Date,
  ): Promise<void> {
    if (params === null || Object.keys(params).length === 0) {
      await tx.query('delete from workforce.solution_settings where pid = $1 and slot_type = $2', [
        pid,
        slotType,
      ]);
      return;
    }
    await tx.query(
      `insert into workforce.solution_settings (pid, slot_type, params, modified_by, modified_on)
       values ($1, $2, $3::jsonb, $4, $5)
       on conflict (pid, slot_type) do update
         set params = excluded.params, modified_by = excluded.modified_by, modified_on = excluded.modified_on`,
      [pid, slotType, JSON.stringify(params), by, now],
    );
  }

  /**
   * The records of the readings' devices and zones, locked `for update` in key order (so two batches,
   * also on two replicas, lock in the same order and never deadlock); a record not stored yet is created
   * empty first, so it can be locked too.
   */
  async lock(tx: Sql, readings: readonly SolutionReading[]): Promise<LockedRecords> {
    const keys = new Map<string, { pid: string; scope: string }>();
    for (const r of readings) {
      for (const scope of [deviceScope(r.devId), zoneScope(r.zoneId)]) {
        keys.set(recordKey(r.pid, scope), { pid: r.pid, scope });
      }
    }
    const sorted = [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
    const select = (pids: string[], scopes: string[]) =>
      tx.query<{ pid: string; scope: string; state: Record<string, unknown> }>(
        `select s.pid, s.scope, s.state from workforce.solution_state s
         join unnest($1::text[], $2::text[]) as k(pid, scope) on s.pid = k.pid and s.scope = k.scope
         order by s.pid collate "C", s.scope collate "C" for update of s`,
        [pids, scopes],
      );
    const rows = await select(
      sorted.map((k) => k.pid),
      sorted.map((k) => k.scope),
    );
    // Records not stored yet (a device's or zone's first reading) are created empty, then locked too. Two
    // batches creating the same record: the second's insert waits for the first's commit, then skips it.
    const found = new Set(rows.map((r) => recordKey(r.pid, r.scope)));
    const missing = sorted.filter((k) => !found.has(recordKey(k.pid, k.scope)));
    if (missing.length > 0) {
      const pids = missing.map((k) => k.pid);
      const scopes = missing.map((k) => k.scope);
      await tx.query(
        `insert into workforce.solution_state (pid, scope, state)
         select pid, scope, '{}'::jsonb from unnest($1::text[], $2::text[]) as k(pid, scope)
         on conflict (pid, scope) do nothing`,
        [pids, scopes],
      );
      rows.push(...(await select(pids, scopes)));
    }
    const devices = new Map<string, DeviceRecord>();
    const zones = new Map<string, ZoneRecord>();
    for (const row of rows) {
      const key = recordKey(row.pid, row.scope);
      if (row.scope.startsWith('device:')) devices.set(key, loadedDevice(row.state));
      else zones.set(key, { ...emptyZone(), ...row.state });
    }
    return { devices, zones };
  }

  /** Writes the changed records. */
  async save(tx: Sql, records: LockedRecords, changed: ReadonlySet<string>, now: Date): Promise<void> {
    const pids: string[] = [];
    const scopes: string[] = [];
    const states: string[] = [];
    for (const key of changed) {
      const [pid, scope] = key.split('\u0000') as [string, string];
      const device = records.devices.get(key);
      const state = device ? storedDevice(device) : records.zones.get(key);
      if (!state) continue;
      pids.push(pid);
      scopes.push(scope);
      states.push(JSON.stringify(state));
    }
    if (pids.length === 0) return;
    await tx.query(
      // States as text[], cast in the statement: a jsonb[] parameter costs twice as much to send and parse.
      `update workforce.solution_state s set state = k.state::jsonb, modified_on = $4
       from unnest($1::text[], $2::text[], $3::text[]) as k(pid, scope, state)
       where s.pid = k.pid and s.scope = k.scope`,
      [pids, scopes, states, now],
    );
  }

  /**
   * The last maintenance of each zone (epoch ms, 0 if none): the latest start or end of a task group or
   * incident worked in it (the Matrix documentation, §3.5: the usage count "also resets on maintenance
   * events"), looked for among those planned in the last two days, and the zone's last completed task group.
   */
  async lastMaintenance(
    tx: Sql,
    zones: readonly { pid: string; zoneId: string }[],
    now: Date,
  ): Promise<Map<string, number>> {
    if (zones.length === 0) return new Map();
    const since = Math.floor(now.getTime() / 1000) - MAINTENANCE_LOOKBACK_S;
    const rows = await tx.query<{ pid: string; zone_id: string; at: string }>(
      `select z.pid, z.zone_id, greatest(
          coalesce((select t.a_end from workforce.task_groups t
                    where t.pid = z.pid and t.zone_id = z.zone_id and t.status = 'COMPLETED'
                    order by t.a_end desc, t.task_id desc limit 1), 0),
          coalesce((select max(greatest(t.a_start, t.a_end)) from workforce.task_groups t
                    where t.pid = z.pid and t.zone_id = z.zone_id and t.start_at > $3), 0),
          coalesce((select max(greatest(i.a_start, i.a_end)) from workforce.incidents i
                    where i.pid = z.pid and i.zone_id = z.zone_id and i.start_by > $3), 0)
        )::text as at
       from unnest($1::text[], $2::text[]) as z(pid, zone_id)`,
      [zones.map((z) => z.pid), zones.map((z) => z.zoneId), since],
    );
    return new Map(rows.map((r) => [recordKey(r.pid, r.zone_id), Number(r.at) * 1000]));
  }

  /** The zone's name as the workforce data last named it (an incident, a task group), else undefined. */
  async zoneName(pid: string, zoneId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ name: string }>(
      `select name from (
         (select zone_name as name, start_by as at from workforce.incidents
          where pid = $1 and zone_id = $2 and zone_name <> '' and zone_name <> zone_id
          order by start_by desc limit 1)
         union all
         (select zone_name as name, start_at as at from workforce.task_groups
          where pid = $1 and zone_id = $2 and zone_name <> '' and zone_name <> zone_id
          order by start_at desc limit 1)
       ) named order by at desc limit 1`,
      [pid, zoneId],
    );
    return row?.name;
  }
}
