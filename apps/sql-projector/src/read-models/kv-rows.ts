import { parseDeviceSlotEntry, parsePrincipalEntry } from '@matrix/contracts';
import type { KvChange } from './kv-table-feed';
import type { KvRow } from './read-models.repository';
import { BUILDINGS, DEVICE_SLOTS_TABLE, PROPERTIES } from './read-model-tables';

/** What a KV value the projector cannot read becomes, with the reason for the log. */
export interface KvRows {
  readonly rows: KvRow[];
  readonly refused?: string;
}

const epochOrIso = (value: string | undefined): string | null => {
  if (value === undefined) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
};

/**
 * A `DEVICE_SLOTS` change as a `matrix.device_slots` row (the gateway's `directoryEntry`: alias, slot
 * type, building, zone, time zone…). A delete — or a value that cannot place a reading, which
 * sensor-normaliser treats as not in the registry too — marks the slot `removed`.
 */
export function deviceSlotRows(change: KvChange): KvRows {
  const gone: KvRow = { key: change.key, revision: change.revision, table: DEVICE_SLOTS_TABLE, row: null };
  if (change.value === undefined) return { rows: [gone] };
  const parsed = parseDeviceSlotEntry(change.key, change.value);
  if (!parsed.ok) return { rows: [gone], refused: parsed.errors.join('; ') };
  const e = parsed.entry;
  const row = {
    alias: change.key,
    devtype: e.DevType,
    provider: e.Provider ?? null,
    org_id: e.Org ?? null,
    prop_id: e.PropId ?? null,
    pid: e.PID,
    lid: e.LID ?? null,
    insid: e.InsID,
    display: e.Display ?? null,
    region: e.Region,
    devid: e.Devid ?? null,
    updated_on: epochOrIso(e.UpdatedOn),
    removed: false,
    kv_revision: change.revision,
  };
  return { rows: [{ ...gone, row }] };
}

/**
 * A `PRINCIPALS` change (`{type, org, property}` under a building's or a property's id) as a row of
 * `matrix.buildings` or `matrix.properties`. A delete names no type, so it marks the key removed in both.
 */
export function principalRows(change: KvChange): KvRows {
  const deleted = (): KvRow[] =>
    [BUILDINGS, PROPERTIES].map((table) => ({
      key: change.key,
      revision: change.revision,
      table,
      row: null,
    }));
  if (change.value === undefined) return { rows: deleted() };
  const parsed = parsePrincipalEntry(change.key, change.value);
  if (!parsed.ok) return { rows: deleted(), refused: parsed.errors.join('; ') };
  const { type, org, property } = parsed.entry;
  const base = { key: change.key, revision: change.revision };
  const row =
    type === 'building'
      ? {
          ...base,
          table: BUILDINGS,
          row: {
            pid: change.key,
            prop_id: property,
            org_id: org,
            removed: false,
            kv_revision: change.revision,
          },
        }
      : {
          ...base,
          table: PROPERTIES,
          row: { prop_id: change.key, org_id: org, removed: false, kv_revision: change.revision },
        };
  return { rows: [row] };
}
