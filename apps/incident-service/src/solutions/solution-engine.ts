import { RULES_OF_SLOT_TYPE, type SolutionParams, type SolutionRule } from './solution-params';
import { RULES, type RuleState, type Trigger } from './solution-rules';

/**
 * The solutions engine, pure: a batch of readings, the stored records of their devices and zones, and
 * the buildings' parameters in; the records changed and the incidents to raise out. The caller
 * (SolutionsRepository) reads and locks the records, and writes the changes and the incidents in one
 * transaction, so their effect is exactly once:
 *
 * - **Redelivery, replay, redrive**: each device remembers the reading ids it applied within
 *   `LATE_HORIZON_MS` of its newest reading (its last `MAX_SEEN`); a reading it remembers is a duplicate and
 *   changes nothing. A reading older than that horizon is *late* and ignored (it cannot be told from a
 *   replay). An incident's request key is its rule and triggering reading, so even a raise replayed past
 *   the horizon finds the incident it created.
 * - **Out of order**: readings are applied in their own time order within a batch, and each rule and block
 *   window compares reading times, not arrival (solution-rules.ts says per rule what a late reading does).
 */

/** How far behind a device's newest reading a reading is still applied (and remembered). */
export const LATE_HORIZON_MS = 60 * 60 * 1000;
/**
 * Most readings a device remembers. The record is rewritten with every batch that touches the device, and a
 * record over PostgreSQL's 2 kB TOAST threshold costs several times as much to write, so it is kept well
 * under: 32 readings, each by the last 12 characters of its id (48 bits of the SHA-256 reading id) and its
 * time as milliseconds before the device's newest reading. A device sending every 10 s remembers about 5
 * minutes; a reading no newer than the oldest it remembers is late.
 */
export const MAX_SEEN = 32;
const SEEN_ID_LENGTH = 12;
export const seenId = (id: string) => (id.length <= SEEN_ID_LENGTH ? id : id.slice(-SEEN_ID_LENGTH));
/** A reading stamped further ahead of the service's clock than this is not applied (a device's clock glitch). */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/**
 * A reading older than this (by the service's clock) is applied to its rules' state but raises nothing: an
 * incident for a threshold crossed hours ago is not work for the seat on shift now (a backlog, a device
 * that posts late).
 */
export const STALE_MS = 60 * 60 * 1000;
/** How long raises are remembered for block windows (longest block: 7 days). */
const RAISES_KEPT_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_RAISES = 16;

/** One reading, from a `SENSOR_DATA` message. */
export interface SolutionReading {
  /** Its reading id (`Matrix-Reading-Ids`). */
  readonly id: string;
  readonly pid: string;
  readonly propId: string | undefined;
  readonly zoneId: string;
  readonly devId: string;
  /** `Provider#SlotType`, and the slot type alone. */
  readonly devType: string;
  readonly slotType: string;
  /** Epoch ms. */
  readonly at: number;
  /** The slot's IANA time zone. */
  readonly region: string;
  readonly v: Readonly<Record<string, unknown>>;
}

/** What a device remembers (`workforce.solution_state`, scope `device:<DEVID>`). */
export interface DeviceRecord {
  newest: number;
  /** `[seenId(reading id), at]`, oldest first (stored with `at` as ms before `newest`: storedDevice). */
  seen: [string, number][];
  rules: Partial<Record<SolutionRule, RuleState>>;
  /** Times (epoch ms, reading time) of the incidents raised from the device. */
  raises: number[];
}

/** What a zone remembers (scope `zone:<InsID>`): the incidents raised in it. */
export interface ZoneRecord {
  raises: { at: number; slotType: string }[];
}

export const emptyDevice = (): DeviceRecord => ({ newest: 0, seen: [], rules: {}, raises: [] });
export const emptyZone = (): ZoneRecord => ({ raises: [] });

export const deviceScope = (devId: string) => `device:${devId}`;
export const zoneScope = (zoneId: string) => `zone:${zoneId}`;
/** The key of a building's record in the maps the engine works on. */
export const recordKey = (pid: string, scope: string) => `${pid}\u0000${scope}`;

export interface SolutionRaise {
  readonly reading: SolutionReading;
  readonly rule: SolutionRule;
  readonly trigger: Trigger;
}

export interface EngineInput {
  readonly readings: readonly SolutionReading[];
  readonly devices: Map<string, DeviceRecord>;
  readonly zones: Map<string, ZoneRecord>;
  params(pid: string, slotType: string): SolutionParams;
  /** The zone's last clean time (epoch ms, 0 if never). */
  lastCleanAt(pid: string, zoneId: string): number;
  /** The service's clock (epoch ms). */
  readonly now: number;
}

export interface EngineOutput {
  readonly raises: SolutionRaise[];
  /** Record keys (`recordKey`) whose record changed. */
  readonly changed: Set<string>;
  readonly counts: {
    applied: number;
    duplicate: number;
    late: number;
    future: number;
    stale: number;
    blocked: number;
    disabled: number;
  };
}

/** What a batch of no readings did. */
export const noCounts = (): EngineOutput['counts'] => ({
  applied: 0,
  duplicate: 0,
  late: 0,
  future: 0,
  stale: 0,
  blocked: 0,
  disabled: 0,
});

