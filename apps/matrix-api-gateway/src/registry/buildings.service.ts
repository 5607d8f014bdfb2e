import { Injectable } from '@nestjs/common';
import type { RegistryAccess, AccessLevel } from '../auth/registry-access';
import { newId, RegistryDb } from './registry-db';
import { notFound } from './registry-error';
import { CreateBuildingInput, UpdateBuildingInput } from './registry-inputs';
import type { Building, BuildingHeader } from './registry.types';
import { toBuilding } from './rows';
import { validateInput } from './validate-input';
import { Coalescer } from './coalescer';
import { PropertiesService } from './properties.service';

const SELECT = `select b.*, p.org_id from registry.buildings b join registry.properties p using (prop_id)`;

@Injectable()
export class BuildingsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly properties: PropertiesService,
  ) {}

  /** Loads a building the caller may touch at `needed`, or throws NOT_FOUND (also for other tenants'). */
  async load(access: RegistryAccess, pid: string, needed: AccessLevel = 'read'): Promise<Building> {
    const [row] = await this.db.query(`${SELECT} where b.pid = $1`, [pid]);
    const missing = () => notFound('building', pid);
    if (!row) throw missing();
    access.check(needed, { orgId: row['org_id'] as string, propId: row['prop_id'] as string }, missing);
    return toBuilding(row);
  }

  /**
   * Checks that the caller may read building `pid` (NOT_FOUND otherwise, as {@link load}) and returns its
   * `zone_map_version`, which changes in the same transaction as any change of its zones. Concurrent
   * calls for one building share reads ({@link Coalescer}), never one that started before they were made.
   */
  async zoneMapVersion(access: RegistryAccess, pid: string): Promise<bigint> {
    return (await this.header(access, pid)).zoneMapVersion;
  }

  /**
   * The building's identity, tenancy and `zone_map_version` in one query, for a caller that may read it
   * (NOT_FOUND otherwise, as {@link load}); reads shared as in {@link zoneMapVersion}. A forwarded call
   * needs no more of the building, and its zones come from the zone map cache checked against the version.
   */
  async header(access: RegistryAccess, pid: string): Promise<BuildingHeader> {
    const row = await this.headers.get(pid);
    const missing = () => notFound('building', pid);
    if (!row) throw missing();
    access.check('read', { orgId: row.org_id, propId: row.prop_id }, missing);
    return {
      pid,
      orgId: row.org_id,
      propId: row.prop_id,
      name: row.name,
      timeZone: row.time_zone,
      zoneMapVersion: BigInt(row.version),
    };
  }

  private readonly headers = new Coalescer(async (pid: string) => {
    const [row] = await this.db.query<{
      org_id: string;
      prop_id: string;
      name: string;
      time_zone: string;
      version: string;
    }>(
      `select p.org_id, b.prop_id, b.name, b.time_zone, b.zone_map_version::text as version
       from registry.buildings b join registry.properties p using (prop_id) where b.pid = $1`,
      [pid],
    );
    return row;
  });

  async listByProperty(access: RegistryAccess, propId: string): Promise<Building[]> {
    await this.properties.read(access, propId);
    const rows = await this.db.query(`${SELECT} where b.prop_id = $1 order by b.name`, [propId]);
    return rows.map(toBuilding);
  }

  /** Buildings by id; ids the caller may not see are left out, as missing ones are. */
  async readMany(access: RegistryAccess, pids: string[]): Promise<Building[]> {
    const rows = await this.db.query(`${SELECT} where b.pid = any($1::text[]) order by b.name`, [pids]);
    return rows
      .filter((row) => access.canSee({ orgId: row['org_id'] as string, propId: row['prop_id'] as string }))
      .map(toBuilding);
  }

  async create(access: RegistryAccess, propId: string, input: unknown, strict = false): Promise<Building> {
    const data = validateInput(CreateBuildingInput, input, strict);
    const property = await this.properties.read(access, propId);
    access.check('write', { orgId: property.orgId, propId }, () => notFound('property', propId));
    const [row] = await this.db.query(
      `insert into registry.buildings (pid, prop_id, name, config, operating_hours, address, coordinates, levels_count,
         time_zone, is_beacon_enabled, is_property_address, country, country_locale, area, created_by, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) returning *`,
      [
        data.pid ?? newId(),
        propId,
        data.name,
        data.email ? { Email: data.email } : {},
        data.operatingHours ?? null,
        data.address ?? null,
        data.coordinates ?? null,
        data.levelsCount,
        data.timeZone,
        data.isBeaconEnabled ?? false,
        data.isPropertyAddress ?? false,
        data.country ?? null,
        data.countryLocale ?? null,
        data.area ?? null,
        access.actor,
      ],
    );
    return toBuilding(row!);
  }

  async update(access: RegistryAccess, pid: string, input: unknown, strict = false): Promise<Building> {
    const data = validateInput(UpdateBuildingInput, input, strict);
    const current = await this.load(access, pid, 'write');
    const [row] = await this.db.query(
      `update registry.buildings set name = $2, status = $3, levels_count = $4, operating_hours = $5, time_zone = $6,
         config = $7, area = $8, updated_by = $9, updated_on = now()
       where pid = $1 returning *`,
      [
        pid,
        data.name ?? current.name,
        data.status ?? current.status,
        data.levelsCount ?? current.levelsCount,
        data.operatingHours ?? current.operatingHours,
        data.timeZone ?? current.timeZone,
        data.email ? { ...current.config, Email: data.email } : current.config,
        data.area ?? current.area,
        access.actor,
      ],
    );
    return toBuilding(row!);
  }
}
