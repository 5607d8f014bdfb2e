import { Injectable } from '@nestjs/common';
import { jsonBytes, type JsonBytes } from '../json-bytes';
import { decodeCursor, encodeCursor } from './registry-db';
import type { Page } from './registry.types';

export interface ZoneName {
  readonly insId: string;
  readonly name: string;
}

/** A zone as the cache keeps it: its name and category (what a forwarded call is told about it). */
export interface CachedZone extends ZoneName {
  readonly categoryId: string | null;
}

/** Buildings with more zones are paged from the database on every call and not cached. */
export const MAX_CACHED_ZONES_PER_BUILDING = 20_000;
/** Zones kept over all cached buildings; the least recently used buildings go first. */
export const MAX_CACHED_ZONES = 200_000;
/** Rendered answers (surface × cursor × limit) kept per building version. */
const MAX_RENDERED_PER_SNAPSHOT = 8;

/**
 * One building's zone map at one `zone_map_version`: its zones in byte order of their ids (the order
 * the zone map pages in, `collate "C"`), and the answers rendered from it, serialised once.
 */
export class ZoneMapSnapshot {
  private readonly rendered = new Map<string, JsonBytes>();
  /** insId → zone, built on the first {@link zone} lookup (zone maps that are only paged never need it). */
  private byId?: Map<string, CachedZone>;

  constructor(
    readonly pid: string,
    readonly version: bigint,
    /** Sorted by `insId` (code-unit order; ids and cursors are ASCII, so this is byte order). */
    readonly zones: readonly CachedZone[],
  ) {}

  /** The zone `insId` of this building, if it has one (exact match, as `ins_id = $1` compares). */
  zone(insId: string): CachedZone | undefined {
    this.byId ??= new Map(this.zones.map((zone) => [zone.insId, zone]));
    return this.byId.get(insId);
  }

  /** The zones after `cursor` (exclusive), at most `limit` of them, as the database query would page them. */
  page(cursor: string | undefined, limit: number): Page<ZoneName> {
    const after = decodeCursor(cursor);
    let lo = 0;
    let hi = this.zones.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.zones[mid]!.insId <= after) lo = mid + 1;
      else hi = mid;
    }
    const items = this.zones.slice(lo, lo + limit);
    const more = lo + limit < this.zones.length;
    return more ? { items, next: encodeCursor(items[items.length - 1]!.insId) } : { items };
  }

  /** The answer for `key`, serialised by `build` the first time (errors it throws are not cached). */
  render(key: string, build: () => unknown): JsonBytes {
    const cached = this.rendered.get(key);
    if (cached) return cached;
    const json = jsonBytes(build());
    if (this.rendered.size >= MAX_RENDERED_PER_SNAPSHOT) {
      this.rendered.delete(this.rendered.keys().next().value!);
    }
    this.rendered.set(key, json);
    return json;
  }
}

/**
 * Per-replica cache of building zone maps, keyed by building and `registry.buildings.zone_map_version`.
 *
 * Correct with any number of replicas: the version is bumped by a trigger in the same transaction as
 * any change of a building's zones (insert, delete, rename, new category, cascades), and every read first
 * reads the current version from PostgreSQL (with the building's tenancy, the one query it needed anyway). A
 * snapshot is served only when its version is at least the version read, so a change committed through any
 * replica is seen by the next read on every replica; nothing depends on events arriving. A snapshot is
 * loaded with its version in one statement (one MVCC snapshot), so its label is exact; one at a later
 * version than the one read may be served too (it only holds changes committed before the answer).
 */
@Injectable()
export class ZoneMapCache {
  /** pid → snapshot; Map order is recency (a hit moves the entry to the end). */
  private readonly snapshots = new Map<string, ZoneMapSnapshot>();
  private zones = 0;
  /** pid → the version at which the building had too many zones to cache. */
  private readonly tooLarge = new Map<string, bigint>();

  /**
   * The cached snapshot of `pid` at `version` or a later one, if any. (A later one holds changes that
   * committed after `version` was read, so before this answer: serving them is never stale.)
   */
  get(pid: string, version: bigint): ZoneMapSnapshot | undefined {
    const snapshot = this.snapshots.get(pid);
    if (!snapshot || snapshot.version < version) return undefined;
    this.snapshots.delete(pid);
    this.snapshots.set(pid, snapshot);
    return snapshot;
  }

  /** Keeps `snapshot` unless a newer version of its building is cached or it is too large. */
  put(snapshot: ZoneMapSnapshot): void {
    if (snapshot.zones.length > MAX_CACHED_ZONES_PER_BUILDING) return;
    const current = this.snapshots.get(snapshot.pid);
    if (current && current.version > snapshot.version) return;
    this.drop(snapshot.pid);
    this.snapshots.set(snapshot.pid, snapshot);
    this.zones += snapshot.zones.length;
    for (const pid of this.snapshots.keys()) {
      if (this.zones <= MAX_CACHED_ZONES) break;
      this.drop(pid);
    }
  }

  /** Forgets `pid`'s snapshot (optional: a newer version is never served stale anyway). */
  drop(pid: string): void {
    const snapshot = this.snapshots.get(pid);
    if (!snapshot) return;
    this.snapshots.delete(pid);
    this.zones -= snapshot.zones.length;
  }

  /** Remembers that `pid` had too many zones at `version`, so it is not loaded whole again until it changes. */
  markTooLarge(pid: string, version: bigint): void {
    if (this.tooLarge.size >= 1000) this.tooLarge.clear();
    this.tooLarge.set(pid, version);
    this.drop(pid);
  }

  isTooLarge(pid: string, version: bigint): boolean {
    return this.tooLarge.get(pid) === version;
  }

  /** Buildings and zones cached (for tests and metrics). */
  get size(): { buildings: number; zones: number } {
    return { buildings: this.snapshots.size, zones: this.zones };
  }
}