/** Applies the readings to the records (mutating the maps' records) and answers what to raise. */
export function evaluate(input: EngineInput): EngineOutput {
  const raises: SolutionRaise[] = [];
  const changed = new Set<string>();
  const counts = noCounts();
  // In reading-time order across devices: of two readings of one zone that would both raise, the earlier
  // one raises and the later one is within its block window, whatever the batch holds.
  const ordered = [...input.readings].sort(
    (a, b) => a.at - b.at || compare(a.pid, b.pid) || compare(a.devId, b.devId) || compare(a.id, b.id),
  );
  for (const reading of ordered) {
    const params = input.params(reading.pid, reading.slotType);
    const rules = RULES_OF_SLOT_TYPE[reading.slotType] ?? [];
    if (!params.Enabled || rules.length === 0) {
      counts.disabled++;
      continue;
    }
    if (reading.at > input.now + FUTURE_TOLERANCE_MS) {
      counts.future++;
      continue;
    }
    const stale = reading.at < input.now - STALE_MS;
    const deviceKey = recordKey(reading.pid, deviceScope(reading.devId));
    const device = input.devices.get(deviceKey) ?? emptyDevice();
    input.devices.set(deviceKey, device);
    const seen = admit(device, reading);
    if (seen !== 'new') {
      counts[seen]++;
      continue;
    }
    counts.applied++;
    changed.add(deviceKey);
    const zoneKey = recordKey(reading.pid, zoneScope(reading.zoneId));
    for (const rule of rules) {
      const outcome = RULES[rule](device.rules[rule] ?? {}, reading, params, {
        lastCleanAt: input.lastCleanAt(reading.pid, reading.zoneId),
        slotType: reading.slotType,
      });
      if (!outcome.trigger) {
        device.rules[rule] = outcome.next;
        continue;
      }
      const zone = input.zones.get(zoneKey) ?? emptyZone();
      input.zones.set(zoneKey, zone);
      if (stale || blocked(device, zone, reading.at, params)) {
        counts[stale ? 'stale' : 'blocked']++;
        device.rules[rule] = outcome.next;
        continue;
      }
      device.rules[rule] = outcome.raised ?? outcome.next;
      device.raises = keepRecent([...device.raises, reading.at], (t) => t, device.newest);
      zone.raises = keepRecent(
        [...zone.raises, { at: reading.at, slotType: reading.slotType }],
        (r) => r.at,
        device.newest,
      );
      changed.add(zoneKey);
      raises.push({ reading, rule, trigger: outcome.trigger });
    }
  }
  return { raises, changed, counts };
}

/**
 * The ids a device's `seen` list holds, as a set beside it (not stored: rebuilt from the list when the list
 * is new, e.g. read from the database). Looking a reading up in the list itself was the engine's largest cost
 * in a profile: 32 entries of arrays and strings scattered over the heap, compared for every reading.
 */
const seenIndexes = new WeakMap<DeviceRecord['seen'], Set<string>>();
function seenIndex(seen: DeviceRecord['seen']): Set<string> {
  let index = seenIndexes.get(seen);
  if (!index) {
    index = new Set(seen.map(([id]) => id));
    seenIndexes.set(seen, index);
  }
  return index;
}

/** Remembers a new reading of the device; a reading it remembers is a duplicate, one past the horizon late. */
function admit(device: DeviceRecord, reading: SolutionReading): 'new' | 'duplicate' | 'late' {
  const id = seenId(reading.id);
  const seen = device.seen;
  const index = seenIndex(seen);
  if (index.has(id)) return 'duplicate';
  const oldest = seen[0]?.[1];
  if (
    reading.at < device.newest - LATE_HORIZON_MS ||
    // Full: a reading as old as the oldest remembered may be one whose id was already let go.
    (seen.length >= MAX_SEEN && oldest !== undefined && reading.at <= oldest)
  ) {
    return 'late';
  }
  if (reading.at >= device.newest) {
    seen.push([id, reading.at]); // in order: the usual case
  } else {
    let i = seen.length;
    while (i > 0 && seen[i - 1]![1] > reading.at) i -= 1;
    seen.splice(i, 0, [id, reading.at]);
  }
  index.add(id);
  device.newest = Math.max(device.newest, reading.at);
  let drop = Math.max(0, seen.length - MAX_SEEN);
  while (drop < seen.length && seen[drop]![1] < device.newest - LATE_HORIZON_MS) drop += 1;
  if (drop > 0) for (const [dropped] of seen.splice(0, drop)) index.delete(dropped);
  return 'new';
}

/** A device's record as stored: the remembered readings' times as milliseconds before its newest. */
export function storedDevice(device: DeviceRecord): DeviceRecord {
  return { ...device, seen: device.seen.map(([id, at]) => [id, device.newest - at]) };
}

/** A device's record as read: the remembered readings' times back in epoch milliseconds. */
export function loadedDevice(stored: Partial<DeviceRecord>): DeviceRecord {
  const device = { ...emptyDevice(), ...stored };
  return { ...device, seen: device.seen.map(([id, before]) => [id, device.newest - before]) };
}

/** Whether an incident at `at` falls within a block window of the device's or the zone's earlier (or later) ones. */
function blocked(device: DeviceRecord, zone: ZoneRecord, at: number, p: SolutionParams): boolean {
  const deviceMs = p.DeviceBlockSeconds * 1000;
  const zoneMs = p.ZoneBlockSeconds * 1000;
  return (
    device.raises.some((t) => Math.abs(at - t) < deviceMs) ||
    zone.raises.some((r) => Math.abs(at - r.at) < zoneMs)
  );
}

function keepRecent<T>(items: T[], at: (item: T) => number, newest: number): T[] {
  const kept = items.filter((item) => at(item) >= newest - RAISES_KEPT_MS).sort((a, b) => at(a) - at(b));
  return kept.slice(Math.max(0, kept.length - MAX_RAISES));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
