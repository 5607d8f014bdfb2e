/**
 * One device slot as the gateway writes it to the `DEVICE_SLOTS` KV bucket (key = the slot's alias, the
 * `DEVID` of its readings; see matrix-api-gateway `directoryEntry()`). Only what enrichment needs is
 * typed; `PID`, `InsID` and `Region` are required, because without them the entry cannot place a reading.
 */
export interface DeviceSlotEntry {
  readonly Alias: string;
  /** `Provider#SlotType` of the slot. */
  readonly DevType: string;
  /** Building. */
  readonly PID: string;
  /** Zone (installation) the slot is in. */
  readonly InsID: string;
  /** IANA time zone of the slot. */
  readonly Region: string;
  readonly PropId?: string;
  readonly Display?: string;
  readonly LID?: string;
  readonly Org?: string;
  readonly Provider?: string;
  readonly Devid?: string;
  readonly UpdatedOn?: string;
}

const REQUIRED = ['DevType', 'PID', 'InsID', 'Region'] as const;
const OPTIONAL = ['PropId', 'Display', 'LID', 'Org', 'Provider', 'Devid', 'UpdatedOn'] as const;

/**
 * Reads a KV value into an entry for `alias` (the key wins over a differing `Alias` in the value).
 * Optional fields that are `null` or empty are left out. Returns the problems when the value cannot
 * place a reading, so the caller can log them and treat the slot as not in the registry.
 */
export function parseDeviceSlotEntry(
  alias: string,
  value: unknown,
): { ok: true; entry: DeviceSlotEntry } | { ok: false; errors: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: ['value: must be a JSON object'] };
  }
  const record = value as Record<string, unknown>;
  const errors: string[] = [];
  const entry: Record<string, string> = { Alias: alias };
  for (const field of REQUIRED) {
    const v = record[field];
    if (typeof v === 'string' && v !== '') entry[field] = v;
    else errors.push(`${field}: must be a non-empty string`);
  }
  for (const field of OPTIONAL) {
    const v = record[field];
    if (typeof v === 'string' && v !== '') entry[field] = v;
    else if (v !== undefined && v !== null && v !== '') errors.push(`${field}: must be a string or null`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entry: entry as unknown as DeviceSlotEntry };
}
