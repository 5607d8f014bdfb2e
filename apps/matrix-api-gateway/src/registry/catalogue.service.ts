import { Injectable } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import { PropertiesService } from './properties.service';
import { RegistryDb } from './registry-db';
import { notFound, RegistryError } from './registry-error';
import { CreatePropertyTypeInput, CreateZoneCategoryInput, CreateZoneUnitInput } from './registry-inputs';
import type { PropertyType, ZoneCategory, ZoneUnit } from './registry.types';
import { validateInput } from './validate-input';

type Row = Record<string, unknown>;
const toPropertyType = (r: Row): PropertyType => ({
  typeId: r['type_id'] as string,
  name: r['name'] as string,
  orgId: (r['org_id'] as string) ?? null,
});
const toZoneCategory = (r: Row): ZoneCategory => ({
  categoryId: r['category_id'] as string,
  name: r['name'] as string,
  propertyTypeId: r['property_type_id'] as string,
  propId: (r['prop_id'] as string) ?? null,
});
const toZoneUnit = (r: Row): ZoneUnit => ({
  unitId: r['unit_id'] as string,
  name: r['name'] as string,
  imageUrl: r['image_url'] as string,
  zoneCategoryId: r['zone_category_id'] as string,
  propId: r['prop_id'] as string,
});

/**
 * The grids catalogue (reference §7.2): property types (the system's and the organisation's own), a
 * property's zone categories and the units ("assets") of each category. What one tenant creates only it
 * sees: types belong to an organisation, categories and units to a property.
 */
@Injectable()
export class CatalogueService {
  constructor(
    private readonly db: RegistryDb,
    private readonly properties: PropertiesService,
  ) {}

  /** The system's property types and the caller's organisation's, by name. */
  async listPropertyTypes(access: RegistryAccess): Promise<PropertyType[]> {
    const rows = await this.db.query(
      `select * from registry.property_types where org_id is null or org_id = $1 order by name, type_id`,
      [access.orgId],
    );
    return rows.map(toPropertyType);
  }

  /** A property type of the caller's organisation; every property of it may use the type. */
  async createPropertyType(access: RegistryAccess, input: unknown): Promise<PropertyType> {
    const data = validateInput(CreatePropertyTypeInput, input);
    access.check('admin', { orgId: access.orgId }, () => notFound('organisation', access.orgId));
    // The check and the insert in one statement: a type id the system or the organisation already has
    // inserts nothing (the unique index catches two concurrent creations of one id).
    const [row] = await this.db.query(
      `insert into registry.property_types (type_id, org_id, name, created_by)
       select $1, $2, $3, $4
       where not exists (select 1 from registry.property_types
                         where type_id = $1 and (org_id is null or org_id = $2))
       returning *`,
      [data.typeId, access.orgId, data.name, access.actor],
    );
    if (!row) throw new RegistryError('CONFLICT', `the property type ${data.typeId} already exists`);
    return toPropertyType(row);
  }

  /** The zone categories a property may use (its own and the shared ones), optionally of one property type. */
  async listZoneCategories(
    access: RegistryAccess,
    propId: string,
    propertyTypeId?: string,
  ): Promise<ZoneCategory[]> {
    await this.properties.read(access, propId);
    const rows = await this.db.query(
      `select * from registry.zone_categories
       where (prop_id = $1 or prop_id is null) and ($2::text is null or property_type_id = $2)
       order by name, category_id`,
      [propId, propertyTypeId ?? null],
    );
    return rows.map(toZoneCategory);
  }

  async createZoneCategory(access: RegistryAccess, propId: string, input: unknown): Promise<ZoneCategory> {
    const data = validateInput(CreateZoneCategoryInput, input);
    const property = await this.properties.read(access, propId);
    access.check('write', { orgId: property.orgId, propId }, () => notFound('property', propId));
    await this.propertyType(property.orgId, data.propertyTypeId);
    const [row] = await this.db.query(
      `insert into registry.zone_categories (category_id, prop_id, property_type_id, name, created_by)
       select $1, $2, $3, $4, $5
       where not exists (select 1 from registry.zone_categories
                         where category_id = $1 and (prop_id is null or prop_id = $2))
       returning *`,
      [data.categoryId, propId, data.propertyTypeId, data.name, access.actor],
    );
    if (!row) {
      throw new RegistryError(
        'CONFLICT',
        `the zone category ${data.categoryId} already exists in this property`,
      );
    }
    return toZoneCategory(row);
  }

  /** The units of one zone category of a property (NOT_FOUND for a category the property does not have). */
  async listZoneUnits(access: RegistryAccess, propId: string, categoryId: string): Promise<ZoneUnit[]> {
    await this.properties.read(access, propId);
    await this.zoneCategory(propId, categoryId);
    const rows = await this.db.query(
      `select * from registry.zone_units where prop_id = $1 and zone_category_id = $2 order by name, unit_id`,
      [propId, categoryId],
    );
    return rows.map(toZoneUnit);
  }

  async createZoneUnit(access: RegistryAccess, propId: string, input: unknown): Promise<ZoneUnit> {
    const data = validateInput(CreateZoneUnitInput, input);
    const property = await this.properties.read(access, propId);
    access.check('write', { orgId: property.orgId, propId }, () => notFound('property', propId));
    await this.zoneCategory(propId, data.zoneCategoryId);
    const [row] = await this.db.query(
      `insert into registry.zone_units (prop_id, zone_category_id, unit_id, name, image_url, created_by)
       values ($1, $2, $3, $4, $5, $6) on conflict do nothing returning *`,
      [propId, data.zoneCategoryId, data.unitId, data.name, data.imageUrl, access.actor],
    );
    if (!row) {
      throw new RegistryError(
        'CONFLICT',
        `the unit ${data.unitId} already exists in zone category ${data.zoneCategoryId}`,
      );
    }
    return toZoneUnit(row);
  }

  private async propertyType(orgId: string, typeId: string): Promise<void> {
    const [row] = await this.db.query(
      'select 1 from registry.property_types where type_id = $1 and (org_id is null or org_id = $2)',
      [typeId, orgId],
    );
    if (!row) throw notFound('property type', typeId);
  }

  private async zoneCategory(propId: string, categoryId: string): Promise<void> {
    const [row] = await this.db.query(
      'select 1 from registry.zone_categories where category_id = $1 and (prop_id is null or prop_id = $2)',
      [categoryId, propId],
    );
    if (!row) throw notFound('zone category', categoryId);
  }
}
