import { Injectable } from '@nestjs/common';
import { Database, isRetryableTransaction, type Sql } from '@matrix/persistence';
import { SYSTEM_INCIDENT_SETTINGS } from '../incidents/incident-settings';
import type { EffectiveSetting } from '../ops/setting-values';
import { nextShiftDeadline } from '../shifts/shift-deadline';
import type { ShiftStatus } from '../shifts/shift-lifecycle';
import {
  SCHEDULE_SETTING_ROWS,
  ShiftSettings,
  storedValue,
  SYSTEM_SCHEDULE_SETTINGS,
  type ScheduleSettingRow,
} from '../shifts/shift-settings';

export type SettingChanges = Record<string, number | boolean>;

/** Per kind, the keys a change added to the building (`addNewSystemSettings`). */
export interface AddedSettings {
  schedule: string[];
  incident: string[];
}

/** The system keys of each kind a building has no value of (`getNewSystemSettings`). */
export type MissingSettings = AddedSettings;

interface LiveShiftRow {
  shift_id: string;
  status: ShiftStatus;
  delayed: boolean;
  start_at: string;
  end_at: string;
  timer_at: Date | null;
  timer_kind: string | null;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The schedule settings a shift's or a task group's deadline depends on (shift-deadline.ts, the task trigger). */
const TIMER_KEYS = [
  'ABSENT_SHIFT_THRESHOLD',
  'AUTO_CLOCKOUT',
  'DELAYED_SHIFT_THRESHOLD',
  'END_SHIFT_OVERSHOOT',
];

/**
 * The building's live shifts' timers (`timer_at`/`timer_kind`) recomputed under its schedule settings now
 * in force (read in `tx`, after the change): every PUBLISHED or STARTED shift of the building is locked
 * (in shift id order) and those whose deadline moved are updated in one statement. The open task groups'
 * TASK_INCOMPLETE deadline follows `END_SHIFT_OVERSHOOT` likewise. Answers how many shift timers moved.
 */
async function reschedule(tx: Sql, pid: string, shifts: ShiftSettings, overshoot: boolean): Promise<number> {
  const settings = await shifts.of(pid, tx);
  const rows = await tx.query<LiveShiftRow>(
    `select shift_id, status, delayed, start_at::text, end_at::text, timer_at, timer_kind from workforce.shifts
     where pid = $1 and status in ('PUBLISHED', 'STARTED') order by shift_id for update`,
    [pid],
  );
  const moved = rows.flatMap((row) => {
    const deadline = nextShiftDeadline(
      { status: row.status, delayed: row.delayed, start: Number(row.start_at), end: Number(row.end_at) },
      settings,
    );
    const stored = row.timer_at === null ? undefined : seconds(row.timer_at);
    return deadline?.at === stored && (deadline?.kind ?? null) === row.timer_kind
      ? []
      : [
          {
            id: row.shift_id,
            at: deadline ? new Date(deadline.at * 1000) : null,
            kind: deadline?.kind ?? null,
          },
        ];
  });
  if (moved.length > 0) {
    await tx.query(
      `update workforce.shifts s set timer_at = t.timer_at, timer_kind = t.timer_kind
       from unnest($1::uuid[], $2::timestamptz[], $3::text[]) as t(shift_id, timer_at, timer_kind)
       where s.shift_id = t.shift_id`,
      [moved.map((m) => m.id), moved.map((m) => m.at), moved.map((m) => m.kind)],
    );
  }
  if (overshoot) {
    await tx.query(
      `update workforce.task_groups set incomplete_at = to_timestamp(end_at + $2)
       where pid = $1 and status in ('PUBLISHED', 'STARTED', 'PAUSED')
         and incomplete_at is distinct from to_timestamp(end_at + $2)`,
      [pid, settings.endShiftOvershoot],
    );
  }
  return moved.length;
}

/**
 * A building's schedule settings (`workforce.schedule_settings`) and the keys of both kinds it has, in plain
 * SQL (ADR-19). A change takes a per-building advisory lock (changes of one building apply one after the
 * other) and, in its transaction, reschedules the building's live shift timers under the new values.
 */
@Injectable()
export class SettingsRepository {
  constructor(
    private readonly db: Database,
    private readonly shifts: ShiftSettings,
  ) {}

