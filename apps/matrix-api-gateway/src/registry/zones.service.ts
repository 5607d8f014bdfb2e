import { Injectable } from '@nestjs/common';
import type { Transaction } from '@matrix/persistence';
import { jsonBytes, type JsonBytes } from '../json-bytes';
import type { Outbox } from '../outbox/outbox';
import { BuildingsService } from './buildings.service';
import { gridEvent } from './grid-events';
import type { RegistryAccess } from '../auth/registry-access';
import { decodeCursor, encodeCursor, newId, RegistryDb } from './registry-db';
import { notFound, RegistryError } from './registry-error';
import { CreateZonesInput, UpdateZoneInput } from './registry-inputs';
import type { Building, BuildingHeader, Page, Zone } from './registry.types';
import { toZone } from './rows';
import { validateInput } from './validate-input';
import {
  type CachedZone,
  MAX_CACHED_ZONES_PER_BUILDING,
  ZoneMapCache,
  ZoneMapSnapshot,
  type ZoneName,
} from './zone-map-cache';

export const ZONE_PAGE = { default: 1000, max: 5000 };
const MAX_CATEGORY_FILTERS = 10;

function pageOf<T>(rows: T[], limit: number, idOf: (row: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: encodeCursor(idOf(items[items.length - 1]!)) };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return ZONE_PAGE.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > ZONE_PAGE.max) {
    throw new RegistryError('INVALID', `limit must be a whole number from 1 to ${ZONE_PAGE.max}`);
  }
  return limit;
}

