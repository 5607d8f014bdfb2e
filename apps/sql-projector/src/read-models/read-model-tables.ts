/** One read-model table: its key, its columns with their types, and what decides which change is newer. */
export interface ReadModelTable {
  readonly name: string;
  readonly key: readonly string[];
  /** Every column written, key and version included, as `[name, PostgreSQL type]`. */
  readonly columns: readonly (readonly [string, string])[];
  /** Compared as a row value: a change is applied only when it is greater than the row's. */
  readonly version: readonly string[];
  /** Columns that keep the least value of every change seen, newer or not (an incident's creation). */
  readonly earliest?: readonly string[];
}

const EVENT_VERSION = [
  ['event_time', 'timestamptz'],
  ['event_seq', 'bigint'],
] as const;

export const ZONES: ReadModelTable = {
  name: 'matrix.zones',
  key: ['pid', 'insid'],
  columns: [
    ['pid', 'text'],
    ['insid', 'text'],
    ['prop_id', 'text'],
    ['lid', 'text'],
    ['name', 'text'],
    ['category', 'text'],
    ['status', 'text'],
    ['area', 'double precision'],
    ['floor_type', 'text'],
    ['created_on', 'timestamptz'],
    ['removed', 'boolean'],
    ['removed_at', 'timestamptz'],
    ['meta', 'jsonb'],
    ...EVENT_VERSION,
  ],
  version: ['event_time', 'event_seq'],
};

export const LEVELS: ReadModelTable = {
  name: 'matrix.levels',
  key: ['pid', 'lid'],
  columns: [
    ['pid', 'text'],
    ['lid', 'text'],
    ['prop_id', 'text'],
    ['name', 'text'],
    ['level', 'text'],
    ['area', 'double precision'],
    ['meta', 'jsonb'],
    ...EVENT_VERSION,
  ],
  version: ['event_time', 'event_seq'],
};

export const INCIDENTS: ReadModelTable = {
  name: 'matrix.incidents',
  key: ['pid', 'task_id'],
  columns: [
    ['pid', 'text'],
    ['task_id', 'text'],
    ['prop_id', 'text'],
    ['zone', 'text'],
    ['zone_name', 'text'],
    ['name', 'text'],
    ['priority', 'text'],
    ['status', 'text'],
    ['escalation_level', 'text'],
    ['source', 'text'],
    ['source_devices', 'jsonb'],
    ['planned_start', 'timestamptz'],
    ['due', 'timestamptz'],
    ['started_at', 'timestamptz'],
    ['ended_at', 'timestamptz'],
    ['created_at', 'timestamptz'],
    ['last_event', 'text'],
    ...EVENT_VERSION,
  ],
  version: ['event_time', 'event_seq'],
  earliest: ['created_at'],
};

export const TASKS: ReadModelTable = {
  name: 'matrix.tasks',
  key: ['pid', 'task_id'],
  columns: [
    ['pid', 'text'],
    ['task_id', 'text'],
    ['prop_id', 'text'],
    ['type', 'text'],
    ['shift_id', 'text'],
    ['seat_id', 'text'],
    ['zone', 'text'],
    ['zone_name', 'text'],
    ['zone_category', 'text'],
    ['name', 'text'],
    ['priority', 'text'],
    ['status', 'text'],
    ['planned_start', 'timestamptz'],
    ['due', 'timestamptz'],
    ['started_at', 'timestamptz'],
    ['ended_at', 'timestamptz'],
    ['tasks_done', 'integer'],
    ['task_count', 'integer'],
    ['last_event', 'text'],
    ...EVENT_VERSION,
  ],
  version: ['event_time', 'event_seq'],
};

export const SHIFTS: ReadModelTable = {
  name: 'matrix.shifts',
  key: ['pid', 'shift_id'],
  columns: [
    ['pid', 'text'],
    ['shift_id', 'text'],
    ['prop_id', 'text'],
    ['seat_id', 'text'],
    ['status', 'text'],
    ['delayed', 'boolean'],
    ['adhoc', 'boolean'],
    ['planned_start', 'timestamptz'],
    ['planned_end', 'timestamptz'],
    ['started_at', 'timestamptz'],
    ['ended_at', 'timestamptz'],
    ['time_zone', 'text'],
    ['zones', 'jsonb'],
    ['task_groups', 'jsonb'],
    ['last_event', 'text'],
    ...EVENT_VERSION,
  ],
  version: ['event_time', 'event_seq'],
};

export const DEVICE_SLOTS_TABLE: ReadModelTable = {
  name: 'matrix.device_slots',
  key: ['alias'],
  columns: [
    ['alias', 'text'],
    ['devtype', 'text'],
    ['provider', 'text'],
    ['org_id', 'text'],
    ['prop_id', 'text'],
    ['pid', 'text'],
    ['lid', 'text'],
    ['insid', 'text'],
    ['display', 'text'],
    ['region', 'text'],
    ['devid', 'text'],
    ['updated_on', 'timestamptz'],
    ['removed', 'boolean'],
    ['kv_revision', 'bigint'],
  ],
  version: ['kv_revision'],
};

export const BUILDINGS: ReadModelTable = {
  name: 'matrix.buildings',
  key: ['pid'],
  columns: [
    ['pid', 'text'],
    ['prop_id', 'text'],
    ['org_id', 'text'],
    ['removed', 'boolean'],
    ['kv_revision', 'bigint'],
  ],
  version: ['kv_revision'],
};

export const PROPERTIES: ReadModelTable = {
  name: 'matrix.properties',
  key: ['prop_id'],
  columns: [
    ['prop_id', 'text'],
    ['org_id', 'text'],
    ['removed', 'boolean'],
    ['kv_revision', 'bigint'],
  ],
  version: ['kv_revision'],
};

export const EVENT_READ_MODELS = {
  zones: ZONES,
  levels: LEVELS,
  incidents: INCIDENTS,
  tasks: TASKS,
  shifts: SHIFTS,
};

/**
 * The upsert of a batch of rows (the JSON array in `$1`, one row per key) that changes a stored row only
 * where the change's version is greater: a redelivered change (same version) or an older one arriving
 * late leaves it as it is. `earliest` columns take the least value whichever change is newer.
 */
export function versionedUpsert(table: ReadModelTable): string {
  const names = table.columns.map(([name]) => name);
  const t = table.name;
  const newer = `(${table.version.map((c) => `${t}.${c}`).join(', ')}) < (${table.version
    .map((c) => `excluded.${c}`)
    .join(', ')})`;
  const earliest = new Set(table.earliest ?? []);
  const updated = names.filter((name) => !table.key.includes(name));
  const set = updated.map((name) =>
    earliest.has(name)
      ? `${name} = least(${t}.${name}, excluded.${name})`
      : earliest.size > 0
        ? `${name} = case when ${newer} then excluded.${name} else ${t}.${name} end`
        : `${name} = excluded.${name}`,
  );
  const where = [newer, ...[...earliest].map((name) => `excluded.${name} < ${t}.${name}`)].join(' or ');
  return `
    insert into ${t} (${names.join(', ')})
    select ${names.join(', ')}
      from jsonb_to_recordset($1::jsonb) as r(${table.columns.map(([n, type]) => `${n} ${type}`).join(', ')})
    on conflict (${table.key.join(', ')}) do update
       set ${set.join(',\n           ')}
     where ${where}`;
}