  /** The building's effective schedule settings: its own values (with `modifiedOn`) over the system defaults. */
  async schedule(pid: string, sql: Sql = this.db): Promise<Record<string, EffectiveSetting>> {
    const rows = await sql.query<ScheduleSettingRow>(SCHEDULE_SETTING_ROWS, [pid]);
    const settings: Record<string, EffectiveSetting> = { ...SYSTEM_SCHEDULE_SETTINGS };
    for (const row of rows) {
      const system = SYSTEM_SCHEDULE_SETTINGS[row.key];
      if (!system) continue;
      settings[row.key] = {
        ...system,
        value: storedValue(row, system),
        modifiedOn: seconds(row.modified_on),
      };
    }
    return settings;
  }

  /** Sets the building's values of `changes` (known schedule keys); answers how many shift timers moved. */
  async update(pid: string, changes: SettingChanges, by: string): Promise<number> {
    return this.write(pid, async (tx) => {
      for (const [key, value] of Object.entries(changes)) await upsert(tx, pid, key, value, by);
      if (!TIMER_KEYS.some((key) => key in changes)) return 0;
      return reschedule(tx, pid, this.shifts, 'END_SHIFT_OVERSHOOT' in changes);
    });
  }

  /** The system keys of each kind the building has no value of. */
  async missing(pid: string): Promise<MissingSettings> {
    const [row] = await this.db.query<{ schedule: string[]; incident: string[] }>(
      `select array(select key from workforce.schedule_settings where pid = $1) as schedule,
              array(select key from workforce.incident_settings where pid = $1) as incident`,
      [pid],
    );
    return {
      schedule: Object.keys(SYSTEM_SCHEDULE_SETTINGS).filter((key) => !row!.schedule.includes(key)),
      incident: Object.keys(SYSTEM_INCIDENT_SETTINGS).filter((key) => !row!.incident.includes(key)),
    };
  }

  /**
   * Gives the building the keys named that it has no value of, each with the value given or the system
   * default; a key it has keeps its value. Answers the keys added and how many shift timers moved.
   */
  async add(
    pid: string,
    schedule: SettingChanges,
    incident: SettingChanges,
    by: string,
  ): Promise<{ added: AddedSettings; rescheduled: number }> {
    return this.write(pid, async (tx) => {
      const added: AddedSettings = { schedule: [], incident: [] };
      for (const [key, value] of Object.entries(schedule)) {
        if (await insertNew(tx, 'schedule_settings', pid, key, value, by)) added.schedule.push(key);
      }
      for (const [key, value] of Object.entries(incident)) {
        if (await insertNew(tx, 'incident_settings', pid, key, value, by)) added.incident.push(key);
      }
      const moved = added.schedule.some(
        (key) => TIMER_KEYS.includes(key) && schedule[key] !== SYSTEM_SCHEDULE_SETTINGS[key]!.value,
      );
      const rescheduled = moved
        ? await reschedule(tx, pid, this.shifts, added.schedule.includes('END_SHIFT_OVERSHOOT'))
        : 0;
      return { added, rescheduled };
    });
  }

  private async write<T>(pid: string, work: (tx: Sql) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.db.transaction(async (tx) => {
          await tx.query(`select pg_advisory_xact_lock(hashtext('workforce.settings:' || $1))`, [pid]);
          return work(tx);
        });
      } catch (error) {
        // Locking every live shift of the building can meet a bulk shift op locking them in another order.
        if (attempt >= attempts || !isRetryableTransaction(error)) throw error;
      }
    }
  }
}

const values = (value: number | boolean) => [
  typeof value === 'number' ? value : null,
  typeof value === 'boolean' ? value : null,
];

async function upsert(tx: Sql, pid: string, key: string, value: number | boolean, by: string): Promise<void> {
  await tx.query(
    `insert into workforce.schedule_settings (pid, key, long_value, boolean_value, modified_by)
     values ($1, $2, $3, $4, $5)
     on conflict (pid, key) do update set long_value = excluded.long_value,
       boolean_value = excluded.boolean_value, modified_by = excluded.modified_by, modified_on = now()`,
    [pid, key, ...values(value), by],
  );
}

async function insertNew(
  tx: Sql,
  table: 'schedule_settings' | 'incident_settings',
  pid: string,
  key: string,
  value: number | boolean,
  by: string,
): Promise<boolean> {
  const rows = await tx.query(
    `insert into workforce.${table} (pid, key, long_value, boolean_value, modified_by)
     values ($1, $2, $3, $4, $5) on conflict (pid, key) do nothing returning key`,
    [pid, key, ...values(value), by],
  );
  return rows.length > 0;
}