@Injectable()
export class ZonesService {
  private readonly loadingZoneMaps = new Map<string, Promise<ZoneMapSnapshot | undefined>>();

  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
    private readonly zoneMaps: ZoneMapCache,
  ) {}

  /**
   * The zone map (zone id → name) of a building as one serialised answer of a surface: `render` turns a
   * page (after `cursor`, up to `limit` zones, default and most {@link ZONE_PAGE}.max) into the answer
   * body, and `surface` names that rendering. Served from this replica's {@link ZoneMapCache} while the
   * building's zone-map version is unchanged; one query (tenancy + version) per call then.
   */
  async zoneMapJson(
    access: RegistryAccess,
    pid: string,
    cursor: string | undefined,
    limit: number | undefined,
    surface: string,
    render: (page: Page<ZoneName>) => unknown,
  ): Promise<JsonBytes> {
    const version = await this.buildings.zoneMapVersion(access, pid);
    const size = clampLimit(limit ?? ZONE_PAGE.max);
    decodeCursor(cursor);
    const snapshot = await this.zoneMapSnapshot(pid, version);
    if (!snapshot) return jsonBytes(render(await this.zoneMapPage(pid, cursor, size)));
    return snapshot.render(`${surface} ${size} ${cursor ?? ''}`, () => render(snapshot.page(cursor, size)));
  }

  /**
   * A snapshot of the building's zone map at version `seen` or later: cached, or loaded once for all the
   * calls that miss at the same time. Undefined when the building has too many zones to cache.
   */
  private async zoneMapSnapshot(pid: string, seen: bigint): Promise<ZoneMapSnapshot | undefined> {
    const cached = this.zoneMaps.get(pid, seen);
    if (cached) return cached;
    const inFlight = this.loadingZoneMaps.get(pid);
    if (inFlight) {
      const shared = await inFlight.catch(() => undefined);
      if (shared && shared.version >= seen) return shared;
    }
    const load = this.loadZoneMap(pid, seen);
    this.loadingZoneMaps.set(pid, load);
    try {
      return await load;
    } finally {
      if (this.loadingZoneMaps.get(pid) === load) this.loadingZoneMaps.delete(pid);
    }
  }

  /**
   * Loads a building's whole zone map with its version in one statement (one MVCC snapshot), and caches
   * it; undefined when the building has too many zones to cache.
   */
  private async loadZoneMap(pid: string, seen: bigint): Promise<ZoneMapSnapshot | undefined> {
    if (this.zoneMaps.isTooLarge(pid, seen)) return undefined;
    const rows = await this.db.query<{
      version: string;
      ins_id: string | null;
      name: string | null;
      zone_category_id: string | null;
    }>(
      `select b.zone_map_version::text as version, z.ins_id, z.name, z.zone_category_id
       from registry.buildings b
       left join lateral (
         select ins_id, name, zone_category_id from registry.zones where pid = b.pid order by ins_id collate "C" limit $2
       ) z on true
       where b.pid = $1
       order by z.ins_id collate "C"`,
      [pid, MAX_CACHED_ZONES_PER_BUILDING + 1],
    );
    if (rows.length === 0) throw notFound('building', pid);
    const version = BigInt(rows[0]!.version);
    if (rows.length > MAX_CACHED_ZONES_PER_BUILDING) {
      this.zoneMaps.markTooLarge(pid, version);
      return undefined;
    }
    const zones = rows
      .filter((r) => r.ins_id !== null)
      .map((r) => ({ insId: r.ins_id!, name: r.name!, categoryId: r.zone_category_id }));
    const snapshot = new ZoneMapSnapshot(pid, version, zones);
    this.zoneMaps.put(snapshot);
    return snapshot;
  }

  /** One page of a building's zone map straight from the database (buildings too large to cache). */
  private async zoneMapPage(pid: string, cursor: string | undefined, size: number): Promise<Page<ZoneName>> {
    const rows = await this.db.query<{ ins_id: string; name: string }>(
      `select ins_id, name from registry.zones where pid = $1 and ins_id collate "C" > $2
       order by ins_id collate "C" limit $3`,
      [pid, decodeCursor(cursor), size + 1],
    );
    return pageOf(
      rows.map((r) => ({ insId: r.ins_id, name: r.name })),
      size,
      (z) => z.insId,
    );
  }

  async listByBuilding(
    access: RegistryAccess,
    pid: string,
    cursor?: string,
    limit?: number,
  ): Promise<Page<Zone>> {
    await this.buildings.load(access, pid);
    const size = clampLimit(limit);
    const rows = await this.db.query(
      'select * from registry.zones where pid = $1 and ins_id > $2 order by ins_id limit $3',
      [pid, decodeCursor(cursor), size + 1],
    );
    return pageOf(rows.map(toZone), size, (z) => z.insId);
  }

  async listByLevel(
    access: RegistryAccess,
    pid: string,
    lid: string,
    categories: string[] = [],
    cursor?: string,
    limit?: number,
  ): Promise<Page<Zone>> {
    await this.buildings.load(access, pid);
    if (categories.length > MAX_CATEGORY_FILTERS) {
      throw new RegistryError('LIMIT_VIOLATED', `at most ${MAX_CATEGORY_FILTERS} zone-category filters`);
    }
    const [level] = await this.db.query('select 1 from registry.levels where lid = $1 and pid = $2', [
      lid,
      pid,
    ]);
    if (!level) throw notFound('level', lid);
    const size = clampLimit(limit);
    const rows = await this.db.query(
      `select * from registry.zones where lid = $1 and ins_id > $2 and ($3::text[] is null or zone_category_id = any($3))
       order by ins_id limit $4`,
      [lid, decodeCursor(cursor), categories.length > 0 ? categories : null, size + 1],
    );
    return pageOf(rows.map(toZone), size, (z) => z.insId);
  }

  /** A building's zones of one category (`scgrids.listZonesByZoneCategory`), paged as {@link listByBuilding}. */
  async listByCategory(
    access: RegistryAccess,
    pid: string,
    categoryId: string,
    cursor?: string,
    limit?: number,
  ): Promise<Page<Zone>> {
    await this.buildings.load(access, pid);
    const size = clampLimit(limit);
    const rows = await this.db.query(
      `select * from registry.zones where pid = $1 and zone_category_id = $2 and ins_id > $3
       order by ins_id limit $4`,
      [pid, categoryId, decodeCursor(cursor), size + 1],
    );
    return pageOf(rows.map(toZone), size, (z) => z.insId);
  }

  async read(access: RegistryAccess, pid: string, insId: string): Promise<Zone> {
    await this.buildings.load(access, pid);
    const [row] = await this.db.query('select * from registry.zones where ins_id = $1 and pid = $2', [
      insId,
      pid,
    ]);
    if (!row) throw notFound('zone', insId);
    return toZone(row);
  }

  async listByIds(access: RegistryAccess, pid: string, insIds: string[]): Promise<Zone[]> {
    await this.buildings.load(access, pid);
    if (insIds.length > ZONE_PAGE.max) {
      throw new RegistryError('LIMIT_VIOLATED', `at most ${ZONE_PAGE.max} ids`);
    }
    const rows = await this.db.query(
      'select * from registry.zones where pid = $1 and ins_id = any($2::text[]) order by ins_id',
      [pid, insIds],
    );
    return rows.map(toZone);
  }

  /**
   * The zones `insIds` of a building whose header (tenancy checked, version read) the caller already
   * has: from this replica's zone map cache at that version or later (loaded when missing), or, for a
   * building too large to cache, by one query. Ids that are not zones of the building are left out.
   */
  async named(building: BuildingHeader, insIds: readonly string[]): Promise<CachedZone[]> {
    if (insIds.length === 0) return [];
    if (insIds.length > ZONE_PAGE.max) {
      throw new RegistryError('LIMIT_VIOLATED', `at most ${ZONE_PAGE.max} ids`);
    }
    const snapshot = await this.zoneMapSnapshot(building.pid, building.zoneMapVersion);
    if (snapshot) return insIds.flatMap((id) => snapshot.zone(id) ?? []);
    const rows = await this.db.query<{ ins_id: string; name: string; zone_category_id: string | null }>(
      'select ins_id, name, zone_category_id from registry.zones where pid = $1 and ins_id = any($2::text[])',
      [building.pid, [...insIds]],
    );
    return rows.map((r) => ({ insId: r.ins_id, name: r.name, categoryId: r.zone_category_id }));
  }

  /** Creates zones in one transaction; every zone's level must belong to the building. */
  async create(access: RegistryAccess, pid: string, input: unknown, strict = false): Promise<Zone[]> {
    const { zones } = validateInput(CreateZonesInput, input, strict);
    const building = await this.buildings.load(access, pid, 'write');
    const lids = [...new Set(zones.map((z) => z.lid))];
    const found = await this.db.query<{ lid: string }>(
      'select lid from registry.levels where pid = $1 and lid = any($2::text[])',
      [pid, lids],
    );
    const unknown = lids.filter((lid) => !found.some((row) => row.lid === lid));
    if (unknown.length > 0) {
      throw new RegistryError('INVALID', `level ${unknown.join(', ')} is not a level of building ${pid}`);
    }
    return this.db.transaction(async (tx, outbox) => {
      const created: Zone[] = [];
      for (const z of zones) {
        const [row] = await tx.query(
          `insert into registry.zones (ins_id, pid, lid, name, area, floor_type, beacon_id, zone_category_id, tags, units, status,
             is_building_operating_hours, operating_hours)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning *`,
          [
            newId(),
            pid,
            z.lid,
            z.name,
            z.area ?? null,
            z.floorType ?? null,
            z.beaconId ?? null,
            z.zoneCategoryId ?? null,
            z.tags ?? null,
            z.units ?? null,
            z.status ?? 'active',
            z.isBuildingOperatingHours ?? !z.operatingHours,
            z.operatingHours ?? null,
          ],
        );
        const zone = toZone(row);
        created.push(zone);
        await outbox.event(gridEvent('ZONE_CREATED', building, { zone }));
      }
      return created;
    });
  }

  async update(
    access: RegistryAccess,
    pid: string,
    insId: string,
    input: unknown,
    strict = false,
  ): Promise<Zone> {
    const data = validateInput(UpdateZoneInput, input, strict);
    const building = await this.buildings.load(access, pid, 'write');
    return this.db.transaction(async (tx, outbox) => {
      const [old] = await tx.query('select * from registry.zones where ins_id = $1 and pid = $2 for update', [
        insId,
        pid,
      ]);
      if (!old) throw notFound('zone', insId);
      const before = toZone(old);
      const [row] = await tx.query(
        `update registry.zones set name = $3, area = $4, floor_type = $5, status = $6, is_building_operating_hours = $7,
           operating_hours = $8, units = $9, zone_category_id = $10, tags = $11, beacon_id = $12, updated_on = now()
         where ins_id = $1 and pid = $2 returning *`,
        [
          insId,
          pid,
          data.name ?? before.name,
          data.area ?? before.area,
          data.floorType ?? before.floorType,
          data.status ?? before.status,
          data.isBuildingOperatingHours ?? before.isBuildingOperatingHours,
          data.operatingHours ?? before.operatingHours,
          data.units ?? before.units,
          data.zoneCategoryId ?? before.zoneCategoryId,
          data.tags ?? before.tags,
          data.beaconId ?? before.beaconId,
        ],
      );
      const zone = toZone(row);
      if (zone.name !== before.name) {
        await outbox.event(gridEvent('ZONE_NAME_MODIFIED', building, { zone }, { OldName: before.name }));
      }
      if (zone.status !== before.status) {
        await outbox.event(
          gridEvent('ZONE_STATUS_MODIFIED', building, { zone }, { OldStatus: before.status }),
        );
      }
      return zone;
    });
  }

  /** Removes a zone and its device slots (their directory entries go too). */
  async remove(access: RegistryAccess, pid: string, insId: string): Promise<Zone> {
    const building = await this.buildings.load(access, pid, 'admin');
    return this.db.transaction(async (tx, outbox) => removeZone(tx, outbox, building, insId));
  }
}

export async function removeZone(
  tx: Transaction,
  outbox: Outbox,
  building: Building,
  insId: string,
): Promise<Zone> {
  const [row] = await tx.query('select * from registry.zones where ins_id = $1 and pid = $2 for update', [
    insId,
    building.pid,
  ]);
  if (!row) throw notFound('zone', insId);
  const zone = toZone(row);
  const slots: { alias: string }[] = await tx.query(
    'delete from registry.device_slots where zone_id = $1 returning alias',
    [insId],
  );
  for (const { alias } of slots) await outbox.directory({ kind: 'kv-delete', key: alias });
  await tx.query('delete from registry.zones where ins_id = $1', [insId]);
  await outbox.event(gridEvent('ZONE_REMOVED', building, { zone }));
  return zone;
}
