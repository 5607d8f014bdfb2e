import { emptyDevice, emptyZone, storedDevice, type DeviceRecord, type ZoneRecord } from './solution-engine';
import { NOT_STORED, type RecordWrite, type StoredRecord } from './solutions.repository';

/** A record held in memory: as last read or changed, the version it was read or last written at. */
type Entry = StoredRecord & {
  /** The checkpoint count when a batch last used it (what eviction goes by). */
  used: number;
};

/** The records a checkpoint writes, as they were when it was taken. */
export interface RecordSnapshot {
  readonly writes: RecordWrite[];
  readonly entries: readonly Entry[];
}

/**
 * The rule state of the devices and zones the leading replica has seen (ADR-23): read from
 * `workforce.solution_state` on first use, changed in memory by each batch, and written back by the
 * next write (`takeChanged` → `committed`). A batch's keys are all present before it is evaluated
 * (`missing` → `fill`). Bounded: past `max` records, those used least recently and not changed since
 * the last checkpoint are let go (read again when next needed).
 */
export class RecordCache {
  private readonly entries = new Map<string, Entry>();
  private changed = new Set<string>();
  private checkpoints = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The keys not held; those held count as used now, so that a checkpoint ending while the batch reads the
   * others does not let them go (eviction takes the least recently used).
   */
  missing(keys: Iterable<string>): string[] {
    const out: string[] = [];
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) entry.used = this.checkpoints;
      else out.push(key);
    }
    return out;
  }

  /** Holds the records read for `keys`; a key with none stored gets an empty record, not stored yet. */
  fill(keys: readonly string[], loaded: ReadonlyMap<string, StoredRecord>): void {
    for (const key of keys) {
      const stored = loaded.get(key);
      const entry: Entry = stored
        ? { ...stored, used: this.checkpoints }
        : isDeviceKey(key)
          ? { kind: 'device', record: emptyDevice(), version: NOT_STORED, used: this.checkpoints }
          : { kind: 'zone', record: emptyZone(), version: NOT_STORED, used: this.checkpoints };
      this.entries.set(key, entry);
    }
  }

  /** The held records of `keys` as the engine takes them (its changes land in the held records). */
  view(keys: Iterable<string>): { devices: Map<string, DeviceRecord>; zones: Map<string, ZoneRecord> } {
    const devices = new Map<string, DeviceRecord>();
    const zones = new Map<string, ZoneRecord>();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (!entry) throw new Error(`the solutions' record ${key.replace('\u0000', ' ')} is not held`);
      entry.used = this.checkpoints;
      if (entry.kind === 'device') devices.set(key, entry.record);
      else zones.set(key, entry.record);
    }
    return { devices, zones };
  }

  /** Marks records the engine changed (for the next checkpoint). */
  markChanged(keys: Iterable<string>): void {
    for (const key of keys) if (this.entries.has(key)) this.changed.add(key);
  }

  /**
   * The records changed since they were last taken, as JSON now, and forgets that they changed: all of
   * them (a checkpoint), or only those of `keys` (a raise).
   */
  takeChanged(keys?: Iterable<string>): RecordSnapshot {
    const writes: RecordWrite[] = [];
    const entries: Entry[] = [];
    const taken = keys === undefined ? this.changed : new Set([...keys].filter((k) => this.changed.has(k)));
    for (const key of taken) {
      const entry = this.entries.get(key)!;
      const state = entry.kind === 'device' ? storedDevice(entry.record) : entry.record;
      writes.push({ key, state: JSON.stringify(state), version: entry.version });
      entries.push(entry);
    }
    if (keys === undefined) {
      this.changed = new Set();
      this.checkpoints += 1;
    } else {
      for (const key of taken) this.changed.delete(key);
    }
    return { writes, entries };
  }

  /** A snapshot was written: each of its records is now at the next version. */
  committed(snapshot: RecordSnapshot): void {
    for (const entry of snapshot.entries) {
      entry.version = entry.version === NOT_STORED ? 1 : entry.version + 1;
    }
  }

  /** Lets go of the least recently used unchanged records past `max` (down to 90 % of it). */
  evict(): number {
    if (this.entries.size <= this.max) return 0;
    const target = Math.floor(this.max * 0.9);
    const candidates = [...this.entries].filter(([key]) => !this.changed.has(key));
    candidates.sort(([, a], [, b]) => a.used - b.used);
    let evicted = 0;
    for (const [key] of candidates) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
      evicted += 1;
    }
    return evicted;
  }

  /** Forgets every record and every change (the state is read again from the table). */
  clear(): void {
    this.entries.clear();
    this.changed = new Set();
  }
}

const isDeviceKey = (key: string) => key.includes('\u0000device:');
