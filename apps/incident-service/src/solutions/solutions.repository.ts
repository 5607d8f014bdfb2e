import { Injectable } from '@nestjs/common';
import { Database, type Sql } from '@matrix/persistence';
import { emptyZone, loadedDevice, recordKey, type DeviceRecord, type ZoneRecord } from './solution-engine';
import type { SolutionParams } from './solution-params';

/** How far back the maintenance that resets a usage count is looked for (task groups, incidents started in it). */
const MAINTENANCE_LOOKBACK_S = 2 * 86400;

/** The version of a record not stored yet (`save` creates it). */
export const NOT_STORED = -1;

/** A record as read, with the version it was read at. */
export type StoredRecord =
  | { kind: 'device'; record: DeviceRecord; version: number }
  | { kind: 'zone'; record: ZoneRecord; version: number };

/** A record to write (`recordKey`, its state as JSON text) and the version it was read at. */
export interface RecordWrite {
  key: string;
  state: string;
  version: number;
}

const splitKey = (key: string) => key.split('\u0000') as [string, string];

/**
 * `workforce.solution_settings` and `workforce.solution_state` in plain SQL (ADR-19), and the zone facts
 * the rules read (last maintenance, the zone's name as the workforce data last named it).
 */
@Injectable()
export class SolutionsRepository {
  constructor(private readonly db: Database) {}

  /** A transaction whose statements and lock waits each fail after `timeoutMs`. */
  transaction<T>(timeoutMs: number, work: (tx: Sql) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const ms = Math.floor(timeoutMs);
      await tx.query(`set local statement_timeout = ${ms}; set local lock_timeout = ${ms}`);
      return work(tx);
    });
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
   * The stored records of these keys (`recordKey`), each with its version; a key with no record stored
   * yet is not in the answer. Read without a lock: the replica that leads the solutions is their only
   * writer, and a checkpoint writes a record only at the version read here (`save`).
   */
  async load(keys: readonly string[]): Promise<Map<string, StoredRecord>> {
    const out = new Map<string, StoredRecord>();
    if (keys.length === 0) return out;
    const pids: string[] = [];
    const scopes: string[] = [];
    for (const key of keys) {
      const [pid, scope] = splitKey(key);
      pids.push(pid);
      scopes.push(scope);
    }
    const rows = await this.db.query<{
      pid: string;
      scope: string;
      state: Record<string, unknown>;
      version: string;
    }>(
      `select s.pid, s.scope, s.state, s.version::text as version from workforce.solution_state s
       join unnest($1::text[], $2::text[]) as k(pid, scope) on s.pid = k.pid and s.scope = k.scope`,
      [pids, scopes],
    );
    for (const row of rows) {
      const key = recordKey(row.pid, row.scope);
      const version = Number(row.version);
      out.set(
        key,
        row.scope.startsWith('device:')
          ? { kind: 'device', record: loadedDevice(row.state), version }
          : { kind: 'zone', record: { ...emptyZone(), ...row.state } as ZoneRecord, version },
      );
    }
    return out;
  }

  /**
   * Writes records at the versions they were read at (a record never stored: version `NOT_STORED`),
   * in key order, and answers how many were written: fewer than given means another writer changed (or
   * created) one of them since — the caller rolls back.
   */
  async save(tx: Sql, writes: readonly RecordWrite[], now: Date): Promise<number> {
    if (writes.length === 0) return 0;
    const sorted = [...writes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const pids: string[] = [];
    const scopes: string[] = [];
    for (const w of sorted) {
      const [pid, scope] = splitKey(w.key);
      pids.push(pid);
      scopes.push(scope);
    }
    const [row] = await tx.query<{ written: string }>(
      // States as text[], cast in the statement: a jsonb[] parameter costs twice as much to send and parse.
      `with k as (
         select * from unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) as k(pid, scope, state, version)
       ), created as (
         insert into workforce.solution_state (pid, scope, state, version, modified_on)
         select pid, scope, state::jsonb, 1, $5 from k where k.version < 0
         on conflict (pid, scope) do nothing
         returning 1
       ), updated as (
         update workforce.solution_state s set state = k.state::jsonb, version = s.version + 1, modified_on = $5
         from k where k.version >= 0 and s.pid = k.pid and s.scope = k.scope and s.version = k.version
         returning 1
       )
       select ((select count(*) from created) + (select count(*) from updated))::text as written`,
      [pids, scopes, sorted.map((w) => w.state), sorted.map((w) => String(w.version)), now],
    );
    return Number(row?.written ?? 0);
  }

  /**
   * The last maintenance of each zone (epoch ms, 0 if none): the latest start or end of a task group or
   * incident worked in it (the Matrix documentation, §3.5: the usage count "also resets on maintenance
   * events"), looked for among those planned in the last two days, and the zone's last completed task group.
   */
  async lastMaintenance(
    zones: readonly { pid: string; zoneId: string }[],
    now: Date,
    sql: Sql = this.db,
  ): Promise<Map<string, number>> {
    if (zones.length === 0) return new Map();
    const since = Math.floor(now.getTime() / 1000) - MAINTENANCE_LOOKBACK_S;
    const rows = await sql.query<{ pid: string; zone_id: string; at: string }>(
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
